"""SLA clocks: business hours, weekends, public holidays, 调休 working Saturdays, 7×24 for P1,
pauses, warnings and breaches, and events that arrive late by sync."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from shared.processes.calendar import CalendarError, builtin, parse_calendar
from shared.processes.engine import process
from shared.processes.sla import compute_clocks

CST = timezone(timedelta(hours=8))
INCIDENT = process("incident")


def at(text: str) -> datetime:
    """A China-time wall clock reading as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=CST)


def history(*events: tuple[str, str, str]) -> list[dict]:
    """(china time, action, state after) → history entries as the services write them."""
    return [{"kind": "history", "body": action, "hlc": "",
             "data": {"detail": {"to": state} if action != "created" else {"state": state},
                      "at": at(when).astimezone(UTC).isoformat()}}
            for when, action, state in events]


def clocks(priority: str, entries: list[dict], now: str, **ticket: object) -> dict[str, object]:
    targets = INCIDENT.sla[priority]
    cal = builtin(str(targets["calendar"]))
    result = compute_clocks(INCIDENT, {"priority": priority, **ticket}, entries, targets, cal, at(now))
    return {c.name: c for c in result}


def test_business_hours_skip_the_weekend() -> None:
    # P3 response target: 120 working minutes. Logged Friday 16:00: 90 min on Friday, 30 on Monday.
    entries = history(("2026-11-20T16:00", "created", "new"))
    c = clocks("P3", entries, "2026-11-23T08:45")["response"]
    assert c.status == "running" and c.elapsed_minutes == pytest.approx(105)
    assert c.deadline is not None and c.deadline.astimezone(CST) == at("2026-11-23T09:00")


def test_public_holiday_and_make_up_working_saturday() -> None:
    # Logged 30 Sep 2026 16:00: the National Day holiday (1–7 Oct) stops the clock; 8 Oct counts.
    entries = history(("2026-09-30T16:00", "created", "new"))
    c = clocks("P3", entries, "2026-10-07T23:00")["response"]
    assert c.elapsed_minutes == pytest.approx(90) and c.percent == pytest.approx(75.0) and c.warning
    assert c.deadline is not None and c.deadline.astimezone(CST) == at("2026-10-08T09:00")
    # Saturday 10 Oct 2026 is a 调休 working day: it counts; Sunday 11 Oct does not.
    cal = builtin("CN")
    assert cal.is_working_day(date(2026, 10, 10)) and not cal.is_working_day(date(2026, 10, 11))
    assert cal.working_minutes(at("2026-10-10T08:00"), at("2026-10-12T08:00")) == pytest.approx(450)


def test_p1_runs_around_the_clock() -> None:
    entries = history(("2026-10-03T03:00", "created", "new"))  # a holiday, at night
    c = clocks("P1", entries, "2026-10-03T03:20")["response"]
    assert c.elapsed_minutes == pytest.approx(20) and c.breached and c.status == "running"


def test_pending_pauses_the_resolution_clock_and_stopped_clocks_keep_their_verdict() -> None:
    entries = history(("2026-11-24T09:00", "created", "new"), ("2026-11-24T09:10", "accept", "line1"),
                      ("2026-11-24T10:00", "pend", "pending"), ("2026-11-26T10:00", "resume", "line1"),
                      ("2026-11-26T11:00", "resolve", "resolved"))
    by_name = clocks("P2", entries, "2026-11-27T12:00")
    assert by_name["response"].status == "met" and by_name["response"].elapsed_minutes == pytest.approx(10)
    res = by_name["resolution"]
    assert res.status == "met" and res.elapsed_minutes == pytest.approx(120)  # 60 + 60, not 2 days
    while_pending = clocks("P2", entries[:3], "2026-11-25T10:00")["resolution"]
    assert while_pending.status == "paused" and while_pending.elapsed_minutes == pytest.approx(60)
    assert while_pending.deadline is None


def test_breach_after_the_target_and_the_onsite_clock_only_when_needed() -> None:
    entries = history(("2026-11-24T09:00", "created", "new"), ("2026-11-24T09:05", "accept", "line1"),
                      ("2026-11-24T09:20", "dispatch", "line2"), ("2026-11-24T13:00", "arrive", "line2"))
    c = clocks("P2", entries, "2026-11-24T18:00", data={"onsite_required": True})
    assert c["onsite"].status == "met" and c["onsite"].elapsed_minutes == pytest.approx(220)
    assert c["resolution"].breached and c["resolution"].status == "running"
    assert clocks("P2", entries, "2026-11-24T18:00")["onsite"].status == "not_started"


def test_late_arriving_events_recompute_the_same_clocks_whatever_the_arrival_order() -> None:
    entries = history(("2026-11-24T09:00", "created", "new"), ("2026-11-24T09:10", "accept", "line1"),
                      ("2026-11-24T10:00", "pend", "pending"), ("2026-11-25T10:00", "resume", "line1"))
    expected = {n: (c.elapsed_minutes, c.status) for n, c in clocks("P3", entries, "2026-11-25T12:00").items()}
    shuffled = list(entries)
    for seed in range(5):
        random.Random(seed).shuffle(shuffled)
        got = {n: (c.elapsed_minutes, c.status) for n, c in clocks("P3", shuffled, "2026-11-25T12:00").items()}
        assert got == expected
    # without the (late) pend/resume pair the county's offline hold is unknown: the clock ran all along
    early = clocks("P3", entries[:2], "2026-11-25T12:00")["resolution"]
    assert early.elapsed_minutes > expected["resolution"][0]


def test_a_calendar_document_is_checked_and_extends_its_base() -> None:
    base = builtin("CN")
    local = parse_calendar({"holidays": ["2026-12-24..2026-12-25"], "workdays": ["2026-12-27"]}, "local", base)
    assert not local.is_working_day(date(2026, 12, 24)) and local.is_working_day(date(2026, 12, 27))
    assert not local.is_working_day(date(2026, 10, 1))  # the base's holidays still apply
    with pytest.raises(CalendarError, match="ends before it starts"):
        parse_calendar({"holidays": ["2026-12-25..2026-12-24"]}, "bad")
    with pytest.raises(CalendarError, match="not a date"):
        parse_calendar({"holidays": ["Christmas"]}, "bad")
    typed = parse_calendar({"business_hours": ["09:00-12:00", "14:00–18:00"]}, "typed", base)
    assert typed.working_minutes(at("2026-11-26T08:00"), at("2026-11-26T20:00")) == pytest.approx(420)
    with pytest.raises(CalendarError, match="business_hours"):
        parse_calendar({"business_hours": ["morning"]}, "bad")
