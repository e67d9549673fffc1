"""(k) The KPI tree of a province for one month.

Both runs: evaluation time over N incidents with their history (SLA clocks included), counties LH and FT of
the fixed KPI test data set — 500 incidents (quick, target 2 s) or 10,000 (full, target 10 s).

Full run only (issue 8): the province-month over the large set of ``itops demo --size large`` (200,000
tickets over three years with their ~1.2 million history entries, 50,000 CIs, 100,000 form records; about
5,500 tickets in a month), the whole tree of the province (its own rows, two prefectures, four counties), on
SQLite and on PostgreSQL, each beside a bare reference in the same session: the per-unit ticket count of the
month, and the fetch of the month's tickets with their history, in plain sqlite3 / psycopg SQL. Target < 2 s
each. The SQLite set takes minutes to generate: it is kept in the temp folder (ITOPS_BENCH_CACHE to choose)
under a key of the generator (never in the repository) and reused by later runs, upgraded by newer migrations
when opened; PostgreSQL gets a copy of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Stopwatch, figure, verdict
from shared.kpi.engine import evaluate
from tests.kpi.dataset import FT, LH, _line1, _ticket, at, build

TARGET_SECONDS = 10.0
LARGE_TARGET_S = 2.0
LARGE_NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)  # the generated set ends here; the month is the last full one
LARGE_MONTH = "2026-10"
LARGE_ROOT = "/HQ/GD/"
LARGE_UNITS = (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"), ("/HQ/GD/GZ/", "广州"),
               ("/HQ/GD/SZ/LH/", "龙华"), ("/HQ/GD/SZ/FT/", "福田"), ("/HQ/GD/GZ/TH/", "天河"),
               ("/HQ/GD/GZ/PY/", "番禺"))
KPI_TABLES = ("org_units", "catalog_entries", "kpi_entries", "security_events", "measurements", "form_records",
              "tickets", "ticket_entries")
BUILDER_VERSION = "1"


def run(quick: bool) -> dict[str, Any]:
    result = _incidents(quick)
    if not quick:
        result["large"] = run_large()
    return result


def _incidents(quick: bool) -> dict[str, Any]:
    n = 500 if quick else 10_000
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        store, admin = build(Path(tmp) / "gd")
        with store.write(admin.user_id) as cs:
            for i in range(n):
                opened = at(f"11-{rng.randint(1, 28):02d}", rng.randint(0, 20))
                resolved = opened + timedelta(minutes=rng.randint(10, 900))
                _ticket(cs, LH if i % 2 else FT, "incident", f"B-{i}", _line1(opened, resolved), state="resolved",
                        priority=rng.choice(["P1", "P2", "P3", "P4"]), category=rng.choice(["hardware", "software"]),
                        opened_at=opened, resolved_at=resolved, data={"satisfaction": rng.randint(1, 4)})
        watch = Stopwatch()
        with store.read() as session, watch:
            tree = evaluate(session, "/HQ/GD/", "2026-11")
        store.close()
    ok = watch.seconds < (TARGET_SECONDS if n >= 10_000 else 2.0)
    figure("k", f"KPI tree of a province over {n} incidents: {watch.seconds:.2f} s "
                f"(score {tree['score']}); {verdict(ok)}")
    return {"incidents": n, "seconds": round(watch.seconds, 3), "score": tree["score"], "target_met": ok}


# -- the large set ---------------------------------------------------------------------------------------------

def _generator_key() -> str:
    """Changes when the generator or this builder changes (then the cached set is rebuilt). Newer migrations
    do not: opening the cached file upgrades it like any store."""
    generator = Path(__file__).resolve().parent.parent / "shared" / "demo_large.py"
    digest = hashlib.sha256(BUILDER_VERSION.encode())
    digest.update(generator.read_bytes())
    digest.update(repr((LARGE_NOW, LARGE_UNITS)).encode())
    return digest.hexdigest()[:16]


def large_sqlite() -> Path:
    """The large province as a SQLite file, generated once per generator key into the temp folder."""
    from shared.demo_large import add_large_data
    from shared.services import org
    from shared.store import Store

    folder = Path(os.environ.get("ITOPS_BENCH_CACHE") or tempfile.gettempdir()) / "itops-bench-kpi" / _generator_key()
    path, done = folder / "province.db", folder / "complete"
    if done.exists():
        figure("k", f"large set: reusing {path}")
        _with_changes_implemented(folder)
        return path
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    start = time.perf_counter()
    store = Store(f"sqlite:///{path}")
    try:
        store.init_node("province", LARGE_ROOT)
        with store.write() as cs:
            for unit, name in LARGE_UNITS:
                org.add_org(cs, unit, name)
        counts = add_large_data(store, None, now=LARGE_NOW)  # no ANALYZE: stores in the field have no statistics
    finally:
        store.close()
    done.write_text(repr(counts), encoding="utf-8")
    figure("k", f"large set generated in {time.perf_counter() - start:.0f} s ({counts}), kept in {folder}")
    _with_changes_implemented(folder)
    return path


ENRICHED = "changes-implemented-1"


def _with_changes_implemented(folder: Path) -> None:
    """The generator leaves changes without an implementation outcome and no incident names a change that
    caused it; a real province has both, and the change indicators read them (every reviewed change's history,
    the incidents pointing at it). Deterministically from the ids: every change in review or closed gets an
    outcome (one in eight failed), one incident in 256 names the latest change opened before it in its data,
    another one in 256 as its parent. Done once per cached set (a bench-only shortcut, no change capture)."""
    marker = folder / ENRICHED
    if marker.exists():
        return
    conn = sqlite3.connect(folder / "province.db")
    latest_change = ("(SELECT c.{col} FROM tickets c WHERE c.process = 'change' AND c.opened_at <= tickets.opened_at "
                     "ORDER BY c.opened_at DESC LIMIT 1)")
    try:
        with conn:
            changes = conn.execute(
                "UPDATE tickets SET data = json_set(data, '$.outcome', CASE WHEN substr(id, 1, 1) IN ('0', '1') "
                "THEN 'failed' ELSE 'success' END) WHERE process = 'change' AND state IN ('review', 'closed')").rowcount
            named = conn.execute(
                "UPDATE tickets SET data = json_set(data, '$.caused_by_change', "
                f"{latest_change.format(col='number')}) WHERE process = 'incident' AND substr(id, 1, 2) = 'ab' "
                f"AND {latest_change.format(col='number')} IS NOT NULL").rowcount
            parented = conn.execute(
                f"UPDATE tickets SET parent_id = {latest_change.format(col='id')} WHERE process = 'incident' "
                "AND substr(id, 1, 2) = 'cd'").rowcount
    finally:
        conn.close()
    marker.write_text(f"{changes} changes implemented, {named} incidents name a cause, {parented} have a change "
                      "as parent", encoding="utf-8")
    figure("k", f"large set: {marker.read_text(encoding='utf-8')}")


def _timed_tree(session: Any) -> tuple[float, float, float, dict[str, Any]]:
    """(first run s, best of three s, CPU s of the best run, tree)."""
    runs = []
    tree: dict[str, Any] = {}
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        tree = evaluate(session, LARGE_ROOT, LARGE_MONTH)
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
        session.expire_all()
    best = min(runs)
    return runs[0][0], best[0], best[1], tree


def _best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def _in_month(p: str, prefix: str = "") -> str:
    return " OR ".join(f"({prefix}{c} >= {p} AND {prefix}{c} < {p})" for c in ("opened_at", "resolved_at", "closed_at"))


def bare_sql(p: str) -> tuple[str, str]:
    """(per-unit count of the month's tickets, the month's tickets with their history) as plain SQL, ``p`` being
    the driver's placeholder."""
    counts = (f"SELECT owner_path, process, count(*) FROM tickets WHERE owner_path LIKE {p} AND deleted = {p} "
              f"AND opened_at >= {p} AND opened_at < {p} GROUP BY owner_path, process")
    rows = ("SELECT t.id, t.number, t.owner_path, t.process, t.state, t.priority, t.category, t.ci_id, t.opened_at, "
            "t.resolved_at, t.closed_at, t.data, e.body, e.data, e.hlc FROM tickets t LEFT JOIN ticket_entries e "
            f"ON e.ticket_id = t.id AND e.kind = 'history' WHERE t.owner_path LIKE {p} AND t.deleted = {p} "
            f"AND ({_in_month(p, 't.')}) ORDER BY t.number, e.hlc")
    return counts, rows


def _bare_params(false: Any, moment: Callable[[datetime], Any]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    from shared.kpi.period import parse_period

    period = parse_period(LARGE_MONTH)
    start, end = moment(period.start.replace(tzinfo=None)), moment(period.end.replace(tzinfo=None))
    return (LARGE_ROOT + "%", false, start, end), (LARGE_ROOT + "%", false, start, end, start, end, start, end)


def _measure(label: str, url: str, bare: Callable[[], tuple[float, float, int, int]]) -> dict[str, Any]:
    from shared.store import Store

    store = Store(url)
    try:
        with store.read() as session:
            first, best, cpu, tree = _timed_tree(session)
    finally:
        store.close()
    counts_s, rows_s, tickets, entries = bare()
    load = os.getloadavg()[0]
    ok = best < LARGE_TARGET_S
    figure("k", f"{label}: KPI tree of {LARGE_ROOT} for {LARGE_MONTH} over the large set ({len(tree['units'])} child "
                f"units, score {tree['score']}): best of 3 {best:.2f} s (first {first:.2f} s, CPU {cpu:.2f} s); bare "
                f"reference: per-unit count of the month {counts_s * 1000:.0f} ms, the month's {tickets:,} tickets "
                f"with {entries:,} history rows fetched {rows_s:.2f} s; load average {load:.1f}; target < "
                f"{LARGE_TARGET_S:.0f} s: {verdict(ok)}")
    return {"seconds": round(best, 3), "first_seconds": round(first, 3), "cpu_seconds": round(cpu, 3),
            "bare_count_s": round(counts_s, 4), "bare_rows_s": round(rows_s, 3), "month_tickets": tickets,
            "month_history_rows": entries, "score": tree["score"], "load_average": round(load, 1), "target_met": ok}


def _sqlite_bare(path: Path) -> Callable[[], tuple[float, float, int, int]]:
    def bare() -> tuple[float, float, int, int]:
        counts, rows = bare_sql("?")
        count_params, row_params = _bare_params(0, lambda d: d.strftime("%Y-%m-%d %H:%M:%S"))
        conn = sqlite3.connect(path)
        try:
            counts_s, _ = _best(lambda: conn.execute(counts, count_params).fetchall())
            rows_s, found = _best(lambda: conn.execute(rows, row_params).fetchall())
        finally:
            conn.close()
        return counts_s, rows_s, len({r[0] for r in found}), sum(1 for r in found if r[12] is not None)
    return bare


def _pg_bare(url: str) -> Callable[[], tuple[float, float, int, int]]:
    def bare() -> tuple[float, float, int, int]:
        import psycopg

        from tests.pg import conninfo

        counts, rows = bare_sql("%s")
        count_params, row_params = _bare_params(False, lambda d: d)
        with psycopg.connect(conninfo(url)) as conn:
            counts_s, _ = _best(lambda: conn.execute(counts, count_params).fetchall())
            rows_s, found = _best(lambda: conn.execute(rows, row_params).fetchall())
        return counts_s, rows_s, len({r[0] for r in found}), sum(1 for r in found if r[12] is not None)
    return bare


def copy_to_postgres(source: Path, url: str) -> int:
    """The tables the KPIs read, copied row for row from the SQLite set (COPY), then ANALYZE."""
    import psycopg

    from shared.store import Store
    from tests.pg import conninfo

    Store(url).close()  # the schema, by the migrations
    lite = sqlite3.connect(source)
    copied = 0
    try:
        with psycopg.connect(conninfo(url)) as pg:
            for table in KPI_TABLES:
                booleans = {r[0] for r in pg.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                    "AND table_name = %s AND data_type = 'boolean'", (table,))}
                columns = [r[1] for r in lite.execute(f"PRAGMA table_info({table})")]
                flags = [c in booleans for c in columns]
                names = ", ".join(f'"{c}"' for c in columns)
                with pg.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in lite.execute(f"SELECT {names} FROM {table}"):
                        copy.write_row([bool(v) if flag and v is not None else v for v, flag in zip(row, flags,
                                                                                                     strict=True)])
                        copied += 1
            pg.execute("ANALYZE")
    finally:
        lite.close()
    return copied


@contextlib.contextmanager
def _postgres() -> Iterator[str | None]:
    from bench.merge import postgres

    with postgres() as url:
        yield url


def run_large() -> dict[str, Any]:
    from shared.kpi.catalogue import load_catalogue
    from shared.processes.engine import processes

    start = time.perf_counter()
    load_catalogue()
    processes()
    figure("k", f"indicator catalogue and process definitions (YAML, once per process): "
                f"{time.perf_counter() - start:.2f} s")
    path = large_sqlite()
    out: dict[str, Any] = {"sqlite": _measure("SQLite", f"sqlite:///{path}", _sqlite_bare(path))}
    with _postgres() as url:
        if url:
            start = time.perf_counter()
            rows = copy_to_postgres(path, url)
            figure("k", f"PostgreSQL: copied {rows:,} rows of {', '.join(KPI_TABLES)} in "
                        f"{time.perf_counter() - start:.0f} s")
            out["postgresql"] = _measure("PostgreSQL", url, _pg_bare(url))
            if out["postgresql"]["score"] != out["sqlite"]["score"]:
                figure("k", f"PostgreSQL score {out['postgresql']['score']} differs from SQLite's "
                            f"{out['sqlite']['score']}: TARGET MISSED")
                out["postgresql"]["target_met"] = False
    return out
