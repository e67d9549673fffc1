"""``/api/v1/admin``: the conflict queue and the node list, for administrators of this server's
tree. The caller signs in with its sync token; its user must hold the admin role, and sees only
its own subtree."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from shared import audit
from shared.db.types import utcnow
from shared.models.sync import SyncNode
from shared.services import conflicts as queue
from shared.services.actor import Actor, actor_for
from shared.services.errors import Forbidden, Invalid, NotFound, ServiceError
from shared.sync import server as srv
from shared.sync.capture import ChangeSet
from shared.sync.protocol import SyncError
from sync_server.paging import PageArgsSchema, page
from sync_server.schemas import (
    BulkResolveSchema,
    ConflictListArgs,
    ConflictListSchema,
    ConflictSchema,
    NodeListSchema,
    NodeSchema,
    ResolvedListSchema,
    ResolveSchema,
    ok,
)
from sync_server.wire import bearer, endpoint, json_body, reply, sync_error

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Conflicts and nodes")


def _admin(cs: ChangeSet) -> Actor:
    node = srv.authenticate(cs.session, bearer())
    if not node.user_id:
        raise Forbidden("this node has no user")
    actor = actor_for(cs.session, node.user_id)
    if "admin" not in actor.roles:
        raise Forbidden("administrators only")
    return actor


def _run(fn: Any) -> Response:
    try:
        with endpoint().store.write() as cs:
            return reply(200, fn(cs, _admin(cs)))
    except SyncError as exc:
        return sync_error(exc)
    except NotFound as exc:
        abort(404, message=str(exc))
    except Forbidden as exc:
        abort(403, message=str(exc))
    except (Invalid, ServiceError) as exc:
        abort(400, message=str(exc))
    raise AssertionError("unreachable")


@blp.route("/conflicts", methods=["GET"])
@blp.doc(summary="List conflicts in the caller's subtree (status=open|auto|resolved|all), newest first, one "
                 "page (limit, offset; next_offset is null on the last page)",
         responses=ok(ConflictListSchema))
@blp.arguments(ConflictListArgs, location="query", as_kwargs=True)
def list_conflicts(limit: int, offset: int, status: str) -> Response:

    def _list(cs: ChangeSet, actor: Actor) -> dict[str, Any]:
        rows = queue.list_conflicts(cs.session, actor, None if status == "all" else status,
                                    limit=offset + limit + 1)
        conflicts, next_offset = page(rows, limit, offset)
        return {"conflicts": conflicts, "next_offset": next_offset}
    return _run(_list)


@blp.route("/conflicts/<conflict_id>", methods=["GET"])
@blp.doc(summary="One conflict with base, server and client values, both authors and the current row",
         responses=ok(ConflictSchema))
def show_conflict(conflict_id: str) -> Response:
    return _run(lambda cs, a: queue.show_conflict(cs.session, a, conflict_id))


@blp.route("/conflicts/<conflict_id>/resolve", methods=["POST"])
@blp.doc(summary="Resolve: keep_server, take_client, edit (with value), merge_duplicates, restore",
         responses=ok(ConflictSchema),
         requestBody={"required": True, "content": {"application/json": {"schema": ResolveSchema}}})
def resolve(conflict_id: str) -> Response:
    body = json_body(ResolveSchema())
    return _run(lambda cs, a: queue.resolve(cs, a, conflict_id, body["resolution"], body["value"]))


@blp.route("/conflicts/resolve", methods=["POST"])
@blp.doc(summary="Resolve many conflicts the same way",
         responses=ok(ResolvedListSchema),
         requestBody={"required": True, "content": {"application/json": {"schema": BulkResolveSchema}}})
def resolve_many() -> Response:
    body = json_body(BulkResolveSchema())
    return _run(lambda cs, a: {"resolved": queue.resolve_many(cs, a, body["ids"], body["resolution"])})


@blp.route("/nodes", methods=["GET"])
@blp.doc(summary="Nodes registered with this server in the caller's subtree, with sync health, one page "
                 "(limit, offset; next_offset is null on the last page)",
         responses=ok(NodeListSchema))
@blp.arguments(PageArgsSchema, location="query", as_kwargs=True)
def nodes(limit: int, offset: int) -> Response:
    def _list(cs: ChangeSet, actor: Actor) -> dict[str, Any]:
        rows = list(cs.session.scalars(select(SyncNode).where(SyncNode.org_path.startswith(actor.org_path))
                                       .order_by(SyncNode.org_path, SyncNode.name, SyncNode.node_id)
                                       .offset(offset).limit(limit + 1)))
        listed, more = page(rows, limit, 0)
        return {"nodes": [node_info(n) for n in listed], "next_offset": offset + limit if more else None}
    return _run(_list)


@blp.route("/nodes/<node_id>/revoke", methods=["POST"])
@blp.doc(summary="Revoke a node's sync token",
         responses=ok(NodeSchema))
def revoke(node_id: str) -> Response:
    def _revoke(cs: ChangeSet, actor: Actor) -> dict[str, Any]:
        node = cs.session.get(SyncNode, node_id)
        if node is None or not node.org_path.startswith(actor.org_path):
            raise NotFound(f"no node {node_id}")
        node.revoked_at = utcnow()
        audit.record(cs, actor, "token_revoked", node.node_id, {"name": node.name, "org_path": node.org_path})
        return node_info(node)
    return _run(_revoke)


def node_info(n: SyncNode) -> dict[str, Any]:
    return {"node_id": n.node_id, "name": n.name, "kind": n.kind, "org_path": n.org_path,
            "last_seq": n.last_seq, "last_seen_at": n.last_seen_at.isoformat() if n.last_seen_at else None,
            "outbox_backlog": n.outbox_backlog, "revoked": n.revoked_at is not None,
            "expires_at": n.expires_at.isoformat() if n.expires_at else None, "app_version": n.app_version}
