"""The periodic checks of a server that make notifications (``itops notify run``): SLA clocks at 75 % and
100 %, new assignments and escalations of tickets, task deadlines, security-event reporting deadlines.
Each notification's id is deterministic (kind, reference, person, key), so a check may run as often as
it likes and every warning still goes out once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.integrations.settings import get_setting, update_setting
from shared.models.org import User
from shared.models.tickets import Ticket, TicketEntry
from shared.services.notifications import config, notify
from shared.sync.capture import ChangeSet


def run_checks(cs: ChangeSet, now: datetime | None = None) -> dict[str, int]:
    """SLA warnings and breaches, assignments and escalations, over the open tickets of this server."""
    now = now or utcnow()
    state = get_setting(cs.session, "notify")
    since_text = state.get("checked_until")
    # The first pass looks back one hour only: a server with a history must not announce every old assignment.
    since = datetime.fromisoformat(since_text) if since_text else now - timedelta(hours=1)
    counts = {"sla": _check_sla(cs, now), "assignment": 0, "escalation": 0,
              "task_deadline": _check_task_deadlines(cs, now), "security_deadline": _check_security_deadlines(cs, now)}
    assigned, escalated = _check_ticket_changes(cs, since)
    counts["assignment"], counts["escalation"] = assigned, escalated
    update_setting(cs.session, "notify", {"checked_until": now.isoformat()})
    return counts


def _users(session: Session, ids: set[str | None]) -> list[User]:
    found = [session.get(User, i) for i in ids if i]
    return [u for u in found if u is not None and u.active and not u.deleted]


def _check_sla(cs: ChangeSet, now: datetime) -> int:
    try:
        from shared.processes.sla import ticket_clocks
    except ImportError:  # the SLA engine is not part of this build
        return 0
    made = 0
    thresholds = sorted(float(t) for t in config()["sla_thresholds"])
    open_rows = list(cs.session.scalars(select(Ticket).where(
        Ticket.deleted.is_(False), Ticket.state.not_in(("resolved", "surveyed", "closed", "cancelled")))))
    for ticket in open_rows:
        for clock in ticket_clocks(cs.session, ticket.id, now):
            percent = clock.percent
            if percent is None or clock.status not in ("running", "paused", "breached"):
                continue
            reached = [t for t in thresholds if percent >= t]
            if not reached:
                continue
            level = int(reached[-1])
            kind = "sla_breach" if level >= 100 else "sla_warning"
            label = clock.label.get("zh", clock.name) if isinstance(clock.label, dict) else str(clock.label)
            title = f"{ticket.number} {label}已用 {percent:.0f}%" + ("（已超时）" if level >= 100 else "")
            for user in _users(cs.session, {ticket.assignee_id} | _team_lead_ids(cs.session, ticket)):
                if notify(cs, user, kind, title, ticket.title, ref_entity="tickets", ref_id=ticket.id,
                          priority=ticket.priority, key=f"{clock.name}|{level}", now=now):
                    made += 1
    return made


def _team_lead_ids(session: Session, ticket: Ticket) -> set[str | None]:
    """With no assignee yet, the team's members hear about the ticket; with no team either, the service
    desk and dispatchers of the ticket's org unit."""
    if ticket.assignee_id:
        return set()
    if ticket.team_id:
        from shared.models.org import TeamMember

        return {m.user_id for m in session.scalars(select(TeamMember).where(
            TeamMember.team_id == ticket.team_id, TeamMember.deleted.is_(False)))}
    desk = {"service_desk", "dispatcher"}
    return {u.id for u in session.scalars(select(User).where(User.org_path == ticket.owner_path,
                                                              User.deleted.is_(False)))
            if desk & set(u.roles or ())}


def _check_ticket_changes(cs: ChangeSet, since: datetime) -> tuple[int, int]:
    stmt = select(Ticket).where(Ticket.deleted.is_(False), Ticket.assignee_id.is_not(None),
                                Ticket.state.not_in(("resolved", "surveyed", "closed")))
    stmt = stmt.where(Ticket.updated_at >= since - timedelta(minutes=5))
    assigned = 0
    for ticket in list(cs.session.scalars(stmt)):
        for user in _users(cs.session, {ticket.assignee_id}):
            if notify(cs, user, "assignment", f"{ticket.priority} {ticket.number} 已指派给您：{ticket.title}",
                      ticket.description, ref_entity="tickets", ref_id=ticket.id, priority=ticket.priority,
                      key=user.id):
                assigned += 1
    entries = select(TicketEntry).where(TicketEntry.kind == "history", TicketEntry.body == "escalate")
    entries = entries.where(TicketEntry.created_at >= since - timedelta(minutes=5))
    escalated = 0
    for entry in list(cs.session.scalars(entries)):
        escalated_ticket = cs.session.get(Ticket, entry.ticket_id)
        if escalated_ticket is None or escalated_ticket.deleted:
            continue
        ticket = escalated_ticket
        for user in _users(cs.session, {ticket.assignee_id} | _team_lead_ids(cs.session, ticket)):
            if notify(cs, user, "escalation", f"{ticket.priority} {ticket.number} 已升级：{ticket.title}",
                      ticket.description, ref_entity="tickets", ref_id=ticket.id, priority=ticket.priority,
                      key=entry.id):
                escalated += 1
    return assigned, escalated


def _unit_people(session: Session, org_path: str, roles: tuple[str, ...] = ("admin", "dispatcher")) -> list[User]:
    return [u for u in session.scalars(select(User).where(User.org_path == org_path, User.deleted.is_(False),
                                                          User.active.is_(True)).order_by(User.username))
            if set(u.roles or ()) & set(roles)]


def _check_task_deadlines(cs: ChangeSet, now: datetime) -> int:
    """Receivers of a task who have not submitted: a notice ``deadline_warning_hours`` before the deadline
    and one when it has passed (the receiver, else the unit's administrators and dispatchers)."""
    from shared.models.work import Task, TaskAssignment, assignment_id

    warn = timedelta(hours=float(config()["deadline_warning_hours"]))
    made = 0
    for task in list(cs.session.scalars(select(Task).where(Task.deleted.is_(False), Task.state == "issued",
                                                           Task.deadline <= now + warn))):
        stage = "overdue" if task.deadline <= now else "due"
        for target in task.targets or ():
            row = cs.session.get(TaskAssignment, assignment_id(task.id, target))
            if row is not None and (row.deleted or row.state == "submitted"):
                continue
            people = _users(cs.session, {row.receiver_id}) if row is not None and row.receiver_id else []
            for user in people or _unit_people(cs.session, target):
                deadline = task.deadline.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")
                title = f"{task.number} {task.title}：" + ("已超期" if stage == "overdue" else f"将于 {deadline} 到期")
                if notify(cs, user, "task_deadline", title, task.content, ref_entity="tasks", ref_id=task.id,
                          key=f"{target}|{stage}", now=now):
                    made += 1
    return made


def _check_security_deadlines(cs: ChangeSet, now: datetime) -> int:
    """首报 / 终报 clocks of open security events: a notice at 75 % of the allowed time and at the breach."""
    from shared.models.work import SecurityEvent
    from shared.reports.grading import report_clocks

    made = 0
    for event in list(cs.session.scalars(select(SecurityEvent).where(
            SecurityEvent.deleted.is_(False), SecurityEvent.state.in_(("open", "reported"))))):
        for clock in report_clocks(event.grade, event.discovered_at, event.first_report_at,
                                   event.final_report_at, now):
            if clock.done_at is not None:
                continue
            window = (clock.deadline - event.discovered_at).total_seconds()
            elapsed = (now - event.discovered_at).total_seconds()
            if window <= 0 or elapsed < 0.75 * window:
                continue
            level = "breached" if clock.status == "breached" else "warning"
            stage = "首报" if clock.stage == "first" else "终报"
            deadline = clock.deadline.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%m-%d %H:%M")
            due = "已超时" if level == "breached" else f"须在 {deadline} 前报送"
            title = f"{event.number} {event.title}：{stage}{due}"
            for user in _unit_people(cs.session, event.owner_path, ("admin", "sysadmin", "dispatcher")):
                if notify(cs, user, "security_deadline", title, event.measures or "", ref_entity="security_events",
                          ref_id=event.id, priority="P1" if event.grade <= 2 else "P2",
                          key=f"{clock.stage}|{level}", now=now):
                    made += 1
    return made
