"""Cross-ticket rules: problem proposals (the same CI or category with ≥ N incidents in 30 days and no
open problem for it) and the change calendar with its conflict warning (two changes touching the same
CI in overlapping windows)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.tickets import Ticket
from shared.processes.calendar import CHINA
from shared.processes.engine import process
from shared.services.actor import Actor
from shared.services.errors import NotFound
from shared.sync.codec import row_to_dict

ACTIVE_CHANGE_STATES = ("new", "assess", "authorize", "scheduled", "implement")


def problem_proposals(session: Session, actor: Actor, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or utcnow()
    options = process("problem").options
    threshold, days = int(options.get("proposal_threshold", 3)), int(options.get("proposal_days", 30))
    scope = Ticket.owner_path.startswith(actor.org_path)
    incidents = session.scalars(select(Ticket).where(scope, Ticket.process == "incident", Ticket.deleted.is_(False),
                                                     Ticket.opened_at >= now - timedelta(days=days)))
    groups: dict[tuple[str, str], list[Ticket]] = defaultdict(list)
    for t in incidents:
        if t.ci_id:
            groups[("ci", t.ci_id)].append(t)
        if t.category:
            groups[("category", t.category)].append(t)
    open_problems = list(session.scalars(select(Ticket).where(
        scope, Ticket.process == "problem", Ticket.deleted.is_(False), Ticket.closed_at.is_(None))))
    covered = {("ci", p.ci_id) for p in open_problems if p.ci_id} | {
        ("category", p.category) for p in open_problems if p.category}
    result = []
    for key, tickets in groups.items():
        if len(tickets) >= threshold and key not in covered:
            result.append({"by": key[0], "value": key[1], "count": len(tickets),
                           "incidents": sorted(t.number for t in tickets),
                           "title": f"{key[1]} 30 天内 {len(tickets)} 起事件，建议建立问题单"})
    return sorted(result, key=lambda r: (-r["count"], r["by"], r["value"]))


def _window(t: Ticket) -> tuple[datetime, datetime] | None:
    data = t.data or {}
    try:
        start = datetime.fromisoformat(str(data["planned_start"]))
        end = datetime.fromisoformat(str(data["planned_end"]))
    except (KeyError, ValueError):
        return None
    return _aware(start), _aware(end)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=CHINA)


def _cis(t: Ticket) -> set[str]:
    return set((t.data or {}).get("affected_cis") or []) | ({t.ci_id} if t.ci_id else set())


def change_calendar(session: Session, actor: Actor, start: datetime, end: datetime) -> list[dict[str, Any]]:
    """Changes with a planned window overlapping [start, end), each with the changes it clashes with."""
    rows = [t for t in session.scalars(select(Ticket).where(
        Ticket.owner_path.startswith(actor.org_path), Ticket.process == "change", Ticket.deleted.is_(False),
        Ticket.state.in_((*ACTIVE_CHANGE_STATES, "review", "closed"))))]
    windows = {t.id: w for t in rows if (w := _window(t)) is not None}
    result = []
    for t in rows:
        w = windows.get(t.id)
        if w is None or w[1] <= start or w[0] >= end:
            continue
        clashes = [o.number for o in rows if o.id != t.id and _clash(t, w, o, windows.get(o.id))]
        result.append({**row_to_dict(t), "window": [w[0].isoformat(), w[1].isoformat()], "conflicts": clashes})
    return sorted(result, key=lambda r: r["window"][0])


def _clash(t: Ticket, w: tuple[datetime, datetime], other: Ticket, ow: tuple[datetime, datetime] | None) -> bool:
    if ow is None or other.state not in ACTIVE_CHANGE_STATES:
        return False
    return ow[0] < w[1] and w[0] < ow[1] and bool(_cis(t) & _cis(other))


def change_conflicts(session: Session, actor: Actor, change_id: str) -> list[str]:
    """Numbers of active changes that touch one of this change's CIs in an overlapping window."""
    t = session.get(Ticket, change_id)
    if t is None or not actor.can_see(t.owner_path):
        raise NotFound(f"no change {change_id}")
    w = _window(t)
    if w is None:
        return []
    others = session.scalars(select(Ticket).where(
        Ticket.owner_path.startswith(actor.org_path), Ticket.process == "change", Ticket.id != t.id,
        Ticket.deleted.is_(False), Ticket.state.in_(ACTIVE_CHANGE_STATES)))
    return sorted(o.number for o in others if _clash(t, w, o, _window(o)))
