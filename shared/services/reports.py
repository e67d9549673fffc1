"""Operations, security and service reports: drafted from the data, edited, reviewed at the unit (本级审核),
submitted upward (上报), approved or returned by the level above, archived.

The report row belongs to its unit, so drafting and editing work offline and the submitted report
flows up by sync; the verdict of the level above is a work entry owned by that level, which reaches
the unit because work entries are readable from ancestors.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.kpi.period import parse_period
from shared.models.org import OrgUnit
from shared.models.work import Report, WorkEntry
from shared.reports.drafting import KINDS, draft
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict
from shared.sync.node import in_subtree

STATES = {"draft": "编制中", "reviewed": "本级已审核", "submitted": "已上报", "approved": "上级已通过",
          "returned": "上级退回", "archived": "已归档"}
DUE_DAYS = 5  # a period's report is due this many days after the period ends
EDITABLE = ("draft", "returned")


def _org_name(session: Session, path: str) -> str:
    return session.scalar(select(OrgUnit.name).where(OrgUnit.path == path)) or path


def draft_report(cs: ChangeSet, actor: Actor, kind: str, period: str, org_path: str | None = None,
                 scope_code: str = "") -> dict[str, Any]:
    """Draft a new report, or redraft the unit's open report of the same kind, period and scope."""
    org = org_path or actor.org_path
    actor.require_scope(org)
    actor.require_role("drafting a report")
    if kind not in KINDS:
        raise Invalid(f"report kind must be one of {', '.join(KINDS)}")
    try:
        period = parse_period(period).code
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    existing = cs.session.scalar(select(Report).where(
        Report.owner_path == org, Report.kind == kind, Report.period == period, Report.scope_code == scope_code,
        Report.deleted.is_(False)))
    now = utcnow()
    sections = draft(cs.session, kind, org, period, now, scope_code)
    if existing is not None:
        state = status_of(cs.session, existing)
        if state not in EDITABLE:
            raise Invalid(f"{existing.number} is {STATES[state]}; it can no longer be redrafted")
        cs.update(existing, {"sections": sections, "drafted_at": now, "state": "draft"})
        return report_dict(cs.session, existing)
    title = f"{_org_name(cs.session, org)} {period} {KINDS[kind][0]}" + (f" ({scope_code})" if scope_code else "")
    row = cs.create(Report, org, {"number": next_number(cs.session, "RPT"), "kind": kind, "period": period,
                                  "title": title, "state": "draft", "sections": sections, "scope_code": scope_code,
                                  "author_id": actor.user_id, "drafted_at": now})
    return report_dict(cs.session, row)


def _load(session: Session, actor: Actor, report_id: str) -> Report:
    row = session.get(Report, report_id) or session.scalar(select(Report).where(Report.number == report_id))
    if row is None or row.deleted or not actor.can_see(row.owner_path):
        raise NotFound(f"no report {report_id}")
    return row


def _own(session: Session, actor: Actor, report_id: str) -> Report:
    row = _load(session, actor, report_id)
    actor.require_scope(row.owner_path)
    actor.require_role("working on a report")
    return row


def edit_report(cs: ChangeSet, actor: Actor, report_id: str, analysis: str | None = None,
                suggestions: str | None = None, title: str | None = None) -> dict[str, Any]:
    row = _own(cs.session, actor, report_id)
    if status_of(cs.session, row) not in EDITABLE:
        raise Invalid(f"{row.number} is {STATES[status_of(cs.session, row)]}; it cannot be edited")
    values = {k: v for k, v in (("analysis", analysis), ("suggestions", suggestions), ("title", title))
              if v is not None}
    cs.update(row, {**values, "state": "draft"})
    return report_dict(cs.session, row)


def review_report(cs: ChangeSet, actor: Actor, report_id: str, comment: str = "") -> dict[str, Any]:
    """本级审核: the unit's reviewer checks the draft before it goes up."""
    row = _own(cs.session, actor, report_id)
    if status_of(cs.session, row) not in EDITABLE:
        raise Invalid(f"only a draft can be reviewed ({row.number} is {STATES[status_of(cs.session, row)]})")
    if not row.analysis.strip():
        raise Invalid(f"{row.number} has no analysis (文字分析) yet: edit it first")
    cs.update(row, {"state": "reviewed"})
    _entry(cs, actor, row.owner_path, row, "reviewed", comment)
    return report_dict(cs.session, row)


def submit_report(cs: ChangeSet, actor: Actor, report_id: str) -> dict[str, Any]:
    """上报: send the reviewed report to the level above."""
    row = _own(cs.session, actor, report_id)
    if row.state != "reviewed":
        raise Invalid(f"{row.number} must be reviewed at its own level (本级审核) before it is submitted")
    cs.update(row, {"state": "submitted", "submitted_at": utcnow()})
    _entry(cs, actor, row.owner_path, row, "submit")
    return report_dict(cs.session, row)


def judge_report(cs: ChangeSet, actor: Actor, report_id: str, approve: bool, comment: str = "") -> dict[str, Any]:
    """上级审核: a unit above the report's approves or returns it."""
    row = _load(cs.session, actor, report_id)
    if row.owner_path == actor.org_path or not in_subtree(row.owner_path, actor.org_path):
        raise Forbidden(f"only a level above {row.owner_path} may approve or return {row.number}")
    actor.require_role("approving or returning a report")
    if status_of(cs.session, row) != "submitted":
        raise Invalid(f"{row.number} is not waiting for review (it is {STATES[status_of(cs.session, row)]})")
    if not approve and not comment.strip():
        raise Invalid("returning a report needs a comment saying what to correct")
    _entry(cs, actor, actor.org_path, row, "approve" if approve else "return", comment)
    return report_dict(cs.session, row)


def archive_report(cs: ChangeSet, actor: Actor, report_id: str) -> dict[str, Any]:
    row = _own(cs.session, actor, report_id)
    if status_of(cs.session, row) != "approved":
        raise Invalid(f"{row.number} can be archived once the level above has approved it")
    cs.update(row, {"state": "archived"})
    return report_dict(cs.session, row)


def _entry(cs: ChangeSet, actor: Actor, owner: str, row: Report, kind: str, body: str = "") -> None:
    cs.append(WorkEntry, owner, {"subject": "report", "subject_id": row.id, "kind": kind,
                                 "target_path": row.owner_path, "body": body, "author_id": actor.user_id,
                                 "at": utcnow(), "data": {}})


def _entries(session: Session, row: Report) -> list[WorkEntry]:
    return list(session.scalars(select(WorkEntry).where(WorkEntry.subject == "report",
                                                        WorkEntry.subject_id == row.id)
                                .order_by(WorkEntry.at, WorkEntry.hlc)))


def status_of(session: Session, row: Report) -> str:
    """The stored state, or the verdict of the level above on the latest submission."""
    if row.state != "submitted" or row.submitted_at is None:
        return row.state
    verdicts = [e for e in _entries(session, row) if e.kind in ("approve", "return") and e.at >= row.submitted_at]
    if not verdicts:
        return "submitted"
    return "approved" if verdicts[-1].kind == "approve" else "returned"


def due_at(row: Report) -> datetime:
    return parse_period(row.period).end + timedelta(days=DUE_DAYS)


def report_dict(session: Session, row: Report) -> dict[str, Any]:
    result = row_to_dict(row)
    state = status_of(session, row)
    result.update(status=state, status_zh=STATES[state], kind_zh=KINDS[row.kind][0],
                  org_name=_org_name(session, row.owner_path), due_at=due_at(row).isoformat(),
                  on_time=None if row.submitted_at is None else row.submitted_at <= due_at(row))
    return result


def get_report(session: Session, actor: Actor, report_id: str) -> dict[str, Any]:
    row = _load(session, actor, report_id)
    result = report_dict(session, row)
    result["entries"] = [row_to_dict(e) for e in _entries(session, row)]
    return result


def list_reports(session: Session, actor: Actor, kind: str | None = None, period: str | None = None,
                 org_path: str | None = None) -> list[dict[str, Any]]:
    root = org_path or actor.org_path
    actor.require_scope(root)
    stmt = select(Report).where(Report.owner_path.startswith(root), Report.deleted.is_(False))
    if kind:
        stmt = stmt.where(Report.kind == kind)
    if period:
        stmt = stmt.where(Report.period == parse_period(period).code)
    return [report_dict(session, r) for r in session.scalars(stmt.order_by(Report.period.desc(), Report.owner_path))]
