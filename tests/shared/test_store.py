"""The store and its services: every write commits with its outbox entry, or neither does."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.models import OutboxEntry, Ticket
from shared.models.org import User
from shared.services import tickets
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid
from shared.store import Store, StoreError
from shared.sync.capture import UnrecordedWrite


def _outbox(store: Store) -> list[OutboxEntry]:
    with store.read() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_a_write_and_its_outbox_entry_commit_together(county: tuple[Store, Actor]) -> None:
    store, actor = county
    before = len(_outbox(store))
    with store.write(actor.user_id) as cs:
        t = tickets.create_ticket(cs, actor, "incident", "打印机卡纸", {"impact": 1, "urgency": 2, "phone": "8801"})
    entries = _outbox(store)[before:]
    assert [e.op for e in entries] == ["create", "append"]  # the ticket and its history line
    assert entries[0].tx_id == entries[1].tx_id
    assert [e.seq for e in entries] == list(range(before + 1, before + 3))  # contiguous
    create = entries[0]
    assert create.row_id == t["id"] and create.base_version == 0
    assert create.changes["title"] == [None, "打印机卡纸"]
    assert create.changes["priority"] == [None, "P2"]
    assert create.changes["data.phone"] == [None, "8801"]  # documents merge per key
    assert len(create.payload_hash) == 64


def test_an_update_records_only_the_changed_fields(county: tuple[Store, Actor]) -> None:
    store, actor = county
    with store.write(actor.user_id) as cs:
        t = tickets.create_ticket(cs, actor, "incident", "OA登录缓慢")
    n = len(_outbox(store))
    with store.write(actor.user_id) as cs:
        tickets.update_ticket(cs, actor, t["id"], {"title": "OA登录缓慢(全单位)", "description": t["description"]})
    update = [e for e in _outbox(store)[n:] if e.op == "update"]
    assert len(update) == 1
    assert update[0].changes == {"title": ["OA登录缓慢", "OA登录缓慢(全单位)"]}


def test_a_failing_service_call_rolls_back_row_and_outbox(county: tuple[Store, Actor]) -> None:
    store, actor = county
    n = len(_outbox(store))
    with pytest.raises(Invalid), store.write(actor.user_id) as cs:
        t = tickets.create_ticket(cs, actor, "incident", "会回滚的工单")
        tickets.transition(cs, actor, t["id"], "resolve")  # not allowed from "new"
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket).where(Ticket.title == "会回滚的工单")) == 0
    assert len(_outbox(store)) == n


def test_a_synced_row_written_outside_a_changeset_is_refused(county: tuple[Store, Actor]) -> None:
    store, actor = county
    with store.write(actor.user_id) as cs:
        t = tickets.create_ticket(cs, actor, "incident", "直接写库")
    with pytest.raises(UnrecordedWrite), store.write() as cs:
        row = cs.session.get(Ticket, t["id"])
        assert row is not None
        row.title = "bypassing the service layer"
        cs.session.flush()


def test_password_hash_is_local_only(county: tuple[Store, Actor]) -> None:
    store, _ = county
    for entry in _outbox(store):
        assert "password_hash" not in entry.changes
    with store.read() as s:
        assert s.scalar(select(User.password_hash).where(User.username == "lh_desk"))


def test_scope_is_enforced_in_services(county: tuple[Store, Actor]) -> None:
    store, _ = county
    outsider = Actor("x", "ft", "/HQ/GD/SZ/FT/", ("service_desk",))
    with pytest.raises(Forbidden), store.write() as cs:
        tickets.create_ticket(cs, outsider, "incident", "越权", owner_path="/HQ/GD/SZ/LH/")


def test_priority_follows_the_matrix_and_cannot_be_typed(county: tuple[Store, Actor]) -> None:
    store, actor = county
    with store.write(actor.user_id) as cs:
        t = tickets.create_ticket(cs, actor, "incident", "营销系统数据库连接超时", {"impact": 1, "urgency": 1})
        assert t["priority"] == "P1"
        with pytest.raises(Invalid):
            tickets.update_ticket(cs, actor, t["id"], {"priority": "P4"})
        assert tickets.update_ticket(cs, actor, t["id"], {"urgency": 3})["priority"] == "P3"


def test_numbers_made_offline_on_two_nodes_never_collide(tmp_path: Path) -> None:
    numbers = set()
    for name in ("a", "b"):
        store = Store.open_dir(tmp_path / name, create=True)
        store.init_node("client", "/HQ/GD/SZ/LH/")
        actor = Actor(None, "x", "/HQ/GD/SZ/LH/")
        with store.write() as cs:
            for _ in range(3):
                numbers.add(tickets.create_ticket(cs, actor, "incident", "t")["number"])
        store.close()
    assert len(numbers) == 6
    assert all(n.startswith("INC-GD-SZ-LH-") for n in numbers)


def test_transitions_follow_the_definition(county: tuple[Store, Actor]) -> None:
    store, actor = county
    with store.write(actor.user_id) as cs:
        t = tickets.create_ticket(cs, actor, "incident", "显示器黑屏")
        with pytest.raises(Invalid, match="not allowed in state"):
            tickets.transition(cs, actor, t["id"], "resolve")
        tickets.transition(cs, actor, t["id"], "accept")
        with pytest.raises(Invalid, match="pending_reason"):
            tickets.transition(cs, actor, t["id"], "pend")
        pended = tickets.transition(cs, actor, t["id"], "pend", {"pending_reason": "parts", "pending_note": "等备件"})
        assert pended["state"] == "pending"
        assert tickets.transition(cs, actor, t["id"], "resume")["state"] == "line1"
    with store.read() as s:
        detail = tickets.get_ticket(s, actor, t["number"])
    assert [e["body"] for e in detail["entries"]] == ["created", "accept", "pend", "resume"]


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no ITOps store"):
        Store.open_dir(tmp_path / "nowhere")
