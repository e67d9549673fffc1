"""SIGKILL during writes: every write the killed process saw committed is there, the store passes the
integrity check at the next start, and the audit chain and outbox are intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared import audit
from shared.integrity import check_store, recover_if_damaged
from shared.models.audit import AuditEvent
from shared.models.sync import OutboxEntry
from shared.services import org, users
from shared.store import Store

WRITER = r"""
import sys
from shared import audit
from shared.store import Store
store = Store.open_dir(sys.argv[1])
i = 0
while True:
    i += 1
    with store.write() as cs:
        for k in range(5):  # several rows per transaction: all or nothing
            audit.record(cs, "writer", "exported", f"file-{i}-{k}.csv", {"i": i, "pad": "x" * 200})
    print(i, flush=True)  # reported only after the commit returned
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_sigkill_during_writes_loses_nothing_committed(tmp_path: Path) -> None:
    store = Store.open_dir(tmp_path / "lh", create=True)
    store.init_node("client", "/HQ/GD/SZ/LH/")
    with store.write() as cs:
        for path in ("/HQ/", "/HQ/GD/", "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/"):
            org.add_org(cs, path, path)
        users.add_user(cs, "lh_desk", "password-123", "/HQ/GD/SZ/LH/", ["service_desk"])
    store.close()
    root = Path(__file__).resolve().parents[2]
    for kill_after in (3, 11, 29):  # commits seen before the kill: it lands in the middle of the next
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "lh")], cwd=root,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        seen: list[int] = []
        deadline = time.monotonic() + 120
        while len(seen) < kill_after and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(int(line))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
        seen += [int(line) for line in out.split()]
        assert seen, err  # it did commit something before the kill
        assert check_store(tmp_path / "lh") == ""  # starts clean: nothing to recover
        assert recover_if_damaged(tmp_path / "lh") is None
        store = Store.open_dir(tmp_path / "lh")
        with store.read() as s:
            targets = set(s.scalars(select(AuditEvent.target).where(AuditEvent.actor == "writer")))
            for i in seen:  # every acknowledged transaction is there, whole
                assert {f"file-{i}-{k}.csv" for k in range(5)} <= targets
            per_tx = s.execute(select(func.count()).select_from(AuditEvent).where(AuditEvent.actor == "writer"))
            assert per_tx.scalar_one() % 5 == 0  # no half transaction
            assert audit.verify(s).ok
            assert s.scalar(select(func.count()).select_from(OutboxEntry)
                            .where(OutboxEntry.entity == "audit_events")) == s.scalar(
                select(func.count()).select_from(AuditEvent))  # each entry has its outbox record
        store.close()
