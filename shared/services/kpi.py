"""KPI use cases: manual entries for figures from outside ITOps, and the KPI tree of a unit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.kpi.calculators import Context, Scope, batch_clocks, sla_available
from shared.kpi.catalogue import load_catalogue
from shared.kpi.engine import evaluate
from shared.kpi.period import parse_period
from shared.models.work import KpiEntry, kpi_entry_id
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict


def set_manual_entry(cs: ChangeSet, actor: Actor, org_path: str, period: str, indicator: str,
                     numerator: float, denominator: float | None = None, note: str = "") -> dict:
    """Record (or correct) one unit's figure for a manual indicator. One row per unit, indicator and period."""
    actor.require_role("entering a KPI figure")
    actor.require_scope(org_path)
    try:
        ind = load_catalogue().indicator(indicator)
        period = parse_period(period).code
    except KeyError:
        raise Invalid(f"no indicator {indicator!r} in the catalogue") from None
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if not ind.manual:
        raise Invalid(f"{indicator} ({ind.name}) is computed from the records, not entered")
    if ind.kind == "count":
        if denominator is not None:
            raise Invalid(f"{indicator} is a count: give one number, not a fraction")
    elif denominator is None or denominator <= 0:
        raise Invalid(f"{indicator} is a {ind.kind}: give NUMERATOR/DENOMINATOR with a positive denominator "
                      f"(e.g. available minutes / agreed minutes)")
    if numerator < 0 or (denominator is not None and ind.kind == "ratio" and numerator > denominator):
        raise Invalid(f"{indicator}: numerator {numerator:g} out of range")
    values = {"indicator": ind.code, "period": period, "numerator": float(numerator),
              "denominator": None if denominator is None else float(denominator), "note": note,
              "author_id": actor.user_id}
    row_id = kpi_entry_id(ind.code, period, org_path)
    row = cs.session.get(KpiEntry, row_id)
    if row is None:
        row = cs.create(KpiEntry, org_path, values, row_id=row_id)
    else:
        if row.deleted:
            cs.restore(row)
        cs.update(row, values)
    return row_to_dict(row)


def list_manual_entries(session: Session, actor: Actor, period: str, org_path: str | None = None) -> list[dict]:
    root = org_path or actor.org_path
    actor.require_scope(root)
    rows = session.scalars(select(KpiEntry).where(
        KpiEntry.owner_path.startswith(root), KpiEntry.period == parse_period(period).code,
        KpiEntry.deleted.is_(False)).order_by(KpiEntry.owner_path, KpiEntry.indicator))
    return [row_to_dict(r) for r in rows]


def kpi_tree(session: Session, actor: Actor, org_path: str, period: str, breakdown: bool = True) -> dict[str, Any]:
    actor.require_scope(org_path)
    try:
        return evaluate(session, org_path, period, breakdown=breakdown)
    except ValueError as exc:
        raise Invalid(str(exc)) from None


OPEN_STATES = ("resolved", "surveyed", "closed", "cancelled")


def screen_data(session: Session, actor: Actor, period: str | None = None) -> dict[str, Any]:
    """Everything the big screen (集中展现) shows for the actor's scope, as plain data."""
    from sqlalchemy import func

    from shared.db.types import utcnow
    from shared.kpi.period import current_month
    from shared.models.sync import Conflict, OutboxEntry
    from shared.models.tickets import Ticket
    from shared.reports.grading import grade_label
    from shared.services import security_events, tasks

    org = actor.org_path
    period = period or current_month()
    tree = kpi_tree(session, actor, org, period)
    open_incidents = list(session.scalars(select(Ticket).where(
        Ticket.owner_path.startswith(org), Ticket.deleted.is_(False), Ticket.process == "incident",
        Ticket.state.not_in(OPEN_STATES))))
    by_priority = {p: {"open": 0, "breached": 0} for p in ("P1", "P2", "P3", "P4")}
    breached_ids = set()
    clocks: dict[str, dict[str, Any]] = {}
    if sla_available():
        ctx = Context(session, Scope(org), parse_period(period), load_catalogue())
        clocks = batch_clocks(ctx, open_incidents)
    for t in open_incidents:
        slot = by_priority.setdefault(t.priority, {"open": 0, "breached": 0})
        slot["open"] += 1
        if any(c.breached for c in clocks.get(t.id, {}).values()):
            slot["breached"] += 1
            breached_ids.add(t.id)
    task_rows = tasks.list_tasks(session, actor, "issued", include_closed=False)
    events = [e for e in security_events.list_events(session, actor) if e["state"] not in ("archived",)]
    return {
        "org": org, "org_name": tree["org_name"], "period": tree["period"], "at": utcnow().isoformat(),
        "score": tree["score"], "categories": [{"name": c["name"], "score": c["score"]} for c in tree["categories"]],
        "units": tree.get("units", []),
        "incidents": by_priority,
        "major_incidents": [{"number": t.number, "title": t.title, "state": t.state,
                             "opened_at": t.opened_at.isoformat() if t.opened_at else None,
                             "breached": t.id in breached_ids} for t in open_incidents if t.priority == "P1"],
        "tasks": {"open": len(task_rows), "done": sum(t["done"] for t in task_rows),
                  "total": sum(t["total"] for t in task_rows), "overdue": sum(t["overdue"] for t in task_rows)},
        "security_events": [{"number": e["number"], "title": e["title"], "grade": grade_label(e["grade"]),
                             "first_report": e["clocks"][0]["status"]} for e in events[:10]],
        "alarms": _alarms(session, org),
        "sync": {"outbox": int(session.scalar(select(func.count()).select_from(OutboxEntry)
                                              .where(OutboxEntry.acked.is_(False))) or 0),
                 "conflicts": int(session.scalar(select(func.count()).select_from(Conflict)
                                                 .where(Conflict.status == "open")) or 0),
                 "nodes": _node_health(session, org)},
    }


def _alarms(session: Session, org: str) -> list[dict[str, Any]]:
    """Monitoring alarms still firing in scope (machine-room power, temperature, devices …)."""
    from shared.models.integrations import MonitoringEvent

    rows = session.scalars(select(MonitoringEvent).where(
        MonitoringEvent.owner_path.startswith(org), MonitoringEvent.deleted.is_(False),
        MonitoringEvent.status == "firing").order_by(MonitoringEvent.received_at.desc()).limit(10))
    return [{"title": r.title, "severity": r.severity, "host": r.host,
             "at": r.received_at.isoformat() if r.received_at else None} for r in rows]


def _node_health(session: Session, org: str) -> list[dict[str, Any]]:
    """Every node this server serves in scope: last sync, outbox backlog, open conflicts of its pushes."""
    from sqlalchemy import func

    from shared.models.sync import Conflict, SyncNode

    conflicts = dict(session.execute(select(Conflict.client_node, func.count()).where(
        Conflict.status == "open").group_by(Conflict.client_node)).all())
    nodes = session.scalars(select(SyncNode).where(SyncNode.org_path.startswith(org), SyncNode.revoked_at.is_(None))
                            .order_by(SyncNode.org_path, SyncNode.name))
    return [{"name": n.name or n.node_id[:8], "org": n.org_path, "kind": n.kind,
             "last_seen_at": n.last_seen_at.isoformat() if n.last_seen_at else None,
             "outbox_backlog": n.outbox_backlog, "conflicts": int(conflicts.get(n.node_id, 0))} for n in nodes]
