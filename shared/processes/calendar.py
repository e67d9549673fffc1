"""Working calendars: public holidays, 调休 make-up working days and business hours.

Calendars are data (resources/calendars/*.yaml, or a catalogue entry of kind ``calendar`` owned by an
org unit, which then applies to its whole subtree). Times in the database are UTC; business hours
are local (China has one zone, UTC+8, and no daylight saving, so a fixed offset is exact).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

from shared.yamlio import load_yaml

CALENDARS = Path(__file__).resolve().parent.parent / "resources" / "calendars"
CHINA = timezone(timedelta(hours=8), "CST")
ALWAYS = "24x7"
ONE_DAY = timedelta(days=1)
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")


def china_today() -> date:
    """Today's date where the work is done (UTC+8): the day a plan, a month or a contract's expiry counts
    from, whatever the clock of the machine running the command says."""
    return datetime.now(CHINA).date()


class CalendarError(ValueError):
    pass


@dataclass(frozen=True)
class Calendar:
    code: str
    holidays: frozenset[date]
    workdays: frozenset[date]
    hours: tuple[tuple[time, time], ...]
    always_on: bool = False
    # local day → its working periods in UTC: SLA clocks ask for the same days thousands of times (a KPI
    # evaluation computes the clocks of every ticket of a province-month)
    _day_periods: dict[date, list[tuple[datetime, datetime]]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def is_working_day(self, day: date) -> bool:
        if self.always_on:
            return True
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def _periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods of a local day, as UTC datetimes."""
        found = self._day_periods.get(day)
        if found is None:
            found = self._day_periods[day] = self._periods_of(day)
        return found

    def _periods_of(self, day: date) -> list[tuple[datetime, datetime]]:
        if self.always_on:
            start = datetime.combine(day, time(0), CHINA)
            return [(start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC))]
        if not self.is_working_day(day):
            return []
        return [(datetime.combine(day, a, CHINA).astimezone(UTC),
                 datetime.combine(day, b, CHINA).astimezone(UTC)) for a, b in self.hours]

    def working_minutes(self, start: datetime, end: datetime) -> float:
        """Minutes of working time between two UTC instants."""
        if end <= start:
            return 0.0
        if self.always_on:
            return (end - start).total_seconds() / 60
        total = 0.0
        day, last = start.astimezone(CHINA).date(), end.astimezone(CHINA).date()
        while day <= last:
            for a, b in self._periods(day):
                lo, hi = max(a, start), min(b, end)
                if hi > lo:
                    total += (hi - lo).total_seconds() / 60
            day += ONE_DAY
        return total

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The UTC instant when ``minutes`` of working time have passed after ``start``."""
        if self.always_on:
            return start + timedelta(minutes=minutes)
        left = minutes
        day = start.astimezone(CHINA).date()
        for _ in range(3660):  # ten years of days: a target longer than that is a definition error
            for a, b in self._periods(day):
                lo = max(a, start)
                if b <= lo:
                    continue
                span = (b - lo).total_seconds() / 60
                if span >= left:
                    return lo + timedelta(minutes=left)
                left -= span
            day += timedelta(days=1)
        raise CalendarError(f"calendar {self.code}: no working time to fit {minutes} minutes")


def _dates(items: Any, where: str) -> frozenset[date]:
    result: set[date] = set()
    for value in (items or []):
        text = value.isoformat() if isinstance(value, date) else str(value)
        match = _RANGE.match(text)
        if not match:
            raise CalendarError(f"{where}: {text!r} is not a date or a range like 2026-10-01..2026-10-07")
        first = date.fromisoformat(match.group(1))
        last = date.fromisoformat(match.group(2) or match.group(1))
        if last < first:
            raise CalendarError(f"{where}: the range {text} ends before it starts")
        result.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return frozenset(result)


def _by_year(doc: Any, key: str, where: str) -> frozenset[date]:
    value = doc.get(key) or {}
    if isinstance(value, dict):
        return frozenset().union(*(_dates(v, f"{where} {key} {y}") for y, v in value.items()))
    return _dates(value, f"{where} {key}")


def _hours(items: Any, where: str) -> tuple[tuple[time, time], ...]:
    """Pairs ``[["08:30", "12:00"], …]`` or strings ``["08:30-12:00", …]`` (as typed in a form)."""
    pairs = [str(item).replace("–", "-").split("-", 1) if isinstance(item, str) else item for item in items]
    try:
        hours = tuple((time.fromisoformat(str(a).strip()), time.fromisoformat(str(b).strip())) for a, b in pairs)
    except (TypeError, ValueError):
        raise CalendarError(f"{where}: business_hours must be pairs like [\"08:30\", \"12:00\"]") from None
    if any(b <= a for a, b in hours):
        raise CalendarError(f"{where}: a business-hours period ends before it starts")
    return hours


def parse_calendar(doc: dict[str, Any], where: str, base: Calendar | None = None) -> Calendar:
    """A calendar document; with ``base``, its holidays and workdays are added to the base's."""
    holidays = _by_year(doc, "holidays", where) | (base.holidays if base else frozenset())
    workdays = _by_year(doc, "workdays", where) | (base.workdays if base else frozenset())
    removed = _by_year(doc, "not_holidays", where)
    hours = _hours(doc["business_hours"], where) if doc.get("business_hours") else (
        base.hours if base else ((time(8, 30), time(12)), (time(13, 30), time(17, 30))))
    return Calendar(str(doc.get("code") or (base.code if base else "custom")), holidays - removed,
                    workdays, hours)


@cache
def builtin(code: str = "CN") -> Calendar:
    if code == ALWAYS:
        return Calendar(ALWAYS, frozenset(), frozenset(), (), always_on=True)
    path = CALENDARS / f"{code}.yaml"
    if not path.is_file():
        raise CalendarError(f"no calendar {code!r} (known: {', '.join(p.stem for p in CALENDARS.glob('*.yaml'))})")
    return parse_calendar(load_yaml(path.read_text(encoding="utf-8")), path.name)


def is_working_day(day: date, calendar: str = "CN") -> bool:
    return builtin(calendar).is_working_day(day)
