"""The audit log: chained per node, append-only, tamper-evident, synced upward to HQ and never down."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import select, text

from shared import audit
from shared.models.audit import AuditEvent, AuditTampered
from shared.services import conflicts, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.endpoint import LocalTransport, SyncEndpoint
from shared.sync.protocol import ScopeViolation
from tests.sync.tree import actor, add_county_store, make_tree


def _record_some(store: Store, who: Actor, n: int) -> None:
    for i in range(n):
        with store.write(who.user_id) as cs:
            audit.record(cs, who, "exported", f"tickets-{i}.csv", {"rows": i})


def test_entries_chain_per_node_and_verify(county: tuple[Store, Actor]) -> None:
    store, tech = county
    _record_some(store, tech, 3)
    with store.read() as s:
        rows = list(s.scalars(select(AuditEvent).order_by(AuditEvent.node_seq)))
        report = audit.verify(s)
    # the fixture's add_user is audited too: user_created is entry #1
    assert [r.node_seq for r in rows] == [1, 2, 3, 4]
    assert rows[0].event == "user_created" and rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    assert report.ok and report.entries == 4 and len(report.nodes) == 1


def test_entry_rolls_back_with_its_action(county: tuple[Store, Actor]) -> None:
    store, tech = county
    with pytest.raises(RuntimeError), store.write(tech.user_id) as cs:
        audit.record(cs, tech, "deleted", "tickets/x")
        raise RuntimeError("the action failed")
    _record_some(store, tech, 1)
    with store.read() as s:
        assert [r.event for r in s.scalars(select(AuditEvent).order_by(AuditEvent.node_seq))] == \
            ["user_created", "exported"]
        assert audit.verify(s).ok  # the rolled-back entry left no hole in the chain


@pytest.mark.parametrize("column, value, kind", [
    ("actor", "'someone_else'", "edited"),
    ("detail", "'{\"rows\": 999}'", "edited"),
    ("prev_hash", "'" + "1" * 64 + "'", "edited"),
])
def test_a_tampered_row_fails_verify(county: tuple[Store, Actor], column: str, value: str, kind: str) -> None:
    store, tech = county
    _record_some(store, tech, 4)
    with store.engine.begin() as conn:  # behind the application's back, as an intruder would
        conn.execute(text(f"UPDATE audit_events SET {column} = {value} WHERE node_seq = 3"))
    with store.read() as s:
        report = audit.verify(s)
    assert not report.ok
    (brk,) = report.breaks
    assert (brk.node_seq, brk.kind) == (3, kind)
    assert "entry #3" in brk.message and "altered" in brk.message


def test_a_removed_or_recomputed_row_breaks_the_chain(county: tuple[Store, Actor]) -> None:
    store, tech = county
    _record_some(store, tech, 4)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE node_seq = 2"))
    with store.read() as s:
        (brk,) = audit.verify(s).breaks
    assert (brk.kind, brk.node_seq) == ("missing", 3) and "#2" in brk.message
    # an intruder who edits a row AND recomputes its hash still breaks the next link
    with store.read() as s:
        row = s.scalar(select(AuditEvent).where(AuditEvent.node_seq == 4))
        assert row is not None
        values = {c: getattr(row, c) for c in audit.chain.HASHED}
    values["actor"] = "ghost"
    forged = audit.entry_hash(values)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor='ghost', hash=:h WHERE node_seq = 4"), {"h": forged})
        conn.execute(text("DELETE FROM audit_events WHERE node_seq < 4"))
        conn.execute(text("UPDATE audit_events SET node_seq = 1, prev_hash = :g WHERE node_seq = 4"),
                     {"g": audit.GENESIS})
    with store.read() as s:
        (brk,) = audit.verify(s).breaks
    assert brk.kind == "edited"  # node_seq and prev_hash are inside the hash too


def test_no_service_path_can_edit_or_delete_an_entry(county: tuple[Store, Actor]) -> None:
    store, tech = county
    _record_some(store, tech, 1)
    with store.read() as s:
        entry_id = s.scalar(select(AuditEvent.id).where(AuditEvent.event == "exported"))
    for action in (lambda cs, row: cs.update(row, {"target": "nothing"}),
                   lambda cs, row: cs.delete(row),
                   lambda cs, row: cs.session.delete(row)):
        with pytest.raises(AuditTampered), store.write(tech.user_id) as cs:
            action(cs, cs.session.get(AuditEvent, entry_id))
            cs.session.flush()
    with store.read() as s:
        assert audit.verify(s).ok


def test_audit_syncs_up_to_hq_verifies_per_node_and_never_flows_down(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH", "FT"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    ft = add_county_store(tree, "ft", "gd", "ft_tech")
    _record_some(lh, actor(lh, "lh_tech"), 3)
    _record_some(ft, actor(ft, "ft_tech"), 2)
    with tree.hq.write() as cs:  # HQ's own entries stay at HQ
        audit.record(cs, "hq_admin", "exported", "kpi.xlsx")
    tree.drain()
    with tree.hq.read() as s:
        report = audit.verify(s)
        owners = {r.owner_path for r in s.scalars(select(AuditEvent))}
    assert report.ok, report.breaks
    assert {"/HQ/", "/HQ/GD/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"} <= owners
    lh_node, ft_node = lh.node()["node_id"], ft.node()["node_id"]
    assert report.nodes[lh_node] == 3 and report.nodes[ft_node] == 2
    with lh.read() as s:  # a county holds its own chain, never a sibling's nor HQ's
        owners_lh = {r.owner_path for r in s.scalars(select(AuditEvent))}
    assert owners_lh == {"/HQ/GD/SZ/LH/"}
    # tamper with a county's entry at HQ: verify names that node and entry
    with tree.hq.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET target='x' WHERE node_id=:n AND node_seq=2"), {"n": lh_node})
    with tree.hq.read() as s:
        (brk,) = audit.verify(s).breaks
    assert brk.node_id == lh_node and brk.node_seq == 2 and "/HQ/GD/SZ/LH/" in brk.message


def test_server_refuses_anything_but_an_append_of_the_nodes_own_chain(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH", "FT"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    _record_some(lh, actor(lh, "lh_tech"), 1)
    tree.drain()
    with lh.read() as s:
        entry = s.scalar(select(AuditEvent))
        assert entry is not None and entry.version > 0
    endpoint: SyncEndpoint = tree.endpoints["gd"]
    with lh.read() as s:
        from shared.models.sync import SyncPeer
        peer = s.get(SyncPeer, "upstream")
        assert peer is not None
        token, node_id = peer.token, peer.node_id
    from shared.sync.codec import digest
    with tree.provinces["gd"].read() as s:
        from shared.models.sync import SyncNode
        node = s.get(SyncNode, node_id)
        assert node is not None
        next_seq = int(node.last_seq) + 1
    for op, changes in (("update", {"target": [entry.target, "forged"]}),
                        ("delete", {}),
                        ("append", {"node_id": [None, "11111111-1111-1111-1111-111111111111"]})):
        m = {"seq": next_seq, "tx": "t", "op": op, "entity": "audit_events", "id": entry.id,
             "owner": entry.owner_path, "base": entry.version, "changes": changes,
             "hlc": f"0000000000000-0000-{node_id}", "user": None, "schema": 1}
        m["hash"] = digest(m)
        status, body = LocalTransport(endpoint).endpoint.dispatch(
            "POST", "/api/v1/sync/push", {"protocol": 1, "schema": 1, "mutations": [m]}, None, token)
        assert status == ScopeViolation.status and body["error"]["reason"] == "audit_append_only", body
    with tree.provinces["gd"].read() as s:
        assert audit.verify(s).ok


def test_conflict_resolution_and_user_admin_are_audited(tmp_path: Path) -> None:
    store = Store.open_dir(tmp_path / "gd", create=True)
    store.init_node("province", "/HQ/GD/")
    from shared.services import org
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "HQ")
        org.add_org(cs, "/HQ/GD/", "GD")
        admin = users.add_user(cs, "gd_admin", "password-123", "/HQ/GD/", ["admin"])
    with store.write(admin["id"]) as cs:
        users.set_password(cs, "gd_admin", "password-456")
    with store.read() as s:
        events = [(r.event, r.actor, r.target) for r in s.scalars(select(AuditEvent).order_by(AuditEvent.node_seq))]
    assert events == [("user_created", "system", "gd_admin"), ("password_changed", "gd_admin", "gd_admin")]
    assert conflicts.resolve.__module__ == "shared.services.conflicts"
