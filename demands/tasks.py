"""The requests' periodic job, run by the task worker every ten minutes."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from demands.escalation import run
from notifications.jobs import periodic, queue_next


@periodic(every=600)
@task()
def escalate_demands() -> dict[str, int]:
    """Escalate overdue requests to the committee lead; close settled ones."""
    try:
        return run(timezone.now())
    finally:
        queue_next(escalate_demands)
