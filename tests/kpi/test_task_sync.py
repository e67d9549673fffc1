"""Tasks flow down and results flow up through real sync: HQ → province → counties and back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from shared.db.types import utcnow
from shared.models import TaskAssignment
from shared.services import tasks
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from tests.sync.tree import Tree, actor, add_county_store, make_tree

HQ = Actor(None, "hq", "/HQ/", ("admin",))
GD, LH, FT = "/HQ/GD/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tree]:
    t = make_tree(Path(tmp_path_factory.mktemp("tasks")), {"GD": {"SZ": ["LH", "FT"]}})
    add_county_store(t, "lh", "gd", "lh_tech")
    add_county_store(t, "ft", "gd", "ft_tech")
    yield t


def _show(tree: Tree, name: str, who: Actor, task_id: str) -> dict:
    with tree.store(name).read() as s:
        return tasks.get_task(s, who, task_id)


def test_hq_task_to_two_counties_completed_offline(tree: Tree) -> None:
    with tree.hq.write() as cs:
        task = tasks.issue_task(cs, HQ, "网络安全自查", utcnow() + timedelta(days=7), [LH, FT],
                                deliverables=["自查报告"], source="inspection")
    tree.drain()
    for name in ("lh", "ft"):
        county = tree.counties[name]
        tech = actor(county, f"{name}_tech")
        with county.read() as s:
            assert [t["number"] for t in tasks.list_tasks(s, tech, "received")] == [task["number"]]
        with county.write(tech.user_id) as cs:  # offline: nothing is synced between these writes
            tasks.report_progress(cs, tech, task["id"], 40, "已完成终端抽查")
            with pytest.raises(Invalid, match="自查报告"):
                tasks.submit_task(cs, tech, task["id"])
        with county.write(tech.user_id) as cs:
            tasks.submit_task(cs, tech, task["id"], "完成", {"自查报告": f"{name} 自查报告.docx"})
    with tree.hq.read() as s:  # nothing reached HQ yet
        assert tasks.get_task(s, HQ, task["id"])["done"] == 0
    tree.drain()
    seen = _show(tree, "hq", HQ, task["id"])
    assert (seen["done"], seen["total"], seen["completion"]) == (2, 2, 100.0)
    assert {r["org"]: r["results"]["自查报告"] for r in seen["receivers"]} == {
        LH: "lh 自查报告.docx", FT: "ft 自查报告.docx"}


def test_province_decomposes_urges_and_hq_sees_the_roll_up(tree: Tree) -> None:
    gd_admin = actor(tree.provinces["gd"], "gd_admin")
    with tree.hq.write() as cs:
        parent = tasks.issue_task(cs, HQ, "迎峰度夏保电专项检查", utcnow() + timedelta(days=10), [GD],
                                  deliverables=["检查汇总"])
    tree.drain()
    with tree.provinces["gd"].write(gd_admin.user_id) as cs:
        tasks.accept_task(cs, gd_admin, parent["id"])
        child = tasks.issue_task(cs, gd_admin, "县局保电检查", utcnow() + timedelta(days=5), [LH, FT],
                                 parent_id=parent["id"])
        assert tasks.urge_task(cs, gd_admin, child["id"], [LH]) == [LH]
    tree.drain()
    lh_tech = actor(tree.counties["lh"], "lh_tech")
    received = _show(tree, "lh", lh_tech, child["id"])
    assert {r["org"]: r["urges"] for r in received["receivers"]}[LH] == 1
    assert {r["org"]: r["state"] for r in received["receivers"]}[FT] == "hidden"  # a sibling's rows stay away
    with pytest.raises(Forbidden), tree.counties["lh"].write(lh_tech.user_id) as cs:  # a receiver cannot urge
        tasks.urge_task(cs, lh_tech, child["id"])
    for name in ("lh", "ft"):
        tech = actor(tree.counties[name], f"{name}_tech")
        with tree.counties[name].write(tech.user_id) as cs:
            tasks.submit_task(cs, tech, child["id"], f"{name} 完成")
    tree.drain()
    with tree.provinces["gd"].write(gd_admin.user_id) as cs:
        tasks.submit_task(cs, gd_admin, parent["id"], results={"检查汇总": "两县均已完成"})
    tree.drain()
    at_hq = _show(tree, "hq", HQ, parent["id"])
    (gd,) = at_hq["receivers"]
    assert gd["state"] == "submitted" and gd["results"] == {"检查汇总": "两县均已完成"}
    (sub,) = gd["subtasks"]
    assert (sub["number"], sub["done"], sub["total"]) == (child["number"], 2, 2)
    with tree.hq.write() as cs:
        tasks.review_task(cs, HQ, parent["id"], GD, approve=True, comment="同意")
    tree.drain()
    at_gd = _show(tree, "gd", gd_admin, parent["id"])
    assert at_gd["receivers"][0]["state"] == "approved"


def test_two_offline_acceptances_converge_to_one_assignment(tree: Tree) -> None:
    with tree.hq.write() as cs:
        task = tasks.issue_task(cs, HQ, "资产盘点", utcnow() + timedelta(days=3), [LH])
    tree.drain()
    lh = tree.counties["lh"]
    tech = actor(lh, "lh_tech")
    with lh.write(tech.user_id) as cs:
        tasks.accept_task(cs, tech, task["id"])
    gd_admin = actor(tree.provinces["gd"], "gd_admin")
    with tree.provinces["gd"].write(gd_admin.user_id) as cs:  # the province accepts for the county meanwhile
        tasks.report_progress(cs, gd_admin, task["id"], 10, "省公司代为接收", org_path=LH)
    tree.drain()
    seen = set()
    for name in ("lh", "gd", "hq"):
        with tree.store(name).read() as s:
            rows = [r for r in s.query(TaskAssignment).filter(TaskAssignment.task_id == task["id"])]
            assert len(rows) == 1, name  # one deterministic id per (task, receiver): merged, not duplicated
            seen.add((rows[0].state, rows[0].progress, rows[0].version))
    assert len(seen) == 1 and next(iter(seen))[0] == "in_progress"  # the replicas converge


def test_overdue_and_scope_rules(tree: Tree) -> None:
    with tree.hq.write() as cs:
        task = tasks.issue_task(cs, HQ, "数据报送", utcnow() + timedelta(hours=1), [LH])
        with pytest.raises(Invalid, match="not below"):
            tasks.issue_task(cs, HQ, "x", utcnow() + timedelta(days=1), ["/HQ/"])
        with pytest.raises(Invalid, match="past"):
            tasks.issue_task(cs, HQ, "x", utcnow() - timedelta(days=1), [LH])
    with tree.hq.read() as s:
        later = tasks.get_task(s, HQ, task["id"], now=utcnow() + timedelta(hours=2))
        assert later["overdue"] == 1 and later["receivers"][0]["overdue"]
        assert tasks.get_task(s, HQ, task["id"])["overdue"] == 0
    tree.drain()
    ft_tech = actor(tree.counties["ft"], "ft_tech")
    with tree.counties["ft"].read() as s:
        assert task["number"] not in [t["number"] for t in tasks.list_tasks(s, ft_tech)]
        with pytest.raises(NotFound):
            tasks.get_task(s, ft_tech, task["id"])
