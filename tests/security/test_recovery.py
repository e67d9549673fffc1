"""Crash safety and recovery: a damaged store is moved aside and rebuilt with its unsent changes;
backup → restore round trips (store and server, SQLite and PostgreSQL); a restored server makes its
clients resync and re-push."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cli.main import main
from shared import audit
from shared.backup import backup_postgres, check_sqlite_file, restore_postgres
from shared.integrity import check_store, recover_if_damaged, session_open
from shared.models.audit import AuditEvent
from shared.models.org import OrgUnit
from shared.models.sync import OutboxEntry
from shared.services import tickets
from shared.store import Store
from shared.sync.endpoint import SyncEndpoint
from tests.sync.tree import PASSWORD, actor, add_county_store, make_tree


def _outbox(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxEntry).where(OutboxEntry.acked.is_(False))) or 0)


def _damage_page_of(path: Path, table: str) -> None:
    """Overwrite the root page of one table with garbage, as a torn write would."""
    import sqlite3

    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with path.open("r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_truncated_store_is_moved_aside_and_a_clean_store_opens(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    lh.close()
    path = tmp_path / "lh" / "itops.db"
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 3)
    report = recover_if_damaged(tmp_path / "lh")
    assert report is not None and report.problem
    assert report.moved_to.exists() and report.moved_to.stat().st_size == size // 3  # kept, not deleted
    assert "moved to" in report.message and "itops login" in report.message
    assert report.org_path == "" and not path.exists()  # nothing left to say which org: made anew at sign-in
    assert recover_if_damaged(tmp_path / "lh") is None  # nothing damaged left in place
    Store.open_dir(tmp_path / "lh", create=True).close()
    assert check_sqlite_file(path) == ""


def test_damaged_store_is_rebuilt_from_the_province_with_its_unsent_changes(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    tech = actor(lh, "lh_tech")
    with lh.write(tech.user_id) as cs:  # made offline, never pushed
        made = tickets.create_ticket(cs, tech, "incident", "机房空调告警", {"impact": 2, "urgency": 2})
    pending = _outbox(lh)
    assert pending >= 1
    lh.close()
    _damage_page_of(tmp_path / "lh" / "itops.db", "org_units")
    report = recover_if_damaged(tmp_path / "lh")
    assert report is not None and report.outbox_recovered == pending and not report.outbox_lost
    assert report.org_path == "/HQ/GD/SZ/LH/" and report.server == "local://gd"
    store = Store.open_dir(tmp_path / "lh")
    tree.counties["lh"] = store
    client = tree.client("lh")
    client.login("local://gd", "lh_tech", PASSWORD)  # signing in again registers the new node
    client.sync()
    assert _outbox(store) == 0
    with tree.provinces["gd"].read() as s:
        from shared.models.tickets import Ticket

        ticket = s.get(Ticket, made["id"])
        assert ticket is not None and ticket.title == "机房空调告警"  # the unsent change reached the province
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(OrgUnit)) >= 3  # the scope came back
        assert audit.verify(s).ok
        assert s.scalar(select(AuditEvent).where(AuditEvent.event == "store_recovered")) is not None


def test_server_backup_restore_bumps_the_epoch_and_clients_resync_and_repush(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    tech = actor(lh, "lh_tech")
    gd_file = tmp_path / "gd" / "itops.db"
    epoch_before = tree.provinces["gd"].node()["epoch"]
    backup = tmp_path / "gd-backup.db"
    assert main(["backup", "--db", str(gd_file), "--out", str(backup)]) == 0
    with lh.write(tech.user_id) as cs:
        late = tickets.create_ticket(cs, tech, "incident", "备份之后的工单", {"impact": 3, "urgency": 3})
    tree.sync("lh")  # acknowledged by the province, then the province is restored to before it
    tree.provinces["gd"].close()
    assert main(["restore", "--db", str(gd_file), str(backup), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "new epoch" in out and "kept as" in out
    assert list(gd_file.parent.glob("itops.db.before-restore-*"))
    province = Store.open_dir(tmp_path / "gd")
    tree.provinces["gd"], tree.endpoints["gd"] = province, SyncEndpoint(province)
    assert province.node()["epoch"] != epoch_before
    from shared.models.tickets import Ticket

    with province.read() as s:
        assert s.get(Ticket, late["id"]) is None  # the restore lost it …
    report = tree.sync("lh")
    assert report.resynced
    with province.read() as s:
        assert s.get(Ticket, late["id"]) is not None  # … and the client pushed it again
        assert audit.verify(s).ok


def test_store_backup_restore_takes_a_new_identity_and_keeps_unsent_changes(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    tech = actor(lh, "lh_tech")
    with lh.write(tech.user_id) as cs:
        kept = tickets.create_ticket(cs, tech, "incident", "备份里的工单", {"impact": 3, "urgency": 3})
    old_node = lh.node()["node_id"]
    assert main(["backup", "--store", str(tmp_path / "lh"), "--out", str(tmp_path / "lh.db")]) == 0
    tree.sync("lh")  # the server now knows this node's sequence numbers beyond the backup
    lh.close()
    assert main(["restore", "--store", str(tmp_path / "lh"), str(tmp_path / "lh.db"), "--yes"]) == 0
    store = Store.open_dir(tmp_path / "lh")
    tree.counties["lh"] = store
    assert store.node()["node_id"] != old_node
    client = tree.client("lh")
    client.login("local://gd", "lh_tech", PASSWORD)
    client.sync()  # the renumbered entries are accepted (already merged ones change nothing)
    assert _outbox(store) == 0
    from shared.models.tickets import Ticket

    with tree.provinces["gd"].read() as s:
        assert s.get(Ticket, kept["id"]) is not None


@pytest.mark.postgres
def test_postgres_backup_restore_round_trip(pg_db_url: str, tmp_path: Path) -> None:
    store = Store(pg_db_url)
    store.init_node("province", "/HQ/GD/")
    with store.write() as cs:
        audit.record(cs, "tester", "exported", "before.csv")
    dump = backup_postgres(pg_db_url, tmp_path / "gd.dump")
    assert dump.bytes > 0 and dump.kind == "pg_dump"
    with store.write() as cs:
        audit.record(cs, "tester", "exported", "after.csv")
    store.close()
    restore_postgres(dump.path, pg_db_url)
    store = Store(pg_db_url)
    with store.read() as s:
        assert [r.target for r in s.scalars(select(AuditEvent))] == ["before.csv"]
        assert audit.verify(s).ok
    store.close()


def _store_with_pages(path: Path) -> Store:
    store = Store.open_dir(path, create=True)
    store.init_node("client", "/HQ/GD/SZ/LH/")
    with store.write() as cs:  # audit entries with some bulk: the table spans many pages
        for i in range(600):
            audit.record(cs, "writer", "exported", f"file-{i}.csv", {"pad": "x" * 300})
    store.close()
    return store


def _damage_middle_leaf(path: Path, table: str) -> None:
    """Garbage over a leaf page in the middle of ``table``: only reading every page finds it."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    leaves = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name=? AND pagetype='leaf' "
                                         "ORDER BY path", (table,))]
    conn.close()
    assert len(leaves) > 20
    with path.open("r+b") as f:
        f.seek((leaves[len(leaves) // 2] - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))


def test_the_quick_check_finds_truncation_and_broken_roots_at_once(tmp_path: Path) -> None:
    _store_with_pages(tmp_path / "a")
    path = tmp_path / "a" / "itops.db"
    assert check_sqlite_file(path, thorough=False) == ""
    _damage_page_of(path, "org_units")
    assert "malformed" in check_sqlite_file(path, thorough=False)
    _store_with_pages(tmp_path / "b")
    path = tmp_path / "b" / "itops.db"
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(size // 2)
    assert check_sqlite_file(path, thorough=False).startswith("the file is truncated")


def test_a_large_store_gets_the_full_check_only_after_a_session_that_did_not_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _store_with_pages(tmp_path / "lh")
    _damage_middle_leaf(tmp_path / "lh" / "itops.db", "audit_events")
    assert "malformed" in check_store(tmp_path / "lh")  # small: always the full check
    monkeypatch.setattr("shared.integrity.FULL_CHECK_BYTES", 0)  # as if it were a province-sized store
    assert check_store(tmp_path / "lh") == ""  # closed cleanly: the quick check, which reads no middle page
    with session_open(tmp_path / "lh"):
        pass
    assert check_store(tmp_path / "lh") == ""  # a session that ended leaves no marker
    (tmp_path / "lh" / "itops.db.session").write_text("4242\n")  # what a killed desktop leaves behind
    assert "malformed" in check_store(tmp_path / "lh")
