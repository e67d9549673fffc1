"""(a) Client apply of a large initial pull, against a bare sqlite3 executemany of the same rows.

The client applies pages of ``PAGE_ROWS`` rows exactly as a pull does (``SyncClient._apply_page``:
one transaction per page, the cursor stored with it). The baseline inserts the same rows into the
same ``tickets`` table (a fresh store of the same schema) with ``sqlite3.executemany``, with the same
pragmas, once in one transaction and once committing every page.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import COUNTY, Stopwatch, fake_peer, figure, make_client, verdict
from shared.models import Ticket
from shared.models.sync import SyncPeer
from shared.sync.client import SyncClient
from shared.sync.codec import column_names, encode_dt
from shared.sync.protocol import PAGE_ROWS

TARGET_RATIO = 1 / 5


def ticket_rows(n: int, node: str) -> list[dict[str, Any]]:
    """``n`` ticket rows as the province sends them (canonical JSON values, version 1)."""
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    cols = [c for c in column_names(Ticket)]
    rows = []
    for i in range(n):
        at = encode_dt(t0 + timedelta(seconds=i))
        row = {
            "id": str(uuid.uuid4()), "owner_path": COUNTY, "version": 1, "deleted": False,
            "created_at": at, "updated_at": at, "hlc": f"{1790000000000 + i:013d}-00000-{node}",
            "updated_by": None, "process": "incident", "number": f"INC-GD-SZ-LH-A1B2-{i:06d}",
            "title": f"打印机卡纸 {i}", "description": "三楼东侧打印机卡纸，已重启无效，需要更换硒鼓",
            "state": "new", "impact": 3, "urgency": 3, "priority": "P4", "category": "hardware",
            "origin": "phone", "caller_id": str(uuid.uuid4()), "team_id": None, "assignee_id": None,
            "ci_id": None, "parent_id": None, "opened_at": at, "resolved_at": None, "closed_at": None,
            "data": {"location": "3F-East"},
        }
        row["field_versions"] = {k: [1, node] for k in ("title", "description", "state", "impact",
                                                         "urgency", "priority", "category", "origin",
                                                         "caller_id", "data.location", "number", "process")}
        assert set(row) == set(cols), set(cols) ^ set(row)
        rows.append(row)
    return rows


def client_apply(directory: Path, rows: list[dict[str, Any]]) -> float:
    store = make_client(directory)
    fake_peer(store)
    client = SyncClient(store, transport=None)  # type: ignore[arg-type]  # pages are handed in directly
    with store.read() as s:
        peer = s.get(SyncPeer, "upstream")
        assert peer is not None
        s.expunge(peer)
    epoch = str(uuid.uuid4())
    watch = Stopwatch()
    for n, start in enumerate(range(0, len(rows), PAGE_ROWS), start=1):
        page = {"epoch": epoch, "cursor": f"{epoch}:{n}", "more": True,
                "changes": [{"e": "tickets", "d": r} for r in rows[start:start + PAGE_ROWS]]}
        with watch:
            client._apply_page(peer, page, advance=True)
    with store.read() as s:
        assert s.query(Ticket).count() == len(rows)
    store.close()
    return watch.seconds


def bare_insert(directory: Path, rows: list[dict[str, Any]], per_page: bool) -> float:
    make_client(directory).close()  # the same schema, empty
    conn = sqlite3.connect(directory / "itops.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    cols = list(rows[0])
    sql = f"INSERT INTO tickets ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"

    def tuples(chunk: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for v in r.values())
                for r in chunk]

    watch = Stopwatch()
    with watch:
        step = PAGE_ROWS if per_page else len(rows)
        for start in range(0, len(rows), step):
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(sql, tuples(rows[start:start + step]))
            conn.execute("COMMIT")
    assert conn.execute("SELECT count(*) FROM tickets").fetchone()[0] == len(rows)
    conn.close()
    return watch.seconds


def run(quick: bool) -> dict[str, Any]:
    n = 5_000 if quick else 100_000
    rows = ticket_rows(n, str(uuid.uuid4()))
    with tempfile.TemporaryDirectory(prefix="itops-bench-a-") as tmp:
        root = Path(tmp)
        client_s = client_apply(root / "client", rows)
        bare_one = bare_insert(root / "bare1", rows, per_page=False)
        bare_page = bare_insert(root / "bare2", rows, per_page=True)
    result: dict[str, Any] = {"rows": n, "client_rows_per_s": n / client_s, "bare_rows_per_s": n / bare_one,
              "bare_per_page_rows_per_s": n / bare_page, "client_seconds": client_s}
    ratio = result["client_rows_per_s"] / result["bare_rows_per_s"]
    ratio_page = result["client_rows_per_s"] / result["bare_per_page_rows_per_s"]
    result["ratio"] = ratio
    result["ratio_per_page"] = ratio_page
    result["target_met"] = ratio >= TARGET_RATIO
    figure("a", f"client apply of a {n:,}-row initial pull: {result['client_rows_per_s']:,.0f} rows/s "
                f"({client_s:.1f} s, pages of {PAGE_ROWS})")
    figure("a", f"bare sqlite3 executemany of the same rows: {result['bare_rows_per_s']:,.0f} rows/s in one "
                f"transaction, {result['bare_per_page_rows_per_s']:,.0f} rows/s committing every {PAGE_ROWS}")
    figure("a", f"client / bare = 1/{1 / ratio:.1f} (1/{1 / ratio_page:.1f} against per-page commits); "
                f"target ≥ 1/5: {verdict(result['target_met'])}")
    return result
