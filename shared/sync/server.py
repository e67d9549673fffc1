"""Server side of the protocol, free of any web framework: node registration, push, pull.

The Flask blueprint only decodes the request, calls these in one transaction and encodes
the answer; the in-process test transport calls them the same way.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from shared.audit.push import audit_refusal
from shared.db.types import utcnow
from shared.models import SYNCED, entity_class
from shared.models.org import User
from shared.models.sync import ChangeLogEntry, NodeState, OutboxEntry, PushLog, SyncNode
from shared.security import new_token, token_digest
from shared.services.actor import Actor
from shared.sync.authority import ABSENT, apply_mutation, apply_replica, lookup
from shared.sync.capture import outbox_payload
from shared.sync.changelog import TxSeq
from shared.sync.codec import digest, total_digest
from shared.sync.merge import Mutation
from shared.sync.node import authority_of, load_state
from shared.sync.protocol import (
    PAGE_ROWS,
    TOKEN_DAYS,
    Conflict409,
    ScopeViolation,
    SyncError,
    Unauthorized,
    UpgradeRequired,
    make_cursor,
    parse_cursor,
)
from shared.sync.push_roles import push_refusal
from shared.sync.scope import can_write, read_filter
from shared.version import MIN_CLIENT_PROTOCOL, PROTOCOL_VERSION


# -- nodes and tokens ------------------------------------------------------------------------
def register_node(session: Session, actor: Actor, node_id: str, kind: str, name: str = "",
                  app_version: str = "") -> dict[str, Any]:
    """Sign a store in as a node (or re-sign it): a fresh token; the sequence continues."""
    if kind not in ("client", "province"):
        raise SyncError("bad_kind", "node kind must be client or province")
    try:
        uuid.UUID(node_id)
    except ValueError:
        raise SyncError("bad_node", "node id must be a UUID") from None
    if kind == "province" and ("admin" not in actor.roles or authority_of(actor.org_path) != actor.org_path):
        raise ScopeViolation("not_relay", "a province relay needs an admin account of that province")
    token = new_token()
    node = session.get(SyncNode, node_id)
    if node is None:
        node = SyncNode(node_id=node_id, last_seq=0, last_pull_seq=0, outbox_backlog=0)
        session.add(node)
    elif node.org_path != actor.org_path and node.last_seq:
        raise ScopeViolation("node_moved", "this store already syncs another org unit; make a new store")
    node.kind, node.name, node.user_id, node.org_path = kind, name or actor.username, actor.user_id, actor.org_path
    node.token_hash = token_digest(token)
    node.created_at = utcnow()
    node.expires_at = utcnow() + timedelta(days=TOKEN_DAYS)
    node.revoked_at = None
    node.app_version = app_version
    state = load_state(session)
    return {"token": token, "node_id": node_id, "epoch": state.epoch,
            "scope": {"kind": kind, "org_path": actor.org_path, "user_id": actor.user_id,
                      "username": actor.username, "roles": list(actor.roles)},
            "expires_at": node.expires_at.isoformat()}


def authenticate(session: Session, token: str | None) -> SyncNode:
    if not token:
        raise Unauthorized("no_token", "sign in first (itops login)")
    # one indexed statement: the node by its token digest, and its user's status by primary key
    found = session.execute(select(SyncNode, User.active, User.deleted, User.org_path)
                            .outerjoin(User, User.id == SyncNode.user_id)
                            .where(SyncNode.token_hash == token_digest(token))).first()
    if found is None:
        raise Unauthorized("bad_token", "the sync token is not valid; sign in again")
    node = found[0]
    if node.revoked_at is not None:
        raise Unauthorized("revoked", "this store's sync access was revoked by an administrator")
    if node.expires_at is not None and node.expires_at < utcnow():
        raise Unauthorized("expired", "the sync token has expired; sign in again")
    check_user(node, *found[1:])
    return node


def check_user(node: SyncNode, active: bool | None, deleted: bool | None, org_path: str | None) -> None:
    """A node syncs only while its user is active and still in the org unit the node syncs: a
    disabled user's stores stop (until the user is enabled again); a moved user's stores keep the
    old unit's scope, so they stop for good (the user signs in on a new store)."""
    if node.user_id is None:  # HQ's forwarded edits (a province's record of its upstream)
        return
    if not active or deleted:
        raise Unauthorized("user_disabled", "the user of this store is disabled; ask an administrator")
    if org_path != node.org_path:
        raise Unauthorized("user_moved", f"the user of this store now belongs to {org_path}; this store syncs "
                                         f"{node.org_path}: sign in on a new store")


def check_versions(body: dict[str, Any]) -> None:
    protocol = int(body.get("protocol") or 0)
    if protocol < MIN_CLIENT_PROTOCOL or protocol > PROTOCOL_VERSION:
        raise UpgradeRequired("upgrade", f"sync protocol {protocol} is not supported by this server "
                              f"(needs {MIN_CLIENT_PROTOCOL}–{PROTOCOL_VERSION}); please upgrade ITOps")


# -- push ----------------------------------------------------------------------------------------
def handle_push(session: Session, node: SyncNode, body: dict[str, Any]) -> dict[str, Any]:
    """Apply a batch in the caller's transaction. Raises SyncError before writing anything on
    a scope violation, a gap, a changed payload or a stale epoch."""
    check_versions(body)
    state = load_state(session, lock=True)
    if body.get("epoch") and body["epoch"] != state.epoch:
        raise Conflict409("resync", "the server was restored; pull again, then push", epoch=state.epoch)
    mutations = body.get("mutations") or []
    rows = body.get("rows") or []
    _check_scope(node, mutations, rows)
    tx = TxSeq(session, state)
    results = []
    expected = int(node.last_seq) + 1
    if body.get("after_resync") and mutations and int(mutations[0]["seq"]) > expected:
        expected = int(mutations[0]["seq"])  # the server lost entries the client no longer has
        node.last_seq = expected - 1
    _preload(session, mutations)
    for group in _tx_groups(mutations):
        results.extend(_push_group(session, tx, node, group, expected))
        expected = int(node.last_seq) + 1
    replicated = sum(apply_replica(session, tx, r["d"], r["e"], node.node_id) for r in rows)
    node.last_seen_at = utcnow()
    node.outbox_backlog = int(body.get("backlog") or 0)
    return {"results": results, "last_seq": int(node.last_seq), "replicated": replicated,
            "epoch": state.epoch}


def _check_scope(node: SyncNode, mutations: list[dict], rows: list[dict]) -> None:
    for m in mutations:
        if m.get("entity") not in SYNCED or not can_write(node.kind, node.org_path, m["entity"], m["owner"]):
            raise ScopeViolation("scope", f"{m.get('entity')} at {m.get('owner')} is outside this "
                                          f"node's write scope {node.org_path}")
        # Every mutation is stamped with its maker's HLC (…-node). Another node's batch replayed
        # under this token would be merged as this node's and burn its sequence numbers.
        if str(m.get("hlc") or "").split("-", 2)[-1] != node.node_id:
            raise ScopeViolation("foreign_mutation", f"mutation {m.get('seq')} was made by another node, "
                                                     "not by the store this token belongs to")
        refusal = audit_refusal(node.node_id, node.org_path, m)
        if refusal:
            raise ScopeViolation("audit_append_only", refusal)
    for r in rows:
        if node.kind != "province" or r.get("e") not in SYNCED or \
                authority_of(r["d"]["owner_path"]) != node.org_path:
            raise ScopeViolation("scope", "only a province may relay rows, and only its own")


def _tx_groups(mutations: list[dict]) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for m in sorted(mutations, key=lambda m: int(m["seq"])):
        if groups and groups[-1][0]["tx"] == m["tx"]:
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _push_group(session: Session, tx: TxSeq, node: SyncNode, group: list[dict], expected: int) -> list[dict]:
    results = []
    fresh: list[dict] = []
    for m in group:
        seq = int(m["seq"])
        wire = {k: m[k] for k in ("seq", "tx", "op", "entity", "id", "owner", "base", "changes", "hlc",
                                  "user", "schema")}
        if digest(wire) != m.get("hash"):
            raise SyncError("bad_hash", f"mutation {seq}: payload does not match its hash")
        if seq < expected:
            seen = session.get(PushLog, (node.node_id, seq))
            if seen is None:
                raise Conflict409("gap", f"sequence {seq} is unknown here", expected=expected)
            if seen.payload_hash != m["hash"]:
                raise Conflict409("changed_payload", f"sequence {seq} was already received with "
                                  "a different payload", seq=seq)
            results.append(seen.result)
            continue
        # HQ numbers the edits it forwards with one sequence for every province, so a province
        # sees HQ's numbers with gaps (in order, never repeated): only clients must be contiguous
        forwarded_gap = node.kind == "hq" and seq > (int(fresh[-1]["seq"]) if fresh else expected - 1)
        if seq != expected + len(fresh) and not forwarded_gap:
            raise Conflict409("gap", f"expected sequence {expected + len(fresh)}, got {seq}",
                              expected=expected + len(fresh))
        fresh.append(m)
    if not fresh:
        return results
    reason = push_refusal(session, node, fresh) or (_group_rejection(session, fresh) if len(fresh) > 1 else "")
    # A transaction group is all or nothing: a group that would be rejected anywhere is recorded
    # as rejected throughout, without touching data (checked up front: no savepoint per group).
    outcomes = [apply_mutation(session, tx, _mutation(node, m, force_reject=reason), node.name) for m in fresh]
    for m, outcome in zip(fresh, outcomes, strict=True):
        result = {"seq": int(m["seq"]), **outcome}
        session.add(PushLog(node_id=node.node_id, seq=int(m["seq"]), payload_hash=m["hash"], result=result))
        results.append(result)
        node.last_seq = int(m["seq"])
    return results


def _group_rejection(session: Session, group: list[dict]) -> str:
    """Why the authority would reject some mutation of this group ('' if it would take them all)."""
    created: set[str] = set()
    for m in group:
        row = lookup(session, m["entity"], m["id"])
        if row is not None and row.owner_path != m["owner"]:
            return "owner mismatch: the row belongs to " + row.owner_path
        if row is None and m["id"] not in created:
            if m["op"] in ("create", "append", "link"):
                created.add(m["id"])
            else:
                return f"{m['op']} of a row the server does not have"
    return ""


def _preload(session: Session, mutations: list[dict]) -> None:
    """One query per entity puts a batch's target rows in the identity map, so the merge's
    lookups cost nothing and the batch is flushed once."""
    ids: dict[str, set[str]] = {}
    for m in mutations:
        ids.setdefault(m["entity"], set()).add(m["id"])
    held = session.info.setdefault("itops_preloaded", [])  # the identity map holds rows weakly
    absent = session.info.setdefault(ABSENT, set())
    for entity, wanted in ids.items():
        cls = entity_class(entity)
        batch = list(wanted)
        for start in range(0, len(batch), 500):
            rows = list(session.scalars(select(cls).where(cls.id.in_(batch[start:start + 500]))))
            held.extend(rows)
            absent.update((entity, i) for i in set(batch[start:start + 500]) - {r.id for r in rows})


def _mutation(node: SyncNode, m: dict, force_reject: str = "") -> Mutation:
    op = m["op"]
    if force_reject:
        op = "reject:" + force_reject
    return Mutation(op=op, entity=m["entity"], row_id=m["id"], owner_path=m["owner"],
                    base_version=int(m["base"]), changes=m["changes"] or {}, node=node.node_id,
                    user=m.get("user"), hlc=m.get("hlc") or "")


# -- pull --------------------------------------------------------------------------------------------
def handle_pull(session: Session, node: SyncNode, cursor: str | None, limit: int = PAGE_ROWS,
                ack_forwarded: int = 0, entity: str | None = None, full_digest: bool = False) -> dict[str, Any]:
    """One page of changes after ``cursor``; ``entity`` limits it to one entity (scoped repair).

    The last page carries the scope's digest: one total (count, 64-bit hash) by default, which
    keeps a no-change sync small; per entity with ``full_digest`` (asked for after a mismatch)."""
    state = load_state(session)
    epoch, after = parse_cursor(cursor)
    if cursor and (epoch != state.epoch or after > int(state.change_seq)):
        return {"resync": True, "epoch": state.epoch, "reason": "the server's history changed (restore)"}
    if cursor and after < int(state.horizon_seq or 0):
        return {"resync": True, "epoch": state.epoch, "reason": "this store was away longer than the server keeps "
                "deletions; it reloads its data (unsent changes are kept)"}
    scope = read_filter(node.kind, node.org_path)
    if entity:
        scope = scope & (ChangeLogEntry.entity == entity)
    stmt = (select(ChangeLogEntry).where(ChangeLogEntry.seq > after, scope)
            .order_by(ChangeLogEntry.seq, ChangeLogEntry.id).limit(max(1, min(limit, 5000))))
    entries = list(session.scalars(stmt))
    if entries and len(entries) >= limit:
        last = entries[-1]
        entries += session.scalars(select(ChangeLogEntry).where(
            ChangeLogEntry.seq == last.seq, ChangeLogEntry.id > last.id, scope).order_by(ChangeLogEntry.id))
    end = entries[-1].seq if entries else max(after, int(state.change_seq))
    more = bool(entries) and session.scalar(
        select(ChangeLogEntry.id).where(ChangeLogEntry.seq > end, scope).limit(1)) is not None
    if not more:
        end = max(end, int(state.change_seq))
    page: dict[str, Any] = {
        "cursor": make_cursor(state.epoch, end), "more": more,
        "changes": [{"e": e.entity, "d": e.data} for e in entries],
    }
    if not more:
        per = scope_digest(session, node.kind, node.org_path, state)
        page["digest"] = per if full_digest else {"*": total_digest(per)}
    if node.kind == "province":
        page["forwarded"] = forwarded_for(session, node.org_path, ack_forwarded)
        page["server_node"] = state.node_id
    node.last_seen_at = utcnow()
    node.last_pull_seq = end
    return page


@dataclass(frozen=True)
class ScopeDigest:
    per: dict[str, list[Any]]  # entity → [count, hash]
    total: list[Any]  # what a no-change sync carries: total_digest(per)


# per (database, epoch, horizon, kind, org path): the change seq it was computed at, and the digest
_DIGESTS: OrderedDict[tuple[str, str, int, str, str], tuple[int, ScopeDigest]] = OrderedDict()
_DIGEST_CACHE_SIZE = 512
_DIGEST_LOCK = threading.Lock()


DigestKey = tuple[str, str, int, str, str]


def _digest_key(session: Session, kind: str, org_path: str, epoch: str, horizon: int) -> DigestKey:
    # the database is part of the key: a copied file keeps its epoch until it is restored; compaction
    # (a new horizon) may drop a row's old entries from a scope it has left
    return (db_name(session.get_bind().engine), epoch, horizon, kind, org_path)


def cached_digest(key: tuple[str, str, int, str, str], change_seq: int,
                  changed_since: Callable[[int], bool]) -> ScopeDigest | None:
    """The cached digest if nothing in its scope was logged since it was computed (one indexed query
    at most, ``changed_since(seq)``); None if it must be computed."""
    with _DIGEST_LOCK:
        hit = _DIGESTS.get(key)
    if hit is None:
        return None
    seq, per = hit
    if seq != change_seq:
        if seq > change_seq or changed_since(seq):
            return None
        with _DIGEST_LOCK:
            _DIGESTS[key] = (change_seq, per)
    with _DIGEST_LOCK:
        if key in _DIGESTS:
            _DIGESTS.move_to_end(key)
    return per


def _keep_digest(key: tuple[str, str, int, str, str], change_seq: int, per: dict[str, list[Any]]) -> None:
    with _DIGEST_LOCK:
        _DIGESTS[key] = (change_seq, ScopeDigest(per, total_digest(per)))
        while len(_DIGESTS) > _DIGEST_CACHE_SIZE:
            _DIGESTS.popitem(last=False)


def scope_digest(session: Session, kind: str, org_path: str, state: NodeState | None = None) -> dict[str, list[Any]]:
    """Per entity: count and hash of (id, version, deleted) of the latest row versions in scope.

    Cached per scope: while nothing in the scope is logged (commits elsewhere do not count), every
    no-change sync is answered from memory."""
    state = state or load_state(session)
    key = _digest_key(session, kind, org_path, state.epoch, int(state.horizon_seq or 0))
    change_seq = int(state.change_seq)
    scope = read_filter(kind, org_path)
    cached = cached_digest(key, change_seq, lambda seq: session.execute(
        _logged_after(kind, org_path), {"after": seq}).first() is not None)
    if cached is not None:
        return cached.per
    latest = (select(ChangeLogEntry.entity, ChangeLogEntry.row_id, func.max(ChangeLogEntry.version))
              .where(scope)
              .group_by(ChangeLogEntry.entity, ChangeLogEntry.row_id))
    per: dict[str, list[str]] = {}
    versions = {(e, r): v for e, r, v in session.execute(latest)}
    deleted = {(e, r) for e, r, v in session.execute(
        select(ChangeLogEntry.entity, ChangeLogEntry.row_id, ChangeLogEntry.version)
        .where(scope, ChangeLogEntry.deleted.is_(True)))
        if versions.get((e, r)) == v}
    for (entity, row_id), version in sorted(versions.items()):
        per.setdefault(entity, []).append(f"{row_id}:{version}:{int((entity, row_id) in deleted)}")
    result = {entity: [len(lines), digest(lines)] for entity, lines in per.items()}
    _keep_digest(key, change_seq, result)
    return result


_DB_NAMES: dict[int, tuple[Any, str]] = {}


def db_name(engine: Any) -> str:
    """``str(engine.url)``, remembered per engine (rendering a URL costs more than the rest of a
    no-change pull's bookkeeping)."""
    known = _DB_NAMES.get(id(engine))
    if known is None or known[0] is not engine:
        known = _DB_NAMES[id(engine)] = (engine, str(engine.url))
    return known[1]


# -- the no-change pull ----------------------------------------------------------------------------
# A desktop syncs every few minutes and almost always finds nothing new. That answer takes two indexed
# reads (the node by its token digest, the node's state) and, when something was committed since the
# cursor, one more (is any of it in scope?), in a read-only transaction, with no ORM objects; the
# node's last-seen time and pull position are written at most once a minute. Anything else (a
# change to send, a bad or expired token, a resync, a province) goes the full way, unchanged.
SEEN_EVERY = timedelta(seconds=60)
# the node by its token digest, and the server's state, in one statement (one row, or none)
_NODE_AND_STATE = (select(SyncNode.node_id, SyncNode.kind, SyncNode.org_path, SyncNode.expires_at,
                         SyncNode.revoked_at, SyncNode.last_seen_at, SyncNode.user_id, User.active,
                         User.deleted, User.org_path.label("user_org"), NodeState.epoch, NodeState.change_seq,
                         NodeState.horizon_seq, NodeState.node_id.label("server_node"), NodeState.hlc_wall
                         ).join_from(SyncNode, NodeState, NodeState.key == "self")
                   .outerjoin(User, User.id == SyncNode.user_id)
                   .where(SyncNode.token_hash == bindparam("h", "")))


@functools.lru_cache(maxsize=1024)
def _logged_after(kind: str, org_path: str) -> Any:
    """``SELECT id FROM change_log WHERE seq > :after AND <scope> LIMIT 1``, built once per scope
    (building the scope's SQL expression costs more than running the query)."""
    return (select(ChangeLogEntry.id).where(ChangeLogEntry.seq > bindparam("after", 0), read_filter(kind, org_path))
            .order_by(ChangeLogEntry.seq).limit(1))


class ReadFailed(Exception):
    """The no-change pull's reads failed (the full pull then answers, on a checked connection)."""


class FastReader:
    """Runs the no-change pull's few fixed SELECTs straight on a pooled DBAPI connection.

    Each statement is a SQLAlchemy construct compiled once per dialect (IN lists rendered as bound
    values); only the token digest and sequence numbers are bound per request. Result columns go
    through their types' result processors, as with SQLAlchemy. This skips the engine's per-statement
    work (transaction and result objects, cache-key lookups), which is most of a no-change pull's cost.
    Statements run in autocommit, each on its own snapshot: see :func:`quiet_pull` for why that only
    ever sends a request down the full path, never gives a wrong answer."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self._compiled: dict[Any, tuple[str, Callable[[dict[str, Any]], Any], list[Any], list[str]]] = {}

    def _compile(self, stmt: Any) -> tuple[str, Callable[[dict[str, Any]], Any], list[Any], list[str]]:
        known = self._compiled.get(stmt)
        if known is None:
            dialect = self.engine.dialect
            compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
            defaults = dict(compiled.params)
            if compiled.positional:
                order = list(compiled.positiontup or [])

                def params(values: dict[str, Any]) -> Any:
                    return tuple(values[k] if k in values else defaults[k] for k in order)
            else:
                def params(values: dict[str, Any]) -> Any:
                    return {**defaults, **values}
            columns = list(stmt.selected_columns)
            processors = [c.type._cached_result_processor(dialect, None) for c in columns]
            known = self._compiled[stmt] = (str(compiled), params, processors, [c.key for c in columns])
        return known

    @contextlib.contextmanager
    def open(self) -> Iterator[Callable[[Any, dict[str, Any]], dict[str, Any] | None]]:
        """``with reader.open() as first: row = first(stmt, {"h": …})`` — a dict, or None."""
        dbapi_errors = self.engine.dialect.loaded_dbapi.Error
        try:
            fairy = self.engine.raw_connection()
        except DBAPIError as exc:
            raise ReadFailed(str(exc)) from exc
        dbapi = fairy.dbapi_connection
        # PostgreSQL: autocommit, no BEGIN/ROLLBACK round trips (the server's own engine for these
        # reads is in autocommit already)
        postgres = self.engine.dialect.name == "postgresql" and not dbapi.autocommit
        try:
            if postgres:
                dbapi.autocommit = True
            cursor = fairy.cursor()
        except dbapi_errors as exc:
            fairy.invalidate()
            fairy.close()
            raise ReadFailed(str(exc)) from exc

        def first(stmt: Any, values: dict[str, Any]) -> dict[str, Any] | None:
            sql, params, processors, keys = self._compile(stmt)
            cursor.execute(sql, params(values))
            row = cursor.fetchone()
            if row is None:
                return None
            return {k: (p(v) if p else v) for k, p, v in zip(keys, processors, row, strict=True)}

        try:
            yield first
        except dbapi_errors as exc:  # e.g. a connection the database closed (a restart): not pinged
            fairy.invalidate()
            raise ReadFailed(str(exc)) from exc
        finally:
            if fairy.dbapi_connection is not None:  # not invalidated
                cursor.close()
                if postgres:
                    dbapi.autocommit = False
            fairy.close()


@dataclass
class QuietPull:
    page: dict[str, Any]
    node_id: str
    end: int
    seen_due: bool  # the node's last_seen_at / last_pull_seq should be written
    hlc_wall: int  # the server's HLC, for the page's "hlc"
    server_node: str


Reader = Callable[[Any, dict[str, Any]], "dict[str, Any] | None"]


def quiet_pull(first: Reader, db_name: str, token: str | None, cursor: str | None) -> QuietPull | None:
    """The page of a pull that finds nothing in scope after ``cursor``, or None when the full
    :func:`handle_pull` must answer. Same answer as ``handle_pull`` (without ``hlc``); reads only.

    ``first(stmt, values)`` runs a statement and returns its first row (``FastReader.open``). The reads
    need not share a snapshot: the state row says the log ends at seq C, and every entry up to C was
    committed with (before) it, so a later read sees them all; a later read that also sees entries
    after C only makes this answer None (the full pull then answers from one snapshot)."""
    if not token or not cursor:
        return None
    epoch, after = parse_cursor(cursor)
    row = first(_NODE_AND_STATE, {"h": token_digest(token)})
    now = utcnow()
    if row is None or row["kind"] != "client" or row["revoked_at"] is not None or \
            (row["expires_at"] is not None and row["expires_at"] < now):
        return None
    if row["user_id"] is not None and (not row["active"] or row["deleted"] or row["user_org"] != row["org_path"]):
        return None  # the full pull refuses it, saying why (``check_user``)
    change_seq, horizon = int(row["change_seq"]), int(row["horizon_seq"] or 0)
    if epoch != row["epoch"] or after > change_seq or after < horizon:
        return None
    logged_after = _logged_after(row["kind"], row["org_path"])

    def changed_since(seq: int) -> bool:
        return first(logged_after, {"after": seq}) is not None

    if after < change_seq and changed_since(after):
        return None
    key = (db_name, row["epoch"], horizon, row["kind"], row["org_path"])
    cached = cached_digest(key, change_seq, changed_since)
    if cached is None:
        return None
    page = {"cursor": make_cursor(row["epoch"], change_seq), "more": False, "changes": [],
            "digest": {"*": cached.total}}
    due = row["last_seen_at"] is None or now - row["last_seen_at"] >= SEEN_EVERY
    return QuietPull(page, row["node_id"], change_seq, due, int(row["hlc_wall"]), row["server_node"])


def note_seen(session: Session, node_id: str, end: int) -> None:
    """What every pull records: when the node was last seen and how far it has pulled."""
    session.execute(update(SyncNode).where(SyncNode.node_id == node_id)
                    .values(last_seen_at=utcnow(), last_pull_seq=end))


def forwarded_for(session: Session, org_path: str, acked: int) -> list[dict[str, Any]]:
    """HQ's edits of a province's rows, waiting for that province to merge them."""
    if acked:
        for entry in session.scalars(select(OutboxEntry).where(OutboxEntry.target_path == org_path,
                                                               OutboxEntry.seq <= acked)):
            session.delete(entry)
    rows = session.scalars(select(OutboxEntry).where(OutboxEntry.target_path == org_path)
                           .order_by(OutboxEntry.seq).limit(PAGE_ROWS))
    return [{**outbox_payload(e), "hash": e.payload_hash} for e in rows]


def bump_epoch(session: Session) -> str:
    """After a restore: a new epoch makes every client resync and re-push (invariant 7)."""
    state = session.get(NodeState, "self")
    assert state is not None
    state.epoch = str(uuid.uuid4())
    return state.epoch
