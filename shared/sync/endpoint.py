"""Transaction and error handling around the server handlers, independent of any web framework.

``SyncEndpoint.dispatch`` is what the Flask blueprint calls for each sync request, and what
``LocalTransport`` calls in-process (property tests drive whole trees through it).
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from shared.db.engine import write_session
from shared.services.errors import ServiceError
from shared.services.users import authenticate as authenticate_user
from shared.store import Store
from shared.sync import server as srv
from shared.sync import snapshot as snapshots
from shared.sync.hlc import HLC
from shared.sync.node import load_state
from shared.sync.protocol import PAGE_ROWS, SyncError, Unauthorized
from shared.sync.transport import Response, TransportError


class SyncEndpoint:
    def __init__(self, store: Store, snapshot_dir: Path | None = None, fast_engine: Engine | None = None) -> None:
        self.store = store
        # the no-change pull's reads; the server gives them an engine of their own whose pool does not
        # ping each connection it hands out (a failed read sends the pull down the full path)
        self._reader = srv.FastReader(fast_engine or store.engine)
        self.snapshot_dir = snapshot_dir or Path(tempfile.gettempdir()) / "itops-snapshots"

    def dispatch(self, method: str, path: str, body: dict[str, Any] | None, params: dict[str, Any] | None,
                 token: str | None) -> tuple[int, dict[str, Any]]:
        try:
            if (method, path) == ("POST", "/api/v1/auth/login"):
                return 200, self.login(body or {})
            if (method, path) == ("POST", "/api/v1/sync/push"):
                return 200, self.push(token, body or {})
            if (method, path) == ("GET", "/api/v1/sync/pull"):
                return 200, self.pull(token, params or {})
            if (method, path) == ("GET", "/api/v1/sync/snapshot"):
                return 200, self.snapshot(token, params or {})
        except SyncError as exc:
            return exc.status, exc.body()
        except ServiceError as exc:
            status = 401 if "password" in str(exc) else 400
            return status, {"error": {"code": status, "reason": "refused", "message": str(exc)}}
        return 404, {"error": {"code": 404, "reason": "not_found", "message": f"no route {method} {path}"}}

    def login(self, body: dict[str, Any]) -> dict[str, Any]:
        srv.check_versions(body)
        with self.store.write() as cs:
            try:
                actor = authenticate_user(cs.session, str(body.get("username", "")), str(body.get("password", "")))
            except ServiceError:
                raise Unauthorized("bad_login", "wrong username or password") from None
            result = srv.register_node(cs.session, actor, str(body.get("node_id", "")),
                                       str(body.get("kind", "client")), str(body.get("name", "")),
                                       str(body.get("app_version", "")))
            result["server_node"] = cs.state.node_id
            return result

    def push(self, token: str | None, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.write() as cs:
            node = srv.authenticate(cs.session, token)
            return srv.handle_push(cs.session, node, body)

    def pull(self, token: str | None, params: dict[str, Any]) -> dict[str, Any]:
        limit, ack = _pull_params(params)
        if _may_be_quiet(params, ack):
            quiet = self._quiet_pull(token, params.get("cursor"))
            if quiet is not None:
                return quiet
        # No ChangeSet here: a pull must not take the node_state lock that numbers commits.
        with write_session(self.store.sessions) as session:
            _snapshot_isolation(session)
            node = srv.authenticate(session, token)
            page = srv.handle_pull(session, node, params.get("cursor"), limit, ack, params.get("entity"),
                                   full_digest=params.get("digest") == "full")
            state = load_state(session)
            page["hlc"] = HLC(max(int(time.time() * 1000), int(state.hlc_wall)), 0, state.node_id).encode()
            return page

    def quiet_pull(self, token: str | None, params: dict[str, Any]) -> dict[str, Any] | None:
        """The answer to a pull when there is nothing to send, or None: the full :meth:`pull` answers
        (changes to send, other parameters, or an error to report)."""
        try:
            _limit, ack = _pull_params(params)
        except SyncError:
            return None
        return self._quiet_pull(token, params.get("cursor")) if _may_be_quiet(params, ack) else None

    def _quiet_pull(self, token: str | None, cursor: str | None) -> dict[str, Any] | None:
        """A no-change sync's pull from two reads at most (see ``srv.quiet_pull``), or None."""
        try:
            with self._reader.open() as first:
                quiet = srv.quiet_pull(first, srv.db_name(self.store.engine), token, cursor)
        except srv.ReadFailed:
            return None
        if quiet is None:
            return None
        if quiet.seen_due:
            with write_session(self.store.sessions) as session:
                srv.note_seen(session, quiet.node_id, quiet.end)
        quiet.page["hlc"] = HLC(max(int(time.time() * 1000), quiet.hlc_wall), 0, quiet.server_node).encode()
        return quiet.page

    def snapshot(self, token: str | None, params: dict[str, Any]) -> dict[str, Any]:
        """How big the caller's scope is, and (when worth it) a snapshot of it to download."""
        with write_session(self.store.sessions) as session:  # one consistent read of the scope
            _snapshot_isolation(session)
            node = srv.authenticate(session, token)
            rows = snapshots.count_in_scope(session, node)
            if rows < snapshots.SNAPSHOT_MIN_ROWS and not params.get("force"):
                return {"rows": rows, "snapshot": None}
            return {"rows": rows, "snapshot": snapshots.build(session, node, self.snapshot_dir)}

    def snapshot_file(self, token: str | None, sid: str) -> Path | None:
        with self.store.read() as session:
            srv.authenticate(session, token)
        return snapshots.file_for(self.snapshot_dir, sid)


def _pull_params(params: dict[str, Any]) -> tuple[int, int]:
    """(limit, ack) of a pull; SyncError for an incompatible protocol or a number that is not one."""
    if params.get("protocol") is not None:  # the client sends it; an incompatible one must upgrade
        srv.check_versions(params)
    try:
        return int(params.get("limit") or PAGE_ROWS), int(params.get("ack") or 0)
    except ValueError:
        raise SyncError("bad_param", "limit and ack must be integers") from None


def _may_be_quiet(params: dict[str, Any], ack: int) -> bool:
    """A plain pull, which the no-change path may answer (an ack, one entity or a full digest may not)."""
    return not params.get("entity") and not ack and params.get("digest") != "full"


def _snapshot_isolation(session: Session) -> None:
    """A page and its digest must come from one snapshot (PostgreSQL defaults to READ COMMITTED)."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


class LocalTransport:
    """In-process transport with the wire's JSON and gzip, for tests and benchmarks."""

    def __init__(self, endpoint: SyncEndpoint) -> None:
        self.endpoint = endpoint
        self.bytes_sent = 0
        self.bytes_received = 0

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response:
        raw = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        sent = len(gzip.compress(raw)) if raw else 0
        self.bytes_sent += sent
        status, answer = self.endpoint.dispatch(method, path, json.loads(raw) if raw else None,
                                                dict(params or {}), token)
        out = json.dumps(answer, ensure_ascii=False).encode()
        received = len(gzip.compress(out))
        self.bytes_received += received
        if status >= 500:
            raise TransportError(f"server error {status}")
        return Response(status, json.loads(out), sent, received)
