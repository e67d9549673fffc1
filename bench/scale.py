"""Scale benchmarks (issue 8).

(i) Import of the whole UCI ServiceNow incident event log (141,712 rows → 24,918 incidents and 141,712
history entries) into a province database, target < 60 s on 2 cores; beside it the bare reference: the
same CSV read with the csv module, and the same number of rows inserted with sqlite3.executemany.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from bench.common import figure, verdict

UCI_ZIP = Path(os.environ.get("ITOPS_UCI_ZIP", "/work/shared/data/uci-incident-event-log/incident_event_log.zip"))
IMPORT_TARGET_S = 60.0
QUICK_ROWS = 15_000


def _source(work: Path, quick: bool) -> Path:
    if not quick:
        return UCI_ZIP
    with zipfile.ZipFile(UCI_ZIP) as archive, archive.open(archive.namelist()[0]) as raw:
        lines = io.TextIOWrapper(raw, encoding="utf-8").readlines()[:QUICK_ROWS + 1]
    path = work / "head.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _bare_reference(source: Path, work: Path, rows: int) -> tuple[float, float]:
    """Seconds to read the CSV with the csv module, and to insert ``rows`` 8-column rows with executemany."""
    start = time.perf_counter()
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive, archive.open(archive.namelist()[0]) as raw:
            data = list(csv.reader(io.TextIOWrapper(raw, encoding="utf-8")))
    else:
        with source.open(encoding="utf-8", newline="") as text:
            data = list(csv.reader(text))
    read_s = time.perf_counter() - start
    db = sqlite3.connect(work / "bare.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, owner TEXT, ticket TEXT, kind TEXT, body TEXT, data TEXT, "
               "hlc TEXT, version INTEGER)")
    start = time.perf_counter()
    with db:
        db.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?,?)",
                       ((f"{i:036d}", "/HQ/GD/", data[1 + i % (len(data) - 1)][0], "history", "updated",
                         '{"detail":{"from":"new","to":"line1"}}', f"{i:020d}", 1) for i in range(rows)))
    insert_s = time.perf_counter() - start
    db.close()
    return read_s, insert_s


def run_import(quick: bool) -> dict[str, Any]:
    from bench.common import make_province
    from shared.importers.servicenow import import_incidents

    if not UCI_ZIP.exists():
        figure("i", f"skipped: {UCI_ZIP} not found (set ITOPS_UCI_ZIP)")
        return {"skipped": True}
    with tempfile.TemporaryDirectory(prefix="itops-bench-i-") as tmp:
        work = Path(tmp)
        source = _source(work, quick)
        store = make_province(f"sqlite:///{work / 'province.db'}")
        try:
            start = time.perf_counter()
            cpu = time.process_time()
            report = import_incidents(store, source, None, work_dir=work)
            seconds = time.perf_counter() - start
            cpu_s = time.process_time() - cpu
            again = time.perf_counter()
            second = import_incidents(store, source, None, work_dir=work)
            again_s = time.perf_counter() - again
        finally:
            store.close()
        rows = report.created + report.entries
        read_s, insert_s = _bare_reference(source, work, rows)
    target = IMPORT_TARGET_S * (QUICK_ROWS / 141_712 if quick else 1)
    figure("i", f"import {report.events:,} rows → {report.created:,} incidents + {report.entries:,} history "
                f"entries: {seconds:.1f} s ({report.events / seconds:,.0f} rows/s; writer process CPU "
                f"{cpu_s:.1f} s), target < {target:.0f} s: {verdict(seconds < target)}")
    figure("i", f"re-import (creates {second.created + second.entries} rows): {again_s:.1f} s")
    figure("i", f"bare reference: csv.reader over the file {read_s:.2f} s; sqlite3.executemany of {rows:,} "
                f"rows {insert_s:.2f} s")
    return {"rows": report.events, "incidents": report.created, "entries": report.entries, "seconds": seconds,
            "writer_cpu_s": cpu_s, "reimport_seconds": again_s, "bare_read_s": read_s, "bare_insert_s": insert_s,
            "dirty_rows": len(report.dirty)}


def run_search(quick: bool) -> dict[str, Any]:  # filled in with the search index
    return {}
