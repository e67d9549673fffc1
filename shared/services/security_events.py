"""信息安全事件: record an event graded I–IV, report it upward in stages (首报 / 续报 / 终报) against the
deadlines of its grade, and list events with their reporting clocks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.work import SecurityEvent, WorkEntry
from shared.reports.grading import categories, grade_info, grade_label, report_clocks, security_rules
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

STATES = {"open": "处置中", "reported": "已上报", "final": "已终报", "archived": "已归档"}


def record_event(cs: ChangeSet, actor: Actor, title: str, category: str, grade: int, discovered_at: datetime,
                 systems: list[str] | None = None, measures: str = "", loss: str = "",
                 owner_path: str | None = None, ticket_id: str | None = None) -> dict:
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    actor.require_role("recording a security event")
    if not title.strip():
        raise Invalid("a security event needs a title")
    if category not in categories():
        raise Invalid(f"category must be one of {', '.join(categories())}")
    try:
        grade_info(grade)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if discovered_at > utcnow():
        raise Invalid("the discovery time is in the future")
    row = cs.create(SecurityEvent, owner, {
        "number": next_number(cs.session, "SEC"), "title": title.strip(), "category": category, "grade": int(grade),
        "state": "open", "discovered_at": discovered_at, "systems": list(systems or []), "measures": measures,
        "loss": loss, "ticket_id": ticket_id})
    return row_to_dict(row)


def _load(session: Session, actor: Actor, event_id: str) -> SecurityEvent:
    row = session.get(SecurityEvent, event_id) or session.scalar(
        select(SecurityEvent).where(SecurityEvent.number == event_id))
    if row is None or row.deleted or not actor.can_see(row.owner_path):
        raise NotFound(f"no security event {event_id}")
    return row


def report_stage(cs: ChangeSet, actor: Actor, event_id: str, stage: str, body: str,
                 at: datetime | None = None, grade: int | None = None) -> dict:
    """Send a 首报 (first), 续报 (follow_up) or 终报 (final) upward; a report may regrade the event."""
    row = _load(cs.session, actor, event_id)
    actor.require_role("reporting a security event")
    if stage not in security_rules()["stages"]:
        raise Invalid(f"stage must be one of {', '.join(security_rules()['stages'])}")
    if not body.strip():
        raise Invalid("a report needs its text")
    if row.state in ("final", "archived"):
        raise Invalid(f"{row.number} already has its final report")
    if stage != "first" and row.first_report_at is None:
        raise Invalid(f"{row.number} needs its first report (首报) before a {stage} report")
    when = at or utcnow()
    values: dict[str, Any] = {}
    if grade is not None and grade != row.grade:
        grade_info(grade)
        values["grade"] = int(grade)
    if stage == "first" and row.first_report_at is None:
        values.update(first_report_at=when, state="reported")
    if stage == "final":
        values.update(final_report_at=when, state="final")
    cs.update(row, values)
    cs.append(WorkEntry, row.owner_path, {"subject": "security_event", "subject_id": row.id, "kind": stage,
                                          "target_path": row.owner_path, "body": body, "author_id": actor.user_id,
                                          "at": when, "data": {"grade": row.grade}})
    return event_dict(cs.session, row)


def archive_event(cs: ChangeSet, actor: Actor, event_id: str) -> dict:
    row = _load(cs.session, actor, event_id)
    actor.require_role("archiving a security event")
    if row.state != "final":
        raise Invalid(f"{row.number} can be archived after its final report (终报)")
    cs.update(row, {"state": "archived"})
    return event_dict(cs.session, row)


def event_dict(session: Session, row: SecurityEvent, now: datetime | None = None) -> dict[str, Any]:
    result = row_to_dict(row)
    result["grade_label"] = grade_label(row.grade)
    result["category_zh"] = categories()[row.category]["zh"]
    result["state_zh"] = STATES.get(row.state, row.state)
    result["clocks"] = [c.as_dict() for c in report_clocks(row.grade, row.discovered_at, row.first_report_at,
                                                           row.final_report_at, now or utcnow())]
    return result


def get_event(session: Session, actor: Actor, event_id: str) -> dict[str, Any]:
    row = _load(session, actor, event_id)
    result = event_dict(session, row)
    result["reports"] = [row_to_dict(e) for e in session.scalars(select(WorkEntry).where(
        WorkEntry.subject == "security_event", WorkEntry.subject_id == row.id).order_by(WorkEntry.at))]
    return result


def list_events(session: Session, actor: Actor, since: datetime | None = None, until: datetime | None = None,
                org_path: str | None = None) -> list[dict[str, Any]]:
    root = org_path or actor.org_path
    actor.require_scope(root)
    stmt = select(SecurityEvent).where(SecurityEvent.owner_path.startswith(root), SecurityEvent.deleted.is_(False))
    if since is not None:
        stmt = stmt.where(SecurityEvent.discovered_at >= since)
    if until is not None:
        stmt = stmt.where(SecurityEvent.discovered_at < until)
    return [event_dict(session, r) for r in session.scalars(stmt.order_by(SecurityEvent.discovered_at.desc()))]
