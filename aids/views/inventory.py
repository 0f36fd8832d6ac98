"""Kinds of aid, their policies and the items: the pages."""
