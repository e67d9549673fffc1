"""Display texts of the conflict queue: kinds, statuses, resolutions, entities, values and authors."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CTX = "ConflictLabels"
TAKE_CLIENT_KINDS = frozenset({"field", "illegal_transition", "update_vs_delete", "delete_vs_update"})
EDIT_KINDS = frozenset({"field", "illegal_transition"})
RESTORE_KINDS = frozenset({"update_vs_delete", "delete_vs_update"})

KINDS = {
    "field": QT_TRANSLATE_NOOP("ConflictLabels", "Field conflict"),
    "illegal_transition": QT_TRANSLATE_NOOP("ConflictLabels", "Illegal state change"),
    "update_vs_delete": QT_TRANSLATE_NOOP("ConflictLabels", "Edited after delete"),
    "delete_vs_update": QT_TRANSLATE_NOOP("ConflictLabels", "Deleted while edited"),
    "duplicate": QT_TRANSLATE_NOOP("ConflictLabels", "Duplicate record"),
    "rejected": QT_TRANSLATE_NOOP("ConflictLabels", "Rejected change"),
    "soft": QT_TRANSLATE_NOOP("ConflictLabels", "Auto-merged edits"),
}
STATUSES = {
    "open": QT_TRANSLATE_NOOP("ConflictLabels", "Open"),
    "auto": QT_TRANSLATE_NOOP("ConflictLabels", "Auto-merged"),
    "resolved": QT_TRANSLATE_NOOP("ConflictLabels", "Resolved"),
}
RESOLUTIONS = {
    "keep_server": QT_TRANSLATE_NOOP("ConflictLabels", "kept the server value"),
    "take_client": QT_TRANSLATE_NOOP("ConflictLabels", "took the client value"),
    "edit": QT_TRANSLATE_NOOP("ConflictLabels", "changed by hand"),
    "merge_duplicates": QT_TRANSLATE_NOOP("ConflictLabels", "merged duplicates"),
    "restore": QT_TRANSLATE_NOOP("ConflictLabels", "restored"),
}
ENTITIES = {
    "tickets": QT_TRANSLATE_NOOP("ConflictLabels", "Ticket"),
    "ticket_entries": QT_TRANSLATE_NOOP("ConflictLabels", "Ticket entry"),
    "config_items": QT_TRANSLATE_NOOP("ConflictLabels", "Configuration item"),
    "ci_relations": QT_TRANSLATE_NOOP("ConflictLabels", "CI relation"),
    "users": QT_TRANSLATE_NOOP("ConflictLabels", "User"),
    "org_units": QT_TRANSLATE_NOOP("ConflictLabels", "Org unit"),
    "teams": QT_TRANSLATE_NOOP("ConflictLabels", "Team"),
    "team_members": QT_TRANSLATE_NOOP("ConflictLabels", "Team member"),
    "machine_rooms": QT_TRANSLATE_NOOP("ConflictLabels", "Machine room"),
    "room_logs": QT_TRANSLATE_NOOP("ConflictLabels", "Room log"),
    "form_records": QT_TRANSLATE_NOOP("ConflictLabels", "Work form"),
    "conflicts": QT_TRANSLATE_NOOP("ConflictLabels", "Conflict"),
}
FIELDS = {
    "assignee_id": QT_TRANSLATE_NOOP("ConflictLabels", "Assignee"),
    "team_id": QT_TRANSLATE_NOOP("ConflictLabels", "Team"),
    "state": QT_TRANSLATE_NOOP("ConflictLabels", "State"),
    "priority": QT_TRANSLATE_NOOP("ConflictLabels", "Priority"),
    "title": QT_TRANSLATE_NOOP("ConflictLabels", "Title"),
    "caller_id": QT_TRANSLATE_NOOP("ConflictLabels", "Caller"),
}

REASONS = {  # the merge's fixed reasons (shared/sync/merge.py); others are shown as the server wrote them
    "client value provisionally wins": QT_TRANSLATE_NOOP(
        "ConflictLabels", "The client value is in place for now"),
    "server value provisionally wins": QT_TRANSLATE_NOOP(
        "ConflictLabels", "The server value is in place for now"),
    "the row was deleted; the edit is kept here and the row can be restored": QT_TRANSLATE_NOOP(
        "ConflictLabels", "The record was deleted; the edit is kept here and the record can be restored"),
    "deleted while another node edited it; the delete wins": QT_TRANSLATE_NOOP(
        "ConflictLabels", "Deleted while another node edited it; the delete is in place"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _name(table: dict[str, object], key: str) -> str:
    return _t(str(table[key])) if key in table else key


def kind_name(kind: str) -> str:
    return _name(KINDS, kind)


def status_name(status: str, resolution: str = "") -> str:
    text = _name(STATUSES, status)
    return f"{text} · {resolution_name(resolution)}" if status == "resolved" and resolution else text


def resolution_name(resolution: str) -> str:
    return _name(RESOLUTIONS, resolution)


def entity_name(entity: str) -> str:
    return _name(ENTITIES, entity)


def field_name(field: str) -> str:
    return _name(FIELDS, field)


def reason_text(reason: str) -> str:
    return _name(REASONS, reason)


def value_text(value: Any, names: dict[str, str]) -> str:
    """A stored value for a person: a user id as the user's name, documents as compact JSON."""
    if value is None or value == "":
        return QCoreApplication.translate("ConflictLabels", "(empty)")
    if isinstance(value, str):
        name = names.get(value)
        return f"{name} [{value[:8]}]" if name else value
    if isinstance(value, bool):
        return (QCoreApplication.translate("ConflictLabels", "yes") if value
                else QCoreApplication.translate("ConflictLabels", "no"))
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def author_text(author: str, node: str, names: dict[str, str]) -> str:
    """``lh_tech@/HQ/GD/SZ/LH/ [1a2b3c4d]``: the node's name (or id) and its short id."""
    name = names.get(author) or names.get(node) or author
    short = node[:8] if node else ""
    if name and short and not name.startswith(short):
        return f"{name} [{short}]"
    return name or short or QCoreApplication.translate("ConflictLabels", "(unknown)")
