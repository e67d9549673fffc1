"""marshmallow schemas at the edge: requests are checked here before any handler runs.
Unknown fields are refused (marshmallow's default RAISE)."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

OPS = ("create", "update", "delete", "restore", "append", "link", "unlink")


class LoginSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=validate.Length(1, 64))
    password = ma.fields.String(required=True, validate=validate.Length(1, 1024))
    node_id = ma.fields.String(required=True, validate=validate.Length(36, 36))
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
    cursor = ma.fields.String(load_default=None, validate=validate.Regexp(r"^[0-9a-f-]{0,36}:\d{1,19}$"))
    limit = ma.fields.Integer(load_default=500, validate=validate.Range(1, 5000))
    ack = ma.fields.Integer(load_default=0, validate=validate.Range(min=0))
    entity = ma.fields.String(load_default=None, validate=validate.Length(1, 48))
    protocol = ma.fields.Integer(load_default=None)
    digest = ma.fields.String(load_default=None, validate=validate.OneOf(("full",)))


class ResolveSchema(ma.Schema):
    resolution = ma.fields.String(required=True, validate=validate.OneOf(
        ("keep_server", "take_client", "edit", "merge_duplicates", "restore")))
    value = ma.fields.Raw(load_default=None, allow_none=True)


class BulkResolveSchema(ResolveSchema):
    ids = ma.fields.List(ma.fields.String(validate=validate.Length(36, 36)), required=True,
                         validate=validate.Length(1, 1000))
