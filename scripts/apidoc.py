"""Generate docs/api.md, the HTTP API reference, from the OpenAPI document the server serves.

    .venv/bin/python scripts/apidoc.py            # writes docs/api.md
    .venv/bin/python scripts/apidoc.py --check    # exit 1 when docs/api.md differs from what it would write

The script starts a real province server app (``sync_server.app.create_app``) on a throw-away SQLite
file, reads ``/api/openapi.json`` from it and renders every path, method, parameter, request and
response schema. The examples are real requests to that app (an org tree, two users and an events API
key written through the services); the values that change on every run (ids, tokens, times, clocks) are replaced by
placeholders such as ``<uuid-1>`` so that the output is the same on every run. tests/docs/test_docs.py
checks that the committed docs/api.md equals the output, so the reference cannot drift from the code.

What the OpenAPI document does not say (authentication per area, how the answers are used) is in
the AUTH and NOTES tables below; an area without an AUTH entry stops the
script, so a new blueprint cannot be left undocumented.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "api.md"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

METHODS = ("get", "post", "put", "patch", "delete")
PASSWORD = "itops-demo-2026"
NODE_ID = "6f1c2f4e-3b7a-4c1e-9d2a-1a2b3c4d5e6f"  # the example desktop's node id (kept, not redacted)
ADMIN_NODE_ID = "0b9e6c1a-7d2f-4e3b-8a5c-9f1e2d3c4b5a"

# Who may call what: not expressed in the OpenAPI document (no security schemes), so said here per area.
AUTH: dict[str, str] = {
    "health": "none",
    "auth": "none — the body carries username and password (20 sign-ins a minute per address; "
            "5 wrong passwords lock the username, see security.md)",
    "sync": "`Authorization: Bearer <sync token>` from `POST /api/v1/auth/login`",
    "admin": "`Authorization: Bearer <sync token>` of a user with the `admin` role; "
             "only rows of that user's subtree",
    "events": "the sending system's API key (`itops events key add`): "
              "`Authorization: Bearer <key>` or `X-API-Key: <key>`",
    "screen": "`Authorization: Bearer <sync token>` of a user of this server's tree",
}
AUTH_BY_OPERATION: dict[tuple[str, str], str] = {
    ("get", "/screen"): "none (the page itself holds no data; open it as `/screen?token=<sync token>` and it "
                        "sends the token with each `/screen/data` request)",
}

# Facts the OpenAPI document is missing, per operation.
NOTES: dict[tuple[str, str], str] = {
    ("get", "/api/v1/sync/pull"): (
        "A desktop sends `cursor`, `limit` and `protocol`; `ack` is a province's, `entity` and `digest=full` a "
        "client's repair after a digest mismatch. Unknown parameters are refused with 422. An answer with "
        "`resync: true` (and `reason`) asks the client to start again from an empty cursor (the server was "
        "restored or its change log compacted past the cursor)."),
    ("get", "/api/v1/sync/snapshot"): (
        "`snapshot` is null when the scope is small (under 20,000 rows, unless `force`): pull pages instead."),
    ("post", "/api/v1/sync/push"): (
        "Each result says what became of one mutation: `{seq, status, version, conflicts}` with status "
        "`applied`, `merged` (merged with another node's edit, the loser kept as an automatic conflict), "
        "`conflict` (waiting in the administrators' queue) or `rejected` (with `reason`: a business rule, or a "
        "row the node's user may not write, such as a catalogue entry without the role `service_manager`; the "
        "rules are in shared/sync/push_roles.py). A mutation sent "
        "again with the same sequence and hash gets its first result (idempotent). A push outside the node's "
        "write scope is refused whole with 403 `scope`; a sequence gap with 409 `gap` and `expected`; a "
        "payload that does not match its hash with 400 `bad_hash`; a push to a restored server with 409 "
        "`resync` and the server's `epoch`."),
    ("post", "/api/v1/events"): (
        "Answer 200: `{\"received\": n, \"results\": [{fingerprint, status, outcome, severity, ci, ticket, "
        "priority}]}`; 400 not JSON, 401 no or bad key, 413 over `ITOPS_EVENTS_MAX_BYTES` (1 MiB), "
        "422 not one of the formats. Payload formats: integrations.md §1."),
    ("post", "/api/v1/events/{fmt}"): "As `POST /api/v1/events`; an unknown `fmt` is 404.",
}

INTRO = """\
# ITOps HTTP API reference · 接口参考

本文档由 `scripts/apidoc.py` 根据服务器提供的 OpenAPI 文档（`/api/openapi.json`）自动生成，请勿手工修改；
测试 `tests/docs/test_docs.py` 保证它与代码一致。接口的路径、字段名和 OpenAPI 摘要均为英文标识，因此参考正文用英文；
错误信息（`message`）按请求头 `Accept-Language` 返回中文（默认）或英文。同步协议的原理见 [sync.md](sync.md)，
安全机制（锁定、令牌、限流、审计）见 [security.md](security.md)，监控告警接入见 [integrations.md](integrations.md)。

This page is generated by `scripts/apidoc.py` from the OpenAPI document that every ITOps server serves at
`GET /api/openapi.json`; do not edit it by hand (`tests/docs/test_docs.py` fails when it drifts from the code).
The examples are real requests to a province server; ids, tokens and times are replaced by placeholders
(`<uuid-1>`, `<token>`, `<time>`, `<hlc>`).

- **Base URL**: the server's address, e.g. `http://127.0.0.1:8750` (`itops server --port`). Every route is
  under `/api/v1`, except the big screen `/screen` and the OpenAPI document itself.
- **Bodies**: JSON, UTF-8. Push bodies may be gzip (`Content-Encoding: gzip`); answers of 1 KB or more are gzip
  when the request says `Accept-Encoding: gzip`. Bodies over 32 MiB are refused with 413.
- **Strict input**: unknown fields in a body are refused with 422 (`additionalProperties: false`), and so are
  unknown query parameters of the sync routes; the admin lists ignore query parameters they do not know.
- **Rate limits**: 20 sign-ins a minute per address, 600 calls a minute per token; over the limit 429 with
  `Retry-After` (`ITOPS_RATE_LOGIN`, `ITOPS_RATE_API`).
- **Request ids**: every answer carries `X-Request-Id` (the client's own when it sends a sane one); errors
  repeat it in `request_id`, and the server log names it.
- **Versions**: `GET /api/v1/health` gives the application version, the sync protocol and the schema version.
  A client whose protocol the server does not speak gets 426 with reason `upgrade`.
"""

ERRORS = """\
## Errors · 错误

Every error, whatever the route, is JSON in one shape (schema [Error](#schema-error)):

```json
{"error": {"code": 404, "status": "Not Found", "message": "未找到", "request_id": "…"}}
```

`errors` is added for validation failures (location → field → messages); sync refusals add a machine-readable
`reason` and, by reason, `expected`, `epoch` or `seq`. An unexpected failure is a 500 with no detail (its
traceback is in the server log under the request id).

| Status | When |
|---|---|
| 400 | the body is not JSON, or a service refused the request |
| 401 | no token or an unknown one; `reason`: `expired`, `revoked`, `bad_login` (wrong password) |
| 403 | the caller's roles or subtree do not allow it (`reason: scope` for a push outside the node's scope) |
| 404 | no such route, conflict, node or snapshot |
| 405 | the method is not allowed (with an `Allow` header) |
| 409 | a sync sequence gap (`reason: gap`, `expected`) or another epoch (`reason: resync`, `epoch`) |
| 413 | the body is too large |
| 422 | validation failed: unknown or missing fields, wrong types (`errors`) |
| 426 | the client's sync protocol is not supported (`reason: upgrade`) |
| 429 | too many requests or a locked username (`Retry-After` header) |
| 500 | an unexpected failure |
| 503 | health: the database does not answer |
"""


# --- reading the document -------------------------------------------------------------------------------


def openapi_document(db_path: str) -> tuple[dict[str, Any], Any]:
    """The OpenAPI document of a fresh province server, and that app (for the examples)."""
    from sync_server.app import create_app

    app = create_app({"DATABASE_URL": db_path, "ITOPS_ORG": "/HQ/GD/", "TESTING": True})
    answer = app.test_client().get("/api/openapi.json")
    if answer.status_code != 200:
        raise SystemExit(f"apidoc: /api/openapi.json answered {answer.status_code}")
    return answer.get_json(), app


def resolve(doc: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if not ref:
        return node
    target: Any = doc
    for part in ref.lstrip("#/").split("/"):
        target = target[part]
    return target  # type: ignore[no-any-return]


def schema_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_text(schema: dict[str, Any]) -> str:
    """A schema's type in a few words, linking named schemas."""
    if "$ref" in schema:
        name = schema_name(schema["$ref"])
        return f"[{name}](#schema-{name.lower()})"
    kind = schema.get("type", "any")
    if kind == "array":
        text = f"array of {type_text(schema.get('items', {}))}"
    elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        text = f"object of {type_text(schema['additionalProperties'])}"
    else:
        text = kind + (f" ({schema['format']})" if "format" in schema else "")
    if schema.get("nullable"):
        text += " or null"
    return text


def constraints(schema: dict[str, Any]) -> str:
    parts = []
    if "enum" in schema:
        parts.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"]))
    for key, word in (("minimum", "≥"), ("maximum", "≤")):
        if key in schema:
            parts.append(f"{word} {schema[key]}")
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None or high is not None:
        parts.append(f"length {low or 0}–{high if high is not None else '∞'}")
    if "minItems" in schema or "maxItems" in schema:
        parts.append(f"{schema.get('minItems', 0)}–{schema.get('maxItems', '∞')} items")
    if "pattern" in schema:
        parts.append(f"pattern `{schema['pattern']}`")
    if "default" in schema:
        parts.append(f"default `{json.dumps(schema['default'], ensure_ascii=False)}`")
    items = schema.get("items") or {}
    if isinstance(items, dict) and "$ref" not in items and items.get("type") not in (None, "object"):
        inner = constraints(items)
        if inner:
            parts.append(f"items: {inner}")
    return "; ".join(parts)


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- rendering -----------------------------------------------------------------------------------------


def render_parameters(params: list[dict[str, Any]]) -> list[str]:
    lines = ["| Parameter | In | Type | Required | Constraints | Description |", "|---|---|---|---|---|---|"]
    for p in params:
        schema = p.get("schema", {})
        lines.append(f"| `{p['name']}` | {p['in']} | {type_text(schema)} | {'yes' if p.get('required') else 'no'} "
                     f"| {cell(constraints(schema))} | {cell(p.get('description', ''))} |")
    return lines


def render_content(doc: dict[str, Any], content: dict[str, Any]) -> str:
    return "; ".join(f"`{ctype}` {type_text(body.get('schema', {}))}" for ctype, body in content.items())


def render_operation(doc: dict[str, Any], path: str, method: str, op: dict[str, Any],
                     path_params: list[dict[str, Any]], examples: dict[tuple[str, str], list[str]]) -> list[str]:
    tag = (op.get("tags") or ["untagged"])[0]
    auth = AUTH_BY_OPERATION.get((method, path)) or AUTH.get(tag)
    if auth is None:
        raise SystemExit(f"apidoc: say who may call {method.upper()} {path} (area {tag!r}) in AUTH")
    lines = [f"### `{method.upper()} {path}`", ""]
    if op.get("summary"):
        lines += [op["summary"] + ".", ""]
    lines += [f"**Authentication:** {auth}", ""]
    params = [*path_params, *op.get("parameters", [])]
    if params:
        lines += ["**Parameters**", "", *render_parameters(params), ""]
    body = op.get("requestBody")
    if body:
        required = " (required)" if body.get("required") else ""
        lines += [f"**Request body**{required}: {render_content(doc, body.get('content', {}))}", ""]
    lines += ["**Responses**", "", "| Status | Description | Body |", "|---|---|---|"]
    for status, response in sorted(op.get("responses", {}).items(), key=lambda kv: (kv[0] == "default", kv[0])):
        response = resolve(doc, response)
        lines.append(f"| {status} | {cell(response.get('description', ''))} "
                     f"| {render_content(doc, response.get('content', {}))} |")
    lines.append("")
    if (method, path) in NOTES:
        lines += [f"**Notes:** {NOTES[(method, path)]}", ""]
    for example in examples.get((method, path), []):
        lines += [example, ""]
    return lines


def render_schema(name: str, schema: dict[str, Any]) -> list[str]:
    lines = [f'<a id="schema-{name.lower()}"></a>', f"### {name}", ""]
    if schema.get("description"):
        lines += [schema["description"], ""]
    props = schema.get("properties", {})
    if not props:
        lines += [f"Type: {type_text(schema)} (any fields).", ""]
        return lines
    extra = schema.get("additionalProperties")
    lines += ["No other fields (in a request, unknown fields are refused with 422)." if extra is False
              else "Other fields may appear (the object is open).",
              ""]
    required = set(schema.get("required", []))
    lines += ["| Field | Type | Required | Constraints | Description |", "|---|---|---|---|---|"]
    for field, spec in props.items():
        lines.append(f"| `{field}` | {type_text(spec)} | {'yes' if field in required else 'no'} "
                     f"| {cell(constraints(spec))} | {cell(spec.get('description', ''))} |")
    lines.append("")
    return lines


def render(doc: dict[str, Any], examples: dict[tuple[str, str], list[str]]) -> str:
    info = doc.get("info", {})
    lines = [INTRO, f"OpenAPI {doc.get('openapi')} · {info.get('title')} {info.get('version')}", "", ERRORS]
    lines += ["## Contents · 目录", ""]
    tags = doc.get("tags", [])
    for tag in tags:
        lines.append(f"- [{tag['name']}](#area-{tag['name']}) — {tag.get('description', '')}")
    lines += ["- [Schemas](#schemas)", ""]
    by_tag: dict[str, list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]]] = {}
    for path, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["untagged"])[0]
                by_tag.setdefault(tag, []).append((path, method, op, item.get("parameters", [])))
    for tag in tags:
        name = tag["name"]
        lines += [f'<a id="area-{name}"></a>', f"## {name} — {tag.get('description', '')}", ""]
        for path, method, op, path_params in by_tag.pop(name, []):
            lines += render_operation(doc, path, method, op, path_params, examples)
    if by_tag:
        raise SystemExit(f"apidoc: operations without a declared tag: {sorted(by_tag)}")
    lines += ['<a id="schemas"></a>', "## Schemas", ""]
    for name, schema in doc.get("components", {}).get("schemas", {}).items():
        lines += render_schema(name, schema)
    return "\n".join(lines).rstrip() + "\n"


# --- examples: real requests, volatile values replaced ----------------------------------------------------

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
TIME = re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?")
HLC = re.compile(r"\b\d{13}-\d{5}-<uuid-\d+>")


class Redactor:
    """Replace run-dependent values by stable placeholders (the same value → the same placeholder)."""

    def __init__(self, keep: tuple[str, ...]) -> None:
        self.keep = set(keep)
        self.uuids: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        text = UUID.sub(self._uuid, text)
        text = HLC.sub("<hlc>", text)
        return TIME.sub("<time>", text)

    def _uuid(self, match: re.Match[str]) -> str:
        value = match.group(0)
        if value in self.keep:
            return value
        return self.uuids.setdefault(value, f"<uuid-{len(self.uuids) + 1}>")


def hide_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<token>" if k == "token" else hide_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [hide_secrets(v) for v in value]
    return value


SCALAR_LIST = re.compile(r"\[\n\s+([^\[\]{}]*?)\n\s*\]")


def compact(text: str) -> str:
    """Lists of plain values on one line (field_versions pairs, roles)."""
    return SCALAR_LIST.sub(lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",\n")) + "]", text)


def seed(engine: Any) -> str:
    """A province tree with one county, its service-desk agent, the province administrator and an
    events API key for the county (returned) — written through the services, as ``itops org add``,
    ``itops user add`` and ``itops events key add`` do."""
    from shared.services import events, org, users
    from shared.store import Store

    store = Store.attach(engine)
    for path, name, name_en in (("/HQ/", "集团总部", "Group HQ"), ("/HQ/GD/", "广东电网公司", "Guangdong"),
                                ("/HQ/GD/SZ/", "深圳供电局", "Shenzhen"), ("/HQ/GD/SZ/LH/", "龙华供电局", "Longhua")):
        with store.write() as cs:  # one transaction (one change-log seq) each, as one command each would
            org.add_org(cs, path, name, name_en)
    for username, org_path, role in (("gd_admin", "/HQ/GD/", "admin"), ("lh_desk", "/HQ/GD/SZ/LH/", "service_desk")):
        with store.write() as cs:
            users.add_user(cs, username, PASSWORD, org_path, [role])
    with store.write() as cs:
        key = events.create_key(cs.session, "prom-lh", "/HQ/GD/SZ/LH/")
    return str(key["key"])


def example_block(redact: Redactor, method: str, url: str, answer: Any, body: Any = None,
                  headers: dict[str, str] | None = None) -> str:
    request_lines = [f"{method} {url}"]
    for name, value in (headers or {}).items():
        request_lines.append(f"{name}: {value}")
    if body is not None:
        request_lines += ["", json.dumps(body, ensure_ascii=False, indent=2)]
    shown = compact(json.dumps(hide_secrets(answer.get_json()), ensure_ascii=False, indent=2))
    return redact("\n".join([
        "Example:", "", "```http", *request_lines, "```", "",
        f"Answer `{answer.status_code}`:", "", "```json", shown, "```"]))


def collect_examples(app: Any, event_key: str) -> dict[tuple[str, str], list[str]]:
    from shared.version import APP_VERSION, PROTOCOL_VERSION, SCHEMA_VERSION

    client = app.test_client()
    redact = Redactor(keep=(NODE_ID, ADMIN_NODE_ID))
    rid = {"X-Request-Id": "example-1"}
    ex: dict[tuple[str, str], list[str]] = {}

    def add(method: str, path: str, url: str, body: Any = None, headers: dict[str, str] | None = None,
            shown_headers: dict[str, str] | None = None) -> Any:
        send = {**rid, **(headers or {})}
        answer = client.open(url, method=method.upper(), json=body, headers=send)
        ex.setdefault((method, path), []).append(
            example_block(redact, method.upper(), url, answer, body, shown_headers or headers))
        return answer

    add("get", "/api/v1/health", "/api/v1/health")
    login = {"username": "lh_desk", "password": PASSWORD, "node_id": NODE_ID, "kind": "client",
             "name": "LH-PC-01", "app_version": APP_VERSION, "protocol": PROTOCOL_VERSION}
    add("post", "/api/v1/auth/login", "/api/v1/auth/login", {**login, "password": "wrong"})
    token = add("post", "/api/v1/auth/login", "/api/v1/auth/login", login).get_json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    shown = {"Authorization": "Bearer <token>"}
    push = {"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "mutations": [], "backlog": 0}
    add("post", "/api/v1/sync/push", "/api/v1/sync/push", push, bearer, shown)
    add("post", "/api/v1/sync/push", "/api/v1/sync/push", {**push, "priority": "high"}, bearer, shown)
    add("get", "/api/v1/sync/pull", "/api/v1/sync/pull?limit=1", None, bearer, shown)
    add("get", "/api/v1/sync/snapshot", "/api/v1/sync/snapshot", None, bearer, shown)
    add("get", "/api/v1/admin/nodes", "/api/v1/admin/nodes", None, bearer, shown)
    admin_login = {**login, "username": "gd_admin", "node_id": ADMIN_NODE_ID, "name": "GD-ADMIN"}
    admin = {"Authorization": "Bearer " + client.post("/api/v1/auth/login", json=admin_login).get_json()["token"]}
    add("get", "/api/v1/admin/nodes", "/api/v1/admin/nodes?limit=1", None, admin, shown)
    add("get", "/api/v1/admin/conflicts", "/api/v1/admin/conflicts?status=open", None, admin, shown)
    add("post", "/api/v1/admin/nodes/{node_id}/revoke", f"/api/v1/admin/nodes/{NODE_ID}/revoke", None, admin, shown)
    add("get", "/api/v1/sync/pull", "/api/v1/sync/pull", None, bearer, shown)
    add("post", "/api/v1/events", "/api/v1/events", {"title": "disk full"})
    alert = {"events": [{"fingerprint": "sw01-down", "status": "firing", "severity": "critical",
                         "title": "核心交换机不可达", "host": "LH-CORE-SW01", "ip": "10.21.0.1"}]}
    add("post", "/api/v1/events/{fmt}", "/api/v1/events/generic", alert, {"X-API-Key": event_key},
        {"X-API-Key": "<key>"})
    return ex


def get_state_engine(app: Any) -> Any:
    from sync_server.state import EXTENSION_KEY

    return app.extensions[EXTENSION_KEY].engine


def generate() -> str:
    with tempfile.TemporaryDirectory(prefix="itops-apidoc-") as tmp:
        db = str(Path(tmp) / "province.db")
        doc, app = openapi_document(db)
        event_key = seed(get_state_engine(app))
        examples = collect_examples(app, event_key)
        get_state_engine(app).dispose()  # close SQLite before the folder goes
    return render(doc, examples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate docs/api.md from the server's OpenAPI document.")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/api.md is not up to date")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = generate()
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run .venv/bin/python scripts/apidoc.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
