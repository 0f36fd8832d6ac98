"""Settings come from the environment; production passes Django's deployment checks."""

import base64
import json
import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import time_machine
from django.core import checks

ROOT = Path(__file__).resolve().parent.parent


def _run(args, env_extra, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MULIN_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {"MULIN_VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": "mulin.settings"}, **env_extra
    )
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def _production_env(tmp_path):
    return {
        "MULIN_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "mulin.example.org",
        "DATABASE_URL": "postgres://mulin@db.internal:5432/mulin",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MULIN_DATA_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    }


def test_production_settings_pass_check_deploy(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path), tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_a_data_key(tmp_path):
    """Identity numbers are never encrypted under a key made up on the spot in production."""
    env = _production_env(tmp_path)
    del env["MULIN_DATA_KEYS"]
    result = _run(["manage.py", "check"], env, tmp_path)
    assert result.returncode != 0
    assert "MULIN_DATA_KEYS" in result.stderr


def test_development_generates_a_data_key_once(tmp_path):
    _run(["-c", "import django; django.setup()"], {}, tmp_path)
    key = tmp_path / "var" / "data_keys"
    assert key.exists() and oct(key.stat().st_mode)[-3:] == "600"
    first = key.read_text()
    _run(["-c", "import django; django.setup()"], {}, tmp_path)
    assert key.read_text() == first and len(base64.urlsafe_b64decode(first)) == 32


SHOW = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "db = s.DATABASES['default']; "
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']),"
    " 'cache': s.CACHES['default']['BACKEND'], 'session': s.SESSION_ENGINE, 'debug': s.DEBUG,"
    " 'init': db.get('OPTIONS', {}).get('init_command', '')}))"
)


def test_development_defaults_to_sqlite_in_wal_mode_and_a_generated_secret(tmp_path):
    result = _run(["-c", SHOW], {}, tmp_path)
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in shown["init"]
    assert shown["cache"].endswith("LocMemCache")
    secret = tmp_path / "var" / "secret_key"
    assert secret.exists() and len(secret.read_text()) >= 50
    assert oct(secret.stat().st_mode)[-3:] == "600"
    tracked = subprocess.run(["git", "ls-files", "var"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked == ""


def test_database_and_redis_urls_switch_backends(tmp_path):
    result = _run(
        ["-c", SHOW],
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test", "REDIS_URL": "redis://127.0.0.1:6379/1"},
        tmp_path,
    )
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["session"] == "django.contrib.sessions.backends.cache"


@pytest.mark.parametrize("utc", ["00:00", "02:00", "08:00", "10:00", "16:00", "20:00"])
def test_the_model_checks_pass_at_any_time_of_day(utc):
    # Django warns of a fixed time default (fields.W161) when its checks run within ten
    # seconds of that time of day (in UTC): such a default would fail `check --deploy
    # --fail-level WARNING` for twenty seconds a day.
    with time_machine.travel(f"2026-11-24 {utc}:00Z", tick=False):
        found = [m for m in checks.run_checks() if m.level >= checks.WARNING and not m.is_silenced()]
    assert not found, [f"{m.id} {m.obj}" for m in found]


# --- Tooling: mypy checks what is there, not a list someone keeps -------------------------------

# Installed packages, generated migrations: the only things mypy may leave out.
NOT_OURS = ("migrations", ".venv", "node_modules")


def _python_files() -> list[str]:
    """Every Python file of the project, as a path relative to the root with / between parts."""
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [
            d for d in subfolders if d not in (".venv", "node_modules") and not d.startswith(".")
        ]
        found += [Path(folder, f).relative_to(ROOT).as_posix() for f in files if f.endswith(".py")]
    return found


def test_mypy_checks_every_module_but_migrations():
    """The Makefile once listed the modules mypy checked, and left out the one that keeps
    activities from being oversold; mypy now walks the project from its config, and only
    migrations and installed packages may be excluded."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert config["files"] == ["."]
    excluded = config.get("exclude", [])
    for pattern in excluded:
        assert any(name in pattern for name in NOT_OURS), f"mypy may not exclude {pattern!r}"
    for override in config.get("overrides", []):
        assert not override.get("ignore_errors"), f"mypy ignores the errors of {override['module']}"
    files = _python_files()
    assert "activities/signups.py" in files
    for path in files:
        left_out = any(re.search(pattern, path) for pattern in excluded)
        assert left_out == ("migrations" in path.split("/")[:-1]), path


def test_make_lint_runs_mypy_over_its_config():
    """`make lint` (CI) names no modules: mypy reads them from pyproject.toml."""
    makefile = (ROOT / "Makefile").read_text()
    calls = re.findall(r"^\t\$\(VENV\)/bin/mypy\b(.*)$", makefile, re.M)
    assert calls == [""], calls


def test_the_suites_groups_are_read_from_the_test_modules():
    """make test's --dist loadgroup keeps the demo's modules on one worker (the package-scoped
    demo loads once): the controller reads the groups from the modules themselves, whether the
    mark stands alone or in a list of marks. A module that names a group the controller cannot
    read would have its tests spread over the workers, each loading the demo again."""
    from tests.conftest import module_groups

    root = Path(__file__).resolve().parent.parent
    groups = module_groups(root / "tests", root)
    demo = sorted(p.relative_to(root).as_posix() for p in (root / "tests" / "demo").glob("test_*.py"))
    assert {path: groups.get(path) for path in demo} == dict.fromkeys(demo, "load_demo")
    naming = {
        p.relative_to(root).as_posix()
        for p in (root / "tests").rglob("test_*.py")
        if re.search(r"^pytestmark\b.*xdist_group\(", p.read_text(encoding="utf-8"), re.M)
    }
    assert naming == set(groups), naming ^ set(groups)
