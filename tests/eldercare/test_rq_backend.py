"""The Redis/RQ backend is a settings change: with TASKS_BACKEND=django_tasks_rq.RQBackend and
REDIS_URL, enqueuing the cutoff job puts a job on Redis, and its next run is scheduled there.

Run in a fresh interpreter, because django_rq reads its settings when first imported. Uses
Redis database 15 on 127.0.0.1:6379 and empties only the queue it used; one run at a time on
the machine (a file lock): two suites running at once (the SQLite and PostgreSQL ones side by
side, or two checkouts) would empty each other's queue."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"
SCRIPT = """
import json, django
django.setup()
import django_rq
from django.conf import settings
from django_tasks import task_backends
from eldercare.tasks import watch_cutoffs
from notifications.jobs import queue_next

queue = django_rq.get_queue("default")
queue.empty()
result = watch_cutoffs.enqueue()
job = queue.fetch_job(result.id)
queued = queue.count
queue.empty()
scheduled = queue_next(watch_cutoffs)
scheduled_again = queue_next(watch_cutoffs)  # one run waits already: no second chain
registry = queue.scheduled_job_registry
out = {
    "backend": type(task_backends["default"]).__name__,
    "installed": "django_tasks_rq" in settings.INSTALLED_APPS,
    "queued": queued,
    "func": job.func_name if job else None,
    "status": result.status,
    "scheduled": scheduled,
    "scheduled_again": scheduled_again,
    "in_registry": registry.count,
}
for job_id in registry.get_job_ids():
    registry.remove(job_id, delete_job=True)
queue.empty()
print(json.dumps(out))
"""


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not running on 127.0.0.1:6379")
def test_enqueuing_the_cutoff_job_puts_it_on_the_rq_queue():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mulin.settings",
        "TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": REDIS_URL,
    }
    lock = Path(tempfile.gettempdir()) / "mulin-test-redis-15.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file closes
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {
        "backend": "RQBackend",
        "installed": True,
        "queued": 1,
        "func": "eldercare.tasks.watch_cutoffs",
        "status": "READY",
        "scheduled": True,
        "scheduled_again": False,
        "in_registry": 1,
    }
