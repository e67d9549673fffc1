"""The fast KPI evaluation (issue 8): one load of each kind of record per evaluation, whatever the number of
units in the tree; the period queries walk the 0012 indexes (SQLite and PostgreSQL); PostgreSQL gives the
figures SQLite gives."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from shared.kpi.engine import evaluate
from shared.services import org
from shared.store import Store
from tests.kpi.test_speed_figures import GD, GOLDEN, build_random_province, digest
from tests.sqlcapture import statements_sent

KPI_INDEXES = ("ix_tickets_process_opened", "ix_tickets_process_resolved", "ix_tickets_process_closed",
               "ix_tickets_parent_id", "ix_tickets_caused_by_change", "ix_form_records_planned")


def statements(store: Store, org_path: str, period: str) -> list[tuple[str, Any]]:
    """Every statement (with its parameters) one evaluation sends."""
    with statements_sent(store.engine) as seen, store.read() as session:
        evaluate(session, org_path, period)
    return seen


def period_reads(seen: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The statements that read tickets or forms by period, parent or cause (not the org tree, history by id)."""
    return [(s, p) for s, p in seen if ("FROM tickets" in s or "FROM form_records" in s) and "ticket_id IN" not in s]


@pytest.fixture
def province(tmp_path: Any) -> Iterator[Store]:
    store = build_random_province(Store.open_dir(tmp_path / "gd", create=True), seed=8, tickets=300)
    yield store
    store.close()


def test_queries_do_not_grow_with_the_units_of_the_tree(province: Store) -> None:
    before = statements(province, GD, "2026-10")
    with province.write() as cs:  # three more prefectures, empty: more scopes, the same records
        for code in ("FS", "DG", "ZH"):
            org.add_org(cs, f"{GD}{code}/", code)
    after = statements(province, GD, "2026-10")
    data = [s for s, _ in after if "org_units" not in s]
    assert len(data) == len([s for s, _ in before if "org_units" not in s])
    records = [s for s in data if "catalog_entries" not in s]  # SLA targets and calendars: per target key
    assert sum("FROM ticket_entries" in s for s in records) <= 5  # history in batches of 500 ids, each ticket once
    assert sum("FROM tickets" in s for s in records) == 9  # six (process, period column) lists, changes, causes
    assert len(records) <= 20, records


def test_sqlite_period_queries_walk_the_kpi_indexes(province: Store) -> None:
    with province.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        reads = period_reads(statements(province, GD, "2026-10"))
        assert reads
        used: set[str] = set()
        for statement, params in reads:
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
            assert "SCAN tickets" not in plan.replace("SCAN tickets USING", "") and "SCAN form_records " not in plan
            used.update(ix for ix in KPI_INDEXES if ix in plan)
    assert {"ix_tickets_process_opened", "ix_tickets_process_resolved", "ix_tickets_caused_by_change",
            "ix_form_records_planned"} <= used, used


def test_postgres_gives_the_figures_of_sqlite_and_can_use_the_kpi_indexes(pg_db_url: str) -> None:
    store = build_random_province(Store(pg_db_url), seed=8)
    try:
        with store.read() as session:
            tree = evaluate(session, GD, "2026-10")
        expected = GOLDEN[(GD, "2026-10")]
        got = digest(tree)
        assert {k: v[:5] if isinstance(v, list) and k not in ("categories", "units") else v
                for k, v in got.items()} == {k: v[:5] if isinstance(v, list) and k not in ("categories", "units")
                                             else v for k, v in expected.items()}
        reads = period_reads(statements(store, GD, "2026-10"))
        used: set[str] = set()
        with store.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.execute(text("SET enable_seqscan = off"))  # can the predicate use an index at all?
            raw = conn.connection.dbapi_connection
            assert raw is not None
            cur = raw.cursor()
            for statement, params in reads:
                cur.execute("EXPLAIN " + statement, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
                assert "Seq Scan on tickets" not in plan and "Seq Scan on form_records" not in plan, plan
                used.update(ix for ix in KPI_INDEXES if ix in plan)
            cur.close()
        assert {"ix_tickets_process_opened", "ix_tickets_process_resolved", "ix_tickets_caused_by_change",
                "ix_form_records_planned"} <= used, used
    finally:
        store.close()
