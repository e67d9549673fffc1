"""Plan scheduling across month ends and holidays, spawning (idempotent, offline), completion rate."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from shared.models.forms import FormRecord
from shared.services import plans, rooms
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid
from shared.store import Store
from tests.forms.conftest import completed_sop06, lead_of, normal_sop06_values

D = date.fromisoformat


def _plan(rule: str, start: str, day: int = 1, working: bool = False, end: str | None = None) -> dict:
    return {"rule": rule, "day": day, "start_on": start, "end_on": end, "working_days_only": working}


def test_monthly_on_the_31st_falls_on_the_last_day_of_short_months() -> None:
    days = plans.due_days(_plan("monthly", "2026-01-01", 31), D("2026-01-01"), D("2026-04-30"))
    assert days == [D("2026-01-31"), D("2026-02-28"), D("2026-03-31"), D("2026-04-30")]
    leap = plans.due_days(_plan("monthly", "2028-01-01", 30), D("2028-02-01"), D("2028-03-31"))
    assert leap == [D("2028-02-29"), D("2028-03-30")]


def test_working_days_only_moves_past_holidays_and_uses_make_up_days() -> None:
    # 2026-10-01 … 10-07 National Day; 10-10 (Saturday) is a 调休 working day
    days = plans.due_days(_plan("monthly", "2026-01-01", 1, working=True), D("2026-09-01"), D("2026-11-30"))
    assert days == [D("2026-09-01"), D("2026-10-08"), D("2026-11-02")]  # 11-01 is a Sunday
    daily = plans.due_days(_plan("daily", "2026-10-01", working=True), D("2026-10-01"), D("2026-10-12"))
    assert daily == [D("2026-10-08"), D("2026-10-09"), D("2026-10-10"), D("2026-10-12")]
    # a shifted day may cross the month end: 2026-01-31 is a Saturday → Monday 2026-02-02
    days = plans.due_days(_plan("monthly", "2026-01-01", 31, working=True), D("2026-01-01"), D("2026-02-10"))
    assert days == [D("2026-02-02")]
    # Spring Festival 2026-02-15 … 02-23: a weekly Monday plan moves to Tuesday 02-24
    weekly = plans.due_days(_plan("weekly", "2026-02-01", 1, working=True), D("2026-02-09"), D("2026-03-02"))
    assert weekly == [D("2026-02-09"), D("2026-02-24"), D("2026-03-02")]


def test_quarterly_yearly_once_and_bounds() -> None:
    quarterly = plans.due_days(_plan("quarterly", "2026-01-01", 15), D("2026-01-01"), D("2026-12-31"))
    assert quarterly == [D("2026-01-15"), D("2026-04-15"), D("2026-07-15"), D("2026-10-15")]
    yearly = plans.due_days(_plan("yearly", "2026-03-01", 10), D("2026-01-01"), D("2028-12-31"))
    assert yearly == [D("2026-03-10"), D("2027-03-10"), D("2028-03-10")]
    once = plans.due_days(_plan("once", "2026-05-20"), D("2026-05-01"), D("2026-05-31"))
    assert once == [D("2026-05-20")]
    bounded = plans.due_days(_plan("daily", "2026-11-28", end="2026-12-02"), D("2026-11-01"), D("2026-12-31"))
    assert bounded == [D("2026-11-28"), D("2026-11-29"), D("2026-11-30"), D("2026-12-01"), D("2026-12-02")]


def test_a_daily_per_shift_plan_spawns_once_and_feeds_the_completion_rate(county: tuple[Store, Actor],
                                                                         room: dict) -> None:
    store, actor = county
    lead = lead_of(store)
    with store.write(actor.user_id) as cs:
        plan = plans.create_plan(cs, actor, "龙华机房日常巡检", "SOP-06", "daily", "2026-11-29", room_id=room["id"],
                                 shifts=["白班@08:30", "夜班@20:30"], end_on="2026-12-02", plan_type="monthly")
        with pytest.raises(Invalid, match="only a published plan"):
            plans.spawn_due(cs, actor, D("2026-12-31"), plan["id"])
        plans.transition_plan(cs, actor, plan["id"], "submit")
        with pytest.raises(Forbidden, match="approve of a plan needs the role"):  # not the service desk's call
            plans.transition_plan(cs, actor, plan["id"], "approve")
        plans.transition_plan(cs, lead, plan["id"], "approve")
        made = plans.spawn_due(cs, actor, D("2026-11-30"))
        assert [(r["shift"], r["planned_at"][:10]) for r in made] == [
            ("白班", "2026-11-29"), ("夜班", "2026-11-29"), ("白班", "2026-11-30"), ("夜班", "2026-11-30")]
        assert plans.spawn_due(cs, actor, D("2026-11-30")) == []  # idempotent
        assert len(plans.spawn_due(cs, actor, D("2026-12-31"))) == 4  # up to the plan's end
        assert plans.load_plan(cs.session, actor, plan["id"]).state == "active"
    with store.write(actor.user_id) as cs:
        first = cs.session.scalars(select(FormRecord).order_by(FormRecord.planned_at)).first()
        assert first is not None and first.room_id == room["id"] and first.template_version == "1.0"
        first_id = first.id
    completed_sop06_on(store, actor, first_id)
    with store.read() as session:
        rate = plans.completion(session, actor, plan["id"], until=D("2026-12-02"))
        assert rate["due"] == 8 and rate["done"] == 1
        calendar = rooms.inspection_calendar(session, actor, room["id"], "2026-11", today=D("2026-12-01"))
        assert calendar == {"2026-11-29": "partial", "2026-11-30": "overdue"}
        by_day = plans.plan_calendar(session, actor, "2026-12")
        assert sorted(by_day) == ["2026-12-01", "2026-12-02"]


def completed_sop06_on(store: Store, actor: Actor, record_id: str) -> None:
    from shared.services import forms
    from tests.forms.conftest import png

    with store.write(actor.user_id) as cs:
        forms.fill_record(cs, actor, record_id, normal_sop06_values())
        forms.sign(cs, actor, record_id, "executor", png())
        forms.complete_record(cs, actor, record_id)


def test_room_logs_access_register_and_readings(county: tuple[Store, Actor], room: dict) -> None:
    store, actor = county
    with store.write(actor.user_id) as cs:
        rooms.add_rack(cs, actor, room["id"], "A01", 42, 30)
        rooms.add_rack(cs, actor, room["id"], "A02", 42, 12)
        rooms.add_facility(cs, actor, room["id"], "ups", "1号UPS", "山特 3C3 Pro 20K")
        with pytest.raises(Invalid, match="U used"):
            rooms.add_rack(cs, actor, room["id"], "A03", 42, 50)
        rooms.add_duty_entry(cs, actor, room["id"], "白班", "巡检正常，UPS负载45%", handover_to="夜班 王工",
                             open_issues="2号空调滤网待更换")
        entry = rooms.register_entry(cs, actor, room["id"], "张三", "lh_desk", "更换硬盘", company="浪潮")
        with pytest.raises(Invalid, match="escort"):
            rooms.register_entry(cs, actor, room["id"], "李四", "", "参观")
        rooms.register_exit(cs, actor, entry["id"])
        with pytest.raises(Invalid, match="already left"):
            rooms.register_exit(cs, actor, entry["id"])
        rooms.add_reading(cs, actor, room["id"], 24.5, 52)
    completed_sop06(store, actor, room["id"], normal_sop06_values())
    with store.read() as session:
        details = rooms.room_details(session, actor, room["id"])
        assert details["u_utilisation"] == 50.0 and details["facilities"][0]["name"] == "1号UPS"
        register = rooms.access_register(session, actor, room["id"])
        assert register[0]["data"]["visitor"] == "张三" and register[0]["time_out"]
        assert rooms.duty_log(session, actor, room["id"])[0]["data"]["handover_to"] == "夜班 王工"
        series = rooms.readings(session, actor, room["id"])
        assert [s["temperature"] for s in series] == [24.5, 23.0]
