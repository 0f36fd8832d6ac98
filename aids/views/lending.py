"""Holds, loans, returns, renewals, overdue: the pages."""
