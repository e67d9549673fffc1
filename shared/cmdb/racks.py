"""Rack positions: room → rack → U. Each occupied U is a ``RackUnit`` row whose id is
uuid5(rack id, U), so a U cannot be double-booked locally (checked here) nor across offline nodes
(the two bookings are one row at the merge authority: a field conflict on ``ci_id``)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.cmdb import CIRelation, ConfigItem, RackUnit
from shared.services import cmdb
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.sync.capture import ChangeSet

RACK_NAMESPACE = uuid.UUID("5d7e9a31-4c2b-4f0e-9b6a-1e3c8d2f7a45")
DEFAULT_U = 42


def rack_unit_id(rack_id: str, u: int) -> str:
    return str(uuid.uuid5(RACK_NAMESPACE, f"{rack_id}|{u}"))


def height_of(ci: ConfigItem) -> int:
    try:
        return max(1, int((ci.attributes or {}).get("u_height") or 1))
    except (TypeError, ValueError):
        return 1


def rack_size(rack: ConfigItem) -> int:
    try:
        return int((rack.attributes or {}).get("u_count") or DEFAULT_U)
    except (TypeError, ValueError):
        return DEFAULT_U


def occupancy(session: Session, rack_id: str) -> dict[int, str]:
    """U → CI id of the occupied positions of a rack."""
    rows = session.scalars(select(RackUnit).where(RackUnit.rack_id == rack_id, RackUnit.deleted.is_(False)))
    return {r.u: r.ci_id for r in rows}


def position_of(session: Session, ci_id: str) -> tuple[str, list[int]] | None:
    rows = list(session.scalars(select(RackUnit).where(RackUnit.ci_id == ci_id, RackUnit.deleted.is_(False))
                                .order_by(RackUnit.u)))
    if not rows:
        return None
    return rows[0].rack_id, [r.u for r in rows]


def free(cs: ChangeSet, ci: ConfigItem) -> list[int]:
    """Release the CI's rack positions and its 'located in rack' relation; returns the freed Us."""
    freed = []
    for row in cs.session.scalars(select(RackUnit).where(RackUnit.ci_id == ci.id, RackUnit.deleted.is_(False))):
        cs.unlink(row)
        freed.append(row.u)
        rel = cs.session.get(CIRelation, cmdb.relation_id(ci.id, row.rack_id, "located_in"))
        if rel is not None and not rel.deleted:
            cs.unlink(rel)
    return sorted(freed)


def place(cs: ChangeSet, actor: Actor, ci_ref: str, rack_ref: str, u: int, height: int | None = None,
          ) -> dict[str, Any]:
    """Put a CI into a rack at U ``u`` (its lowest U) for ``height`` units (default: its u_height)."""
    session = cs.session
    ci = cmdb._load(session, actor, ci_ref)
    rack = cmdb._load(session, actor, rack_ref)
    if rack.ci_class != "rack":
        raise Invalid(f"{rack.name} is a {rack.ci_class}, not a rack")
    actor.require_scope(ci.owner_path)
    h = height or height_of(ci)
    units = list(range(u, u + h))
    if u < 1 or units[-1] > rack_size(rack):
        raise Invalid(f"U{u}–U{units[-1]} does not fit in {rack.name} (U1–U{rack_size(rack)})")
    taken = occupancy(session, rack.id)
    clash = sorted(n for n in units if taken.get(n) not in (None, ci.id))
    if clash:
        other = session.get(ConfigItem, taken[clash[0]])
        raise Invalid(f"{rack.name} U{clash[0]} is taken by {other.name if other else taken[clash[0]]}")
    previous = position_of(session, ci.id)
    if previous != (rack.id, units):
        free(cs, ci)
    for n in units:
        row = cs.link(RackUnit, ci.owner_path, rack_unit_id(rack.id, n), {"rack_id": rack.id, "u": n, "ci_id": ci.id})
        if row.ci_id != ci.id:  # a freed position coming back for another CI
            cs.update(row, {"ci_id": ci.id})
    rel = cs.link(CIRelation, ci.owner_path, cmdb.relation_id(ci.id, rack.id, "located_in"),
                  {"source_id": ci.id, "target_id": rack.id, "rel_type": "located_in",
                   "attributes": {"u": u, "height": h}})
    cs.update(rel, {"attributes": {"u": u, "height": h}})
    where = f"{_room_name(session, rack)}{rack.name} U{u:02d}" + (f"-U{units[-1]:02d}" if h > 1 else "")
    cs.update(ci, {"location": where.strip()})
    return {"ci_id": ci.id, "rack_id": rack.id, "units": units, "location": ci.location}


def _room_name(session: Session, rack: ConfigItem) -> str:
    rel = session.scalar(select(CIRelation).where(CIRelation.source_id == rack.id,
                                                  CIRelation.rel_type == "located_in",
                                                  CIRelation.deleted.is_(False)))
    room = session.get(ConfigItem, rel.target_id) if rel else None
    return f"{room.name} " if room else ""
