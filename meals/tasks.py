"""Meal assistance's periodic jobs, where ``manage.py start_jobs`` finds them (it discovers each
app's ``tasks`` module)."""

from meals.jobs import place_standing_orders

__all__ = ["place_standing_orders"]
