"""Field-level three-way merge at the merge authority. Pure functions, no database.

For each changed field f of a mutation with base version B (design/sync.md):
1. the authority has not changed f since B (or the last change of f came from the same
   node, whose outbox is ordered) → fast-forward;
2. it changed f since B to the same value → nothing to do;
3. it changed f since B to another value → HARD conflict, resolved provisionally by the
   field's policy; 4. only other fields changed → SOFT (auto-merged, recorded).

Provisional winners are deterministic and independent of arrival order and of clocks:
the value with the greater content hash wins. (HLC wall time would let a county PC with
a clock hours ahead win every conflict — invariant 12 forbids that.) The loser is always
kept in a conflict record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.sync.codec import digest, get_field, set_field

POLICIES = ("lww", "queue", "append", "state_machine")
QUEUE_BY_DEFAULT = frozenset({"status", "state", "assignee_id", "owner_id", "location", "serial"})

TransitionCheck = Callable[[str, dict[str, Any], Any, Any], bool]


def policy_for(policies: dict[str, str], fieldname: str) -> str:
    col = fieldname.split(".", 1)[0]
    if fieldname in policies:
        return policies[fieldname]
    if col in policies:
        return policies[col]
    return "queue" if col in QUEUE_BY_DEFAULT else "lww"


def value_rank(value: Any) -> str:
    return digest(value)


@dataclass
class RowState:
    """The authority's current row: column values (canonical), version, tombstone, field versions."""

    values: dict[str, Any]
    version: int
    deleted: bool
    field_versions: dict[str, list[Any]]


@dataclass
class Mutation:
    op: str
    entity: str
    row_id: str
    owner_path: str
    base_version: int
    changes: dict[str, list[Any]]  # field -> [old, new]
    node: str
    user: str | None = None
    hlc: str = ""


@dataclass
class ConflictSpec:
    kind: str  # field | illegal_transition | update_vs_delete | delete_vs_update | soft | rejected
    field: str = ""
    base_value: Any = None
    server_value: Any = None
    client_value: Any = None
    server_node: str = ""
    status: str = "open"  # open | auto
    reason: str = ""


@dataclass
class MergeResult:
    values: dict[str, Any]
    deleted: bool
    applied: dict[str, Any] = field(default_factory=dict)  # fields whose value changed now
    conflicts: list[ConflictSpec] = field(default_factory=list)
    created: bool = False
    changed_meta: bool = False  # tombstone flag changed

    @property
    def changed(self) -> bool:
        return bool(self.applied) or self.created or self.changed_meta


def _changed_since(fv: list[Any] | None, base: int, node: str) -> bool:
    if not fv:
        return False
    version, author = fv[0], fv[1]
    return version > base and author != node


def merge(current: RowState | None, m: Mutation, policies: dict[str, str],
          check_transition: TransitionCheck | None = None) -> MergeResult:
    if m.op in ("create", "append", "link"):
        if current is None:
            values: dict[str, Any] = {}
            for f, (_old, new) in m.changes.items():
                set_field(values, f, new)
            return MergeResult(values=values, deleted=False, applied=dict(_new_values(m)), created=True)
        if m.op == "append":
            return MergeResult(values=dict(current.values), deleted=current.deleted)
        result = _merge_fields(current, m, policies, check_transition)
        if current.deleted and m.op == "link":
            result.deleted, result.changed_meta = False, True
        return result
    if current is None:
        return MergeResult(values={}, deleted=True, conflicts=[ConflictSpec(
            kind="rejected", reason=f"{m.op} of a row the server does not have")])
    if m.op == "update":
        if current.deleted:
            return MergeResult(values=dict(current.values), deleted=True, conflicts=[ConflictSpec(
                kind="update_vs_delete", client_value=dict(_new_values(m)),
                reason="the row was deleted; the edit is kept here and the row can be restored")])
        return _merge_fields(current, m, policies, check_transition)
    if m.op in ("delete", "unlink"):
        if current.deleted:
            return MergeResult(values=dict(current.values), deleted=True)
        lost = {f: get_field(current.values, f) for f, fv in current.field_versions.items()
                if _changed_since(fv, m.base_version, m.node)}
        conflicts = [ConflictSpec(kind="delete_vs_update", server_value=lost, status="open",
                                  reason="deleted while another node edited it; the delete wins")] if lost else []
        return MergeResult(values=dict(current.values), deleted=True, changed_meta=True, conflicts=conflicts)
    if m.op == "restore":
        result = MergeResult(values=dict(current.values), deleted=False, changed_meta=current.deleted)
        return result
    raise ValueError(f"unknown operation {m.op!r}")


def _new_values(m: Mutation) -> dict[str, Any]:
    return {f: change[1] for f, change in m.changes.items()}


def _merge_fields(current: RowState, m: Mutation, policies: dict[str, str],
                  check_transition: TransitionCheck | None) -> MergeResult:
    values = dict(current.values)
    for col, val in values.items():  # copy documents so the caller's state is untouched
        if isinstance(val, dict):
            values[col] = dict(val)
    result = MergeResult(values=values, deleted=current.deleted)
    hard_or_soft = False
    for f, (old, new) in sorted(m.changes.items()):
        fv = current.field_versions.get(f)
        server_value = get_field(current.values, f)
        if not _changed_since(fv, m.base_version, m.node):
            if server_value != new:
                set_field(values, f, new)
                result.applied[f] = new
            continue
        hard_or_soft = True
        if server_value == new:
            continue
        policy = policy_for(policies, f)
        server_node = fv[1] if fv else ""
        if policy == "state_machine":
            # the hook sees the row as the client wrote it (e.g. the action it ran) over the server's
            client_view = dict(current.values)
            for cf, (_o, cn) in m.changes.items():
                set_field(client_view, cf, cn)
            legal = check_transition is not None and check_transition(m.entity, client_view,
                                                                       server_value, new)
            if legal:
                set_field(values, f, new)
                result.applied[f] = new
            else:
                result.conflicts.append(ConflictSpec(
                    kind="illegal_transition", field=f, base_value=old, server_value=server_value,
                    client_value=new, server_node=server_node,
                    reason=f"transition {server_value!r} → {new!r} is not allowed"))
            continue
        client_wins = value_rank(new) > value_rank(server_value)
        result.conflicts.append(ConflictSpec(
            kind="field", field=f, base_value=old, server_value=server_value, client_value=new,
            server_node=server_node, status="auto" if policy in ("lww", "append") else "open",
            reason="client value provisionally wins" if client_wins else "server value provisionally wins"))
        if client_wins:
            set_field(values, f, new)
            result.applied[f] = new
    if not hard_or_soft and m.base_version < current.version and result.applied:
        others = sorted(f for f, fv in current.field_versions.items()
                        if _changed_since(fv, m.base_version, m.node) and f not in m.changes)
        if others:
            result.conflicts.append(ConflictSpec(kind="soft", status="auto",
                                                 reason="auto-merged with " + ", ".join(others)))
    return result
