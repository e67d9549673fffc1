"""The built one-folder distribution starts: ``itops --version``, a frozen server that migrates a new
database (the migration scripts are packaged) and answers its health check, and the desktop offscreen.

Opt-in: a PyInstaller build takes minutes. ``make dist-test`` builds and runs this with ITOPS_DIST set."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from shared.services import org, users
from shared.store import Store
from shared.version import APP_VERSION

DIST = os.environ.get("ITOPS_DIST", "")
pytestmark = pytest.mark.skipif(not DIST, reason="set ITOPS_DIST to a built dist/itops folder (make dist-test)")


def _exe(name: str) -> Path:
    path = Path(DIST) / (name + (".exe" if os.name == "nt" else ""))
    assert path.exists(), f"{path} was not built"
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_version() -> None:
    run = subprocess.run([_exe("itops"), "--version"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and APP_VERSION in run.stdout


def test_frozen_server_migrates_and_answers_health(tmp_path: Path) -> None:
    db = tmp_path / "gd.db"
    up = subprocess.run([_exe("itops"), "db", "upgrade", "--db", str(db), "--role", "province", "--org", "/HQ/GD/"],
                        capture_output=True, text=True, timeout=120)
    assert up.returncode == 0, up.stderr
    port = _free_port()
    server = subprocess.Popen([_exe("itops"), "server", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        body = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as resp:
                    body = json.loads(resp.read())
                    break
            except OSError:
                assert server.poll() is None, server.communicate()[1]
                time.sleep(0.5)
        assert body is not None and body["status"] == "ok" and body["role"] == "province"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5) as resp:
            assert "/api/v1/sync/push" in json.loads(resp.read())["paths"]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    from shared.db.migrate import current_revision, head_revision

    store = Store(f"sqlite:///{db}", migrate=False)
    try:  # the frozen app found and ran every packaged migration
        assert current_revision(store.engine) == head_revision()
        assert store.node()["role"] == "province"
    finally:
        store.close()


def test_frozen_desktop_starts_offscreen(tmp_path: Path) -> None:
    store = Store.open_dir(tmp_path / "store", create=True)
    store.init_node("client", "/HQ/GD/SZ/LH/")
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华")):
            org.add_org(cs, path, name)
        users.add_user(cs, "lh_desk", "password-123", "/HQ/GD/SZ/LH/", ["service_desk"])
    store.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    desktop = subprocess.Popen([_exe("itops-desktop"), "--store", str(tmp_path / "store")], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(8)  # it migrates, loads translations and fonts, and waits at the sign-in dialog
        assert desktop.poll() is None, desktop.communicate()[1]
    finally:
        desktop.terminate()
        _out, err = desktop.communicate(timeout=30)
    assert "Traceback" not in err
