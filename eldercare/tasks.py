"""The cutoff job, every five minutes on the Tasks framework (see notifications.jobs), and
the family step's SMS it queues."""

from __future__ import annotations

from django_tasks import task

from eldercare.cutoffs import run_cutoffs, send_family_texts
from notifications.jobs import periodic, queue_next


@periodic(every=300)
@task()
def watch_cutoffs() -> str:
    """Raise alerts for checks missed by their cutoff and climb the open ones."""
    try:
        return str(run_cutoffs())
    finally:
        queue_next(watch_cutoffs)


@task()
def text_families(alert_ids: list[int]) -> int:
    """SMS to the family contacts (without an account) of these alerts, after the job committed."""
    return send_family_texts(alert_ids)
