"""Task plans: work without a form spawns tasks with derived ids — idempotent on one node, one task
after two offline nodes spawn the same occurrence and sync through the province — and the plan's
completion rate counts each receiver of each occurrence."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.main import main
from shared.kpi.engine import compute
from shared.kpi.period import parse_period
from shared.kpi.source import Scope
from shared.models.work import Task, TaskAssignment
from shared.services import plans, tasks, users
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.store import Store
from tests.forms.conftest import lead_of
from tests.sync.tree import Tree, actor, add_county_store, make_tree

D = date.fromisoformat
GD, LH, FT = "/HQ/GD/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    """One sync tree for the module (the tests use plans of their own): LH on two nodes, FT on one."""
    tree = make_tree(tmp_path_factory.mktemp("plan-tasks"), {"GD": {"SZ": ["LH", "FT"]}})
    with tree.provinces["gd"].write() as cs:  # LH's technician is also its duty lead, who approves plans: the
        roles = users.find_user(cs.session, "lh_tech").roles  # province checks the role on every push
        users.set_roles(cs, "lh_tech", [*roles, "duty_lead"])
    for name, username in (("lh", "lh_tech"), ("lh2", "lh_tech"), ("ft", "ft_tech")):
        add_county_store(tree, name, "gd", username)
    return tree


@pytest.fixture
def lh(tree: Tree) -> tuple[Store, Actor]:
    """The LH store of the module's tree and its technician (each test makes and spawns its own plans)."""
    return tree.counties["lh"], actor(tree.counties["lh"], "lh_tech")


def _published(store: Store, who: Actor, name: str, rule: str, start: str, **options: object) -> dict:
    with store.write(who.user_id) as cs:
        plan = plans.create_plan(cs, who, name, None, rule, start, kind="task", **options)  # type: ignore[arg-type]
        plans.transition_plan(cs, who, plan["id"], "submit")
        plans.transition_plan(cs, who, plan["id"], "approve")  # who: LH's technician and duty lead
    return plan


def test_a_task_plan_is_checked_and_edited_as_a_draft(lh: tuple[Store, Actor]) -> None:
    store, tech = lh
    with store.write(tech.user_id) as cs:
        with pytest.raises(Invalid, match="not the plan's unit"):
            plans.create_plan(cs, tech, "演练", None, "monthly", "2026-12-01", kind="task", targets=["/HQ/GD/SZ/"])
        with pytest.raises(Invalid, match="needs a template"):
            plans.create_plan(cs, tech, "巡检", None, "monthly", "2026-12-01")
        plan = plans.create_plan(cs, tech, "网络安全培训", None, "monthly", "2026-12-01", kind="task", day=15,
                                 description="全员参加", deliverables=["签到表"])
        assert plan["targets"] == [LH] and plan["template_code"] == "" and plan["data"]["title"] == "网络安全培训"
        edited = plans.update_plan(cs, tech, plan["id"], {"title": "季度培训", "rule": "quarterly", "deadline_days": 3})
        assert edited["rule"] == "quarterly" and edited["data"]["deadline_days"] == 3
        plans.transition_plan(cs, tech, plan["id"], "submit")
        with pytest.raises(Invalid, match="only a draft is edited"):
            plans.update_plan(cs, tech, plan["id"], {"name": "x"})


def test_spawn_is_idempotent_and_uses_working_days(lh: tuple[Store, Actor]) -> None:
    store, tech = lh
    plan = _published(store, tech, "应急演练", "monthly", "2026-09-01", day=1, working_days_only=True,
                      deadline_days=2, deliverables=["演练记录"])
    with store.write(tech.user_id) as cs:
        made = plans.spawn_due(cs, tech, D("2026-11-30"), plan["id"])
        assert plans.spawn_due(cs, tech, D("2026-11-30"), plan["id"]) == []  # nothing new the second time
        assert plans.load_plan(cs.session, tech, plan["id"]).state == "active"
    # 10-01 (National Day) → 10-08; 11-01 (Sunday) → 11-02; deadline two days on, end of day China time
    assert [(m["kind"], m["title"]) for m in made] == [
        ("task", "应急演练（2026-09-01）"), ("task", "应急演练（2026-10-08）"), ("task", "应急演练（2026-11-02）")]
    assert [m["id"] for m in made] == [plans.task_id_for(plan["id"], d) for d in ("2026-09-01", "2026-10-08",
                                                                                 "2026-11-02")]
    assert made[2]["deadline"].startswith("2026-11-04T15:59:59") and made[2]["targets"] == [LH]
    assert made[2]["deliverables"] == ["演练记录"] and made[2]["owner_path"] == LH


def test_two_offline_nodes_spawning_the_same_occurrence_sync_to_one_task(tree: Tree) -> None:
    first, second = tree.counties["lh"], tree.counties["lh2"]
    tech = actor(first, "lh_tech")
    plan = _published(first, tech, "备份检查", "weekly", "2030-11-04", day=1, end_on="2030-11-18")
    tree.drain()
    for store in (first, second):  # both offline: each spawns the three Mondays on its own
        with store.write(tech.user_id) as cs:
            assert len(plans.spawn_due(cs, tech, D("2030-11-30"), plan["id"])) == 3
    tree.drain()
    for store in (first, second, tree.provinces["gd"]):
        with store.read() as session:
            rows = session.scalars(select(Task).where(Task.title.startswith("备份检查"))).all()
            assert len(rows) == 3 and {r.id for r in rows} == {
                plans.task_id_for(plan["id"], d) for d in ("2030-11-04", "2030-11-11", "2030-11-18")}
    with second.write(tech.user_id) as cs:
        assert plans.spawn_due(cs, tech, D("2030-11-30"), plan["id"]) == []
        tasks.submit_task(cs, tech, plans.task_id_for(plan["id"], "2030-11-18"), "已核对")
    with first.write(tech.user_id) as cs:  # the same receiver accepts offline on the other node
        tasks.accept_task(cs, tech, plans.task_id_for(plan["id"], "2030-11-18"))
    tree.drain()
    with tree.provinces["gd"].read() as session:
        assert len(session.scalars(select(TaskAssignment).where(
            TaskAssignment.task_id == plans.task_id_for(plan["id"], "2030-11-18"))).all()) == 1
        gd = Actor(None, "gd", "/HQ/GD/", ("admin",))
        rate = plans.completion(session, gd, plan["id"], until=D("2030-11-30"))
        assert (rate["due"], rate["done"], rate["on_time"]) == (3, 1, 1)  # submitted before its deadline


def test_a_province_plan_for_its_counties_counts_each_receiver(tree: Tree) -> None:
    lh, ft = tree.counties["lh"], tree.counties["ft"]
    province = tree.provinces["gd"]
    gd = actor(province, "gd_admin")
    plan = _published(province, gd, "年度网络布线检查", "yearly", "2025-03-01", day=10, end_on="2030-12-31",
                      working_days_only=True, deadline_days=30, targets=[LH, FT], description="检查机房与楼层布线")
    with province.write(gd.user_id) as cs:
        assert len(plans.spawn_due(cs, gd, D("2030-12-31"), plan["id"])) == 6
        assert cs.session.get(Task, plans.task_id_for(plan["id"], "2029-03-12")) is not None  # 03-10 is a Saturday
    tree.drain()
    late, future = plans.task_id_for(plan["id"], "2025-03-10"), plans.task_id_for(plan["id"], "2030-03-11")
    lh_tech, ft_tech = actor(lh, "lh_tech"), actor(ft, "ft_tech")
    with lh.write(lh_tech.user_id) as cs:
        tasks.submit_task(cs, lh_tech, late, "补交")  # deadline 2025-04-09 is long past: done, not on time
        tasks.submit_task(cs, lh_tech, future, "已完成")
    with ft.write(ft_tech.user_id) as cs:
        tasks.submit_task(cs, ft_tech, future, "已完成")
    tree.drain()
    with province.write(gd.user_id) as cs:
        tasks.review_task(cs, gd, future, FT, approve=False, comment="缺少照片")  # returned: not done
    with province.read() as session:
        rate = plans.completion(session, gd, plan["id"], until=D("2030-12-31"))
        assert (rate["due"], rate["done"], rate["on_time"], rate["rate"]) == (12, 2, 1, 8.3)
        early = plans.completion(session, gd, plan["id"], until=D("2026-11-30"))
        assert (early["due"], early["done"]) == (4, 1)  # 2025 and 2026 for both; 2030 is not due by then
        march = [o for o in plans.occurrences(session, gd, "2030-03", now=datetime(2030, 3, 20, tzinfo=UTC))
                 if o["plan_id"] == plan["id"]]
        assert [(o["day"], o["done"], o["total"], o["status"]) for o in march] == [("2030-03-11", 1, 2, "due")]
        later = [o for o in plans.occurrences(session, gd, "2025-03", now=datetime(2026, 1, 1, tzinfo=UTC))
                 if o["plan_id"] == plan["id"]]
        assert [(o["day"], o["status"], o["spawned"]) for o in later] == [("2025-03-10", "overdue", True)]
        assert plans.get_plan(session, gd, plan["id"], until=D("2026-11-30"))["next_days"][:1] == ["2027-03-10"]
        row = plans.load_plan(session, gd, plan["id"])
        april = plans.task_items(session, [row], D("2030-04-01"), D("2030-04-30"))  # deadlines in a KPI period
        assert sorted((i["key"].split(":")[1], i["done"], i["on_time"]) for i in april) == [
            (FT, False, False), (LH, True, True)]
        # the KPI 计划完成率 counts them in the plan's scope: an item once done or past its deadline
        assert _plan_kpi(session, "2030-04") == (1.0, 1.0)  # LH on time; FT's deadline has not come yet
        assert _plan_kpi(session, "2025-04") == (0.0, 2.0)  # LH late, FT never: both missed


def _plan_kpi(session: Session, month: str) -> tuple[float, float | None]:
    figure = compute(session, Scope(GD), parse_period(month))["plan_completion"]
    return figure.numerator, figure.denominator


def test_cli_creates_spawns_and_shows_a_task_plan(tree: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--store", str(tree.root / "lh"), "--user", "lh_tech"]

    def itops(*argv: str) -> str:
        code = main([*argv, *where])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    number = itops("plan", "create", "机房备份检查", "--kind", "task", "--rule", "weekly", "--day", "5",
                   "--start", "2030-11-01", "--end", "2030-11-30", "--content", "核对备份日志").split()[2]
    assert "changed" in itops("plan", "edit", number, "--deadline-days", "2", "--deliverable", "备份日志截图")
    itops("plan", "submit", number)
    lead_of(tree.counties["lh"])
    assert main(["plan", "approve", number, "--store", str(tree.root / "lh"), "--user", "lh_lead"]) == 0
    assert "is published" in capsys.readouterr().out
    out = itops("plan", "spawn", "--until", "2030-11-30", "--plan", number)
    assert out.startswith("spawned 0 form record(s) and 5 task(s)") and "机房备份检查（2030-11-29）" in out
    assert itops("plan", "spawn", "--until", "2030-11-30", "--plan", number).startswith("spawned 0 form record(s)\n")
    shown = itops("plan", "show", number, "--until", "2030-11-30")
    assert "due day + 2 days" in shown and "备份日志截图" in shown and "0.0% (0/4)" in shown  # 11-29 is due by 12-01
    listed = itops("plan", "list", "--until", "2030-11-30")
    assert number in listed and "task → LH" in listed
    code = main(["plan", "edit", number, "--day", "3", *where])
    assert code == 2 and "only a draft is edited" in capsys.readouterr().err
    calendar = itops("plan", "calendar", "--month", "2030-11")
    mine = [line for line in calendar.splitlines() if number in line]
    assert len(mine) == 5 and mine[0].startswith("2030-11-01") and all("0/1" in line for line in mine)
