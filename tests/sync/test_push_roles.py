"""Sync push checks roles, not only scope: a mutation of an entity the services guard by role is taken only
from a node whose user holds one of those roles; otherwise it comes back ``rejected`` (kept in the conflict
queue, never blocking the queue) and nothing is stored. Whole trees in-process through the real endpoint."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from shared.models import CatalogEntry, Conflict, OutboxEntry, Plan, Ticket
from shared.services import catalog, forms, plans, tickets, users
from shared.store import Store
from shared.sync import push_roles
from tests.sync.faults import clone_tree, close_tree, scratch_dir
from tests.sync.tree import Tree, actor

LH = "/HQ/GD/SZ/LH/"


@pytest.fixture
def tree() -> Iterator[Tree]:
    with scratch_dir("itops-pushroles-") as root:
        t = clone_tree(root / "tree", counties=("lh_a", "ft"))
        yield t
        close_tree(t)


def _sla_row(store: Store, username: str, code: str, with_ticket: bool = False) -> tuple[str, str | None]:
    """A catalogue row written on the store behind the services' back (as a modified program could),
    optionally with a ticket in the same transaction."""
    me = actor(store, username)
    with store.write(me.user_id) as cs:
        row = cs.create(CatalogEntry, me.org_path, {"kind": "sla", "code": code, "name": f"{code} 4 小时",
                                                    "data": {"process": "incident", "priority": "P1"}})
        ticket = tickets.create_ticket(cs, me, "incident", "同一事务的单", {"impact": 2})["id"] if with_ticket else None
        return row.id, ticket


def _get(store: Store, cls: Any, row_id: str | None) -> Any:
    with store.read() as s:
        return s.get(cls, row_id)


def _rejections(store: Store, row_id: str) -> list[Conflict]:
    with store.read() as s:
        return list(s.scalars(select(Conflict).where(Conflict.row_id == row_id, Conflict.kind == "rejected")))


def _unacked(store: Store) -> int:
    with store.read() as s:
        return len(list(s.scalars(select(OutboxEntry).where(OutboxEntry.acked.is_(False)))))


def test_a_county_techs_catalogue_row_is_rejected_and_nothing_is_stored(tree: Tree) -> None:
    gd, lh_a = tree.provinces["gd"], tree.counties["lh_a"]
    row_id, _ = _sla_row(lh_a, "lh_tech", "SLA-P1")
    report = tree.sync("lh_a")
    assert (report.pushed, report.rejected) == (1, 1)
    assert _get(gd, CatalogEntry, row_id) is None
    [conflict] = _rejections(gd, row_id)
    assert "changing the service catalogue needs the role admin or service_manager" in conflict.reason
    assert "lh_tech has desktop_ops, service_desk" in conflict.reason
    assert _unacked(lh_a) == 0  # handled like any rejection: acknowledged, the queue moves on
    # the rejection reaches the county (its conflict list) and an ordinary ticket still goes through
    me = actor(lh_a, "lh_tech")
    with lh_a.write(me.user_id) as cs:
        ticket_id = tickets.create_ticket(cs, me, "incident", "打印机卡纸", {"impact": 2})["id"]
    report = tree.sync("lh_a")
    assert report.pushed >= 1 and report.rejected == 0
    assert _get(gd, Ticket, ticket_id) is not None
    assert _rejections(lh_a, row_id)


def test_a_transaction_group_with_a_refused_row_is_rejected_whole(tree: Tree) -> None:
    gd, lh_a = tree.provinces["gd"], tree.counties["lh_a"]
    row_id, ticket_id = _sla_row(lh_a, "lh_tech", "SLA-P2", with_ticket=True)
    report = tree.sync("lh_a")
    assert report.rejected == report.pushed >= 2
    assert _get(gd, CatalogEntry, row_id) is None and _get(gd, Ticket, ticket_id) is None
    assert _rejections(gd, str(ticket_id))


def test_a_service_managers_node_may_push_the_same(tree: Tree) -> None:
    gd, lh_a = tree.provinces["gd"], tree.counties["lh_a"]
    with gd.write() as cs:
        users.set_roles(cs, "lh_tech", ["service_desk", "service_manager"])
    tree.sync("lh_a")  # the store learns its user's new roles
    me = actor(lh_a, "lh_tech")
    with lh_a.write(me.user_id) as cs:
        row = catalog.create_entry(cs, me, "sla", "SLA-P1", "P1 四小时", {"process": "incident", "priority": "P1"})
    report = tree.sync("lh_a")
    assert (report.pushed, report.rejected) == (1, 0)
    stored = _get(gd, CatalogEntry, row["id"])
    assert stored is not None and stored.code == "SLA-P1" and stored.owner_path == LH


def test_roles_count_as_they_are_at_push_time(tree: Tree) -> None:
    """The store's user lost service_manager after making the row offline: the server refuses it."""
    gd, lh_a = tree.provinces["gd"], tree.counties["lh_a"]
    with gd.write() as cs:
        users.set_roles(cs, "lh_tech", ["service_manager"])
    tree.sync("lh_a")
    me = actor(lh_a, "lh_tech")
    with lh_a.write(me.user_id) as cs:
        row = catalog.create_entry(cs, me, "sla", "SLA-P3", "P3", {"process": "incident", "priority": "P3"})
    with gd.write() as cs:
        users.set_roles(cs, "lh_tech", ["service_desk"])
    assert tree.sync("lh_a").rejected == 1
    assert _get(gd, CatalogEntry, row["id"]) is None


def test_a_plan_approved_by_its_maker_without_the_approver_role_is_rejected(tree: Tree) -> None:
    gd, lh_a = tree.provinces["gd"], tree.counties["lh_a"]
    me = actor(lh_a, "lh_tech")
    with lh_a.write(me.user_id) as cs:
        plan = plans.create_plan(cs, me, "机房月度巡检", "SOP-01", "monthly", "2026-12-01")
        plans.transition_plan(cs, me, plan["id"], "submit")
    assert tree.sync("lh_a").rejected == 0
    with lh_a.write(me.user_id) as cs:  # the service would refuse: written straight onto the row
        row = cs.session.get(Plan, plan["id"])
        assert row is not None
        cs.update(row, {"state": "published"})
    assert tree.sync("lh_a").rejected == 1
    assert _get(gd, Plan, plan["id"]).state == "review"


# -- the rule table ------------------------------------------------------------------------------------
def test_the_role_lists_are_the_services() -> None:
    assert push_roles.CATALOGUE_EDITORS == catalog.EDITORS
    assert {*push_roles.TEMPLATE_REVIEWERS, "admin"} == set(forms.REVIEWERS)
    assert {*push_roles.PLAN_APPROVERS, "admin"} == set(plans.APPROVERS)


@pytest.mark.parametrize(("entity", "state", "covered"), [
    ("plans", [None, "draft"], False), ("plans", ["draft", "review"], False),
    ("plans", ["review", "published"], True), ("plans", ["review", "draft"], True),
    ("plans", ["draft", "published"], True), ("plans", [None, "published"], True),
    ("plans", ["published", "active"], False), ("plans", ["cancelled", "active"], True),
    ("form_templates", [None, "draft"], False), ("form_templates", ["draft", "review"], False),
    ("form_templates", [None, "published"], True), ("form_templates", ["review", "published"], True),
    ("form_templates", ["published", "retired"], True), ("form_templates", ["review", "draft"], True),
    ("catalog_entries", None, True), ("tickets", ["new", "closed"], False),
])
def test_which_mutations_a_rule_covers(entity: str, state: list[Any] | None, covered: bool) -> None:
    m = {"entity": entity, "id": str(uuid.uuid4()), "changes": {"state": state} if state else {"name": ["a", "b"]}}
    assert any(rule.covers(m) for rule in push_roles.RULES.get(entity, ())) is covered
