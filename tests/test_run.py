"""`make run`: links follow the port it serves on, and the address is given once it answers."""

import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_points_links_at_its_own_port():
    """`make run PORT=8101` once sent SMS links to :8000 (settings.MULIN_BASE_URL's default)."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8137"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "export MULIN_BASE_URL=http://127.0.0.1:8137;" in result.stdout
    assert "runserver 127.0.0.1:8137" in result.stdout
    assert ":8000" not in result.stdout


def test_the_links_setting_comes_from_the_environment():
    env = {"MULIN_BASE_URL": "http://127.0.0.1:8137", "DJANGO_SETTINGS_MODULE": "mulin.settings"}
    code = "import django; django.setup(); from notifications.tasks import absolute; print(absolute('/n/1'))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "http://127.0.0.1:8137/n/1", result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_address_is_given_once_the_server_answers(tmp_path):
    """The banner came half a minute before the server answered; now it waits for /healthz."""
    port = _free_port()
    (tmp_path / "healthz").write_text("ok")
    summary = tmp_path / "demo.txt"
    summary.write_text("Demo logins (password for all: x)\n  13800000001  书记\n", encoding="utf-8")
    announcer = subprocess.Popen(
        [sys.executable, "scripts/announce.py", f"http://127.0.0.1:{port}", str(summary), "--timeout", "30"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(1.5)
        assert announcer.poll() is None, "announced before the server was up"
        server = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            out, _ = announcer.communicate(timeout=30)
        finally:
            server.kill()
            server.wait()
    finally:
        announcer.kill()
    assert announcer.returncode == 0
    assert "13800000001" in out
    assert out.rstrip().endswith(f"Mulin is at http://127.0.0.1:{port}/  (Ctrl-C to stop)")
