"""Reading a ServiceNow incident audit export (one row per update, e.g. the UCI incident event log).

Rows are grouped per incident number in file order; each group becomes one ticket and each row one
history entry. Dates are day-first (``29/2/2016 01:16``). Rows that cannot be trusted (the ``-100``
state, impossible dates) are kept as history but reported as dirty with their line numbers.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

MISSING = "?"
REQUIRED_COLUMNS = ("number", "incident_state", "sys_mod_count", "opened_at", "sys_updated_at")
EARLIEST_YEAR = 1990


class SourceError(ValueError):
    """The file is not a ServiceNow incident export we can read."""


@dataclass(frozen=True)
class Dirty:
    line: int
    number: str
    column: str
    value: str
    reason: str


@dataclass
class Event:
    """One source row, with its parsed times."""

    line: int
    row: dict[str, str]
    at: datetime | None
    opened_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    dirty: list[Dirty] = field(default_factory=list)

    def get(self, column: str) -> str | None:
        """The value of a column, None for ServiceNow's ``?`` (unknown) and absent columns."""
        value = self.row.get(column, "").strip()
        return None if value in ("", MISSING) else value


@dataclass
class Incident:
    number: str
    events: list[Event]


def open_text(path: Path) -> Iterator[io.TextIOBase]:
    """Yield a text stream over a CSV file, or over the first CSV member of a ZIP archive."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not members:
                raise SourceError(f"{path.name} holds no .csv file")
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        return
    with path.open(encoding="utf-8-sig", newline="") as text:
        yield text  # type: ignore[misc]


def parse_time(value: str, zone: tzinfo) -> datetime | None:
    """``29/2/2016 01:16`` (day first, optional seconds) → aware datetime; None for ``?``/empty.
    Raises ValueError for text that is no date or an impossible one (31/2/2016)."""
    value = value.strip()
    if value in ("", MISSING):
        return None
    match = DATE_RE.fullmatch(value)
    if match is None:
        raise ValueError(value)
    day, month, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    return datetime(year, month, day, hour, minute, second, tzinfo=zone)


class TimeParser:
    """``parse_time`` with a memo: an export repeats each incident's dates on every row."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.memo: dict[str, datetime | ValueError | None] = {}

    def __call__(self, value: str) -> datetime | None:
        found = self.memo.get(value, _UNSEEN)
        if found is _UNSEEN:
            try:
                found = parse_time(value, self.zone)
            except ValueError as exc:
                found = exc
            if len(self.memo) > 200_000:
                self.memo.clear()
            self.memo[value] = found
        if isinstance(found, ValueError):
            raise found
        return found  # type: ignore[return-value]


_UNSEEN = object()
DATE_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def _time(row: dict[str, str], column: str, line: int, parse: TimeParser, dirty: list[Dirty],
          now: datetime) -> datetime | None:
    try:
        value = parse(row.get(column, ""))
    except ValueError:
        dirty.append(Dirty(line, row["number"], column, row.get(column, ""), "not a valid day-first date"))
        return None
    if value is not None and not (value.year >= EARLIEST_YEAR and value <= now):
        dirty.append(Dirty(line, row["number"], column, row[column], "date outside 1990 … now"))
        return None
    return value


def make_event(row: dict[str, str], line: int, parse: TimeParser, now: datetime) -> Event:
    dirty: list[Dirty] = []
    times = {c: _time(row, c, line, parse, dirty, now)
             for c in ("sys_updated_at", "opened_at", "resolved_at", "closed_at", "sys_created_at")}
    event = Event(line, row, times["sys_updated_at"], times["opened_at"], times["resolved_at"],
                  times["closed_at"], dirty)
    number = row["number"]
    if row.get("incident_state", "").strip() not in KNOWN_STATES:
        dirty.append(Dirty(line, number, "incident_state", row.get("incident_state", ""),
                           "unknown incident state"))
    created = times["sys_created_at"]
    if event.at is None and not any(d.column == "sys_updated_at" for d in dirty):
        dirty.append(Dirty(line, number, "sys_updated_at", row.get("sys_updated_at", ""), "no event time"))
    for column, value in (("resolved_at", event.resolved_at), ("closed_at", event.closed_at)):
        if value is not None and event.opened_at is not None and value < event.opened_at:
            dirty.append(Dirty(line, number, column, row[column], f"{column} before opened_at"))
    if event.closed_at and event.resolved_at and event.closed_at < event.resolved_at:
        dirty.append(Dirty(line, number, "closed_at", row["closed_at"], "closed_at before resolved_at"))
    if event.at is not None and created is not None and event.at < created:
        dirty.append(Dirty(line, number, "sys_updated_at", row["sys_updated_at"],
                           "updated before the record was created"))
    return event


# ServiceNow incident states this importer knows (the mapping file maps them onto ITOps states).
KNOWN_STATES = ("New", "Active", "Awaiting User Info", "Awaiting Problem", "Awaiting Vendor",
                "Awaiting Evidence", "Resolved", "Closed", "Canceled", "In Progress", "On Hold")


def read_incidents(path: Path, zone: tzinfo, now: datetime) -> Iterator[Incident]:
    """Incidents in file order; the rows of one number must be consecutive (ServiceNow sorts exports
    by number). A number that comes back later is yielded again: the writer continues its ticket."""
    parse = TimeParser(zone)
    for text in open_text(path):
        reader = csv.DictReader(text)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise SourceError(f"{path.name} is not a ServiceNow incident export (missing columns: "
                              f"{', '.join(missing)})")
        current: Incident | None = None
        for row in reader:
            number = (row.get("number") or "").strip()
            event = make_event(row, reader.line_num, parse, now)
            if current is not None and current.number == number:
                current.events.append(event)
                continue
            if current is not None:
                yield current
            current = Incident(number, [event])
        if current is not None:
            yield current
