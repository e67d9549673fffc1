"""Scope isolation and authentication at the sync endpoint (invariant 6), in-process through
SyncEndpoint.dispatch — the same call the HTTP blueprint makes — with hand-made bodies."""

from __future__ import annotations

import copy
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from shared.db.types import utcnow
from shared.models import ChangeLogEntry, Conflict, PushLog, SyncNode, SyncPeer, Ticket
from shared.services import tickets
from shared.sync.codec import digest, row_to_dict
from shared.sync.hlc import HLC
from shared.sync.node import authority_of
from shared.sync.scope import can_read
from shared.version import PROTOCOL_VERSION, SCHEMA_VERSION
from tests.sync.faults import AckLog, clone_tree, close_tree, scratch_root, settle
from tests.sync.tree import Tree, actor, export

LH, FT, JJ = "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/", "/HQ/SC/CD/JJ/"
PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"


@pytest.fixture(scope="module")
def world() -> Iterator[dict[str, Any]]:
    """One tree for the module: an LH ticket (made on lh_a), an FT ticket, a JJ ticket."""
    root = Path(tempfile.mkdtemp(prefix="itops-scope-", dir=scratch_root()))
    tree = clone_tree(root / "tree")
    acks = AckLog()
    tree.wrap = lambda t, name: acks.wrap(t, name, tree.store(name).node()["node_id"])
    made = {}
    for store, user, title in (("lh_a", "lh_tech", "龙华的单"), ("ft", "ft_tech", "福田的单"),
                               ("jj", "jj_tech", "锦江的单")):
        s = tree.counties[store]
        me = actor(s, user)
        with s.write(me.user_id) as cs:
            made[store] = tickets.create_ticket(cs, me, "incident", title, {"impact": 2})
    settle(tree)
    yield {"tree": tree, "tickets": made, "acks": acks}
    close_tree(tree)
    shutil.rmtree(root, ignore_errors=True)


def token(tree: Tree, name: str) -> str:
    with tree.store(name).read() as s:
        peer = s.get(SyncPeer, "upstream")
        assert peer is not None
        return peer.token


def node_id(tree: Tree, name: str) -> str:
    return tree.store(name).node()["node_id"]


def call(tree: Tree, server: str, method: str, path: str, tok: str | None, body: dict | None = None,
         params: dict | None = None) -> tuple[int, dict[str, Any]]:
    return tree.endpoints[server].dispatch(method, path, copy.deepcopy(body), params, tok)


def next_seq(tree: Tree, server: str, client: str) -> int:
    with tree.store(server).read() as s:
        node = s.get(SyncNode, node_id(tree, client))
        assert node is not None
        return int(node.last_seq) + 1


def mutation(seq: int, op: str, entity: str, row_id: str, owner: str, changes: dict[str, list[Any]],
             node: str, base: int = 1, tx: str | None = None) -> dict[str, Any]:
    m = {"seq": seq, "tx": tx or str(uuid.uuid4()), "op": op, "entity": entity, "id": row_id, "owner": owner,
         "base": base, "changes": changes, "hlc": HLC(int(time.time() * 1000), 0, node).encode(),
         "user": None, "schema": SCHEMA_VERSION}
    m["hash"] = digest(m)
    return m


def push_body(tree: Tree, server: str, mutations: list[dict], rows: list[dict] | None = None,
              protocol: int = PROTOCOL_VERSION) -> dict[str, Any]:
    return {"protocol": protocol, "schema": SCHEMA_VERSION, "epoch": tree.store(server).node()["epoch"],
            "mutations": mutations, "rows": rows or [], "backlog": 0}


def fingerprint(tree: Tree, server: str) -> tuple[str, int, int, list[tuple[str, int]]]:
    """Everything a push could change on a server: rows, change log, push log, node sequences."""
    store = tree.store(server)
    with store.read() as s:
        logs = int(s.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)
        pushes = int(s.scalar(select(func.count()).select_from(PushLog)) or 0)
        nodes = [(n.node_id, int(n.last_seq)) for n in s.scalars(select(SyncNode).order_by(SyncNode.node_id))]
    return export(store), logs, pushes, nodes


def ticket_row(tree: Tree, server: str, ticket_id: str) -> dict[str, Any]:
    with tree.store(server).read() as s:
        row = s.get(Ticket, ticket_id)
        assert row is not None
        return row_to_dict(row)


# -- write scope ----------------------------------------------------------------------------------------
def test_push_for_another_countys_row_is_403_and_writes_nothing(world: dict[str, Any]) -> None:
    tree, ft_ticket = world["tree"], world["tickets"]["ft"]
    before = fingerprint(tree, "gd")
    m = mutation(next_seq(tree, "gd", "lh_a"), "update", "tickets", ft_ticket["id"], FT,
                 {"title": [ft_ticket["title"], "被龙华改了"]}, node_id(tree, "lh_a"))
    status, body = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"), push_body(tree, "gd", [m]))
    assert status == 403 and body["error"]["reason"] == "scope", body
    assert FT in body["error"]["message"] and LH in body["error"]["message"]
    assert fingerprint(tree, "gd") == before
    # a batch with one bad mutation among good ones is refused whole
    good = mutation(m["seq"], "update", "tickets", world["tickets"]["lh_a"]["id"], LH,
                    {"description": ["", "合法修改"]}, node_id(tree, "lh_a"))
    bad = dict(m, seq=m["seq"] + 1)
    bad["hash"] = digest({k: v for k, v in bad.items() if k != "hash"})
    status, body = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"), push_body(tree, "gd", [good, bad]))
    assert status == 403 and fingerprint(tree, "gd") == before


def test_push_to_another_province_is_403(world: dict[str, Any]) -> None:
    tree, jj_ticket = world["tree"], world["tickets"]["jj"]
    before = fingerprint(tree, "gd")
    m = mutation(next_seq(tree, "gd", "lh_a"), "create", "tickets", str(uuid.uuid4()), JJ,
                 {"title": [None, "越省创建"]}, node_id(tree, "lh_a"))
    status, _ = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"), push_body(tree, "gd", [m]))
    assert status == 403 and fingerprint(tree, "gd") == before
    assert jj_ticket["title"] not in export(tree.provinces["gd"])


def test_forged_owner_path_is_rejected_without_touching_the_row(world: dict[str, Any]) -> None:
    """lh_a claims its own path for FT's ticket: in scope on paper, refused by the owner check."""
    tree, ft_ticket = world["tree"], world["tickets"]["ft"]
    row_before = ticket_row(tree, "gd", ft_ticket["id"])
    ft_view = export(tree.counties["ft"])
    seq = next_seq(tree, "gd", "lh_a")
    forged = [
        mutation(seq, "update", "tickets", ft_ticket["id"], LH, {"title": [ft_ticket["title"], "伪造"]},
                 node_id(tree, "lh_a")),
        mutation(seq + 1, "delete", "tickets", ft_ticket["id"], LH, {}, node_id(tree, "lh_a")),
        mutation(seq + 2, "create", "tickets", ft_ticket["id"], LH, {"title": [None, "抢占 id"]},
                 node_id(tree, "lh_a")),
    ]
    status, body = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"), push_body(tree, "gd", forged))
    assert status == 200, body
    assert [r["status"] for r in body["results"]] == ["rejected"] * 3
    assert all("owner mismatch" in r["reason"] and FT in r["reason"] for r in body["results"])
    assert ticket_row(tree, "gd", ft_ticket["id"]) == row_before  # no side effect on the row
    with tree.provinces["gd"].read() as s:
        records = s.scalars(select(Conflict).where(Conflict.row_id == ft_ticket["id"])).all()
        # the rejection is recorded in the forger's own scope, never in FT's
        assert len(records) == 3 and {c.owner_path for c in records} == {LH}
        assert {c.kind for c in records} == {"rejected"}
    settle(tree)
    assert export(tree.counties["ft"]) == ft_view  # FT sees nothing of it
    assert ticket_row(tree, "gd", ft_ticket["id"]) == row_before


@pytest.mark.parametrize("entity", ["users", "org_units", "conflicts"])
def test_a_county_cannot_write_server_only_entities(world: dict[str, Any], entity: str) -> None:
    tree = world["tree"]
    before = fingerprint(tree, "gd")
    m = mutation(next_seq(tree, "gd", "lh_a"), "create", entity, str(uuid.uuid4()), LH,
                 {"username": [None, "mallory"], "path": [None, "/HQ/GD/SZ/LH/X/"]}, node_id(tree, "lh_a"))
    status, body = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"), push_body(tree, "gd", [m]))
    assert status == 403 and body["error"]["reason"] == "scope" and entity in body["error"]["message"]
    assert fingerprint(tree, "gd") == before


def test_only_a_province_may_relay_rows_and_only_its_own(world: dict[str, Any]) -> None:
    tree = world["tree"]
    with tree.provinces["gd"].read() as s:
        row = row_to_dict(s.get(Ticket, world["tickets"]["lh_a"]["id"]))
    forged_row = dict(row, title="伪造的副本", version=row["version"] + 5)
    before = fingerprint(tree, "gd")
    status, _ = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"),
                     push_body(tree, "gd", [], rows=[{"e": "tickets", "d": forged_row}]))
    assert status == 403 and fingerprint(tree, "gd") == before
    # SC's relay account pushing GD's row to HQ
    hq_before = fingerprint(tree, "hq")
    status, _ = call(tree, "hq", "POST", PUSH, token(tree, "sc"),
                     push_body(tree, "hq", [], rows=[{"e": "tickets", "d": forged_row}]))
    assert status == 403 and fingerprint(tree, "hq") == hq_before


def test_replaying_another_nodes_batch_is_refused(world: dict[str, Any]) -> None:
    """Node lh_b (same county, same user) sends lh_a's exact recorded body with its own token.

    Decision: refused (403) with nothing written — the mutations are stamped with lh_a's node
    in their HLC. Accepting them as lh_b's would re-apply stale values with lh_b as author and
    would burn lh_b's sequence numbers (its own later pushes would then be 'changed payload')."""
    tree, acks = world["tree"], world["acks"]
    a_node = node_id(tree, "lh_a")
    bodies = [b for name, b, status, _ in acks.pushes if name == "lh_a" and status == 200 and b["mutations"]]
    assert bodies, "lh_a pushed at least once"
    replay = copy.deepcopy(bodies[-1])
    seq = next_seq(tree, "gd", "lh_b")
    # make the sequence numbers line up with what lh_b is expected to send next, so only the
    # origin of the mutations (not a gap) can stop it
    first = replay["mutations"][0]["seq"]
    for m in replay["mutations"]:
        m["seq"] = m["seq"] - first + seq
        m["hash"] = digest({k: v for k, v in m.items() if k != "hash"})
    replay["epoch"] = tree.provinces["gd"].node()["epoch"]
    before = fingerprint(tree, "gd")
    status, body = call(tree, "gd", "POST", PUSH, token(tree, "lh_b"), replay)
    assert status == 403 and body["error"]["reason"] == "foreign_mutation", body
    assert a_node in body["error"]["message"] or "another node" in body["error"]["message"]
    assert fingerprint(tree, "gd") == before
    # lh_b is not harmed: its own edits still go through
    me = actor(tree.counties["lh_b"], "lh_tech")
    with tree.counties["lh_b"].write(me.user_id) as cs:
        tickets.update_ticket(cs, me, world["tickets"]["lh_a"]["id"], {"category": "lh_b 的分类"})
    settle(tree)
    assert ticket_row(tree, "gd", world["tickets"]["lh_a"]["id"])["category"] == "lh_b 的分类"


def test_replaying_ones_own_batch_is_idempotent(world: dict[str, Any]) -> None:
    tree, acks = world["tree"], world["acks"]
    name, body, _, answer = next((n, b, s, a) for n, b, s, a in acks.pushes
                                 if n == "lh_a" and s == 200 and b["mutations"])
    before = fingerprint(tree, "gd")
    for _ in range(3):
        status, again = call(tree, "gd", "POST", PUSH, token(tree, name), dict(body, epoch=None))
        assert status == 200 and again["results"] == answer["results"]
    assert fingerprint(tree, "gd")[:3] == before[:3]


# -- read scope --------------------------------------------------------------------------------------------
def full_pull(tree: Tree, server: str, name: str) -> list[dict[str, Any]]:
    changes, cursor = [], None
    for _ in range(1000):
        params = {"limit": 7, "protocol": PROTOCOL_VERSION}
        if cursor:
            params["cursor"] = cursor
        status, page = call(tree, server, "GET", PULL, token(tree, name), params=params)
        assert status == 200 and not page.get("resync"), page
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return changes
    raise AssertionError("pull did not end")


@pytest.mark.parametrize(("name", "server", "kind", "path"), [
    ("lh_a", "gd", "client", LH), ("ft", "gd", "client", FT), ("jj", "sc", "client", JJ),
    ("gd", "hq", "province", "/HQ/GD/"), ("sc", "hq", "province", "/HQ/SC/")])
def test_pull_never_returns_rows_outside_scope(world: dict[str, Any], name: str, server: str, kind: str,
                                                path: str) -> None:
    tree = world["tree"]
    changes = full_pull(tree, server, name)
    assert changes
    outside = [(c["e"], c["d"]["owner_path"]) for c in changes
               if not can_read(kind, path, c["e"], c["d"]["owner_path"])]
    assert outside == []
    # …and it is complete: every row of the server in that scope came (latest version of each)
    got = {(c["e"], c["d"]["id"]): c["d"]["version"] for c in changes}
    expected = [line for line in export(tree.store(server), lambda e, r: can_read(kind, path, e, r.owner_path)
                                        and (kind == "client" or authority_of(r.owner_path) != path)).splitlines()]
    assert len({k for k in got}) == len(expected)
    others = {t["title"] for n, t in world["tickets"].items() if n != name}
    assert not any(c["e"] == "tickets" and c["d"]["title"] in others for c in changes)
    if kind == "client":
        mine = {"lh_a": "龙华的单", "ft": "福田的单", "jj": "锦江的单"}[name]
        assert any(c["e"] == "tickets" and c["d"]["title"] == mine for c in changes)


# -- authentication and versions -----------------------------------------------------------------------------
@pytest.fixture
def lh_c_node(world: dict[str, Any]) -> Iterator[tuple[Tree, str]]:
    """lh_c's registration at GD, restored afterwards (tests here revoke or expire it)."""
    tree = world["tree"]
    nid = node_id(tree, "lh_c")
    with tree.provinces["gd"].read() as s:
        node = s.get(SyncNode, nid)
        saved = (node.revoked_at, node.expires_at)
    yield tree, nid
    with tree.provinces["gd"].write() as cs:
        node = cs.session.get(SyncNode, nid)
        node.revoked_at, node.expires_at = saved


def _set_node(tree: Tree, nid: str, **values: Any) -> None:
    with tree.provinces["gd"].write() as cs:
        node = cs.session.get(SyncNode, nid)
        for k, v in values.items():
            setattr(node, k, v)


def test_revoked_token_is_401_with_a_clear_message(lh_c_node: tuple[Tree, str]) -> None:
    tree, nid = lh_c_node
    tok = token(tree, "lh_c")
    assert call(tree, "gd", "GET", PULL, tok, params={"protocol": 1})[0] == 200
    _set_node(tree, nid, revoked_at=utcnow())
    before = fingerprint(tree, "gd")
    for method, path, body in (("GET", PULL, None), ("POST", PUSH, push_body(tree, "gd", []))):
        status, answer = call(tree, "gd", method, path, tok, body, {"protocol": 1})
        assert status == 401 and answer["error"]["reason"] == "revoked"
        assert "revoked" in answer["error"]["message"]
    assert fingerprint(tree, "gd")[:3] == before[:3]
    from shared.sync.client import AuthRequired

    with pytest.raises(AuthRequired, match="revoked"):
        tree.sync("lh_c")


def test_expired_token_is_401(lh_c_node: tuple[Tree, str]) -> None:
    tree, nid = lh_c_node
    _set_node(tree, nid, expires_at=utcnow() - timedelta(minutes=1))
    status, answer = call(tree, "gd", "GET", PULL, token(tree, "lh_c"), params={"protocol": 1})
    assert status == 401 and answer["error"]["reason"] == "expired" and "expired" in answer["error"]["message"]


def test_unknown_or_missing_token_is_401(world: dict[str, Any]) -> None:
    tree = world["tree"]
    assert call(tree, "gd", "GET", PULL, "not-a-token", params={})[1]["error"]["reason"] == "bad_token"
    assert call(tree, "gd", "GET", PULL, None, params={})[1]["error"]["reason"] == "no_token"
    # a token of another server is unknown here
    assert call(tree, "sc", "GET", PULL, token(tree, "lh_a"), params={})[0] == 401


def test_protocol_99_gets_a_426_upgrade_message(world: dict[str, Any]) -> None:
    tree = world["tree"]
    before = fingerprint(tree, "gd")
    status, body = call(tree, "gd", "POST", PUSH, token(tree, "lh_a"), push_body(tree, "gd", [], protocol=99))
    assert status == 426 and body["error"]["reason"] == "upgrade" and "upgrade" in body["error"]["message"]
    status, body = call(tree, "gd", "POST", "/api/v1/auth/login", None,
                        {"username": "lh_tech", "password": "x", "node_id": str(uuid.uuid4()), "protocol": 99})
    assert status == 426 and "upgrade" in body["error"]["message"]
    status, body = call(tree, "gd", "GET", PULL, token(tree, "lh_a"), params={"protocol": 99})
    assert status == 426 and "upgrade" in body["error"]["message"]
    assert fingerprint(tree, "gd")[:3] == before[:3]
