"""Repeating bookings and seasons of regular slots: the pages."""
