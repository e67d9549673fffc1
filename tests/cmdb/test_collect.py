"""自动采集 of this very computer: create, re-collect unchanged, drift confirmed or reported."""

from __future__ import annotations

import socket

from sqlalchemy import select

from shared.cmdb import collect
from shared.models.tickets import Ticket
from shared.services import cmdb
from shared.services.actor import Actor
from shared.store import Store


def test_collect_creates_then_compares(county: tuple[Store, Actor]) -> None:
    store, who = county
    facts = collect.collect_facts()
    assert facts["hostname"] == socket.gethostname() and facts["memory_gb"] > 0 and facts["cpu"]
    with store.write(who.user_id) as cs:
        first = collect.record(cs, who, facts)
    assert first.created
    with store.write(who.user_id) as cs:
        again = collect.record(cs, who, collect.collect_facts())
    assert not again.created and again.ci_id == first.ci_id and again.differences == {}
    drifted = {**facts, "memory_gb": facts["memory_gb"] * 2, "os": "银河麒麟V10"}
    with store.write(who.user_id) as cs:
        pending = collect.record(cs, who, drifted)
    assert set(pending.differences) == {"memory_gb", "os"} and not pending.applied
    with store.read() as session:
        row = cmdb.get_ci(session, who, first.ci_id)
    assert row["attributes"]["os"] == facts["os"]  # not written without confirmation
    with store.write(who.user_id) as cs:
        reported = collect.record(cs, who, drifted, report=True)
    with store.read() as session:
        incident = session.scalar(select(Ticket).where(Ticket.number == reported.incident))
    assert incident is not None and incident.ci_id == first.ci_id and "未授权变更" in incident.title
    with store.write(who.user_id) as cs:
        confirmed = collect.record(cs, who, drifted, confirm=True)
    with store.read() as session:
        row = cmdb.get_ci(session, who, first.ci_id)
    assert confirmed.applied and row["attributes"]["os"] == "银河麒麟V10" and row["attributes"]["source"] == "自动采集"
