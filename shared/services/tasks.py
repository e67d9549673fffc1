"""任务管理 (督办): a unit issues a task to units below it; each receiver accepts, reports progress and
submits; the issuer reviews, urges (催办) and closes, and sees completion rolled up down the tree.

Who owns what (so that every write is made by the unit that owns the row, offline if need be):
the task and the issuer's urges and verdicts belong to the issuer; each receiver's assignment and
progress notes belong to the receiver. A receiver may decompose its part into a sub-task (parent_id)
for the units below it; the issuer then sees that sub-task's completion under the receiver.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.kpi.period import CHINA
from shared.models.org import OrgUnit
from shared.models.work import Task, TaskAssignment, WorkEntry, assignment_id
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict
from shared.sync.node import in_subtree

SOURCES = {"notice": ("上级通知", "Notice from above"), "inspection": ("检查整改", "Inspection rectification"),
           "special": ("专项工作", "Special work"), "meeting": ("会议决定", "Meeting decision")}
DONE = ("submitted", "approved")
STATES = {"not_received": ("未接收", "Not received"), "accepted": ("已接收", "Accepted"),
          "in_progress": ("执行中", "In progress"), "submitted": ("已反馈", "Submitted"),
          "approved": ("审核通过", "Approved"), "returned": ("已退回", "Returned"),
          "hidden": ("本级不可见", "Not visible here")}


def parse_deadline(text: str) -> datetime:
    """``2026-12-10`` (the end of that day, China time) or an ISO date-time (naive = China time)."""
    text = text.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(datetime.fromisoformat(text).date(), time(23, 59, 59), CHINA)
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"bad deadline {text!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CHINA)
    return moment.astimezone(UTC)


def _entry(cs: ChangeSet, actor: Actor, owner: str, task: Task, kind: str, target: str, body: str = "",
           data: dict[str, Any] | None = None) -> None:
    cs.append(WorkEntry, owner, {"subject": "task", "subject_id": task.id, "kind": kind, "target_path": target,
                                 "body": body, "author_id": actor.user_id, "at": utcnow(), "data": data or {}})


def _org_exists(session: Session, path: str) -> bool:
    return session.scalar(select(OrgUnit.id).where(OrgUnit.path == path, OrgUnit.deleted.is_(False))) is not None


def issue_task(cs: ChangeSet, actor: Actor, title: str, deadline: datetime, targets: list[str], content: str = "",
               source: str = "special", deliverables: list[str] | None = None, parent_id: str | None = None,
               issuer_path: str | None = None, task_id: str | None = None, scheduled: bool = False) -> dict:
    """Issue a task. ``task_id`` gives the row a derived id (a plan's occurrence: two offline nodes
    spawning it converge on one task, and its assignments' ids follow from it). ``scheduled`` marks
    work a plan spawns: the unit may issue to itself and a late spawn keeps its past deadline."""
    actor.require_role("issuing a task")
    issuer = issuer_path or actor.org_path
    actor.require_scope(issuer)
    if not title.strip():
        raise Invalid("a task needs a title")
    if source not in SOURCES:
        raise Invalid(f"source must be one of {', '.join(SOURCES)}")
    targets = sorted({t if t.endswith("/") else t + "/" for t in targets})
    if not targets:
        raise Invalid("a task needs at least one receiving unit (--to PATH)")
    for target in targets:
        if (target == issuer and not scheduled) or not in_subtree(target, issuer):
            raise Invalid(f"{target} is not below the issuing unit {issuer}")
        if not _org_exists(cs.session, target):
            raise Invalid(f"no org unit {target}")
    if parent_id:
        parent = _load(cs.session, actor, parent_id)
        if issuer not in parent.targets:
            raise Invalid(f"{issuer} is not a receiver of {parent.number}: it cannot decompose it")
    if deadline <= utcnow() and not scheduled:
        raise Invalid("the deadline is already past")
    row = cs.create(Task, issuer, {
        "number": next_number(cs.session, "TSK"), "title": title.strip(), "content": content, "source": source,
        "deadline": deadline, "deliverables": [d.strip() for d in deliverables or [] if d.strip()],
        "targets": targets, "parent_id": parent.id if parent_id else None, "issuer_id": actor.user_id,
        "state": "issued", "issued_at": utcnow()}, row_id=task_id)
    return row_to_dict(row)


def _load(session: Session, actor: Actor, task_id: str) -> Task:
    row = session.get(Task, task_id) or session.scalar(select(Task).where(Task.number == task_id))
    if row is None or row.deleted or not _visible(actor, row):
        raise NotFound(f"no task {task_id}")
    return row


def _visible(actor: Actor, task: Task) -> bool:
    return actor.can_see(task.owner_path) or any(in_subtree(t, actor.org_path) or in_subtree(actor.org_path, t)
                                                 for t in task.targets)


def _receiver(actor: Actor, task: Task, org_path: str | None) -> str:
    receiver = org_path or actor.org_path
    if not receiver.endswith("/"):
        receiver += "/"
    if receiver not in task.targets:
        raise Invalid(f"{task.number} was not issued to {receiver} (receivers: {', '.join(task.targets)})")
    actor.require_scope(receiver)
    if task.state == "closed":
        raise Invalid(f"{task.number} is closed")
    return receiver


def _assignment(cs: ChangeSet, actor: Actor, task: Task, receiver: str) -> TaskAssignment:
    row_id = assignment_id(task.id, receiver)
    row = cs.session.get(TaskAssignment, row_id)
    if row is None:
        row = cs.create(TaskAssignment, receiver, {"task_id": task.id, "state": "accepted", "progress": 0,
                                                   "receiver_id": actor.user_id, "accepted_at": utcnow()},
                        row_id=row_id)
        _entry(cs, actor, receiver, task, "accept", receiver)
    return row


def accept_task(cs: ChangeSet, actor: Actor, task_id: str, org_path: str | None = None) -> dict:
    actor.require_role("accepting a task")
    task = _load(cs.session, actor, task_id)
    return row_to_dict(_assignment(cs, actor, task, _receiver(actor, task, org_path)))


def report_progress(cs: ChangeSet, actor: Actor, task_id: str, progress: int, note: str = "",
                    results: dict[str, str] | None = None, org_path: str | None = None) -> dict:
    actor.require_role("reporting progress on a task")
    task = _load(cs.session, actor, task_id)
    receiver = _receiver(actor, task, org_path)
    if not 0 <= progress <= 100:
        raise Invalid("progress is a percentage, 0–100")
    row = _assignment(cs, actor, task, receiver)
    merged = {**(row.results or {}), **(results or {})}
    state = "in_progress" if row.state in ("accepted", "in_progress") else row.state
    cs.update(row, {"progress": progress, "note": note or row.note, "results": merged, "state": state})
    _entry(cs, actor, receiver, task, "progress", receiver, note, {"progress": progress})
    return row_to_dict(row)


def submit_task(cs: ChangeSet, actor: Actor, task_id: str, note: str = "", results: dict[str, str] | None = None,
                org_path: str | None = None) -> dict:
    actor.require_role("submitting a task")
    task = _load(cs.session, actor, task_id)
    receiver = _receiver(actor, task, org_path)
    row = _assignment(cs, actor, task, receiver)
    merged = {**(row.results or {}), **(results or {})}
    missing = [d for d in task.deliverables if not str(merged.get(d, "")).strip()]
    if missing:
        raise Invalid(f"{task.number} needs the deliverables: {', '.join(missing)} (--result NAME=TEXT)")
    cs.update(row, {"state": "submitted", "progress": 100, "note": note or row.note, "results": merged,
                    "submitted_at": utcnow()})
    _entry(cs, actor, receiver, task, "submit", receiver, note)
    return row_to_dict(row)


def _issuer_task(cs: ChangeSet, actor: Actor, task_id: str) -> Task:
    task = _load(cs.session, actor, task_id)
    if not actor.can_see(task.owner_path):
        raise Forbidden(f"only the issuing unit {task.owner_path} may do this to {task.number}")
    return task


def review_task(cs: ChangeSet, actor: Actor, task_id: str, receiver: str, approve: bool, comment: str = "") -> dict:
    task = _issuer_task(cs, actor, task_id)
    if receiver not in task.targets:
        raise Invalid(f"{receiver} is not a receiver of {task.number}")
    status = receiver_status(cs.session, task, receiver)
    if status["state"] != "submitted":
        raise Invalid(f"{receiver} has not submitted {task.number} (state: {status['state']})")
    if not approve and not comment.strip():
        raise Invalid("returning a submission needs a comment saying what to fix")
    _entry(cs, actor, task.owner_path, task, "approve" if approve else "return", receiver, comment)
    return receiver_status(cs.session, task, receiver)


def urge_task(cs: ChangeSet, actor: Actor, task_id: str, receivers: list[str] | None = None,
              note: str = "") -> list[str]:
    """催办: a reminder to every receiver (or those named) that has not submitted yet."""
    task = _issuer_task(cs, actor, task_id)
    pending = [t for t in (receivers or task.targets)
               if receiver_status(cs.session, task, t)["state"] not in DONE]
    for target in pending:
        _entry(cs, actor, task.owner_path, task, "urge", target, note or f"请尽快完成 {task.title}")
    return pending


def close_task(cs: ChangeSet, actor: Actor, task_id: str) -> dict:
    task = _issuer_task(cs, actor, task_id)
    cs.update(task, {"state": "closed", "closed_at": utcnow()})
    return row_to_dict(task)


# -- reading -----------------------------------------------------------------------------------------------

def _entries(session: Session, task: Task) -> list[WorkEntry]:
    return list(session.scalars(select(WorkEntry).where(
        WorkEntry.subject == "task", WorkEntry.subject_id == task.id).order_by(WorkEntry.at, WorkEntry.hlc)))


def receiver_status(session: Session, task: Task, receiver: str, now: datetime | None = None,
                    entries: list[WorkEntry] | None = None, viewer: Actor | None = None) -> dict[str, Any]:
    now = now or utcnow()
    row = session.get(TaskAssignment, assignment_id(task.id, receiver))
    mine = [e for e in (entries if entries is not None else _entries(session, task)) if e.target_path == receiver]
    state = "not_received" if row is None or row.deleted else row.state
    if state == "submitted" and row is not None and row.submitted_at is not None:
        verdicts = [e for e in mine if e.kind in ("approve", "return") and e.at >= row.submitted_at]
        if verdicts:
            state = "approved" if verdicts[-1].kind == "approve" else "returned"
    done_at = row.submitted_at if row is not None and state in DONE else None
    overdue = (done_at or now) > task.deadline and (state not in DONE or done_at is not None)
    unit = session.scalar(select(OrgUnit.name).where(OrgUnit.path == receiver))
    subtasks = [_summary(session, t, now, viewer) for t in session.scalars(select(Task).where(
        Task.parent_id == task.id, Task.owner_path == receiver, Task.deleted.is_(False)))]
    return {
        "org": receiver, "name": unit or receiver, "state": state, "state_zh": STATES[state][0],
        "progress": row.progress if row is not None else 0, "note": row.note if row is not None else "",
        "results": dict(row.results or {}) if row is not None else {},
        "submitted_at": row.submitted_at.isoformat() if row is not None and row.submitted_at else None,
        "overdue": overdue, "urges": sum(1 for e in mine if e.kind == "urge"), "subtasks": subtasks,
    }


def _hidden(session: Session, receiver: str) -> dict[str, Any]:
    """A receiver outside the viewer's subtree: its rows never reach this store, so its state is unknown here."""
    unit = session.scalar(select(OrgUnit.name).where(OrgUnit.path == receiver))
    return {"org": receiver, "name": unit or receiver, "state": "hidden", "state_zh": STATES["hidden"][0],
            "progress": None, "note": "", "results": {}, "submitted_at": None, "overdue": False, "urges": 0,
            "subtasks": []}


def _summary(session: Session, task: Task, now: datetime, viewer: Actor | None = None) -> dict[str, Any]:
    entries = _entries(session, task)
    receivers = [receiver_status(session, task, t, now, entries, viewer)
                 if viewer is None or in_subtree(t, viewer.org_path) else _hidden(session, t)
                 for t in task.targets]
    done = sum(1 for r in receivers if r["state"] in DONE)
    return {"id": task.id, "number": task.number, "title": task.title, "issuer": task.owner_path,
            "deadline": task.deadline.isoformat(), "state": task.state, "done": done, "total": len(receivers),
            "completion": round(100.0 * done / len(receivers), 1) if receivers else 0.0,
            "overdue": sum(1 for r in receivers if r["overdue"]), "receivers": receivers}


def get_task(session: Session, actor: Actor, task_id: str, now: datetime | None = None) -> dict[str, Any]:
    task = _load(session, actor, task_id)
    result = {**row_to_dict(task), **_summary(session, task, now or utcnow(), actor)}
    result["entries"] = [row_to_dict(e) for e in _entries(session, task)]
    return result


def list_tasks(session: Session, actor: Actor, role: str = "all", include_closed: bool = True,
               now: datetime | None = None) -> list[dict[str, Any]]:
    """``role``: issued (by the actor's subtree), received (by the actor's unit or one below it), or all."""
    rows = session.scalars(select(Task).where(Task.deleted.is_(False)).order_by(Task.deadline, Task.number))
    found = []
    for task in rows:
        issued = actor.can_see(task.owner_path)
        received = any(in_subtree(t, actor.org_path) for t in task.targets)
        if (role == "issued" and not issued) or (role == "received" and not received) or not (issued or received):
            continue
        if not include_closed and task.state == "closed":
            continue
        summary = _summary(session, task, now or utcnow(), actor)
        summary["role"] = "issued" if issued else "received"
        found.append(summary)
    return found
