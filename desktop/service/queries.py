"""Read queries of the service-management area. They run in workers and return plain data.

Catalogue entries are reference data (tens to a few hundred per kind), so a kind's list is loaded whole
through ``catalog.list_entries`` — the same scoping the services use — rather than paged.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.catalog import Measurement
from shared.models.cmdb import ConfigItem
from shared.models.org import Team, TeamMember, User
from shared.models.tickets import Ticket
from shared.processes.engine import processes
from shared.processes.sla import calendar_for, targets_for
from shared.services import capacity, catalog
from shared.services.actor import Actor
from shared.services.org import list_orgs
from shared.store import Store
from shared.sync.scope import ancestors

CALENDAR_DEFAULT = "CN"
COMPLAINT = "complaint"
SLA_FIRST = ("incident", "request")  # the processes people look up most, then the rest by code
REMINDER_DAYS = 90


def _visible(column: Any, actor: Actor) -> Any:
    """Rows of the actor's ancestors (they apply here) and of the actor's subtree."""
    return or_(column.startswith(actor.org_path), column.in_(ancestors(actor.org_path)))


def _cis(session: Session, actor: Actor) -> dict[str, dict[str, Any]]:
    cis = session.execute(select(ConfigItem.id, ConfigItem.name, ConfigItem.asset_tag, ConfigItem.ci_class,
                                 ConfigItem.owner_path)
                          .where(ConfigItem.deleted.is_(False), _visible(ConfigItem.owner_path, actor))
                          .order_by(ConfigItem.ci_class, ConfigItem.name))
    return {c.id: {"id": c.id, "name": c.name, "asset_tag": c.asset_tag or "", "ci_class": c.ci_class,
                   "owner_path": c.owner_path} for c in cis}


def _options(session: Session, actor: Actor, with_cis: bool = True) -> dict[str, Any]:
    teams = session.scalars(select(Team).where(Team.deleted.is_(False), _visible(Team.owner_path, actor))
                            .order_by(Team.line, Team.name))
    entries: dict[str, dict[str, dict[str, Any]]] = {}
    for e in catalog.list_entries(session, actor, include_inactive=True):
        entries.setdefault(e["kind"], {})[e["code"]] = {"code": e["code"], "name": e["name"],
                                                        "name_en": e["name_en"]}
    return {
        "teams": {t.id: {"id": t.id, "name": t.name, "line": t.line, "owner_path": t.owner_path} for t in teams},
        "cis": _cis(session, actor) if with_cis else {},
        "orgs": {o["path"]: o for o in list_orgs(session)},
        "entries": entries,
    }


def load_options(store: Store, actor: Actor, with_cis: bool = True) -> dict[str, Any]:
    """What typed editors offer: teams, CIs, org units (owners) and entries of every kind (references)."""
    with store.read() as session:
        return _options(session, actor, with_cis)


def load_entries(store: Store, actor: Actor, kind: str) -> list[dict[str, Any]]:
    """The kind's entries, each with ``editable`` (owned in the actor's subtree) and ``overridden`` (an
    ancestor's entry whose code a nearer unit redefines, so it no longer applies here)."""
    with store.read() as session:
        rows = catalog.list_entries(session, actor, kind, include_inactive=True)
    nearest: dict[str, int] = {}
    for e in rows:
        if not actor.can_see(e["owner_path"]) or e["owner_path"] == actor.org_path:
            nearest[e["code"]] = max(nearest.get(e["code"], 0), len(e["owner_path"]))
    for e in rows:
        e["editable"] = actor.can_see(e["owner_path"])
        e["overridden"] = not e["editable"] and nearest.get(e["code"], 0) > len(e["owner_path"])
        e.pop("field_versions", None)
    return sorted(rows, key=lambda e: (e["code"], len(e["owner_path"])))


# -- SLA ------------------------------------------------------------------------------------------------
def _sla_matches(data: dict[str, Any], proc: str, priority: str, service: str | None) -> bool:
    if data.get("process") != proc or str(data.get("priority")) != priority:
        return False
    return not data.get("service") or data.get("service") == service


def load_sla(store: Store, actor: Actor, service: str | None = None) -> dict[str, Any]:
    """Effective targets per process and priority at the actor's unit (optionally for one service):
    the definitions' defaults overridden by SLA entries, exactly as the clocks use them."""
    with store.read() as session:
        entries = catalog.list_entries(session, actor, "sla")
        rows = []
        ordered = sorted(processes().items(), key=lambda item: (item[0] not in SLA_FIRST, item[0]))
        for code, proc in ordered:
            for priority in sorted(proc.sla):
                ticket = {"priority": priority, "owner_path": actor.org_path,
                          "data": {"service": service} if service else {}}
                targets = targets_for(session, proc, ticket)
                by = [e for e in entries if _sla_matches(e["data"] or {}, code, priority, service)
                      and (e["owner_path"] in ancestors(actor.org_path) or e["owner_path"] == actor.org_path)]
                rows.append({"process": code, "name": proc.name, "priority": priority, "targets": targets,
                             "defaults": dict(proc.sla[priority]),
                             "clocks": {c: dict(d.label) for c, d in proc.clocks.items()},
                             "overridden_by": [{"code": e["code"], "name": e["name"], "owner_path": e["owner_path"]}
                                               for e in sorted(by, key=lambda e: len(e["owner_path"]))]})
        return {"rows": rows, "orgs": {o["path"]: o for o in list_orgs(session)}}


def load_calendar(store: Store, actor: Actor, code: str = CALENDAR_DEFAULT) -> dict[str, Any]:
    """The working calendar that applies at the actor's unit: holidays, 调休 working days, hours."""
    with store.read() as session:
        cal = calendar_for(session, actor.org_path, code)
        codes = sorted({CALENDAR_DEFAULT, *(e["code"] for e in catalog.list_entries(session, actor, "calendar"))})
    return {"code": code, "codes": codes, "holidays": sorted(d.isoformat() for d in cal.holidays),
            "workdays": sorted(d.isoformat() for d in cal.workdays),
            "hours": [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in cal.hours]}


# -- suppliers --------------------------------------------------------------------------------------------
def _team_members(session: Session, team_ids: set[str]) -> dict[str, list[dict[str, Any]]]:
    members: dict[str, list[dict[str, Any]]] = {}
    rows = session.execute(select(TeamMember.team_id, User.full_name, User.username, User.phone, User.roles)
                           .join(User, User.id == TeamMember.user_id)
                           .where(TeamMember.team_id.in_(team_ids), TeamMember.deleted.is_(False),
                                  User.deleted.is_(False)).order_by(User.username))
    for r in rows:
        members.setdefault(r.team_id, []).append({"name": r.full_name or r.username, "username": r.username,
                                                  "phone": r.phone, "roles": list(r.roles or [])})
    return members


def load_suppliers(store: Store, actor: Actor, today: date | None = None) -> dict[str, Any]:
    """Suppliers with their vendor engineers' team, and every contract with its days to expiry; those in
    the renewal window (``contracts_expiring``, 90 days, or already expired) are flagged."""
    today = today or datetime.now().date()
    with store.read() as session:
        suppliers = catalog.list_entries(session, actor, "supplier")
        contracts = catalog.list_entries(session, actor, "contract")
        due = {e["id"] for e in catalog.contracts_expiring(session, actor, today, REMINDER_DAYS)}
        options = _options(session, actor, with_cis=False)
        team_ids = {str(s["data"]["team"]) for s in suppliers if (s["data"] or {}).get("team")}
        members = _team_members(session, team_ids)
    for c in contracts:
        end = (c["data"] or {}).get("end")
        c["days_left"] = (date.fromisoformat(end) - today).days if end else None
        c["due"] = c["id"] in due
    contracts.sort(key=lambda c: (c["days_left"] is None, c["days_left"] or 0, c["code"]))
    for s in suppliers:
        team = options["teams"].get((s["data"] or {}).get("team"))
        s["team"] = team
        s["members"] = members.get(team["id"], []) if team else []
    return {"suppliers": suppliers, "contracts": contracts, "options": options, "today": today.isoformat()}


# -- business relationship --------------------------------------------------------------------------------
def _complaints(session: Session, actor: Actor, since: datetime | None) -> dict[str, dict[str, int]]:
    """Complaints per business unit (the complaint process, when it is defined): total and still open."""
    proc = processes().get(COMPLAINT)
    if proc is None:
        return {}
    stmt = select(Ticket.state, Ticket.data).where(Ticket.process == COMPLAINT, Ticket.deleted.is_(False),
                                                   Ticket.owner_path.startswith(actor.org_path))
    if since is not None:
        stmt = stmt.where(Ticket.opened_at >= since)
    counts: dict[str, dict[str, int]] = {}
    for state, data in session.execute(stmt):
        unit = (data or {}).get("business_unit")
        if unit:
            c = counts.setdefault(str(unit), {"total": 0, "open": 0})
            c["total"] += 1
            c["open"] += proc.phase(state) == "open"
    return counts


def load_business(store: Store, actor: Actor, since_days: int | None = None) -> dict[str, Any]:
    """Business units with the services they use, their follow-up survey results and complaints."""
    since = utcnow() - timedelta(days=since_days) if since_days else None
    with store.read() as session:
        units = catalog.list_entries(session, actor, "business_unit")
        services = {e["code"]: e for e in catalog.list_entries(session, actor, "service")}
        results = {r["business_unit"]: r for r in catalog.satisfaction_by_business_unit(session, actor, since)}
        complaints = _complaints(session, actor, since)
    rows = []
    for unit in units:
        rows.append({**unit, "satisfaction": results.pop(unit["code"], None)})
    for code, result in results.items():  # surveys naming a unit that has no entry here
        rows.append({"code": code, "name": result["name"], "name_en": "", "owner_path": "", "data": {},
                     "satisfaction": result})
    for row in rows:
        row["complaints"] = complaints.get(row["code"], {"total": 0, "open": 0})
    return {"units": rows, "services": services}


# -- capacity -----------------------------------------------------------------------------------------------
def load_capacity(store: Store, actor: Actor) -> dict[str, Any]:
    """Proposals (CIs over a threshold or filling up within 30 days) and the CIs that have readings."""
    with store.read() as session:
        proposals = capacity.proposals(session, actor)
        measured = select(Measurement.ci_id).where(Measurement.owner_path.startswith(actor.org_path)).distinct()
        cis = session.execute(select(ConfigItem.id, ConfigItem.name, ConfigItem.ci_class, ConfigItem.asset_tag)
                              .where(ConfigItem.id.in_(measured)).order_by(ConfigItem.name))
        return {"proposals": proposals,
                "cis": [{"id": c.id, "name": c.name, "ci_class": c.ci_class, "asset_tag": c.asset_tag or ""}
                        for c in cis]}


def _ms(when: datetime) -> float:
    """Epoch milliseconds; stored times are UTC (naive ones from SQLite too)."""
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() * 1000


def load_trends(store: Store, actor: Actor, ci_id: str, days: int = 90) -> dict[str, Any]:
    """Per metric with readings: points (epoch ms, %), slope, latest, projected full date, thresholds."""
    with store.read() as session:
        limits = capacity.thresholds_of(session, actor, ci_id)
        ci = session.get(ConfigItem, ci_id)
        metrics: dict[str, Any] = {}
        for metric in capacity.METRICS:
            t = capacity.trend(session, ci_id, metric, days)
            if not t.points:
                continue
            metrics[metric] = {"points": [(_ms(at), v) for at, v in t.points], "slope": t.slope_per_day,
                               "latest": t.latest, "full_on": _ms(t.full_on) if t.full_on else None,
                               "limits": limits.get(metric)}
    return {"ci_id": ci_id, "ci_name": ci.name if ci else ci_id, "metrics": metrics}
