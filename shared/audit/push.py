"""What a server accepts of audit entries pushed by a node: new entries of that node's own chain."""

from __future__ import annotations

from typing import Any

ENTITY = "audit_events"


def audit_refusal(node_id: str, node_org: str, mutation: dict[str, Any]) -> str:
    """Why a pushed mutation of the audit log is refused ('' when it is an honest append).

    Only ``append`` is taken (an update, delete or a ``create`` over an existing id could rewrite
    history), and only entries of the pushing node's own chain, owned by its own org unit."""
    if mutation.get("entity") != ENTITY:
        return ""
    if mutation.get("op") != "append":
        return f"audit entries are append-only: {mutation.get('op')} refused"
    changes = mutation.get("changes") or {}
    made_by = (changes.get("node_id") or [None, None])[1]
    if made_by != node_id or mutation.get("owner") != node_org:
        return "an audit entry may only be appended to the pushing node's own chain"
    return ""
