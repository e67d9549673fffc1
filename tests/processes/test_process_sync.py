"""Processes across the tree: a county works an incident offline, the province sees the same ticket
with the same SLA clocks; two offline counties never make the same number; an illegal transition
from another replica lands in the conflict queue."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.db.types import utcnow
from shared.models.org import Team
from shared.models.sync import Conflict
from shared.processes.sla import ticket_clocks
from shared.services import tickets
from shared.services.actor import SYSTEM
from shared.services.errors import Forbidden
from tests.sync.tree import Tree, actor, add_county_store, make_tree


def _tree(tmp_path: Path) -> Tree:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH", "FT"]}})
    add_county_store(tree, "lh", "gd", "lh_tech")
    add_county_store(tree, "ft", "gd", "ft_tech")
    return tree


def test_offline_incident_reaches_the_province_with_identical_clocks(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    lh = tree.counties["lh"]
    tech = actor(lh, "lh_tech")
    with tree.provinces["gd"].write() as cs:
        team = cs.create(Team, "/HQ/GD/SZ/LH/", {"name": "厂商", "line": 3})
        line2 = cs.create(Team, "/HQ/GD/SZ/LH/", {"name": "桌面", "line": 2})
    tree.sync("lh")
    start = utcnow() - timedelta(hours=30)
    with lh.write(tech.user_id) as cs:  # offline: nothing syncs until the end
        # P2 runs on 7×24, so the clocks count whatever the hour of the test run
        t = tickets.create_ticket(cs, tech, "incident", "营销系统无法登录", {"impact": 1, "urgency": 2}, at=start)
        steps = [("accept", {}), ("dispatch", {"team_id": line2.id}), ("escalate", {"team_id": team.id}),
                 ("pend", {"data.pending_reason": "vendor"}), ("resume", {}),
                 ("resolve", {"data.resolution_code": "external", "data.solution": "厂商修复"}),
                 ("survey", {"data.satisfaction": "2"})]
        for i, (action, fields) in enumerate(steps):
            tickets.transition(cs, tech, t["id"], action, fields, at=start + timedelta(hours=2 * i + 1))
    now = utcnow()
    with lh.read() as s:
        county_clocks = [c.as_dict() for c in ticket_clocks(s, t["id"], now)]
    tree.drain()
    with tree.provinces["gd"].read() as s:
        province_clocks = [c.as_dict() for c in ticket_clocks(s, t["id"], now)]
        got = tickets.get_ticket(s, actor(tree.provinces["gd"], "gd_admin"), t["id"])
    assert got["state"] == "surveyed" and got["number"] == t["number"]
    assert [e["body"] for e in got["entries"] if e["kind"] == "history"] == ["created"] + [a for a, _f in steps]
    assert province_clocks == county_clocks
    resolution = next(c for c in province_clocks if c["name"] == "resolution")
    assert resolution["status"] in ("met", "breached") and resolution["elapsed_minutes"] > 0


def test_two_offline_counties_never_collide_on_numbers_and_an_illegal_move_becomes_a_conflict(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    numbers = []
    for name, user in (("lh", "lh_tech"), ("ft", "ft_tech")):
        store = tree.counties[name]
        a = actor(store, user)
        with store.write(a.user_id) as cs:
            numbers += [tickets.create_ticket(cs, a, "incident", f"{name} {i}")["number"] for i in range(20)]
    assert len(set(numbers)) == 40
    tree.drain()
    # a second store of the same county: both act on one ticket offline
    lh = tree.counties["lh"]
    lh2 = add_county_store(tree, "lh2", "gd", "lh_tech")
    a1, a2 = actor(lh, "lh_tech"), actor(lh2, "lh_tech")
    with lh.write(a1.user_id) as cs:
        t = tickets.create_ticket(cs, a1, "incident", "共享的工单")
    tree.drain()
    with lh.write(a1.user_id) as cs:  # county PC 1: accept and resolve
        tickets.transition(cs, a1, t["id"], "accept")
        tickets.transition(cs, a1, t["id"], "resolve", {"data.resolution_code": "other", "data.solution": "ok"})
    with lh2.write(a2.user_id) as cs:  # county PC 2, still seeing "new": dispatch to line 2
        tickets.transition(cs, a2, t["id"], "accept")
        tickets.transition(cs, a2, t["id"], "pend", {"data.pending_reason": "user"})
    tree.sync("lh")
    tree.sync("lh2")
    tree.drain()
    with tree.provinces["gd"].read() as s:
        conflicts = s.scalars(select(Conflict).where(Conflict.row_id == t["id"])).all()
        state = tickets.get_ticket(s, actor(tree.provinces["gd"], "gd_admin"), t["id"])["state"]
    assert state == "resolved"
    assert any(c.kind == "illegal_transition" for c in conflicts), [c.kind for c in conflicts]


def test_an_article_published_at_hq_reaches_every_county_with_its_version(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    with tree.hq.write() as cs:
        kb = tickets.create_ticket(cs, SYSTEM, "knowledge", "打印机卡纸的处理方法",
                                   {"data.steps": "清理搓纸轮", "data.symptom": "卡纸"}, owner_path="/HQ/")
        tickets.transition(cs, SYSTEM, kb["id"], "submit")
        tickets.transition(cs, SYSTEM, kb["id"], "publish")
        tickets.transition(cs, SYSTEM, kb["id"], "revise")
        tickets.transition(cs, SYSTEM, kb["id"], "submit", {"data.steps": "清理搓纸轮并更换分离垫"})
        tickets.transition(cs, SYSTEM, kb["id"], "publish")
    tree.drain()
    for county in ("lh", "ft"):
        store = tree.counties[county]
        tech = actor(store, f"{county}_tech")
        with store.read() as s:
            got = tickets.get_ticket(s, tech, kb["number"])
            listed = tickets.list_tickets(s, tech, "knowledge")
        assert got["state"] == "published" and got["actions"] == []  # readable, changed only at HQ
        assert got["data"]["article_version"] == 2 and got["data"]["steps"] == "清理搓纸轮并更换分离垫"
        assert [t["number"] for t in listed] == [kb["number"]]
        with store.write(tech.user_id) as cs, pytest.raises(Forbidden, match="changed only there"):
            tickets.transition(cs, tech, kb["id"], "revise")
