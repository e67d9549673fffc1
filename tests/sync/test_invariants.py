"""The sync invariants of design/sync.md, proven on whole trees (HQ, GD and SC, county stores)
talking through the real endpoint code: a seeded Hypothesis state machine with a
fault-injecting transport, plus deterministic tests for the invariants a random walk cannot
pin down (order independence, clock skew, bytes per drop, restore, older client).

Every tree is a copy of one signed-in tree (tests.sync.faults.tree_snapshot): GD/SZ/{LH,FT}
and SC/CD/{JJ,WH}; county stores lh_a, lh_b, lh_c (three PCs of LH, one user), ft, jj, wh.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import functools
import itertools
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import func, select, update

import shared.sync.client as sync_client
from shared.models import (
    SYNCED,
    ChangeLogEntry,
    CIRelation,
    ConfigItem,
    Conflict,
    OutboxEntry,
    PushLog,
    SyncNode,
    SyncPeer,
    Ticket,
    TicketEntry,
    entity_class,
)
from shared.processes.engine import priority_for, process
from shared.services import cmdb, tickets
from shared.services.actor import Actor
from shared.services.errors import ServiceError
from shared.store import Store, store_url
from shared.sync.apply import local_digest
from shared.sync.client import SyncFailed
from shared.sync.codec import digest, get_field, row_to_dict
from shared.sync.node import authority_of
from shared.sync.scope import can_read
from shared.sync.server import bump_epoch, scope_digest
from shared.sync.transport import Response, TransportError
from shared.version import PROTOCOL_VERSION, SCHEMA_VERSION
from tests.sync.faults import (
    HOUR_MS,
    LOSE_RESPONSE,
    PROVINCE_PATH,
    AckLog,
    Faults,
    SkewClock,
    clone_tree,
    close_tree,
    cursor,
    open_tree,
    replace_store,
    scratch_dir,
    scratch_root,
    seeded_uuids,
    settle,
    skew_store,
    unacked,
)
from tests.sync.tree import Tree, actor, export

USERS = {"lh_a": "lh_tech", "lh_b": "lh_tech", "lh_c": "lh_tech", "ft": "ft_tech", "jj": "jj_tech",
         "wh": "wh_tech"}
PUSH, PULL = "/api/v1/sync/push", "/api/v1/sync/pull"


# =====================================================================================================
# checks shared by the state machine and the deterministic tests
# =====================================================================================================
def org_of(store: Store) -> str:
    return store.node()["org_path"]


def diff(left: str, right: str, limit: int = 6) -> str:
    a, b = set(left.splitlines()), set(right.splitlines())
    only_l = sorted(a - b)[:limit]
    only_r = sorted(b - a)[:limit]
    return "\n  only left:  " + "\n  only left:  ".join(x[:300] for x in only_l) + \
        "\n  only right: " + "\n  only right: ".join(x[:300] for x in only_r)


def check_convergence(tree: Tree, hq: bool = True) -> None:
    """Invariant 1: same-county stores identical; each county == its province's rows in its
    scope (tombstones included); digests match; HQ == exactly the union of the provinces'
    authority rows; each province holds HQ's rows of its read scope."""
    by_org: dict[str, list[str]] = defaultdict(list)
    for name, store in tree.counties.items():
        path = org_of(store)
        by_org[path].append(name)
        province = tree.provinces[tree.upstream_of[name]]
        mine = export(store)
        theirs = export(province, lambda e, r, p=path: can_read("client", p, e, r.owner_path))
        assert mine == theirs, f"{name} differs from its province in scope {path}:{diff(mine, theirs)}"
        with store.read() as s:
            local = local_digest(s)
        with province.read() as s:
            remote = scope_digest(s, "client", path)
        assert local == remote, f"{name}: digest mismatch {local} != {remote}"
    for names in by_org.values():
        exports = {export(tree.counties[n]) for n in names}
        assert len(exports) == 1, f"stores of one county differ: {names}"
    if hq:
        check_hq(tree)


def check_hq(tree: Tree) -> None:
    hq_rows = export(tree.hq).splitlines()
    authorities = {"/HQ/", *PROVINCE_PATH.values()}
    with tree.hq.read() as s:
        for cls in SYNCED.values():
            stray = s.scalars(select(cls.owner_path)).all()
            assert all(authority_of(p) in authorities for p in stray), "HQ holds rows of no authority"
    union = 0
    for pname, pstore in tree.provinces.items():
        pp = PROVINCE_PATH[pname]
        own_p = export(pstore, lambda e, r, pp=pp: authority_of(r.owner_path) == pp)
        own_hq = export(tree.hq, lambda e, r, pp=pp: authority_of(r.owner_path) == pp)
        assert own_p == own_hq, f"HQ's copy of {pname} differs:{diff(own_p, own_hq)}"
        union += len(own_p.splitlines()) if own_p else 0
        shared_p = export(pstore, lambda e, r, pp=pp: authority_of(r.owner_path) != pp)
        shared_hq = export(tree.hq, lambda e, r, pp=pp: can_read("province", pp, e, r.owner_path))
        assert shared_p == shared_hq, f"{pname}'s copy of HQ's rows differs:{diff(shared_p, shared_hq)}"
    hq_own = export(tree.hq, lambda e, r: authority_of(r.owner_path) == "/HQ/")
    assert len(hq_rows) == union + len(hq_own.splitlines()), "HQ holds more than the union"


def check_outboxes_empty(tree: Tree) -> None:
    for name in [*tree.counties, *tree.provinces, "hq"]:
        assert unacked(tree.store(name)) == 0, f"{name} still has unacknowledged outbox entries"


def check_scope(tree: Tree, names: list[str] | None = None) -> None:
    """Invariant 6: a county store holds nothing outside its read scope."""
    for name in names or list(tree.counties):
        store = tree.counties[name]
        path = org_of(store)
        with store.read() as s:
            for entity, cls in SYNCED.items():
                for owner, in s.execute(select(cls.owner_path).distinct()):
                    assert can_read("client", path, entity, owner), f"{name} holds {entity} of {owner}"


def check_read_your_writes(store: Store, name: str) -> None:
    """Invariant 8 (read-your-writes): every edit still waiting in the outbox is what the local
    store shows, whatever was pulled since (pending edits are rebased, never overwritten)."""
    with store.read() as s:
        fields: dict[tuple[str, str, str], Any] = {}
        tombstone: dict[tuple[str, str], bool] = {}
        for e in s.scalars(select(OutboxEntry).where(OutboxEntry.acked.is_(False)).order_by(OutboxEntry.seq)):
            for f, (_old, new) in (e.changes or {}).items():
                fields[(e.entity, e.row_id, f)] = new
            if e.op in ("delete", "unlink", "restore", "link"):
                tombstone[(e.entity, e.row_id)] = e.op in ("delete", "unlink")
        for (entity, rid, f), new in fields.items():
            row = s.get(entity_class(entity), rid)
            assert row is not None, f"{name}: its own pending {entity} {rid} is gone"
            assert get_field(row_to_dict(row), f) == new, \
                f"{name}: pending {entity}.{f}={new!r} not visible (shows {get_field(row_to_dict(row), f)!r})"
        for (entity, rid), deleted in tombstone.items():
            assert bool(s.get(entity_class(entity), rid).deleted) == deleted, f"{name}: pending delete/restore lost"


def check_transaction_groups(tree: Tree) -> None:
    """Invariant 9: a ticket and its 'created' history entry (one transaction) are both present
    or both absent on every replica."""
    for name in ["hq", *tree.provinces, *tree.counties]:
        with tree.store(name).read() as s:
            ticket_ids = set(s.scalars(select(Ticket.id)))
            created = set(s.scalars(select(TicketEntry.ticket_id).where(
                TicketEntry.kind == "history", TicketEntry.body == "created")))
        assert ticket_ids == created, (f"{name}: tickets without their creation entry "
                                       f"{sorted(ticket_ids - created)[:3]}, entries without their ticket "
                                       f"{sorted(created - ticket_ids)[:3]}")


def check_unique_numbers(tree: Tree) -> None:
    """Invariant 3: retried creates make one record each."""
    for name in ["hq", *tree.provinces, *tree.counties]:
        with tree.store(name).read() as s:
            dupes = s.execute(select(Ticket.number, func.count()).group_by(Ticket.number)
                              .having(func.count() > 1)).all()
        assert not dupes, f"{name}: duplicated tickets {dupes}"


def province_of(tree: Tree, store_name: str) -> Store:
    return tree.provinces[tree.upstream_of[store_name]]


# fields the merge authority recomputes from others after a merge, and how
DERIVE = {("tickets", "priority"): lambda v: priority_for(v["impact"], v["urgency"])}


def check_acknowledged(tree: Tree, acks: AckLog, allow_rejected: bool = False) -> None:
    """Invariant 2: every mutation a client was told is stored is current at its authority,
    superseded by a later acknowledged change of that field, or kept in a conflict record."""
    by_row: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for a in acks.acked.values():
        by_row[(a.mutation["entity"], a.mutation["id"])].append(a)
    problems: list[str] = []
    for a in acks.acked.values():
        m, r = a.mutation, a.result
        where = f"{a.store} seq {m['seq']} {m['op']} {m['entity']} {m['id'][:8]}"
        with province_of(tree, a.store).read() as s:
            records = [s.get(Conflict, cid) for cid in r.get("conflicts", [])]
            if any(c is None for c in records):
                problems.append(f"{where}: a conflict record it was told about is gone")
                continue
            if r["status"] == "rejected":
                if not allow_rejected:
                    problems.append(f"{where}: rejected ({r.get('reason')})")
                elif not any(c.kind == "rejected" for c in records):
                    problems.append(f"{where}: rejected without a record")
                continue
            row = s.get(entity_class(m["entity"]), m["id"])
            if row is None:
                problems.append(f"{where}: acknowledged but the row is missing")
                continue
            version = int(r["version"])
            later = [b for b in by_row[(m["entity"], m["id"])] if int(b.result["version"]) > version]
            if m["op"] == "update":
                values = row_to_dict(row)
                for f, (_old, new) in m["changes"].items():
                    current = get_field(values, f)
                    if current == new:
                        continue
                    # a derived field is recomputed by the authority from its sources, whose own
                    # values this same mutation carries (and this loop checks): it must be right
                    if (m["entity"], f) in DERIVE and current == DERIVE[(m["entity"], f)](values):
                        continue
                    if any(c.kind in ("field", "illegal_transition") and c.field == f
                           and (c.client_value or {}).get("v") == new for c in records):
                        continue
                    if any(c.kind == "update_vs_delete" and ((c.client_value or {}).get("v") or {}).get(f) == new
                           for c in records):
                        continue
                    fv = (row.field_versions or {}).get(f)
                    if fv and fv[0] > version and any(
                            int(b.result["version"]) == fv[0] and b.node_id == fv[1]
                            and f in b.mutation["changes"] and b.mutation["changes"][f][1] == current
                            for b in later):
                        continue  # superseded by a later acknowledged change of f (which is current)
                    problems.append(f"{where}: {f}={new!r} lost (now {current!r}, field version {fv}, "
                                    f"result {r})")
            elif m["op"] in ("delete", "unlink"):
                back = "restore" if m["op"] == "delete" else "link"
                if not row.deleted and not any(b.mutation["op"] == back for b in later):
                    problems.append(f"{where}: deleted row is live with no later {back}")
            elif m["op"] in ("restore", "link"):
                gone = ("delete", "unlink")
                if row.deleted and not any(b.mutation["op"] in gone for b in later):
                    problems.append(f"{where}: restored row is deleted with no later delete")
    assert not problems, "acknowledged writes lost:\n  " + "\n  ".join(problems[:12])


def check_no_resurrection(tree: Tree, acks: AckLog) -> None:
    """Invariant 5: a row goes from deleted to live at its authority only by an explicit
    restore (or re-link of an edge) that some client was told about, at exactly that version."""
    explicit: dict[tuple[str, str], list[int]] = defaultdict(list)
    for a in acks.acked.values():
        if a.mutation["op"] in ("restore", "link"):
            explicit[(a.mutation["entity"], a.mutation["id"])].append(int(a.result["version"]))
    for pname, store in tree.provinces.items():
        with store.read() as s:
            log = s.execute(select(ChangeLogEntry.entity, ChangeLogEntry.row_id, ChangeLogEntry.version,
                                   ChangeLogEntry.deleted)
                            .where(ChangeLogEntry.owner_path.startswith(PROVINCE_PATH[pname]))
                            .order_by(ChangeLogEntry.entity, ChangeLogEntry.row_id, ChangeLogEntry.version)).all()
        for (entity, row_id), versions in itertools.groupby(log, key=lambda x: (x[0], x[1])):
            was_deleted, last = False, 0
            for _e, _r, version, deleted in versions:
                # one logged version per row and server transaction: the restore is at most it
                if was_deleted and not deleted:
                    assert any(last < v <= version for v in explicit[(entity, row_id)]), \
                        f"{pname}: {entity} {row_id} came back at v{version} without a restore"
                was_deleted, last = deleted, version


def check_all(tree: Tree, acks: AckLog, allow_rejected: bool = False) -> None:
    check_outboxes_empty(tree)
    check_convergence(tree)
    check_scope(tree)
    check_transaction_groups(tree)
    check_unique_numbers(tree)
    check_acknowledged(tree, acks, allow_rejected)
    check_no_resurrection(tree, acks)


# =====================================================================================================
# fixtures and helpers for the deterministic tests
# =====================================================================================================
@pytest.fixture
def fast_tmp() -> Iterator[Path]:
    """Like tmp_path, but RAM-backed where possible (SQLite's fsyncs dominate otherwise)."""
    with scratch_dir() as path:
        yield path


@pytest.fixture
def tree(fast_tmp: Path) -> Iterator[Tree]:
    t = clone_tree(fast_tmp / "tree")
    yield t
    close_tree(t)


def record(tree: Tree, faults: Faults | None = None, keep: dict[str, Any] | None = None) -> AckLog:
    """Route the tree's transports through (optional) faults and an acknowledgement log.
    ``keep``: one persistent transport per store, so byte counters accumulate."""
    acks = AckLog()
    ids = {name: tree.store(name).node()["node_id"] for name in [*tree.counties, *tree.provinces]}

    def wrap(t: Any, name: str) -> Any:
        if keep is not None:
            t = keep.setdefault(name, t)
        if faults is not None:
            t = faults.wrap(t, name)
        return acks.wrap(t, name, ids[name])

    tree.wrap = wrap
    return acks


def me(tree: Tree, name: str) -> Any:
    return actor(tree.store(name), USERS[name])


def new_ticket(tree: Tree, name: str, title: str, **fields: Any) -> dict[str, Any]:
    who = me(tree, name)
    with tree.store(name).write(who.user_id) as cs:
        return tickets.create_ticket(cs, who, "incident", title, fields)


def edit(tree: Tree, name: str, ticket_id: str, **fields: Any) -> None:
    who = me(tree, name)
    with tree.store(name).write(who.user_id) as cs:
        tickets.update_ticket(cs, who, ticket_id, fields)


def sync_until_done(tree: Tree, name: str, attempts: int = 40) -> int:
    for n in range(1, attempts + 1):
        try:
            tree.sync(name)
            return n
        except SyncFailed:
            continue
    raise AssertionError(f"{name} never finished syncing")


def token(tree: Tree, name: str) -> str:
    with tree.store(name).read() as s:
        peer = s.get(SyncPeer, "upstream")
        assert peer is not None
        return peer.token


def row_of(store: Store, cls: type, row_id: str) -> dict[str, Any] | None:
    with store.read() as s:
        row = s.get(cls, row_id)
        return row_to_dict(row) if row is not None else None


def fingerprint(store: Store) -> tuple[str, int, int, list[tuple[str, int]]]:
    with store.read() as s:
        logs = int(s.scalar(select(func.count()).select_from(ChangeLogEntry)) or 0)
        pushes = int(s.scalar(select(func.count()).select_from(PushLog)) or 0)
        nodes = [(n.node_id, int(n.last_seq)) for n in s.scalars(select(SyncNode).order_by(SyncNode.node_id))]
    return export(store), logs, pushes, nodes


def hard_conflicts(store: Store, row_id: str | None = None) -> set[tuple[str, str, str]]:
    """(kind, field, losing value) of every HARD conflict (field or illegal transition)."""
    out = set()
    with store.read() as s:
        stmt = select(Conflict).where(Conflict.kind.in_(("field", "illegal_transition")))
        if row_id:
            stmt = stmt.where(Conflict.row_id == row_id)
        for c in s.scalars(stmt):
            client_won = c.reason.startswith("client")
            loser = (c.server_value if client_won else c.client_value).get("v")
            out.add((c.kind, c.field, repr(loser)))
    return out


def snapshot_dir(tree: Tree, dest: Path) -> Path:
    """Close the tree and copy its folder (a consistent copy of every database)."""
    close_tree(tree)
    shutil.copytree(tree.root, dest)
    return dest


# =====================================================================================================
# invariants 3 and 4: idempotent retries, no gap, no changed payload
# =====================================================================================================
def test_create_retried_after_lost_responses_makes_one_record(tree: Tree) -> None:
    faults = Faults(enabled=False)
    acks = record(tree, faults)
    t = new_ticket(tree, "lh_a", "重试创建")
    faults.force([1, 2, 3, 4], LOSE_RESPONSE)  # the first four pushes commit, the client never hears
    assert sync_until_done(tree, "lh_a") == 5
    for _ in range(2):  # and a delivered-twice push
        faults.force([faults.calls + 1], "duplicate")
        tree.sync("lh_a")
    settle(tree)
    with tree.provinces["gd"].read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket).where(Ticket.number == t["number"])) == 1
        assert s.scalar(select(func.count()).select_from(TicketEntry).where(TicketEntry.ticket_id == t["id"])) == 1
        node = s.get(SyncNode, tree.counties["lh_a"].node()["node_id"])
        assert node.last_seq == 2  # ticket + history entry, once
    pushes = [b for n, b, status, _ in acks.pushes if n == "lh_a" and b["mutations"]]
    assert len(pushes) == 1 and [m["seq"] for m in pushes[0]["mutations"]] == [1, 2]
    check_all(tree, acks)


def test_replaying_a_batch_any_number_of_times_changes_nothing(tree: Tree) -> None:
    acks = record(tree)
    t = new_ticket(tree, "lh_a", "回放")
    edit(tree, "lh_a", t["id"], title="回放(改)")
    settle(tree)
    body = next(b for n, b, s, _ in acks.pushes if n == "lh_a" and b["mutations"])
    answer = next(a for n, b, s, a in acks.pushes if n == "lh_a" and b["mutations"])
    before = fingerprint(tree.provinces["gd"])
    for _ in range(5):
        status, again = tree.endpoints["gd"].dispatch("POST", PUSH, copy.deepcopy(body), None, token(tree, "lh_a"))
        assert status == 200 and again["results"] == answer["results"]
    assert fingerprint(tree.provinces["gd"])[:3] == before[:3]
    assert row_of(tree.provinces["gd"], Ticket, t["id"])["title"] == "回放(改)"


def test_changed_payload_and_gaps_are_refused(tree: Tree) -> None:
    """Invariant 4: a seen sequence number with another payload → 409 changed_payload; a
    skipped number → 409 gap with the expected number; a wrong hash → 400. Nothing written."""
    acks = record(tree)
    t = new_ticket(tree, "lh_a", "原始标题")
    settle(tree)
    body = next(b for n, b, s, _ in acks.pushes if n == "lh_a" and b["mutations"])
    province = tree.provinces["gd"]
    before = fingerprint(province)
    tok = token(tree, "lh_a")

    changed = copy.deepcopy(body)
    m = changed["mutations"][0]
    m["changes"]["title"] = [None, "篡改的标题"]
    m["hash"] = digest({k: v for k, v in m.items() if k != "hash"})
    status, answer = tree.endpoints["gd"].dispatch("POST", PUSH, changed, None, tok)
    assert (status, answer["error"]["reason"], answer["error"]["seq"]) == (409, "changed_payload", m["seq"])

    bad_hash = copy.deepcopy(body)
    bad_hash["mutations"][0]["changes"]["title"] = [None, "哈希不对"]
    status, answer = tree.endpoints["gd"].dispatch("POST", PUSH, bad_hash, None, tok)
    assert (status, answer["error"]["reason"]) == (400, "bad_hash")

    with province.read() as s:
        last = s.get(SyncNode, tree.counties["lh_a"].node()["node_id"]).last_seq
    gap = copy.deepcopy(body)
    for mm in gap["mutations"]:
        mm["seq"] += last + 1  # skips last+1 … 2·last+1
        mm["hash"] = digest({k: v for k, v in mm.items() if k != "hash"})
    status, answer = tree.endpoints["gd"].dispatch("POST", PUSH, gap, None, tok)
    assert (status, answer["error"]["reason"], answer["error"]["expected"]) == (409, "gap", last + 1)

    assert fingerprint(province) == before
    assert row_of(province, Ticket, t["id"])["title"] == "原始标题"
    # the real client is unaffected
    edit(tree, "lh_a", t["id"], title="之后的修改")
    settle(tree)
    assert row_of(province, Ticket, t["id"])["title"] == "之后的修改"


# =====================================================================================================
# invariant 9: a transaction group is applied and seen all or nothing
# =====================================================================================================
def test_a_transaction_larger_than_a_push_batch_stays_whole(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ticket with a pasted 300 KB log and its 'created' history entry are one transaction:
    they must reach the server in one request, never as two server transactions a reader (or
    a lost request) could split."""
    faults = Faults(enabled=False)
    acks = record(tree, faults)
    big = new_ticket(tree, "lh_a", "日志很长", description="ERROR 打印服务崩溃 0x0000007b\n" * 12000)
    assert len(big["description"].encode()) > sync_client.PUSH_BATCH_BYTES
    faults.force([faults.calls + 2], "lose_request")  # if it took two pushes, the second is lost
    with contextlib.suppress(SyncFailed):
        tree.sync("lh_a")
    check_transaction_groups(tree)
    pushes = [b for n, b, s, _ in acks.pushes if n == "lh_a" and b["mutations"]]
    assert [len(b["mutations"]) for b in pushes] == [2]
    # many small transactions still make bounded batches, split only between transactions
    monkeypatch.setattr(sync_client, "PUSH_BATCH_BYTES", 4000)
    for i in range(12):
        new_ticket(tree, "lh_b", f"小单 {i}")
    tree.sync("lh_b")
    batches = [b["mutations"] for n, b, s, _ in acks.pushes if n == "lh_b" and b["mutations"]]
    assert len(batches) > 2 and all(len({m["tx"] for m in b}) * 2 == len(b) for b in batches)
    settle(tree)
    check_all(tree, acks)


@pytest.mark.xfail(strict=True, reason="known gap: a digest repair deletes an entity's rows in one transaction "
                                       "and re-pulls them page by page; a drop in between leaves ticket entries "
                                       "without their tickets until the next sync")
def test_a_digest_repair_interrupted_by_a_drop_keeps_transaction_groups(tree: Tree) -> None:
    for i in range(3):
        new_ticket(tree, "lh_a", f"修复 {i}")
    settle(tree)
    with tree.counties["lh_b"].write() as cs:  # a damaged local copy: the digest will differ
        cs.session.execute(update(Ticket).where(Ticket.title == "修复 0").values(version=99))

    class DropRepair:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def call(self, method: str, path: str, body: Any = None, params: Any = None, token: Any = None) -> Response:
            resp = self.inner.call(method, path, body=body, params=params, token=token)
            if (params or {}).get("entity"):
                raise TransportError("the link dropped during the repair")
            return resp

    tree.wrap = lambda t, name: DropRepair(t)
    with contextlib.suppress(SyncFailed):
        tree.sync("lh_b")
    check_transaction_groups(tree)


# =====================================================================================================
# invariant 11: different fields, same field, same value
# =====================================================================================================
def test_field_level_conflicts(tree: Tree) -> None:
    acks = record(tree)
    t = new_ticket(tree, "lh_a", "字段冲突")
    settle(tree)
    gd = tree.provinces["gd"]
    # different fields: both survive, no HARD conflict
    edit(tree, "lh_a", t["id"], title="A 的标题")
    edit(tree, "lh_b", t["id"], description="B 的描述")
    settle(tree)
    row = row_of(gd, Ticket, t["id"])
    assert (row["title"], row["description"]) == ("A 的标题", "B 的描述")
    assert hard_conflicts(gd, t["id"]) == set()
    # the same value on both: nothing
    edit(tree, "lh_a", t["id"], category="网络")
    edit(tree, "lh_b", t["id"], category="网络")
    settle(tree)
    assert row_of(gd, Ticket, t["id"])["category"] == "网络" and hard_conflicts(gd, t["id"]) == set()
    # different values on one field: exactly one HARD conflict, winner by content hash
    edit(tree, "lh_a", t["id"], category="硬件")
    edit(tree, "lh_b", t["id"], category="软件")
    settle(tree)
    winner = max(("硬件", "软件"), key=digest)
    loser = ({"硬件", "软件"} - {winner}).pop()
    assert row_of(gd, Ticket, t["id"])["category"] == winner
    assert hard_conflicts(gd, t["id"]) == {("field", "category", repr(loser))}
    with gd.read() as s:
        assert s.scalar(select(func.count()).select_from(Conflict).where(
            Conflict.row_id == t["id"], Conflict.kind == "field")) == 1
    check_all(tree, acks)


# =====================================================================================================
# invariant 10: the same concurrent mutations in any order and batching
# =====================================================================================================
def test_order_and_batching_independence(fast_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three PCs of LH edit the same fields of one ticket from one base; every order of their
    syncs (6) × two batchings gives the same row and the same set of (field, losing value)."""
    base = clone_tree(fast_tmp / "base")
    t = new_ticket(base, "lh_a", "同一张单", impact=3, urgency=3)
    settle(base)
    edits = {
        "lh_a": [dict(title="甲的标题"), dict(assignee_id="user-a"), dict(impact=1), dict(pending_note="甲")],
        "lh_b": [dict(title="乙的标题"), dict(assignee_id="user-b"), dict(category="网络")],
        "lh_c": [dict(title="丙的标题"), dict(category="硬件"), dict(impact=2), dict(description="丙说"),
                 dict(pending_note="丙")],
    }
    for name, steps in edits.items():
        for fields in steps:
            edit(base, name, t["id"], **fields)
    offline = snapshot_dir(base, fast_tmp / "offline")
    outcomes = {}
    for batch_bytes in (sync_client.PUSH_BATCH_BYTES, 1):
        monkeypatch.setattr(sync_client, "PUSH_BATCH_BYTES", batch_bytes)
        for order in itertools.permutations(("lh_a", "lh_b", "lh_c")):
            run = fast_tmp / f"run-{batch_bytes}-{'-'.join(order)}"
            shutil.copytree(offline, run)
            tr = open_tree(run, counties=("lh_a", "lh_b", "lh_c"))
            acks = record(tr)
            for name in order:
                tr.sync(name)
            settle(tr)
            row = row_of(tr.provinces["gd"], Ticket, t["id"])
            state = {k: v for k, v in row.items() if k not in ("version", "field_versions", "hlc", "updated_at",
                                                                 "updated_by")}
            outcomes[(batch_bytes, order)] = (digest(state), frozenset(hard_conflicts(tr.provinces["gd"], t["id"])))
            check_all(tr, acks)
            close_tree(tr)
    distinct = set(outcomes.values())
    assert len(distinct) == 1, outcomes
    (_, conflicts), = distinct
    # title: three values, two losers; assignee, category, impact, data.pending_note: one loser each
    assert sorted(f for _, f, _ in conflicts) == ["assignee_id", "category", "data.pending_note", "impact",
                                                  "title", "title"]


def two_orders(fast_tmp: Path, prepare: Any, edits: dict[str, Any]) -> list[dict[str, Any]]:
    """Run the same offline edits of lh_a and lh_b synced in both orders; the ticket rows."""
    base = clone_tree(fast_tmp / "two-base", counties=("lh_a", "lh_b"))
    t = prepare(base)
    settle(base)
    for name, fn in edits.items():
        fn(base, name, t["id"])
    offline = snapshot_dir(base, fast_tmp / "two-offline")
    rows = []
    for order in (("lh_a", "lh_b"), ("lh_b", "lh_a")):
        tr = clone_tree(fast_tmp / f"two-{'-'.join(order)}", counties=("lh_a", "lh_b"), source=offline)
        for name in order:
            tr.sync(name)
        settle(tr)
        rows.append(row_of(tr.provinces["gd"], Ticket, t["id"]))
        close_tree(tr)
    return rows


@pytest.mark.xfail(strict=True, reason="known gap: the state_machine policy checks a transition against the "
                                       "server state at arrival, so the final state depends on arrival order")
def test_concurrent_transitions_are_order_independent(fast_tmp: Path) -> None:
    def a(tr: Tree, name: str, tid: str) -> None:  # accept, then put on hold
        who = me(tr, name)
        with tr.store(name).write(who.user_id) as cs:
            tickets.transition(cs, who, tid, "accept")
        with tr.store(name).write(who.user_id) as cs:
            tickets.transition(cs, who, tid, "pend", {"pending_reason": "等备件"})

    def b(tr: Tree, name: str, tid: str) -> None:  # dispatch to tier 2
        who = me(tr, name)
        with tr.store(name).write(who.user_id) as cs:
            tickets.transition(cs, who, tid, "dispatch", {"team_id": "team-2"})

    ab, ba = two_orders(fast_tmp, lambda tr: new_ticket(tr, "lh_a", "并发流转"), {"lh_a": a, "lh_b": b})
    assert ab["state"] == ba["state"], (ab["state"], ba["state"])  # line2 one way, pending the other


def test_merged_priority_still_follows_impact_and_urgency(fast_tmp: Path) -> None:
    # A raises impact to 1 (priority P4 → P3); B sets impact to a value that keeps P4 and whose
    # content hash beats 1, so B's impact wins the conflict while A's priority stands
    y = next(v for v in (2, 3) if digest(v) > digest(1))
    rows = two_orders(fast_tmp, lambda tr: new_ticket(tr, "lh_a", "优先级", impact=3, urgency=3), {
        "lh_a": lambda tr, name, tid: edit(tr, name, tid, impact=1),
        "lh_b": lambda tr, name, tid: edit(tr, name, tid, impact=y)})
    for row in rows:
        assert row["priority"] == priority_for(row["impact"], row["urgency"]), row


# =====================================================================================================
# invariant 12: clocks hours off or jumping back change nothing
# =====================================================================================================
# wall-clock readings: they differ between two runs of the same scenario ("at" is an event time in history data)
VOLATILE = {"hlc", "updated_at", "created_at", "opened_at", "resolved_at", "closed_at", "expires_at", "at"}


def strip_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def stable_export(store: Store) -> list[Any]:
    out = []
    with store.read() as s:
        for name, cls in SYNCED.items():
            if name == "audit_events":  # wall-clock times and random ids: they differ between two runs
                continue
            for row in s.scalars(select(cls).order_by(cls.id)):
                if row.version:
                    out.append((name, strip_volatile(row_to_dict(row))))
    return out


def scripted_scenario(tree: Tree, clocks: dict[str, SkewClock]) -> None:
    """Creates, concurrent edits, delete vs edit, duplicate asset tags, a transition race —
    with clock changes in the middle."""
    a = new_ticket(tree, "lh_a", "时钟一")
    b = new_ticket(tree, "lh_b", "时钟二")
    settle(tree)
    edit(tree, "lh_a", a["id"], title="A 的时钟一", category="硬件")
    edit(tree, "lh_b", a["id"], title="B 的时钟一", description="B")
    clocks["lh_a"].jump(-2 * HOUR_MS)  # A's clock jumps back
    edit(tree, "lh_a", b["id"], description="A 改 二")
    who = me(tree, "lh_b")
    with tree.store("lh_b").write(who.user_id) as cs:
        tickets.delete_ticket(cs, who, b["id"])
        cmdb.create_ci(cs, who, "终端", "PC-B", {"asset_tag": "GD-0001"})
    who = me(tree, "lh_a")
    with tree.store("lh_a").write(who.user_id) as cs:
        cmdb.create_ci(cs, who, "终端", "PC-A", {"asset_tag": "GD-0001"})
        tickets.transition(cs, who, a["id"], "accept")
    who = me(tree, "lh_b")
    with tree.store("lh_b").write(who.user_id) as cs:
        tickets.transition(cs, who, a["id"], "dispatch", {"team_id": "team-2"})
    tree.sync("lh_b")
    tree.sync("lh_a")
    clocks["gd"].jump(-3 * HOUR_MS)
    edit(tree, "ft", new_ticket(tree, "ft", "福田")["id"], category="软件")
    settle(tree)
    edit(tree, "lh_a", a["id"], assignee_id="user-a")
    clocks["lh_b"].jump(-6 * HOUR_MS)
    edit(tree, "lh_b", a["id"], assignee_id="user-b")
    settle(tree)


def test_clock_skew_changes_no_outcome(fast_tmp: Path) -> None:
    results = []
    for skewed in (False, True):
        tr = clone_tree(fast_tmp / f"skew-{skewed}")
        offsets = {"lh_a": 5 * HOUR_MS, "lh_b": -3 * HOUR_MS, "gd": 2 * HOUR_MS, "ft": -HOUR_MS} if skewed else {}
        clocks = {name: SkewClock(offsets.get(name, 0)) for name in [*tr.counties, *tr.provinces]}
        if skewed:
            for name, clock in clocks.items():
                skew_store(tr.store(name), clock)
        acks = record(tr)
        with seeded_uuids(12):
            scripted_scenario(tr, clocks if skewed else {n: SkewClock() for n in clocks})
        check_all(tr, acks)
        with tr.store("lh_a").read() as s:
            walls = [int(h.split("-")[0]) for h in s.scalars(select(Ticket.hlc))]
        results.append((stable_export(tr.provinces["gd"]), stable_export(tr.hq), hard_conflicts(tr.provinces["gd"]),
                        stable_export(tr.counties["lh_b"]), max(walls)))
        close_tree(tr)
    plain, skewed_run = results
    assert skewed_run[4] > plain[4] + 4 * HOUR_MS  # the skew really reached the HLC stamps
    assert plain[2] and plain[2] == skewed_run[2]
    assert plain[0] == skewed_run[0]
    assert plain[1] == skewed_run[1]
    assert plain[3] == skewed_run[3]


# =====================================================================================================
# invariant 13: bytes re-sent after drops are at most one page (or batch) per drop
# =====================================================================================================
def test_bytes_resent_after_drops_are_bounded(fast_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync_client, "PUSH_BATCH_BYTES", 4096)
    monkeypatch.setattr(sync_client, "PAGE_ROWS", 4)
    measured = []
    drops_at = {"push": [2, 5, 6], "pull": [3, 4, 9, 12]}  # call numbers of the phase (1-based)
    for with_drops in (False, True):
        tr = clone_tree(fast_tmp / f"bytes-{with_drops}")
        faults = Faults(enabled=False)
        keep: dict[str, Any] = {}
        record(tr, faults, keep)
        sizes: list[tuple[str, str, int, int]] = []
        for name in ("lh_a", "lh_b"):
            tr.transport(name)  # create the persistent transport
            t = keep[name]

            def spy(method: str, path: str, body: Any = None, params: Any = None, token: Any = None,
                    _name: str = name, _call: Any = t.call, _sizes: list = sizes) -> Response:
                resp = _call(method, path, body=body, params=params, token=token)
                _sizes.append((_name, path, resp.sent, resp.received))
                return resp

            t.call = spy
        with seeded_uuids(13):
            for i in range(30):
                new_ticket(tr, "lh_a", f"批量单 {i:02d}", description="描述" * 20)
        calls0 = faults.calls
        if with_drops:
            faults.force([calls0 + n for n in drops_at["push"]], LOSE_RESPONSE)
        sync_until_done(tr, "lh_a")
        push_calls = faults.calls - calls0
        push_drops = faults.injected[LOSE_RESPONSE]
        calls1 = faults.calls
        if with_drops:
            faults.force([calls1 + n for n in drops_at["pull"]], LOSE_RESPONSE)
        sync_until_done(tr, "lh_b")
        pull_drops = faults.injected[LOSE_RESPONSE] - push_drops
        measured.append({
            "sent": keep["lh_a"].bytes_sent, "received": keep["lh_b"].bytes_received,
            "max_batch": max(s for n, p, s, _ in sizes if n == "lh_a" and p == PUSH),
            "max_page": max(r for n, p, _, r in sizes if n == "lh_b" and p == PULL),
            "pushes": sum(1 for n, p, *_ in sizes if n == "lh_a" and p == PUSH),
            "pulls": sum(1 for n, p, *_ in sizes if n == "lh_b" and p == PULL),
            "push_calls": push_calls, "push_drops": push_drops, "pull_drops": pull_drops,
        })
        assert export(tr.counties["lh_b"]) == export(
            tr.provinces["gd"], lambda e, r: can_read("client", "/HQ/GD/SZ/LH/", e, r.owner_path))
        close_tree(tr)
    clean, dropped = measured
    assert clean["pushes"] >= 10 and clean["pulls"] >= 10, clean  # really several batches and pages
    assert (dropped["push_drops"], dropped["pull_drops"]) == (len(drops_at["push"]), len(drops_at["pull"]))
    slack = 0.02
    assert dropped["sent"] - clean["sent"] <= len(drops_at["push"]) * clean["max_batch"] * (1 + slack), measured
    assert dropped["received"] - clean["received"] <= len(drops_at["pull"]) * clean["max_page"] * (1 + slack), \
        measured
    # and each drop cost one re-sent request, not a restart
    assert dropped["pushes"] == clean["pushes"] + len(drops_at["push"]), measured
    assert dropped["pulls"] == clean["pulls"] + len(drops_at["pull"]), measured


# =====================================================================================================
# invariant 14: a client one schema version behind
# =====================================================================================================
def test_a_client_one_schema_version_behind_still_syncs(tree: Tree) -> None:
    acks = record(tree)
    province = tree.provinces["gd"]
    lh = tree.counties["lh_a"]
    nid = lh.node()["node_id"]
    # 1. its pushes lack a column the server has (category, origin, data): defaults fill in
    with province.read() as s:
        seq = int(s.get(SyncNode, nid).last_seq) + 1
    from shared.sync.hlc import HLC

    row_id = "00000000-0000-4000-8000-00000000c0de"
    m = {"seq": seq, "tx": "old-client-tx", "op": "create", "entity": "tickets", "id": row_id,
         "owner": "/HQ/GD/SZ/LH/", "base": 0, "changes": {
             "title": [None, "旧版客户端"], "process": [None, "incident"], "number": [None, "INC-OLD-000001"],
             "state": [None, "new"], "impact": [None, 3], "urgency": [None, 3], "priority": [None, "P4"]},
         "hlc": HLC(1, 0, nid).encode(), "user": None, "schema": SCHEMA_VERSION - 1}
    m["hash"] = digest(m)
    e = {"seq": seq + 1, "tx": "old-client-tx", "op": "append", "entity": "ticket_entries",
         "id": "00000000-0000-4000-8000-00000000c0df", "owner": "/HQ/GD/SZ/LH/", "base": 0,
         "changes": {"ticket_id": [None, row_id], "kind": [None, "history"], "body": [None, "created"]},
         "hlc": HLC(1, 1, nid).encode(), "user": None, "schema": SCHEMA_VERSION - 1}
    e["hash"] = digest(e)
    body = {"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION - 1, "epoch": province.node()["epoch"],
            "mutations": [m, e], "rows": [], "backlog": 0}
    status, answer = tree.endpoints["gd"].dispatch("POST", PUSH, body, None, token(tree, "lh_a"))
    assert status == 200 and [r["status"] for r in answer["results"]] == ["applied", "applied"], answer
    row = row_of(province, Ticket, row_id)
    assert (row["title"], row["category"], row["origin"], row["data"]) == ("旧版客户端", "", "", {})
    # (the hand-made push used lh_a's next numbers: move lh_a's own counter past them)
    with lh.write() as cs:
        cs.state.next_seq = seq + 2

    # 2. pulled rows carry a column it does not know, and rows of an entity it does not know,
    #    which the newer server's digest covers too
    seen = {"total": 0, "per_entity": 0}

    class Newer:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def call(self, method: str, path: str, body: Any = None, params: Any = None, token: Any = None) -> Response:
            resp = self.inner.call(method, path, body=body, params=params, token=token)
            if path != PULL or resp.status != 200 or "changes" not in resp.body:
                return resp
            page = copy.deepcopy(resp.body)
            for c in page["changes"]:
                c["d"]["sla_due_at"] = "2030-01-01T00:00:00.000000Z"
            page["changes"].append({"e": "gadgets", "d": {"id": "g1", "owner_path": "/HQ/GD/SZ/LH/", "version": 1}})
            if "*" in page.get("digest", {}):  # one total over all entities: differs from the old client's
                seen["total"] += 1
                page["digest"]["*"] = [page["digest"]["*"][0] + 1, "f" * 16]
            elif "digest" in page:  # per entity
                seen["per_entity"] += 1
                page["digest"]["gadgets"] = [1, "0" * 64]
            return Response(resp.status, page, resp.sent, resp.received)

    tree.wrap = lambda t, name: acks.wrap(Newer(t), name, tree.store(name).node()["node_id"])
    reports = [tree.sync(name) for name in ("lh_a", "lh_b")]
    assert seen["per_entity"] >= 2, seen
    assert [r.repaired for r in reports] == [[], []]  # nothing to repair: the unknown entity is skipped
    edit(tree, "lh_b", row_id, description="旧版客户端改的")
    reports = [tree.sync(name) for name in ("lh_b", "lh_a")]
    for store in (lh, tree.counties["lh_b"]):
        row = row_of(store, Ticket, row_id)
        assert (row["title"], row["description"]) == ("旧版客户端", "旧版客户端改的")
    tree.wrap = None
    acks = record(tree)
    settle(tree)
    check_all(tree, acks)


# =====================================================================================================
# invariant 1 across the relay: HQ's edits of several provinces' rows
# =====================================================================================================
def test_hq_edits_of_several_provinces_rows_reach_every_county(tree: Tree) -> None:
    """HQ numbers the edits it forwards with one sequence for all provinces, so each province
    sees gaps (GD gets 1, 3; SC gets 2) — even inside one HQ transaction."""
    acks = record(tree)
    hq_admin = Actor(None, "hq_admin", "/HQ/", ("admin",))
    with tree.hq.write() as cs:  # one transaction, interleaved owners
        made = [tickets.create_ticket(cs, hq_admin, "request", f"总部派单 {path}", owner_path=path)
                for path in ("/HQ/GD/SZ/LH/", "/HQ/SC/CD/JJ/", "/HQ/GD/SZ/FT/")]
    with tree.hq.write() as cs:
        made.append(tickets.create_ticket(cs, hq_admin, "request", "总部再派", owner_path="/HQ/SC/CD/WH/"))
        made.append(tickets.create_ticket(cs, hq_admin, "request", "总部再派", owner_path="/HQ/GD/SZ/LH/"))
    settle(tree)
    for t, store in zip(made, ("lh_a", "jj", "ft", "wh", "lh_b"), strict=True):
        assert row_of(tree.counties[store], Ticket, t["id"])["title"] == t["title"]
    check_all(tree, acks)


# =====================================================================================================
# invariant 7: a server restored from a backup
# =====================================================================================================
def restore_backup(tree: Tree, name: str, backup: Path) -> Store:
    store = tree.store(name)
    folder = Path(store.engine.url.database).parent
    store.close()
    for f in folder.iterdir():
        f.unlink()
    shutil.copy(backup, folder / "itops.db")
    restored = Store(store_url(folder), migrate=False)
    with restored.write() as cs:
        bump_epoch(cs.session)
    replace_store(tree, name, restored)
    return restored


def take_backup(tree: Tree, name: str, dest: Path) -> Path:
    store = tree.store(name)
    folder = Path(store.engine.url.database).parent
    store.close()  # checkpoints the WAL into the file
    shutil.copy(folder / "itops.db", dest)
    replace_store(tree, name, Store(store_url(folder), migrate=False))
    return dest


def test_province_restored_from_backup(fast_tmp: Path) -> None:
    tr = clone_tree(fast_tmp / "tree", counties=("lh_a", "lh_b", "ft", "jj"))
    acks = record(tr)
    t1 = new_ticket(tr, "lh_a", "备份前")
    settle(tr)
    backup = take_backup(tr, "gd", fast_tmp / "gd-backup.db")
    old_epoch = tr.provinces["gd"].node()["epoch"]
    # acknowledged by GD after the backup: these are what the restore loses
    edit(tr, "lh_a", t1["id"], title="备份后改的标题")
    t2 = new_ticket(tr, "lh_a", "备份后新建")
    who = me(tr, "lh_b")
    with tr.store("lh_b").write(who.user_id) as cs:
        cs.append(TicketEntry, "/HQ/GD/SZ/LH/", {"ticket_id": t1["id"], "kind": "comment", "body": "B 的评论",
                                                  "author_id": who.user_id})
    t3 = new_ticket(tr, "ft", "福田备份后")
    for name in ("lh_a", "lh_b", "ft"):
        tr.sync(name)
    assert unacked(tr.counties["lh_a"]) == 0
    # …and one edit never pushed before the restore
    edit(tr, "lh_a", t1["id"], description="还没推送")
    restore_backup(tr, "gd", backup)
    assert row_of(tr.provinces["gd"], Ticket, t2["id"]) is None  # the restore really lost it
    resynced = set()
    settle(tr, on_sync=lambda name, report: resynced.add(name) if report.resynced else None)
    assert {"lh_a", "lh_b", "ft"} <= resynced
    gd = tr.provinces["gd"]
    assert gd.node()["epoch"] != old_epoch
    row = row_of(gd, Ticket, t1["id"])
    assert (row["title"], row["description"]) == ("备份后改的标题", "还没推送")
    assert row_of(gd, Ticket, t2["id"])["title"] == "备份后新建"
    assert row_of(gd, Ticket, t3["id"])["title"] == "福田备份后"
    with gd.read() as s:
        assert s.scalar(select(func.count()).select_from(TicketEntry).where(TicketEntry.body == "B 的评论")) == 1
    for name in tr.counties:
        assert cursor(tr.counties[name])[0] in (gd.node()["epoch"], tr.provinces["sc"].node()["epoch"])
    check_all(tr, acks)
    close_tree(tr)


def test_restore_replaces_rows_kept_for_their_pending_edits(fast_tmp: Path) -> None:
    """A row kept through a resync (it had a pending edit) must take the restored server's
    copy even when that copy has a lower version than the one from the old history."""
    tr = clone_tree(fast_tmp / "tree", counties=("lh_a", "lh_b"))
    acks = record(tr)
    t = new_ticket(tr, "lh_a", "原标题")
    settle(tr)
    backup = take_backup(tr, "gd", fast_tmp / "gd-backup.db")
    edit(tr, "lh_b", t["id"], title="B 改的(恢复后丢失)")
    settle(tr)
    assert row_of(tr.counties["lh_a"], Ticket, t["id"])["version"] == 2
    edit(tr, "lh_a", t["id"], description="A 的待推送修改")
    restore_backup(tr, "gd", backup)
    del tr.counties["lh_b"]  # lh_b's PC never comes back: its lost edit stays lost
    settle(tr)
    row = row_of(tr.provinces["gd"], Ticket, t["id"])
    assert (row["title"], row["description"]) == ("原标题", "A 的待推送修改")
    assert row_of(tr.counties["lh_a"], Ticket, t["id"]) == row
    check_convergence(tr, hq=False)
    check_acknowledged(tr, acks.without("lh_b"))  # lh_b's acknowledgements are knowingly lost with its PC
    close_tree(tr)


@pytest.mark.xfail(strict=True, reason="known gap: after a province restore HQ keeps row versions the restored "
                                       "province re-issues with other content (apply_replica ignores equal versions)")
def test_hq_converges_after_a_province_restore(fast_tmp: Path) -> None:
    tr = clone_tree(fast_tmp / "tree", counties=("lh_a", "lh_b"))
    t = new_ticket(tr, "lh_a", "原标题")
    settle(tr)
    backup = take_backup(tr, "gd", fast_tmp / "gd-backup.db")
    edit(tr, "lh_b", t["id"], title="B 改的(恢复后丢失)")
    settle(tr)
    edit(tr, "lh_a", t["id"], description="A 的待推送修改")
    restore_backup(tr, "gd", backup)
    del tr.counties["lh_b"]
    settle(tr)
    check_hq(tr)


def test_hq_restored_from_backup(fast_tmp: Path) -> None:
    tr = clone_tree(fast_tmp / "tree", counties=("lh_a", "jj"))
    acks = record(tr)
    new_ticket(tr, "lh_a", "HQ 备份前")
    settle(tr)
    backup = take_backup(tr, "hq", fast_tmp / "hq-backup.db")
    new_ticket(tr, "lh_a", "HQ 备份后")
    new_ticket(tr, "jj", "锦江 HQ 备份后")
    settle(tr)
    restore_backup(tr, "hq", backup)
    resynced = set()
    settle(tr, on_sync=lambda name, report: resynced.add(name) if report.resynced else None)
    assert {"gd", "sc"} <= resynced
    check_all(tr, acks)
    close_tree(tr)


# =====================================================================================================
# the state machine: random edits, syncs with faults, clock changes; drains with checks
# =====================================================================================================
MACHINE_STORES = ("lh_a", "lh_b", "ft", "jj", "wh")
BUSY_STORES = ("lh_a", "lh_a", "lh_a", "lh_b", "lh_b", "lh_b", "ft", "jj", "wh")  # LH's two PCs collide most
TITLES = ("打印机卡纸", "OA登录慢", "网络中断")
TEXTS = ("", "三楼", "机房空调")
CATEGORIES = ("硬件", "网络", "软件")
PEOPLE = (None, "user-1", "user-2")
TEAMS = ("team-1", "team-2")
TAGS = ("GD-0001", "GD-0002", "SC-0001")
FIELD_VALUES = {
    "title": TITLES, "description": TEXTS, "category": CATEGORIES, "assignee_id": PEOPLE, "team_id": TEAMS,
    "impact": (1, 2, 3), "urgency": (1, 2, 3), "data.note": ("甲", "乙"),
}
REQUIRED_VALUES = {"team_id": "team-1", "data.pending_reason": "等备件", "data.resolution_code": "R1",
                   "data.solution": "重启", "data.satisfaction": "满意"}
# local actions with their weights (a list with repeats, drawn uniformly)
WORK = (("create_ticket",) * 3 + ("update_ticket",) * 5 + ("transition",) * 3 + ("delete_ticket",) * 1
        + ("restore_ticket",) * 1 + ("comment",) * 2 + ("create_ci",) * 1 + ("link_cis",) * 1 + ("unlink_cis",) * 1)
STEPS = ("work",) * 6 + ("sync_county",) * 3 + ("sync_province",) * 1 + ("clock",) * 1
DRAIN_EVERY = 15
P_EDIT_DURING_SYNC = 0.25  # steps between mid-walk drains (each example also drains at its end)
CLOCK_MOVES = (("set", 5 * HOUR_MS), ("set", -3 * HOUR_MS), ("set", 0), ("jump", -HOUR_MS), ("jump", -6 * HOUR_MS))


@functools.cache
def machine_base() -> Path:
    """The state every example starts from: a few tickets and CIs per county, synced
    everywhere, so the two LH PCs share rows to collide on from the first step."""
    root = Path(tempfile.mkdtemp(prefix="itops-machine-", dir=scratch_root()))
    atexit.register(shutil.rmtree, root, True)
    tree = clone_tree(root / "tree", counties=MACHINE_STORES)
    with seeded_uuids(7):
        for name, count in (("lh_a", 2), ("lh_b", 1), ("ft", 1), ("jj", 1), ("wh", 1)):
            for i in range(count):
                new_ticket(tree, name, f"{TITLES[i]}-{name}", impact=2)
        for name, tag in (("lh_a", "GD-0001"), ("lh_b", "GD-0002"), ("jj", "SC-0001")):
            who = me(tree, name)
            with tree.store(name).write(who.user_id) as cs:
                cmdb.create_ci(cs, who, "终端", f"PC-{name}", {"asset_tag": tag})
        settle(tree)
    close_tree(tree)
    return root / "tree"


class SyncMachine(RuleBasedStateMachine):
    """Five county stores (two of them PCs of one county), two provinces, HQ."""

    root: Path

    def __init__(self) -> None:
        super().__init__()
        base = machine_base()  # built (once) before ids are seeded, so every example starts alike
        self.dir = Path(tempfile.mkdtemp(dir=self.root))
        self.uuids = seeded_uuids(20260101)
        self.uuids.__enter__()
        self.tree = clone_tree(self.dir / "tree", counties=MACHINE_STORES, source=base)
        self.faults = Faults(seed=0, during=self.edit_during_sync)
        self.acks = record(self.tree, self.faults)
        self.clocks = {name: SkewClock() for name in [*MACHINE_STORES, "gd", "sc"]}
        for name, clock in self.clocks.items():
            skew_store(self.tree.store(name), clock)
        self.actors = {name: me(self.tree, name) for name in MACHINE_STORES}
        self.cursors = {n: cursor(self.tree.store(n)) for n in [*MACHINE_STORES, "gd", "sc"]}
        self.versions: dict[str, dict[tuple[str, str], int]] = {}
        self.stats: dict[str, int] = defaultdict(int)
        self.steps_since_drain = 0

    @invariant()
    def every_step(self) -> None:
        """Invariant 9 on every replica after every step (not only after drains)."""
        self.steps_since_drain += 1
        self.stats["steps"] += 1
        check_transaction_groups(self.tree)

    @initialize(seed=st.integers(0, 2**16))
    def seed_faults(self, seed: int) -> None:
        self.faults.rng.seed(seed)

    # -- helpers -------------------------------------------------------------------------------
    def edit_during_sync(self, name: str, path: str) -> None:
        """Sometimes the user edits while a request is in flight (design: an ack never clears
        an edit made after the request was built; a pull rebases it, never overwrites it)."""
        rng = self.faults.rng
        if name not in self.actors or not self.faults.enabled or rng.random() >= P_EDIT_DURING_SYNC:
            return
        live = self.rows(name, Ticket)
        if not live:
            return
        tid = rng.choice(live)
        fieldname = rng.choice(("title", "description", "category", "assignee_id"))
        value = rng.choice(FIELD_VALUES[fieldname])
        self.attempt(name, lambda cs, who: tickets.update_ticket(cs, who, tid, {fieldname: value}))
        self.stats["edits_during_sync"] += 1

    def rows(self, name: str, cls: type, deleted: bool | None = False) -> list[str]:
        with self.tree.store(name).read() as s:
            stmt = select(cls.id).order_by(cls.id)
            if deleted is not None:
                stmt = stmt.where(cls.deleted.is_(deleted))
            return list(s.scalars(stmt))

    def write(self, name: str) -> Any:
        return self.tree.store(name).write(self.actors[name].user_id)

    def attempt(self, name: str, fn: Any) -> None:
        try:
            with self.write(name) as cs:
                fn(cs, self.actors[name])
            self.stats["writes"] += 1
        except (ServiceError, ValueError):
            self.stats["refused"] += 1

    def after_sync(self, name: str) -> None:
        """Invariant 7 (cursors never go back within an epoch), monotonic reads and
        read-your-writes (8), scope (6) — after every sync attempt, failed or not."""
        store = self.tree.store(name)
        now = cursor(store)
        before = self.cursors[name]
        if now[0] == before[0]:
            assert now[1] >= before[1], f"{name}: cursor went back {before} → {now}"
        self.cursors[name] = now
        if name in self.tree.counties:
            seen = self.versions.setdefault(name, {})
            current: dict[tuple[str, str], int] = {}
            with store.read() as s:
                for entity, cls in SYNCED.items():
                    for rid, version in s.execute(select(cls.id, cls.version)):
                        current[(entity, rid)] = int(version)
            for key, version in seen.items():
                assert key in current, f"{name}: {key} vanished"
                assert current[key] >= version, f"{name}: {key} went back v{version} → v{current[key]}"
            self.versions[name] = current
            check_scope(self.tree, [name])
            check_read_your_writes(store, name)

    def sync(self, name: str) -> None:
        try:
            self.tree.sync(name)
            self.stats["syncs"] += 1
        except SyncFailed:
            self.stats["failed_syncs"] += 1
        self.after_sync(name)

    # -- the one rule: a weighted mix of local work, syncs with faults, clock moves, drains -----------
    # (one rule, so Hypothesis's swarm testing cannot switch whole kinds of step off)
    @rule(data=st.data())
    def step(self, data: st.DataObject) -> None:
        if self.steps_since_drain >= DRAIN_EVERY:
            self.drain()
        kind = data.draw(st.sampled_from(STEPS), label="step")
        if kind == "work":
            name = data.draw(st.sampled_from(BUSY_STORES), label="store")
            for _ in range(data.draw(st.integers(1, 3), label="actions")):
                action = data.draw(st.sampled_from(WORK), label="action")
                getattr(self, "do_" + action)(name, data)
        elif kind == "sync_county":
            self.sync(data.draw(st.sampled_from(BUSY_STORES), label="store"))
        elif kind == "sync_province":
            self.sync(data.draw(st.sampled_from(("gd", "sc")), label="province"))
        else:
            name = data.draw(st.sampled_from([*MACHINE_STORES, "gd"]), label="clock of")
            move, ms = data.draw(st.sampled_from(CLOCK_MOVES), label="move")
            getattr(self.clocks[name], move)(ms)

    def do_create_ticket(self, name: str, data: st.DataObject) -> None:
        title = data.draw(st.sampled_from(TITLES))
        impact = data.draw(st.integers(1, 3))
        self.attempt(name, lambda cs, who: tickets.create_ticket(cs, who, "incident", title, {"impact": impact}))

    def do_update_ticket(self, name: str, data: st.DataObject) -> None:
        live = self.rows(name, Ticket)
        if not live:
            return
        tid = data.draw(st.sampled_from(live))
        fieldname = data.draw(st.sampled_from(sorted(FIELD_VALUES)))
        value = data.draw(st.sampled_from(FIELD_VALUES[fieldname]))
        self.attempt(name, lambda cs, who: tickets.update_ticket(cs, who, tid, {fieldname: value}))

    def do_transition(self, name: str, data: st.DataObject) -> None:
        live = self.rows(name, Ticket)
        if not live:
            return
        tid = data.draw(st.sampled_from(live))
        with self.tree.store(name).read() as s:
            state = s.get(Ticket, tid).state
        actions = process("incident").actions_from(state)
        if not actions:
            return
        t = data.draw(st.sampled_from(actions))
        fields = {f.removeprefix("data."): REQUIRED_VALUES[f] for f in t.required}
        self.attempt(name, lambda cs, who: tickets.transition(cs, who, tid, t.action, fields))

    def do_delete_ticket(self, name: str, data: st.DataObject) -> None:
        live = self.rows(name, Ticket)
        if live:
            tid = data.draw(st.sampled_from(live))
            self.attempt(name, lambda cs, who: tickets.delete_ticket(cs, who, tid))

    def do_restore_ticket(self, name: str, data: st.DataObject) -> None:
        gone = self.rows(name, Ticket, deleted=True)
        if gone:
            tid = data.draw(st.sampled_from(gone))
            self.attempt(name, lambda cs, who: tickets.restore_ticket(cs, who, tid))

    def do_comment(self, name: str, data: st.DataObject) -> None:
        ids = self.rows(name, Ticket, deleted=None)
        if not ids:
            return
        tid = data.draw(st.sampled_from(ids))
        body = data.draw(st.sampled_from(("已联系用户", "备件已到")))

        def add(cs: Any, who: Any) -> None:
            owner = cs.session.get(Ticket, tid).owner_path
            cs.append(TicketEntry, owner, {"ticket_id": tid, "kind": "comment", "body": body,
                                           "author_id": who.user_id})

        self.attempt(name, add)

    def do_create_ci(self, name: str, data: st.DataObject) -> None:
        tag = data.draw(st.sampled_from(TAGS))  # a small pool: duplicates happen
        label = data.draw(st.sampled_from(("PC", "打印机")))
        self.attempt(name, lambda cs, who: cmdb.create_ci(cs, who, "终端", f"{label}-{name}", {"asset_tag": tag}))

    def do_link_cis(self, name: str, data: st.DataObject) -> None:
        cis = self.rows(name, ConfigItem)
        if len(cis) < 2:
            return
        src, dst = data.draw(st.lists(st.sampled_from(cis), min_size=2, max_size=2, unique=True))
        rel = data.draw(st.sampled_from(("runs_on", "depends_on")))
        self.attempt(name, lambda cs, who: cmdb.link_ci(cs, who, src, dst, rel))

    def do_unlink_cis(self, name: str, data: st.DataObject) -> None:
        with self.tree.store(name).read() as s:
            edges = [(r.source_id, r.target_id, r.rel_type) for r in s.scalars(
                select(CIRelation).where(CIRelation.deleted.is_(False)).order_by(CIRelation.id))]
        if edges:
            src, dst, rel = data.draw(st.sampled_from(edges))
            self.attempt(name, lambda cs, who: cmdb.unlink_ci(cs, who, src, dst, rel))

    # -- the end of every example ---------------------------------------------------------------------------
    def drain(self) -> None:
        self.steps_since_drain = 0
        self.faults.enabled = False
        try:
            settle(self.tree, max_rounds=4, on_sync=lambda name, _r: self.after_sync(name))  # invariant 15
            check_all(self.tree, self.acks)
            self.stats["drains"] += 1
        finally:
            self.faults.enabled = True

    def teardown(self) -> None:
        try:
            self.drain()
            for pname in self.tree.provinces:
                with self.tree.provinces[pname].read() as s:
                    for kind, n in s.execute(select(Conflict.kind, func.count()).group_by(Conflict.kind)):
                        self.stats["conflict:" + kind] += n
            STATS.append(dict(self.stats, acked=len(self.acks.acked), **self.faults.injected))
        finally:
            self.uuids.__exit__(None, None, None)
            close_tree(self.tree)
            shutil.rmtree(self.dir, ignore_errors=True)


STATS: list[dict[str, int]] = []


@pytest.mark.timeout(900)  # ~70 s alone; a loaded machine (or a parallel worker beside it) can triple that
def test_sync_state_machine(fast_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SyncMachine.root = fast_tmp
    # small pages and batches, so paging, batching and drops between pages are exercised too
    monkeypatch.setattr(sync_client, "PAGE_ROWS", 6)
    monkeypatch.setattr(sync_client, "PUSH_BATCH_BYTES", 3000)
    STATS.clear()
    run_state_machine_as_test(SyncMachine, settings=settings(
        derandomize=True, max_examples=12, stateful_step_count=50, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
    total = {k: sum(s.get(k, 0) for s in STATS) for k in sorted({k for s in STATS for k in s})}
    print("state machine totals:", total)
    # the walk really exercised what it claims to
    assert total["acked"] > 100 and total["failed_syncs"] > 10 and total["lose_response"] > 5, total
    assert total["drains"] >= len(STATS), total
