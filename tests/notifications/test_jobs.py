"""Periodic jobs: each run queues the next; never two waiting; never a loop in tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from notifications import jobs

RUNS: list[int] = []


@task()
def tick() -> int:
    RUNS.append(1)
    jobs.queue_next(tick)
    return len(RUNS)


@pytest.fixture
def registered(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    jobs.PERIODIC[tick.module_path] = jobs.Job(tick, every=300)
    RUNS.clear()
    yield
    del jobs.PERIODIC[tick.module_path]


@pytest.mark.django_db
def test_a_job_queues_its_next_run_once(registered):
    before = timezone.now()
    assert jobs.queue_next(tick) is True
    waiting = DBTaskResult.objects.get(task_path=tick.module_path)
    assert waiting.status == "READY"
    assert timedelta(seconds=299) <= waiting.run_after - before <= timedelta(seconds=310)
    # A second attempt while one waits queues nothing.
    assert jobs.queue_next(tick) is False
    assert DBTaskResult.objects.filter(task_path=tick.module_path).count() == 1


@pytest.mark.django_db
def test_start_all_skips_a_job_already_waiting(registered):
    started = jobs.start_all()
    assert tick.module_path in started
    assert tick.module_path not in jobs.start_all()
    assert DBTaskResult.objects.filter(task_path=tick.module_path).count() == 1


@pytest.mark.django_db
def test_the_immediate_backend_runs_a_job_once_instead_of_looping(registered, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    tick.enqueue()
    assert RUNS == [1]
    assert jobs.queue_next(tick) is False


def test_an_unregistered_task_is_not_requeued():
    assert jobs.queue_next(tick) is False
