"""Query plans of the hot queries: the newest-first ticket page and the sync pull walk indexes and stop after
a page (no sort of the whole table), on SQLite and on PostgreSQL with a few thousand rows analysed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text

from shared.demo_large import Sizes, add_large_data
from shared.models.sync import ChangeLogEntry
from shared.search.paging import TicketFilter, ticket_page
from shared.services import org
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.scope import read_filter
from tests.sqlcapture import statements_sent

COUNTIES = ("/HQ/GD/SZ/", "/HQ/GD/GZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/", "/HQ/GD/GZ/TH/", "/HQ/GD/GZ/PY/")
ACTOR = Actor("bench", "gd_admin", "/HQ/GD/SZ/LH/", ("admin",))


def page_sql(store: Store, after: tuple[str, str] | None) -> tuple[str, Any]:
    """The statement and parameters ``ticket_page`` really sends."""
    with statements_sent(store.engine) as seen, store.read() as session:
        page = ticket_page(session, ACTOR, TicketFilter(), after, 100)
    assert page.rows
    return next((s, p) for s, p in seen if "FROM tickets" in s)


def seeded(store: Store, count: int) -> None:
    with store.write(None) as cs:
        for path in COUNTIES:
            org.add_org(cs, path, path)
    add_large_data(store, None, Sizes(tickets=count, cis=100, forms=100))


def test_sqlite_ticket_pages_walk_the_opened_index(make_province: Callable[..., Store]) -> None:
    store = make_province()
    seeded(store, 1500)
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        for after in (None, ("2025-06-01T00:00:00.000000Z", "ffffffff")):
            statement, params = page_sql(store, after)
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
            # the (opened_at, id) order from an index: ix_tickets_opened_id, or the wider ix_tickets_list_walk
            # (0013) that also holds the scope columns
            assert re.search(r"ix_tickets_(opened_id|list_walk)", plan) and "TEMP B-TREE" not in plan, plan


def test_postgres_plans_of_the_hot_queries(pg_db_url: str) -> None:
    store = Store(pg_db_url)
    store.init_node("province", "/HQ/GD/")
    with store.write(None) as cs:
        org.add_org(cs, "/HQ/", "总部")
        org.add_org(cs, "/HQ/GD/", "广东")
    try:
        seeded(store, 3000)
        statement, params = page_sql(store, None)
        with store.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            raw = conn.connection.dbapi_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute("EXPLAIN " + statement, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
            assert "ix_tickets_opened_id" in plan and "Sort" not in plan, plan
            pull = (select(ChangeLogEntry).where(ChangeLogEntry.seq > 5, read_filter("client", "/HQ/GD/SZ/LH/"))
                    .order_by(ChangeLogEntry.seq, ChangeLogEntry.id).limit(500))
            compiled = pull.compile(store.engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
            assert "ix_change_log_seq_id" in plan and "Seq Scan" not in plan, plan
    finally:
        store.close()


def test_sqlite_ticket_links_read_only_the_link_entries(make_province: Callable[..., Store]) -> None:
    """Opening a ticket lists its links both ways; with thousands of history entries neither direction
    reads them: both statements go through the partial index of link entries (0014)."""
    from shared.models.tickets import Ticket
    from shared.services import links

    store = make_province()
    seeded(store, 1500)
    with store.read() as session:
        a, b = session.scalars(select(Ticket.id).where(Ticket.owner_path == ACTOR.org_path).order_by(Ticket.id)
                               .limit(2)).all()
    with store.write(None) as cs:
        links.link(cs, ACTOR, a, b)
    with statements_sent(store.engine) as seen, store.read() as session:
        assert [t["id"] for t in links.linked(session, ACTOR, b)] == [a]  # the incoming direction
        assert [t["id"] for t in links.linked(session, ACTOR, a)] == [b]
    reads = [(s, p) for s, p in seen if "FROM ticket_entries" in s]
    assert len(reads) == 4
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        for statement, params in reads:
            plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
            assert "ix_ticket_entries_links" in plan, plan


def test_sqlite_change_reviews_read_only_the_review_entries(make_province: Callable[..., Store]) -> None:
    """The change indicators read the review entry of every implemented change, whatever its age: through the
    partial index of review entries (0015), not through every history entry of each change."""
    from shared.kpi.period import parse_period
    from shared.kpi.source import Scope, Source
    from shared.models.tickets import Ticket

    store = make_province()
    seeded(store, 1500)
    with store.write(None) as cs:
        changes = cs.session.scalars(select(Ticket).where(Ticket.process == "change").limit(3)).all()
        assert changes
        for change in changes:
            cs.update(change, {"state": "closed", "data": {**(change.data or {}), "outcome": "success"}})
    with statements_sent(store.engine) as seen, store.read() as session:
        found = Source(session, Scope("/HQ/"), parse_period("2026-10")).implemented_candidates(Scope("/HQ/"))
    assert {c.id for c, _reviews in found} == {c.id for c in changes}
    reads = [(s, p) for s, p in seen if "FROM ticket_entries" in s]
    assert len(reads) == 1
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        statement, params = reads[0]
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params))
        assert "ix_ticket_entries_reviews" in plan, plan
