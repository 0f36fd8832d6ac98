"""Served counts, beneficiaries and wait times: the pages."""
