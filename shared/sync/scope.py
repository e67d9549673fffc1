"""Read and write scope of a node, as SQL filters over the change log and as predicates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, false, or_, true

from shared.models.sync import ChangeLogEntry
from shared.sync.node import in_subtree

# Read everywhere: the org tree (and, later, HQ-published reference data).
GLOBAL_ENTITIES = ("org_units",)
# Read from one's ancestors too: the people and teams a county may assign work to, and the
# reference data (SLAs, calendars, suppliers, catalogue) a province defines for its subtree, and the
# tasks a province issues below it with their urges and review verdicts (work entries).
ANCESTOR_VISIBLE = ("users", "teams", "team_members", "catalog_entries", "tasks", "work_entries")
# Written only on servers by administrators (never accepted from a desktop push).
SERVER_ONLY = ("org_units", "users", "conflicts")
# Flow upward only: never read from an ancestor, not even from /HQ/ (HQ's own audit log stays at HQ).
UPWARD_ONLY = ("audit_events",)


def ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def read_filter(kind: str, org_path: str) -> Any:
    """SQL condition on ChangeLogEntry for what a node may pull."""
    log = ChangeLogEntry
    shared_rows = or_(
        log.entity.in_(GLOBAL_ENTITIES),
        and_(log.owner_path == "/HQ/", log.entity.not_in(UPWARD_ONLY)),
        and_(log.owner_path.in_(ancestors(org_path)), log.entity.in_(ANCESTOR_VISIBLE)),
    )
    if kind == "province":
        # A province is the authority for its own subtree: it only needs what HQ owns.
        return and_(shared_rows, ~log.owner_path.startswith(org_path))
    return or_(log.owner_path.startswith(org_path), shared_rows)


def row_filter(cls: Any, entity: str, kind: str, org_path: str) -> Any:
    """The same rule as ``read_filter``, over an entity's own table (for snapshots)."""
    shared_rows = or_(and_(cls.owner_path == "/HQ/", false() if entity in UPWARD_ONLY else true()),
                      true() if entity in GLOBAL_ENTITIES else false(),
                      and_(true() if entity in ANCESTOR_VISIBLE else false(),
                           cls.owner_path.in_(ancestors(org_path))))
    if kind == "province":
        return and_(shared_rows, ~cls.owner_path.startswith(org_path))
    return or_(cls.owner_path.startswith(org_path), shared_rows)


def can_read(kind: str, org_path: str, entity: str, owner_path: str) -> bool:
    shared_row = (entity in GLOBAL_ENTITIES or (owner_path == "/HQ/" and entity not in UPWARD_ONLY)
                  or (owner_path in ancestors(org_path) and entity in ANCESTOR_VISIBLE))
    if kind == "province":
        return shared_row and not in_subtree(owner_path, org_path)
    return in_subtree(owner_path, org_path) or shared_row


def can_write(kind: str, org_path: str, entity: str, owner_path: str) -> bool:
    if kind == "client" and entity in SERVER_ONLY:
        return False
    return in_subtree(owner_path, org_path)
