"""marshmallow schemas at the edge: requests are checked here before any handler runs.
Unknown fields are refused (marshmallow's default RAISE)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from sync_server.paging import PageArgsSchema

UUID_RE = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
MAX_SEQ = 2**63 - 1  # sequence numbers are 64-bit integers in the database
OPS = ("create", "update", "delete", "restore", "append", "link", "unlink")


class LoginSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=validate.Length(1, 64))
    password = ma.fields.String(required=True, validate=validate.Length(1, 1024))
    node_id = ma.fields.String(required=True, validate=validate.Regexp(UUID_RE, error="node_id must be a UUID"))
    kind = ma.fields.String(load_default="client", validate=validate.OneOf(("client", "province")))
    name = ma.fields.String(load_default="", validate=validate.Length(0, 120))
    app_version = ma.fields.String(load_default="", validate=validate.Length(0, 32))
    protocol = ma.fields.Integer(required=True)


class MutationSchema(ma.Schema):
    seq = ma.fields.Integer(required=True, validate=validate.Range(min=1))
    tx = ma.fields.String(required=True, validate=validate.Length(1, 36))
    op = ma.fields.String(required=True, validate=validate.OneOf(OPS))
    entity = ma.fields.String(required=True, validate=validate.Length(1, 48))
    id = ma.fields.String(required=True, validate=validate.Length(36, 36))
    owner = ma.fields.String(required=True, validate=validate.Regexp(r"^/(?:[A-Z0-9]{1,16}/)+$"))
    base = ma.fields.Integer(required=True, validate=validate.Range(min=0))
    changes = ma.fields.Dict(keys=ma.fields.String(validate=validate.Length(1, 120)),
                             values=ma.fields.List(ma.fields.Raw(allow_none=True), validate=validate.Length(2, 2)),
                             required=True)
    hlc = ma.fields.String(required=True, validate=validate.Length(0, 80))
    user = ma.fields.String(required=True, allow_none=True)
    schema = ma.fields.Integer(required=True)
    hash = ma.fields.String(required=True, validate=validate.Length(64, 64))


class ReplicaRowSchema(ma.Schema):
    e = ma.fields.String(required=True, validate=validate.Length(1, 48))
    d = ma.fields.Dict(required=True)


class PushSchema(ma.Schema):
    protocol = ma.fields.Integer(required=True)
    schema = ma.fields.Integer(required=True)
    epoch = ma.fields.String(allow_none=True, load_default=None)
    mutations = ma.fields.List(ma.fields.Nested(MutationSchema), load_default=list,
                               validate=validate.Length(0, 20000))
    rows = ma.fields.List(ma.fields.Nested(ReplicaRowSchema), load_default=list,
                          validate=validate.Length(0, 20000))
    backlog = ma.fields.Integer(load_default=0)
    after_resync = ma.fields.Boolean(load_default=False)


class PullArgs(ma.Schema):
    """The pull's query. The route checks the query every desktop sends by hand (``pull_args``) and loads
    anything else with this schema; the OpenAPI document declares it (``@blp.doc(parameters=…)``)."""

    cursor = ma.fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f-]{0,36}:\d{1,19}$"), metadata={
        "description": "epoch:seq from the previous page (omitted on a first pull)"})
    limit = ma.fields.Integer(load_default=500, validate=validate.Range(1, 5000), metadata={
        "description": "changes per page (1–5000, default 500)"})
    ack = ma.fields.Integer(load_default=0, validate=validate.Range(0, MAX_SEQ), metadata={
        "description": "a province: the highest forwarded sequence it has merged (HQ drops those)"})
    entity = ma.fields.String(load_default=None, validate=validate.Length(1, 48), metadata={
        "description": "pull one entity only (a scoped repair)"})
    protocol = ma.fields.Integer(load_default=None, metadata={
        "description": "the client's sync protocol version (426 upgrade when the server does not speak it)"})
    digest = ma.fields.String(load_default=None, validate=validate.OneOf(("full",)), metadata={
        "description": "full: per-entity digests on the last page instead of one total"})


class SnapshotArgs(ma.Schema):
    force = ma.fields.Boolean(load_default=False, metadata={
        "description": "build a snapshot whatever the size of the scope (by default only from 20,000 rows)"})


class ConflictListArgs(PageArgsSchema):
    status = ma.fields.String(load_default="open", validate=validate.OneOf(("open", "auto", "resolved", "all")),
                              metadata={"description": "open (default: waiting for a decision), auto (decided by "
                                                       "the merge rules, for information), resolved, or all"})


class ResolveSchema(ma.Schema):
    resolution = ma.fields.String(required=True, validate=validate.OneOf(
        ("keep_server", "take_client", "edit", "merge_duplicates", "restore")))
    value = ma.fields.Raw(load_default=None, allow_none=True)


class BulkResolveSchema(ResolveSchema):
    ids = ma.fields.List(ma.fields.String(validate=validate.Length(36, 36)), required=True,
                         validate=validate.Length(1, 1000))


# -- answers (documented in /api/openapi.json; fields may be added, so unknown ones are allowed) ----------
class _Open(ma.Schema):
    class Meta:
        unknown = ma.INCLUDE


class ScopeSchema(_Open):
    kind = ma.fields.String(required=True)
    org_path = ma.fields.String(required=True)
    user_id = ma.fields.String(allow_none=True)
    username = ma.fields.String()
    roles = ma.fields.List(ma.fields.String())


class LoginAnswerSchema(_Open):
    token = ma.fields.String(required=True, metadata={"description": "The sync token (Bearer); keep it secret"})
    node_id = ma.fields.String(required=True)
    epoch = ma.fields.String(required=True, metadata={"description": "The server's epoch (changes on restore)"})
    scope = ma.fields.Nested(ScopeSchema, required=True)
    expires_at = ma.fields.String(required=True, metadata={"description": "Token expiry, ISO 8601 UTC"})
    server_node = ma.fields.String()


class PushAnswerSchema(_Open):
    results = ma.fields.List(ma.fields.Dict(), required=True,
                             metadata={"description": "Per sequence number: status, version, conflicts"})
    last_seq = ma.fields.Integer(required=True)
    replicated = ma.fields.Integer(required=True)
    epoch = ma.fields.String(required=True)


class PullPageSchema(_Open):
    """A page of changes, or ``{"resync": true, "epoch", "reason"}`` after a restore."""

    resync = ma.fields.Boolean()
    reason = ma.fields.String()
    epoch = ma.fields.String()
    cursor = ma.fields.String(metadata={"description": "epoch:seq to send with the next pull"})
    more = ma.fields.Boolean()
    changes = ma.fields.List(ma.fields.Dict(), metadata={"description": "{e: entity, d: row}"})
    digest = ma.fields.Dict(metadata={"description": "On the last page: entity (or *) → [count, hash]"})
    forwarded = ma.fields.List(ma.fields.Dict())
    server_node = ma.fields.String()
    hlc = ma.fields.String()


class SnapshotAnswerSchema(_Open):
    rows = ma.fields.Integer(required=True)
    snapshot = ma.fields.Dict(allow_none=True, required=True)


class ConflictListSchema(_Open):
    conflicts = ma.fields.List(ma.fields.Dict(), required=True)


class ResolvedListSchema(_Open):
    resolved = ma.fields.List(ma.fields.Dict(), required=True)


class NodeSchema(_Open):
    node_id = ma.fields.String(required=True)
    name = ma.fields.String()
    kind = ma.fields.String()
    org_path = ma.fields.String()
    last_seq = ma.fields.Integer()
    last_seen_at = ma.fields.String(allow_none=True)
    outbox_backlog = ma.fields.Integer()
    revoked = ma.fields.Boolean()
    expires_at = ma.fields.String(allow_none=True)
    app_version = ma.fields.String()


class NodeListSchema(_Open):
    nodes = ma.fields.List(ma.fields.Nested(NodeSchema), required=True)


def ok(schema: type[ma.Schema] | ma.Schema, description: str = "OK") -> dict:
    """``@blp.doc(responses=ok(X))``: document a 200 JSON answer (the views build their responses)."""
    return {"200": {"description": description, "content": {"application/json": {"schema": schema}}}}


GZIP_FILE = {"200": {"description": "The snapshot file (gzip JSON lines); 206 for a Range request",
                     "content": {"application/gzip": {"schema": {"type": "string", "format": "binary"}}}},
             "206": {"description": "Part of the snapshot file",
                     "content": {"application/gzip": {"schema": {"type": "string", "format": "binary"}}}}}


class ConflictSchema(_Open):
    """A conflict row (base, server and client values, both authors; ``current_row`` when shown)."""

    id = ma.fields.String(required=True)
    kind = ma.fields.String(required=True)
    entity = ma.fields.String(required=True)
    row_id = ma.fields.String(required=True)
    status = ma.fields.String(required=True)


class OpenObjectSchema(_Open):
    """A JSON object whose fields are described by the operation (documents the shape, not every key)."""


HTML_PAGE = {"200": {"description": "An HTML page",
                     "content": {"text/html": {"schema": {"type": "string"}}}}}
