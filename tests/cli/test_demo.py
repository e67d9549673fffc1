"""``itops demo``: three stores with replicated data, logins that work, refusal to overwrite, determinism."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from cli.commands.export import export_lines
from shared.demo import COUNTY_PATH, DEMO_PASSWORD
from shared.models import OutboxEntry, Ticket
from shared.services.users import authenticate
from shared.store import Store
from shared.sync.apply import local_digest
from shared.sync.server import scope_digest
from tests.cli.conftest import Run


def test_demo_builds_three_stores(demo_tree: Path, itops: Callable[..., Run]) -> None:
    assert (demo_tree / "county-lh" / "itops.db").is_file()
    for db, role, org in (("hq.db", "hq", "/HQ/"), ("province-gd.db", "province", "/HQ/GD/"),
                          ("county-lh/itops.db", "client", COUNTY_PATH)):
        store = Store(str(demo_tree / db), migrate=False)
        try:
            assert (store.node()["role"], store.node()["org_path"]) == (role, org)
        finally:
            store.close()
    assert "node: province /HQ/GD/ " in itops("db", "current", "--db", demo_tree / "province-gd.db").ok().out


def test_county_ticket_list_is_the_county_scope(demo_tree: Path, itops: Callable[..., Run]) -> None:
    tickets = itops("ticket", "list", "--store", demo_tree / "county-lh", "--all", "--json").ok().json()
    assert len(tickets) > 20
    assert all(t["owner_path"].startswith(COUNTY_PATH) for t in tickets)
    assert {t["process"] for t in tickets} >= {"incident", "request", "problem", "change"}
    assert len({t["state"] for t in tickets}) >= 8
    page = itops("ticket", "list", "--store", demo_tree / "county-lh", "--json").ok().json()
    assert 0 < len(page) <= 50


def test_demo_tickets_have_real_history(demo_tree: Path) -> None:
    store = Store.open_dir(demo_tree / "county-lh")
    try:
        with store.read() as session:
            closed = session.scalars(select(Ticket).where(Ticket.state == "closed",
                                                          Ticket.process == "incident")).first()
            assert closed is not None
            assert closed.opened_at and closed.resolved_at and closed.closed_at
            assert closed.opened_at < closed.resolved_at <= closed.closed_at
            assert closed.version > 3  # created, then every transition bumped the authority version
    finally:
        store.close()


def test_demo_logins_work_everywhere(demo_tree: Path) -> None:
    for where, username in (("county-lh", "lh_desk"), ("county-lh", "lh_admin"),
                            ("province-gd.db", "gd_admin"), ("hq.db", "hq_admin"), ("hq.db", "gd_admin")):
        path = demo_tree / where
        store = Store.open_dir(path) if path.is_dir() else Store(str(path))
        try:
            with store.read() as session:
                assert authenticate(session, username, DEMO_PASSWORD).username == username
        finally:
            store.close()


def test_county_store_starts_in_sync_with_the_province(demo_tree: Path) -> None:
    """The county holds exactly the province's view of its scope: the digests sync compares agree."""
    province, county = Store(str(demo_tree / "province-gd.db")), Store.open_dir(demo_tree / "county-lh")
    try:
        with province.read() as server_session, county.read() as client_session:
            expected = scope_digest(server_session, "client", COUNTY_PATH)
            assert local_digest(client_session) == expected
            assert set(expected) >= {"org_units", "users", "teams", "config_items", "tickets", "ticket_entries"}
    finally:
        province.close()
        county.close()


def test_replicas_start_with_nothing_to_sync(demo_tree: Path) -> None:
    for path in (demo_tree / "hq.db", demo_tree / "province-gd.db", demo_tree / "county-lh" / "itops.db"):
        store = Store(str(path))
        try:
            with store.read() as session:
                assert session.query(OutboxEntry).count() == 0, path
        finally:
            store.close()


def test_demo_refuses_to_overwrite(tmp_path: Path, itops: Callable[..., Run]) -> None:
    (tmp_path / "hq.db").write_bytes(b"")
    itops("demo", "--dir", tmp_path).user_error("already holds demo data", "hq.db", "--force")
    assert (tmp_path / "hq.db").read_bytes() == b""


def test_demo_force_rebuilds_the_same_content(demo_tree: Path, tmp_path: Path,
                                              itops: Callable[..., Run]) -> None:
    (tmp_path / "county-lh").mkdir()
    (tmp_path / "county-lh" / "stale.txt").write_text("x")
    out = itops("demo", "--dir", tmp_path, "--force").ok().out
    assert "itops-demo-2026" in out and "lh_desk" in out and "gd_admin" in out and "hq_admin" in out
    assert not (tmp_path / "county-lh" / "stale.txt").exists()
    for db in ("hq.db", "province-gd.db", "county-lh/itops.db"):
        assert _signature(tmp_path / db) == _signature(demo_tree / db), db


def _signature(db: Path) -> Counter[str]:
    """What a database holds, without ids, times and hashes (which differ from build to build)."""
    keep = ("table", "owner_path", "title", "state", "number", "name", "username", "asset_tag", "rel_type",
            "priority", "status", "roles")
    store = Store(str(db), migrate=False)
    try:
        with store.read() as session:
            rows = [json.loads(line) for line in export_lines(session)]
    finally:
        store.close()
    return Counter(json.dumps({k: r.get(k) for k in keep}, ensure_ascii=False, sort_keys=True) for r in rows)
