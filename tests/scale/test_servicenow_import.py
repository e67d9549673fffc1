"""The ServiceNow importer on small exports: dirty dates, dry run, resume, desktop stores, the mapping, the CLI."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cli.main import main
from shared.importers.servicenow import PROGRESS_FILE, Importer, import_incidents
from shared.models.org import Team, User
from shared.models.sync import OutboxEntry
from shared.models.tickets import Ticket, TicketEntry
from shared.services.actor import Actor
from shared.store import Store

Rows = list[dict[str, Any]]


def incident(number: str, states: list[str], day: int = 1, **extra: Any) -> Rows:
    return [{"number": number, "incident_state": state, "sys_mod_count": i,
             "opened_at": f"{day}/3/2016 09:00", "sys_updated_at": f"{day}/3/2016 1{i}:00", **extra}
            for i, state in enumerate(states)]


def many(count: int) -> Rows:
    rows: Rows = []
    for n in range(count):
        rows += incident(f"INC{n:07d}", ["New", "Active", "Resolved", "Closed"], day=1 + n % 28,
                         caller_id=f"Caller {n % 7}", assignment_group=f"Group {n % 3}",
                         location=f"Location {n % 4}")
    return rows


def count(store: Store, cls: type) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(cls)) or 0)


def test_impossible_dates_are_reported_with_line_numbers_and_kept(make_province: Callable[..., Store],
                                                                  write_csv: Callable[[Rows], Path],
                                                                  tmp_path: Path) -> None:
    rows = [
        *incident("INC0000001", ["New", "Active"]),
        {"number": "INC0000002", "incident_state": "New", "sys_mod_count": 0, "opened_at": "31/2/2016 09:00",
         "sys_updated_at": "1/3/2016 10:00"},
        {"number": "INC0000002", "incident_state": "Closed", "sys_mod_count": 1, "opened_at": "2/3/2016 09:00",
         "sys_updated_at": "3/3/2016 10:00", "closed_at": "1/3/2016 08:00"},
    ]
    store = make_province()
    report = import_incidents(store, write_csv(rows), None, work_dir=tmp_path)
    assert [(d.line, d.column) for d in report.dirty] == [(4, "opened_at"), (5, "closed_at")]
    assert "not a valid day-first date" in report.dirty[0].reason
    assert "closed_at before opened_at" in report.dirty[1].reason
    assert report.created == 2 and report.entries == 4  # dirty rows are still history, flagged
    with store.read() as session:
        entries = session.scalars(select(TicketEntry).join(Ticket, Ticket.id == TicketEntry.ticket_id)
                                  .where(Ticket.number == "INC0000002").order_by(TicketEntry.hlc)).all()
    assert [e.data.get("dirty", "") != "" for e in entries] == [True, True]
    assert [e.data["detail"] for e in entries] == [{"from": None, "to": "new"}, {"from": "new", "to": "closed"}]


def test_dry_run_counts_and_writes_nothing(make_province: Callable[..., Store], write_csv: Callable[[Rows], Path],
                                           tmp_path: Path) -> None:
    store = make_province()
    report = import_incidents(store, write_csv(many(30)), None, work_dir=tmp_path, dry_run=True)
    assert (report.incidents, report.events, report.created, report.entries) == (30, 120, 30, 120)
    assert (report.users, report.teams, report.org_units) == (7, 3, 4)
    assert count(store, Ticket) == 0 and count(store, User) == 1 and count(store, Team) == 0
    assert not (tmp_path / "servicenow-mapping.yaml").exists()


def test_an_interrupted_import_resumes_after_the_last_committed_batch(make_province: Callable[..., Store],
                                                                      write_csv: Callable[[Rows], Path],
                                                                      tmp_path: Path) -> None:
    source = write_csv(many(40))
    store = make_province()
    calls = []

    def crash_after_two_batches(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Importer(store, source, None, work_dir=tmp_path, batch_size=10, progress=crash_after_two_batches).run()
    assert count(store, Ticket) == 20
    saved = json.loads((tmp_path / PROGRESS_FILE).read_text())
    assert saved["lines_done"] == 81 and not saved["finished"]  # 20 incidents × 4 rows + the header
    report = Importer(store, source, None, work_dir=tmp_path, batch_size=10).run()
    assert report.resumed_from_line == 81
    assert (report.created, report.entries, report.incidents) == (20, 80, 40)
    assert count(store, Ticket) == 40 and count(store, TicketEntry) == 160
    assert json.loads((tmp_path / PROGRESS_FILE).read_text())["finished"]


def test_a_desktop_store_queues_the_tickets_for_its_province(county: tuple[Store, Actor],
                                                             write_csv: Callable[[Rows], Path],
                                                             tmp_path: Path) -> None:
    store, actor = county
    rows = incident("INC0000007", ["New", "Active", "Awaiting User Info"], caller_id="Caller 9", cmdb_ci="cmdb_ci 3",
                    problem_id="Problem ID  2", rfc="CHG0000132")
    report = import_incidents(store, write_csv(rows), actor.user_id, work_dir=tmp_path)
    assert (report.created, report.users, report.org_units, report.teams) == (1, 0, 0, 1)
    with store.read() as session:
        ticket = session.scalar(select(Ticket).where(Ticket.number == "INC0000007"))
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry)
                                .where(OutboxEntry.entity.in_(("tickets", "ticket_entries"))))
    assert ticket is not None and ticket.owner_path == "/HQ/GD/SZ/LH/"
    assert ticket.state == "pending" and ticket.data["state_before_pending"] == "line1"
    assert ticket.caller_id is None and ticket.data["caller_ref"] == "Caller 9"  # no users on a desktop
    assert ticket.data["ci_ref"] == "cmdb_ci 3"
    assert (ticket.data["problem_ref"], ticket.data["change_ref"]) == ("Problem ID  2", "CHG0000132")
    assert outbox == 4  # the ticket and its three history entries go to the province on the next sync


def test_an_edited_mapping_updates_tickets_in_place(make_province: Callable[..., Store],
                                                    write_csv: Callable[[Rows], Path], tmp_path: Path) -> None:
    source = write_csv(many(6))
    store = make_province()
    import_incidents(store, source, None, work_dir=tmp_path)
    mapping = tmp_path / "servicenow-mapping.yaml"
    text = mapping.read_text(encoding="utf-8")
    assert "Group 1: {name: ServiceNow Group 1, line: 2}" in text or "name: ServiceNow Group 1" in text
    mapping.write_text(text.replace("name: ServiceNow Group 1", "name: 桌面运维二组"), encoding="utf-8")
    report = import_incidents(store, source, None, work_dir=tmp_path, mapping_path=mapping)
    assert (report.created, report.updated, report.unchanged, report.teams) == (0, 2, 4, 1)
    with store.read() as session:
        team = session.scalar(select(Team).where(Team.name == "桌面运维二组"))
        assert team is not None and team.line == 2
        moved = session.scalars(select(Ticket.number).where(Ticket.team_id == team.id)).all()
    assert sorted(moved) == ["INC0000001", "INC0000004"]


def test_cli_imports_a_zip_and_reports(make_province: Callable[..., Store], write_csv: Callable[[Rows], Path],
                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_province()
    url = store.url
    store.close()
    csv_path = write_csv(many(3) + incident("INC0000099", ["New", "-100"]))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(csv_path, "incident_event_log.csv")
    mapping = tmp_path / "map.yaml"
    assert main(["import", "servicenow-incidents", str(archive), "--db", url, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dry run (nothing written)" in out and "would create 4" in out
    assert main(["import", "servicenow-incidents", str(archive), "--db", url, "--mapping", str(mapping),
                 "--progress"]) == 0
    captured = capsys.readouterr()
    assert "created 4" in captured.out and "history entries created 14" in captured.out
    assert "line 15: INC0000099 incident_state='-100': unknown incident state" in captured.out
    assert f"draft written to {mapping}" in captured.out
    assert "100%" in captured.err and "14/14 rows" in captured.err


def test_cli_errors_are_one_line(make_province: Callable[..., Store], write_csv: Callable[[Rows], Path],
                                 tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_province()
    url = store.url
    store.close()
    assert main(["import", "servicenow-incidents", str(tmp_path / "nope.csv"), "--db", url]) == 2
    assert capsys.readouterr().err.strip() == f"itops: error: no file {tmp_path / 'nope.csv'}"
    not_servicenow = tmp_path / "other.csv"
    not_servicenow.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["import", "servicenow-incidents", str(not_servicenow), "--db", url]) == 2
    assert "missing columns: number, incident_state" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text("states: {Active: working}\n", encoding="utf-8")
    assert main(["import", "servicenow-incidents", str(write_csv(many(1))), "--db", url, "--mapping",
                 str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown ITOps state in states: Active → working" in err[0]
