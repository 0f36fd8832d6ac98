"""Periodic jobs on the Tasks framework.

django-tasks (the backport of Django 6's ``django.tasks``) queues work but keeps no clock.
A periodic job is an ordinary task that, once it has run, queues its own next run
``every`` seconds later (``run_after``). ``manage.py start_jobs`` queues each job once,
skipping any already waiting: ``make run`` calls it before starting the worker, and a
deployment calls it after each migrate (and may call it from cron as a safety net).

Every job does what is due *now* and nothing else, and writes through unique constraints,
so a late, repeated or duplicated run does no harm.

    @periodic(every=300)
    @task()
    def my_job() -> int:
        try:
            return do_what_is_due(timezone.now())
        finally:
            queue_next(my_job)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

PERIODIC: dict[str, Job] = {}


@dataclass(frozen=True)
class Job:
    task: Task[Any, Any]
    every: int  # seconds between runs


def periodic(every: int):
    """Register a task as a periodic job, run every ``every`` seconds."""

    def register(task):
        PERIODIC[task.module_path] = Job(task, every)
        return task

    return register


def waiting(task) -> bool:
    """Whether a run of this task is already queued (the database and RQ backends can tell)."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task.get_backend()
    if type(backend).__name__ == "RQBackend":
        return _waiting_in_rq(task)
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(status="READY", task_path=task.module_path).exists()


def _waiting_in_rq(task) -> bool:
    """A job of this task on its RQ queue, or scheduled there for later."""
    import django_rq
    from rq.job import Job as RQJob

    queue = django_rq.get_queue(task.queue_name)
    ids = [*queue.get_job_ids(), *queue.scheduled_job_registry.get_job_ids()]
    jobs = RQJob.fetch_many(ids, connection=queue.connection) if ids else []
    return any(job is not None and job.func_name == task.module_path for job in jobs)


def queue_next(task, *, now=None) -> bool:
    """Queue the job's next run, unless one is waiting or the backend cannot defer
    (the immediate backend of tests would otherwise run it again at once, forever)."""
    job = PERIODIC.get(task.module_path)
    backend = task.get_backend()
    if job is None or not backend.supports_defer or waiting(task):
        return False
    at = (now or timezone.now()) + timedelta(seconds=job.every)
    task.using(run_after=at).enqueue()
    return True


def start_all() -> list[str]:
    """Queue every registered job to run now, unless a run is already waiting."""
    autodiscover_modules("tasks")
    started = []
    for path, job in sorted(PERIODIC.items()):
        if not waiting(job.task):
            job.task.enqueue()
            started.append(path)
    return started
