"""A small fixed data set for the KPI calculators (November 2026, province /HQ/GD/ with counties LH and FT
under SZ). The expected figures in test_calculators.py are computed by hand from this file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.models import FormRecord, Measurement, SecurityEvent, Ticket, TicketEntry
from shared.services import org, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.capture import ChangeSet

GD, SZ, LH, FT = "/HQ/GD/", "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"
PERIOD = "2026-11"


def at(day: str, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC time: ``at("11-02", 10)`` is 2026-11-02 10:00 UTC."""
    month, d = (int(x) for x in day.split("-"))
    return datetime(2026, month, d, hour, minute, tzinfo=UTC)


def _ticket(cs: ChangeSet, owner: str, process: str, number: str, history: list[tuple[str, dict, datetime]],
            **values: Any) -> Ticket:
    values.setdefault("title", number)
    values.setdefault("state", "new")
    values.setdefault("data", {})
    row = cs.create(Ticket, owner, {"process": process, "number": number, **values})
    if values.get("opened_at"):
        history = [("created", {"state": "new"}, values["opened_at"]), *history]
    for body, detail, when in history:
        cs.append(TicketEntry, owner, {"ticket_id": row.id, "kind": "history", "body": body,
                                       "data": {"detail": detail, "at": when.isoformat()}})
    return row


def _line1(opened: datetime, resolved: datetime) -> list[tuple[str, dict, datetime]]:
    return [("accept", {"from": "new", "to": "line1"}, opened),
            ("resolve", {"from": "line1", "to": "resolved"}, resolved)]


def build(root: Path) -> tuple[Store, Actor]:
    store = Store.open_dir(root, create=True)
    store.init_node("province", GD)
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), (GD, "广东"), (SZ, "深圳"), (LH, "龙华"), (FT, "福田")):
            org.add_org(cs, path, name)
        admin = users.add_user(cs, "gd_admin", "password-123", GD, ["admin"])
    actor = Actor(admin["id"], "gd_admin", GD, ("admin",))
    with store.write(actor.user_id) as cs:
        _tickets(cs)
        _forms(cs)
        _measurements(cs)
        _events(cs)
    return store, actor


def _tickets(cs: ChangeSet) -> None:
    c2 = _ticket(cs, LH, "change", "CHG-2", [("review", {"from": "implement", "to": "review"}, at("11-08", 3))],
                 state="review", opened_at=at("11-01", 2), data={"change_type": "normal", "outcome": "failed"})
    _ticket(cs, LH, "change", "CHG-1", [("review", {"from": "implement", "to": "review"}, at("11-04", 3)),
                                       ("close", {"from": "review", "to": "closed"}, at("11-05", 3))],
            state="closed", opened_at=at("11-02", 2), closed_at=at("11-05", 3),
            data={"change_type": "emergency", "outcome": "success"})
    _ticket(cs, LH, "change", "CHG-3", [], state="new", opened_at=at("11-20", 2), data={"change_type": "standard"})
    # LH incidents
    _ticket(cs, LH, "incident", "INC-1", _line1(at("11-02", 10), at("11-02", 14)), state="surveyed",
            priority="P1", category="hardware", ci_id="c1", opened_at=at("11-02", 10), resolved_at=at("11-02", 14),
            data={"satisfaction": 1, "knowledge_id": "KB-1"})
    _ticket(cs, LH, "incident", "INC-2", [
        ("accept", {"from": "new", "to": "line1"}, at("11-03", 8)),
        ("dispatch", {"from": "line1", "to": "line2"}, at("11-03", 9)),
        ("updated", {"team_id": "team-b"}, at("11-03", 10)),
        ("pend", {"from": "line2", "to": "pending"}, at("11-03", 11)),
        ("resume", {"from": "pending", "to": "line2"}, at("11-03", 13)),
        ("resolve", {"from": "line2", "to": "resolved"}, at("11-03", 18)),
    ], state="surveyed", priority="P3", category="hardware", ci_id="c1", parent_id=c2.id,
        opened_at=at("11-03", 8), resolved_at=at("11-03", 18), data={"satisfaction": 3})
    _ticket(cs, LH, "incident", "INC-3", [], priority="P4", category="software", opened_at=at("11-05", 8))
    # FT incidents
    _ticket(cs, FT, "incident", "INC-4", _line1(at("11-10", 1), at("11-10", 3)), state="surveyed", priority="P2",
            category="network", opened_at=at("11-10", 1), resolved_at=at("11-10", 3), data={"satisfaction": 2})
    _ticket(cs, FT, "incident", "INC-5", [
        ("dispatch", {"from": "new", "to": "line2"}, at("10-30", 1)),
        ("resolve", {"from": "line2", "to": "resolved"}, at("10-31", 0)),
        ("reopen", {"from": "resolved", "to": "line2"}, at("10-31", 5)),
        ("resolve", {"from": "line2", "to": "resolved"}, at("11-01", 0)),
    ], state="resolved", priority="P3", category="software", opened_at=at("10-30", 0), resolved_at=at("11-01", 0))
    _ticket(cs, FT, "incident", "INC-7", _line1(at("11-12", 1, 40), at("11-12", 10)), state="resolved",
            priority="P2", category="software", opened_at=at("11-12", 1), resolved_at=at("11-12", 10))
    # the province's own incident
    _ticket(cs, GD, "incident", "INC-6", [], state="line2", priority="P1", category="hardware", ci_id="c2",
            opened_at=at("11-20", 1))
    # releases at FT
    _ticket(cs, FT, "release", "REL-1", [], state="closed", opened_at=at("11-01", 1), closed_at=at("11-15", 1))
    _ticket(cs, FT, "release", "REL-2", [("rollback", {"from": "deploy", "to": "build"}, at("11-10", 1))],
            state="closed", opened_at=at("11-01", 1), closed_at=at("11-16", 1))


def _form(cs: ChangeSet, owner: str, number: str, template: str, planned: datetime, state: str = "planned",
          completed: datetime | None = None, conclusion: str = "") -> None:
    cs.create(FormRecord, owner, {"number": number, "template_code": template, "state": state,
                                  "planned_at": planned, "completed_at": completed, "conclusion": conclusion})


def _forms(cs: ChangeSet) -> None:
    _form(cs, LH, "F-1", "SOP-06", at("11-05", 1), "completed", at("11-05", 8), "正常")
    _form(cs, LH, "F-2", "SOP-06", at("11-06", 1), "completed", at("11-08", 1), "正常")  # late
    _form(cs, FT, "F-3", "SOP-06", at("11-07", 1))  # never done
    _form(cs, FT, "F-4", "SOP-08", at("11-09", 1), "reviewed", at("11-09", 6), "正常")
    _form(cs, LH, "F-5", "SOP-08", at("11-09", 1), "completed", at("11-09", 6), "有异常")
    _form(cs, LH, "F-6", "SOP-06", at("12-01", 1))  # next month


def _measurements(cs: ChangeSet) -> None:
    for ci, metric, value, when in (("c1", "cpu", 50.0, at("11-02", 2)), ("c1", "cpu", 90.0, at("11-02", 6)),
                                    ("c1", "cpu", 60.0, at("11-03", 2)), ("c2", "memory", 95.0, at("11-02", 2)),
                                    ("c2", "bandwidth", 99.0, at("11-04", 2))):
        cs.append(Measurement, LH, {"ci_id": ci, "metric": metric, "value": value, "measured_at": when})


def _events(cs: ChangeSet) -> None:
    for owner, number, grade, found, reported in ((LH, "SEC-1", 3, at("11-04", 10), at("11-04", 12)),
                                                  (FT, "SEC-2", 4, at("11-06", 0), at("11-07", 6)),
                                                  (GD, "SEC-3", 2, at("11-07", 0), None)):
        cs.create(SecurityEvent, owner, {"number": number, "title": number, "category": "attack", "grade": grade,
                                         "discovered_at": found, "first_report_at": reported})
