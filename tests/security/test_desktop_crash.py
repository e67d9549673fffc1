"""SIGKILL of the desktop itself — its window, its background writes and its sync to a real province server
running at once — at different moments: after each kill the store passes the integrity check, every ticket
the desktop reported saved is there with its outbox entry, the next start is clean, and one sync afterwards
brings the province to exactly the county's tickets."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.integrity import check_store, recover_if_damaged
from shared.models.sync import OutboxEntry
from shared.models.tickets import Ticket
from shared.store import Store
from shared.sync.client import SyncClient
from shared.sync.transport import HttpTransport
from tests.desktop.sync_helpers import LH, Server, county_store, province_server, unacked

REPO = Path(__file__).resolve().parents[2]

# The desktop as desktop.app's Launcher starts it after sign-in (same application set-up, window, sync
# controller), plus a driver: a ticket made through the tickets area's command every 30 ms as a background
# op, and a new sync as soon as one finishes. It prints what it saw complete: "T <title>" once a ticket's
# write committed, "S" when a sync starts, "D" when one finished.
DESKTOP = r"""
import sys
from PySide6.QtCore import QTimer
from desktop import ops
from desktop.app import build_main_window, make_application, open_store
from desktop.context import AppContext
from desktop.lang import Language
from desktop.login import sign_in
from desktop.ops import Bus
from desktop.sync.controller import SyncController
from desktop.tickets import commands

store_dir, password, round_no = sys.argv[1], sys.argv[2], sys.argv[3]
app = make_application(["-platform", "offscreen"])
language = Language(app)
language.apply("zh")
store = open_store(__import__("pathlib").Path(store_dir))
ctx = AppContext(store=store, bus=Bus(app), language=language, signed_in=sign_in(store, "lh_tech", password))
sync = SyncController(ctx)
window = build_main_window(ctx, sync)
window.show()
made = [0]

def saved(row):
    print("T", row["title"], flush=True)

def write():
    made[0] += 1
    title = f"round {round_no} ticket {made[0]}"
    ops.run_op(window, lambda: commands.create(store, ctx.actor, "incident", title, {"impact": 2, "urgency": 2}),
               saved, bus=ctx.bus, changes=("tickets",))

def on_running(running):
    print("S" if running else "D", flush=True)
    if not running:
        QTimer.singleShot(0, sync.sync_now)

sync.running_changed.connect(on_running)
timer = QTimer(window)
timer.timeout.connect(write)
timer.start(30)
QTimer.singleShot(0, sync.sync_now)
app.exec()
"""


def _desktop(store_dir: Path, round_no: int) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-c", DESKTOP, str(store_dir), "password-123", str(round_no)],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _run_until(proc: subprocess.Popen[str], tickets: int, syncs_started: int) -> list[str]:
    """Read the desktop's report until it saved ``tickets`` and started its ``syncs_started``-th sync."""
    assert proc.stdout is not None
    saved: list[str] = []
    started = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (len(saved) < tickets or started < syncs_started):
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith("T "):
            saved.append(line[2:].strip())
        elif line.strip() == "S":
            started += 1
    return saved


def _kill(proc: subprocess.Popen[str]) -> list[str]:
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err
    return [line[2:].strip() for line in out.splitlines() if line.startswith("T ")]


def _titles(store: Store, model: type[Ticket] = Ticket) -> dict[str, str]:
    with store.read() as s:
        rows = s.execute(select(model.id, model.title).where(model.owner_path == LH, model.deleted.is_(False)))
        return {row.id: row.title for row in rows}


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_a_desktop_killed_while_writing_and_syncing_loses_nothing_and_converges(tmp_path: Path) -> None:
    province: Server = province_server(tmp_path)
    try:
        store, _signed = county_store(tmp_path / "lh", province.url, "lh_tech")
        store.close()
        reported: list[str] = []
        # kill after (tickets saved, syncs started): early, in the middle of a sync, after several syncs
        for round_no, (tickets, syncs) in enumerate(((3, 1), (10, 2), (20, 3)), start=1):
            proc = _desktop(tmp_path / "lh", round_no)
            seen = _run_until(proc, tickets, syncs)
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            seen += _kill(proc)
            assert len(seen) >= tickets, f"round {round_no}: the desktop saved only {seen}"
            reported += seen

            assert check_store(tmp_path / "lh") == ""  # starts clean: nothing to recover
            assert recover_if_damaged(tmp_path / "lh") is None
            store = Store.open_dir(tmp_path / "lh")
            county = _titles(store)
            assert set(reported) <= set(county.values())  # everything reported saved is there
            with store.read() as s:
                entries = set(s.scalars(select(OutboxEntry.row_id).where(OutboxEntry.entity == "tickets")))
            assert set(county) <= entries  # and each has its outbox entry (pushed or not)
            store.close()

        store = Store.open_dir(tmp_path / "lh")
        SyncClient(store, HttpTransport(province.url, retries=0)).sync()
        assert unacked(store) == 0
        county = _titles(store)
        assert _titles(province.store) == county  # the province has exactly the county's tickets
        assert len(county) >= len(reported)
        store.close()
    finally:
        province.stop()
