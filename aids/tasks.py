"""The care aids' periodic jobs, where ``manage.py start_jobs`` finds them (it discovers each
app's ``tasks`` module)."""

from aids.jobs import expire_holds, remind_loans

__all__ = ["expire_holds", "remind_loans"]
