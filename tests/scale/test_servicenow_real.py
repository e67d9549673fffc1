"""The importer on the real UCI ServiceNow incident event log (141,712 rows, 24,918 incidents).

One import and one re-import at module scope; every test reads the result."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from shared.importers.servicenow import ImportReport, import_incidents
from shared.importers.servicenow_mapping import DEFAULT_STATES
from shared.models.org import OrgUnit, Team, User
from shared.models.sync import ChangeLogEntry
from shared.models.tickets import Ticket, TicketEntry
from shared.processes.engine import priority_for
from shared.store import Store
from tests.scale.conftest import UCI_ZIP, province_store

# The module's import and re-import take ~80 s of CPU (about 50 + 25 s): allow for a loaded machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900),
              pytest.mark.skipif(not UCI_ZIP.exists(), reason="UCI data set not present")]


@dataclass
class Imported:
    store: Store
    first: ImportReport
    second: ImportReport
    counts_after_first: dict[str, int]
    rows: list[tuple[int, dict[str, str]]]  # (line, row) straight from the file


def table_counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {cls.__name__: int(session.scalar(select(func.count()).select_from(cls)) or 0)
                for cls in (Ticket, TicketEntry, ChangeLogEntry, User, Team, OrgUnit)}


def source_rows() -> list[tuple[int, dict[str, str]]]:
    with zipfile.ZipFile(UCI_ZIP) as archive, archive.open(archive.namelist()[0]) as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
        return [(index + 2, row) for index, row in enumerate(reader)]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    root = tmp_path_factory.mktemp("uci")
    store = province_store(root / "province.db")
    with store.read() as session:
        admin = session.scalar(select(User.id).where(User.username == "gd_admin"))
    first = import_incidents(store, UCI_ZIP, admin, work_dir=root)
    counts = table_counts(store)
    second = import_incidents(store, UCI_ZIP, admin, work_dir=root)
    yield Imported(store, first, second, counts, source_rows())
    store.close()


def sn_time(text: str) -> str:
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_every_incident_becomes_one_ticket_with_its_servicenow_number(imported: Imported) -> None:
    numbers = {row["number"] for _, row in imported.rows}
    assert len(numbers) == 24_918
    assert imported.first.incidents == 24_918 and imported.first.created == 24_918
    assert imported.first.events == 141_712 and imported.first.entries == 141_712
    with imported.store.read() as session:
        stored = set(session.scalars(select(Ticket.number).where(Ticket.process == "incident")))
    assert stored == numbers


def test_state_history_matches_the_source_row_for_row(imported: Imported) -> None:
    expected: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for line, row in imported.rows:
        expected[row["number"]].append((row["incident_state"], sn_time(row["sys_updated_at"]), line))
    with imported.store.read() as session:
        numbers = {tid: number for tid, number in session.execute(select(Ticket.id, Ticket.number))}
        stored: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        previous: dict[str, str | None] = {}
        query = select(TicketEntry.ticket_id, TicketEntry.data).where(TicketEntry.kind == "history") \
            .order_by(TicketEntry.ticket_id, TicketEntry.hlc)
        for ticket_id, data in session.execute(query):
            number = numbers[ticket_id]
            source = data["source"]
            stored[number].append((source["state"], data["at"], source["line"]))
            detail = data["detail"]
            assert detail["from"] == previous.get(number)  # the chain is unbroken
            mapped = DEFAULT_STATES.get(source["state"])
            assert detail["to"] == (mapped if mapped else detail["from"])  # -100 keeps the state
            previous[number] = detail["to"]
    assert stored == expected  # same rows, same order, same event times


def test_final_state_fields_and_derived_priority(imported: Imported) -> None:
    last: dict[str, dict[str, str]] = {}
    for _, row in imported.rows:
        last[row["number"]] = row
    with imported.store.read() as session:
        tickets = {t.number: t for t in session.scalars(select(Ticket))}
    for number, row in last.items():
        ticket = tickets[number]
        assert ticket.priority == priority_for(ticket.impact, ticket.urgency)
        assert ticket.impact == int(row["impact"][0]) and ticket.urgency == int(row["urgency"][0])
        assert ticket.data["sla_met"] is (row["made_sla"] == "true")
        assert ticket.category == (row["category"] if row["category"] != "?" else "")
        if row["incident_state"] == "Closed":
            assert ticket.state == "closed"
            assert ticket.closed_at == datetime.strptime(row["closed_at"], "%d/%m/%Y %H:%M").replace(tzinfo=UTC)
        if row["problem_id"] != "?":
            assert ticket.data["problem_ref"] == row["problem_id"]
        if row["rfc"] != "?":
            assert ticket.data["change_ref"] == row["rfc"]
    inc45 = tickets["INC0000045"]
    assert inc45.opened_at == datetime(2016, 2, 29, 1, 16, tzinfo=UTC)  # day-first: 29/2/2016


def test_callers_groups_and_locations_become_users_teams_and_org_units(imported: Imported) -> None:
    first = imported.first
    assert (first.users, first.teams, first.org_units) == (5244, 78, 224)
    with imported.store.read() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == "INC0000045"))
        assert ticket is not None
        caller = session.get(User, ticket.caller_id)
        team = session.get(Team, ticket.team_id)
        unit = session.scalar(select(OrgUnit).where(OrgUnit.path == ticket.owner_path))
    assert caller is not None and caller.full_name == "Caller 2403"
    assert team is not None and team.name == "ServiceNow Group 56"
    assert unit is not None and unit.name == "Location 143" and unit.parent_path == "/HQ/GD/"
    assert first.mapping_drafted and first.mapping_path is not None
    assert "Location 143: /HQ/GD/L143/" in first.mapping_path.read_text(encoding="utf-8")


def test_the_five_dirty_rows_are_reported_with_their_line_numbers(imported: Imported) -> None:
    bad_lines = [line for line, row in imported.rows if row["incident_state"] == "-100"]
    assert len(bad_lines) == 5
    assert sorted(d.line for d in imported.first.dirty) == bad_lines
    assert all(d.column == "incident_state" and d.value == "-100" for d in imported.first.dirty)
    path = imported.first.dirty_path
    assert path is not None
    with path.open(encoding="utf-8") as report:
        assert sorted(int(r["line"]) for r in csv.DictReader(report)) == bad_lines


def test_importing_twice_creates_nothing_new(imported: Imported) -> None:
    second = imported.second
    assert (second.created, second.updated, second.entries) == (0, 0, 0)
    assert second.unchanged == 24_918
    assert (second.users, second.teams, second.org_units) == (0, 0, 0)
    assert table_counts(imported.store) == imported.counts_after_first
    assert len(second.dirty) == 5  # still reported


def test_province_writes_are_authority_versions_counties_can_pull(imported: Imported) -> None:
    with imported.store.read() as session:
        logged = session.scalar(select(func.count()).select_from(ChangeLogEntry)
                                .where(ChangeLogEntry.entity == "tickets"))
        versions = set(session.scalars(select(Ticket.version).distinct()))
    assert logged == 24_918
    assert versions == {1}
