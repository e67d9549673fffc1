"""The large demo generator (small sizes here): valid authority rows, change log, county share, processes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from shared.db.base import META_COLUMNS
from shared.demo_large import Sizes, add_large_data
from shared.models.cmdb import ConfigItem
from shared.models.forms import FormRecord
from shared.models.sync import ChangeLogEntry
from shared.models.tickets import Ticket, TicketEntry
from shared.processes.engine import priority_for, process
from shared.services import org, tickets, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.codec import decode_values, row_to_dict

COUNTIES = ("/HQ/GD/SZ/", "/HQ/GD/GZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/", "/HQ/GD/GZ/TH/", "/HQ/GD/GZ/PY/")


def test_large_data_are_valid_authority_rows(make_province: Callable[..., Store], tmp_path: Path) -> None:
    province = make_province()
    with province.write(None) as cs:
        for path in COUNTIES:
            org.add_org(cs, path, path)
        users.add_user(cs, "lh_desk", "itops-demo-2026", "/HQ/GD/SZ/LH/", ["service_desk"])
    county = Store.open_dir(tmp_path / "lh", create=True)
    county.init_node("client", "/HQ/GD/SZ/LH/")
    counts = add_large_data(province, county, Sizes(tickets=1200, cis=300, forms=400),
                            now=datetime(2026, 11, 27, tzinfo=UTC))
    assert (counts["tickets"], counts["config_items"], counts["form_records"]) == (1200, 300, 400)
    with province.read() as session:
        rows = session.scalars(select(Ticket)).all()
        entries = session.scalars(select(TicketEntry).order_by(TicketEntry.ticket_id, TicketEntry.hlc)).all()
        log = {(e.entity, e.row_id): e for e in session.scalars(select(ChangeLogEntry))}
        ci_count = session.scalar(select(func.count()).select_from(ConfigItem))
        form_count = session.scalar(select(func.count()).select_from(FormRecord))
    assert ci_count == 300 and form_count == 400
    assert len({t.number for t in rows}) == 1200
    years = {t.opened_at.year for t in rows if t.opened_at}
    assert len(years) >= 3  # three years of work
    assert {t.process for t in rows} == {"incident", "request", "change", "problem", "knowledge"}
    by_ticket: dict[str, list[TicketEntry]] = {}
    for entry in entries:
        by_ticket.setdefault(entry.ticket_id, []).append(entry)
    for ticket in rows:
        proc = process(ticket.process)
        assert ticket.state in proc.states
        assert ticket.priority == priority_for(ticket.impact, ticket.urgency)
        assert ticket.version == 1 and log[("tickets", ticket.id)].data == row_to_dict(ticket)
        history = by_ticket[ticket.id]
        assert history[0].body == "created" and history[-1].data.get("detail", {}).get("to", ticket.state) == \
            ticket.state
        for entry in history[1:]:
            detail = entry.data["detail"]
            assert proc.allows(detail["from"], detail["to"]), (ticket.process, detail)
            assert entry.data["at"] >= history[0].data["at"]
    generated = [k for k in log if k[0] in ("tickets", "ticket_entries", "config_items", "form_records")]
    assert len(generated) == 1200 + len(entries) + 300 + 400  # one change-log entry per row
    # Field versions exactly as a ChangeSet would have recorded a create of the same values.
    sample = rows[0]
    scratch = make_province("scratch.db")
    with scratch.write(None) as cs:
        values = {k: v for k, v in decode_values(Ticket, row_to_dict(sample)).items() if k not in META_COLUMNS}
        made = cs.create(Ticket, sample.owner_path, values)
        assert set(made.field_versions) == set(sample.field_versions)
    # The county store holds exactly the county's share, as pulled replicas.
    with county.read() as session:
        county_ids = set(session.scalars(select(Ticket.id)))
    assert county_ids == {t.id for t in rows if t.owner_path.startswith("/HQ/GD/SZ/LH/")}
    assert 200 < len(county_ids) < 500
    # Numbers the services hand out next continue after the generated ones.
    actor = Actor("u", "gd_admin", "/HQ/GD/", ("admin",))
    with province.write(None) as cs:
        new = tickets.create_ticket(cs, actor, "incident", "新工单")
    assert new["number"] not in {t.number for t in rows}
    county.close()
