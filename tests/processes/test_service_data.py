"""Reference data and cross-ticket rules: SLA overrides by the nearest org unit, catalogue fulfilment
targets, contracts and satisfaction, capacity trends and proposals, problem proposals, links and
escalation notices that converge."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from shared.audit.verify import verify
from shared.db.types import utcnow
from shared.models.audit import AuditEvent
from shared.processes.sla import ticket_clocks
from shared.services import capacity, catalog, links, supervision, tickets
from shared.services.actor import SYSTEM
from shared.services.analysis import problem_proposals
from shared.services.errors import Forbidden, Invalid
from tests.processes.conftest import LH, Office


def _resolution_target(office: Office, ticket_id: str) -> float | None:
    with office.store.read() as s:
        return next(c.target_minutes for c in ticket_clocks(s, ticket_id) if c.name == "resolution")


def test_sla_targets_come_from_the_nearest_org_and_the_catalogue_item(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        inc = tickets.create_ticket(cs, a, "incident", "营销系统故障", {"impact": 1, "urgency": 2,
                                                                        "data.service": "营销管理系统"})
        other = tickets.create_ticket(cs, a, "incident", "OA故障", {"impact": 1, "urgency": 2})
        req = tickets.create_ticket(cs, a, "request", "口令重置", {"data.catalog_item": "PASSWORD"})
    assert _resolution_target(office, inc["id"]) == 480  # the definition's P2 default
    with office.store.write() as cs:
        catalog.create_entry(cs, SYSTEM, "sla", "P2-GD", "广东 P2", {"process": "incident", "priority": "P2",
                                                                     "resolution": 360}, owner_path="/HQ/GD/")
        catalog.create_entry(cs, SYSTEM, "sla", "P2-LH-YX", "龙华营销 P2", {
            "process": "incident", "priority": "P2", "service": "营销管理系统", "resolution": 240}, owner_path=LH)
    assert _resolution_target(office, inc["id"]) == 240  # service-specific, nearest org
    assert _resolution_target(office, other["id"]) == 360  # the province's generic override
    assert _resolution_target(office, req["id"]) == 30  # the catalogue item's fulfilment target


def test_catalogue_entries_are_typed_and_scoped(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        with pytest.raises(Invalid, match="amount must be a number"):
            catalog.create_entry(cs, a, "contract", "HT-1", "合同", {"amount": "很多"})
        with pytest.raises(Invalid, match="has no field 'colour'"):
            catalog.create_entry(cs, a, "supplier", "S1", "供应商", {"colour": "red"})
        today = date(2026, 11, 27)
        catalog.create_entry(cs, a, "contract", "HT-SOON", "快到期", {"end": (today + timedelta(days=30)).isoformat()})
        catalog.create_entry(cs, a, "contract", "HT-LATER", "未到期", {"end": "2028-01-01"})
        with pytest.raises(Forbidden, match="outside your scope"):
            catalog.create_entry(cs, a, "supplier", "S2", "省级供应商", {}, owner_path="/HQ/GD/")
    with office.store.read() as s:
        expiring = catalog.contracts_expiring(s, a, today)
        assert [(c["code"], c["days_left"]) for c in expiring] == [("HT-SOON", 30)]
        assert {e["code"] for e in catalog.list_entries(s, a, "catalog_item")} == {"APPROVE", "PASSWORD"}


def test_satisfaction_per_business_unit_counts_the_surveys(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        for bu, score in (("YXB", "1"), ("YXB", "3"), ("CWB", "2")):
            t = tickets.create_ticket(cs, a, "incident", f"{bu} 故障", {"data.business_unit": bu})
            tickets.transition(cs, a, t["id"], "accept")
            tickets.transition(cs, a, t["id"], "resolve", {"data.resolution_code": "other", "data.solution": "好了"})
            tickets.transition(cs, a, t["id"], "survey", {"data.satisfaction": score})
    with office.store.read() as s:
        rows = {r["business_unit"]: r for r in catalog.satisfaction_by_business_unit(s, a)}
    assert rows["YXB"]["surveys"] == 2 and rows["YXB"]["average"] == 2.0 and rows["YXB"]["satisfied_percent"] == 50.0
    assert rows["CWB"]["satisfied_percent"] == 100.0


def test_capacity_trend_projects_the_full_date_and_raises_a_proposal(office: Office) -> None:
    a = office.admin
    now = utcnow()
    with office.store.write(a.user_id) as cs:
        catalog.create_entry(cs, a, "capacity_threshold", "DISK", "磁盘", {"ci_class": "server", "metric": "disk",
                                                                         "warn": 80, "alarm": 90})
        for day in range(10):  # 50 % rising 2 points a day → 68 % today, full in 16 days
            capacity.record(cs, a, office.ci_id, "disk", 50 + 2 * day, now - timedelta(days=9 - day))
        with pytest.raises(Invalid, match="between 0 and 100"):
            capacity.record(cs, a, office.ci_id, "disk", 140)
    with office.store.read() as s:
        t = capacity.trend(s, office.ci_id, "disk", now=now)
        assert t.slope_per_day == pytest.approx(2.0) and t.latest == 68
        assert t.full_on is not None and abs((t.full_on - now).days - 16) <= 1
        found = capacity.proposals(s, a, now)
    assert [(p["metric"], p["level"]) for p in found] == [("disk", "trend")]


def test_problem_proposals_links_and_escalations_are_idempotent(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        five_hours_ago = utcnow() - timedelta(hours=5)
        incs = [tickets.create_ticket(cs, a, "incident", f"打印机故障 {i}", {"category": "外设", "impact": 1,
                                                                            "urgency": 1}, at=five_hours_ago)
                for i in range(3)]
    with office.store.read() as s:
        proposals = problem_proposals(s, a)
    assert [(p["by"], p["value"], p["count"]) for p in proposals] == [("category", "外设", 3)]
    with office.store.write(a.user_id) as cs:
        prb = tickets.create_ticket(cs, a, "problem", "打印机批量故障", {"category": "外设"})
        first = links.link(cs, a, prb["id"], incs[0]["number"])
        again = links.link(cs, a, incs[0]["id"], prb["id"])  # the other way round: the same link
        with pytest.raises(Invalid, match="cannot be linked"):
            other_problem = tickets.create_ticket(cs, a, "problem", "另一个问题")
            links.link(cs, a, prb["id"], other_problem["id"])
    assert first["id"] == again["id"]
    with office.store.read() as s:
        assert problem_proposals(s, a) == []  # an open problem covers the category now
        assert [r["number"] for r in links.linked(s, a, incs[0]["id"])] == [prb["number"]]
    with office.store.write(a.user_id) as cs:
        written = supervision.supervise(cs, a)
    with office.store.write(a.user_id) as cs:
        assert supervision.supervise(cs, a) == []  # nothing new: the notices have deterministic ids
    assert {w["ticket"] for w in written} == {i["number"] for i in incs}
    assert all(w["level"] == "escalation" and w["next_line"] == 2 for w in written)


def test_an_update_records_the_data_keys_it_changed_and_links_reach_articles_from_above(office: Office) -> None:
    a = office.admin
    with office.store.write() as cs:
        kb = tickets.create_ticket(cs, SYSTEM, "knowledge", "省级知识", {"data.steps": "重启"}, owner_path="/HQ/GD/")
    with office.store.write(a.user_id) as cs:
        t = tickets.create_ticket(cs, a, "incident", "打印机", {"data.pending_note": "x", "data.service": "OA"})
        tickets.update_ticket(cs, a, t["id"], {"data.service": "邮件系统", "urgency": 1})
        link = links.link(cs, a, t["id"], kb["number"])
    with office.store.read() as s:
        got = tickets.get_ticket(s, a, t["id"])
        assert [r["number"] for r in links.linked(s, a, t["id"])] == [kb["number"]]
    update = next(e for e in got["entries"] if e["body"] == "updated")
    assert update["data"]["detail"] == {"data.service": "邮件系统", "urgency": 1, "priority": "P3"}
    assert link["to"] == kb["number"]


def test_deleting_and_restoring_a_ticket_is_audited(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        t = tickets.create_ticket(cs, a, "incident", "误建的工单")
        tickets.delete_ticket(cs, a, t["id"])
        tickets.restore_ticket(cs, a, t["number"])
    with office.store.read() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.node_seq)).all()
        events = [(e.event, e.actor, e.detail.get("number")) for e in rows]
        report = verify(s)
    assert events[-2:] == [("deleted", "lh_admin", t["number"]), ("restored", "lh_admin", t["number"])]
    assert report.ok
