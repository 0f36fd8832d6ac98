"""The volunteers' periodic jobs, where ``manage.py start_jobs`` finds them (it discovers each
app's ``tasks`` module)."""

from volunteers.jobs import remind_shifts

__all__ = ["remind_shifts"]
