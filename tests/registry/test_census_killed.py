"""A census import killed half-way leaves nothing behind, on SQLite and on PostgreSQL.

The import runs as ``manage.py import_census --apply`` in a child process against a database
of its own; once it reports its first batch written (inside the transaction), it is killed
with SIGKILL. Nothing may be left in the registry, and the same import then runs through.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django; django.setup()
from django.core.management import call_command
for app in ("audit", "registry"):  # the registry, what it stands on and the log its import writes
    call_command("migrate", app, verbosity=0)
from pathlib import Path
import sys
from demo.census import census_rows, make_committee, write_census_csv
committee, buildings = make_committee(groups=10, per_group=5)
print(write_census_csv(Path(sys.argv[1]), census_rows(buildings, 2600, seed=3)))
"""

COUNT = """
import django; django.setup()
from registry.models import Household, Resident, Residence, ResidentTag
from audit.models import AuditEntry
print(Resident.objects.count(), Household.objects.count(), Residence.objects.count(),
      ResidentTag.objects.count(), AuditEntry.objects.filter(action="import").count())
"""


def _postgres_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture
def child_env(tmp_path):
    """Environment for child processes: their own SQLite file, or their own PostgreSQL database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(
        {"MULIN_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "mulin.settings", "DEBUG": "0"}
    )
    url = os.environ.get("DATABASE_URL", "")
    name = None
    if url.startswith(("postgres://", "postgresql://")):
        name = f"mulin_kill_{uuid.uuid4().hex[:8]}"
        _postgres_admin(url, f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    yield env
    if name:
        _postgres_admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _python(env, code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


@pytest.mark.django_db
def test_a_killed_import_leaves_no_half_applied_rows(child_env, tmp_path):
    sheet = tmp_path / "census.csv"
    rows = int(_python(child_env, SETUP, str(sheet)).splitlines()[-1])
    assert rows > 3000  # several batches of 1,000
    command = [
        sys.executable,
        "manage.py",
        "import_census",
        str(sheet),
        "--committee",
        "310106019016",
        "--apply",
    ]
    child = subprocess.Popen(
        command, cwd=ROOT, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stderr is not None  # both piped above
        first = child.stdout.readline()
        assert first.startswith("…"), first + child.stderr.read()
        child.send_signal(signal.SIGKILL)  # mid-way: one batch written, the transaction open
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    assert _python(child_env, COUNT) == "0 0 0 0 0"

    again = subprocess.run(command, cwd=ROOT, env=child_env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    residents, households, residences, _tags, imports = (int(n) for n in _python(child_env, COUNT).split())
    assert residents == rows == residences and households > 0 and imports == 1
