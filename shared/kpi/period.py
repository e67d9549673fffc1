"""Reporting periods: ``2026-11`` (month), ``2026-Q4`` (quarter), ``2026`` (year), in China time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8), "CST")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})|-Q([1-4]))?$")


@dataclass(frozen=True)
class Period:
    code: str
    start: datetime  # UTC, inclusive
    end: datetime  # UTC, exclusive

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def codes(self) -> list[str]:
        """This period's code and those of the months (and quarters) inside it: figures entered by month
        add up to the quarter and the year."""
        year, month, quarter = _split(self.code)
        if month:
            return [self.code]
        months = range(3 * quarter - 2, 3 * quarter + 1) if quarter else range(1, 13)
        quarters = [] if quarter else [f"{year}-Q{q}" for q in range(1, 5)]
        return [self.code, *quarters, *(f"{year}-{m:02d}" for m in months)]

    def previous(self) -> Period:
        year, month, quarter = _split(self.code)
        if quarter:
            return parse_period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
        if month:
            return parse_period(f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}")
        return parse_period(str(year - 1))


def _split(code: str) -> tuple[int, int, int]:
    match = _PERIOD.match(code.strip())
    if not match:
        raise ValueError(f"bad period {code!r}: use YYYY-MM, YYYY-Qn or YYYY")
    year = int(match.group(1))
    month = int(match.group(2) or 0)
    quarter = int(match.group(3) or 0)
    if month and not 1 <= month <= 12:
        raise ValueError(f"bad period {code!r}: month {month} does not exist")
    return year, month, quarter


def _local(year: int, month: int) -> datetime:
    if month > 12:
        year, month = year + 1, month - 12
    return datetime(year, month, 1, tzinfo=CHINA).astimezone(UTC)


def parse_period(code: str) -> Period:
    year, month, quarter = _split(code)
    if month:
        return Period(f"{year}-{month:02d}", _local(year, month), _local(year, month + 1))
    if quarter:
        first = 3 * (quarter - 1) + 1
        return Period(f"{year}-Q{quarter}", _local(year, first), _local(year, first + 3))
    return Period(str(year), _local(year, 1), _local(year + 1, 1))


def current_month(now: datetime | None = None) -> str:
    local = (now or datetime.now(UTC)).astimezone(CHINA)
    return f"{local.year}-{local.month:02d}"
