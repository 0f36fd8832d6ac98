"""The cutoff job, every five minutes on the Tasks framework (see notifications.jobs). The
family step's SMS it queues is ``telling.text_families``."""

from __future__ import annotations

from django_tasks import task

from eldercare.cutoffs import run_cutoffs
from notifications.jobs import periodic, queue_next


@periodic(every=300)
@task()
def watch_cutoffs() -> str:
    """Raise alerts for checks missed by their cutoff and climb the open ones."""
    try:
        return str(run_cutoffs())
    finally:
        queue_next(watch_cutoffs)
