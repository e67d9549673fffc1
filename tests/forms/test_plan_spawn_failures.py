"""One plan that cannot spawn does not stop the others: each plan spawns in its own transaction, the broken
one is reported with why (its template retired, its machine room or a target unit gone), and spawning again
creates nothing new and reports it again — through the CLI too (exit 1 while some plan fails)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cli.commands.plan import spawn_each
from cli.main import main
from shared.forms.registry import builtin
from shared.messages import localize
from shared.models.forms import FormRecord, MachineRoom, Plan
from shared.models.org import OrgUnit
from shared.models.work import Task
from shared.services import forms, org, plans, rooms
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.store import Store
from tests.forms.conftest import lead_of

REVIEWER = Actor("u-reviewer", "hq_lead", "/HQ/", ("approver",))
UNTIL = date(2026, 11, 3)
RETIRED = "form template SOP-90 has no published version (retired?)"


def _publish(store: Store, actor: Actor, lead: Actor, *made: dict[str, Any]) -> None:
    with store.write(actor.user_id) as cs:
        for plan in made:
            plans.transition_plan(cs, actor, plan["id"], "submit")
    with store.write(lead.user_id) as cs:
        for plan in made:
            plans.transition_plan(cs, lead, plan["id"], "approve")


@pytest.fixture
def world(county: tuple[Store, Actor]) -> tuple[Store, Actor, dict[str, dict[str, Any]]]:
    """Three published plans of 龙华: a daily SOP-06 round and a one-off drill that can spawn, and a daily
    round on the HQ template SOP-90, whose only version HQ retired after the plan was approved."""
    store, tech = county
    source = builtin("SOP-06")
    assert source is not None
    with store.write() as cs:
        forms.publish_template(cs, REVIEWER, source.text.replace("code: SOP-06", "code: SOP-90", 1))
    with store.write(tech.user_id) as cs:
        made = {"good": plans.create_plan(cs, tech, "机房日常巡检", "SOP-06", "daily", "2026-11-01",
                                          end_on="2026-11-03"),
                "drill": plans.create_plan(cs, tech, "应急演练", None, "once", "2026-11-02", kind="task",
                                           title="断电应急演练"),
                "bad": plans.create_plan(cs, tech, "新表单巡检", "SOP-90", "daily", "2026-11-01",
                                         end_on="2026-11-03")}
    _publish(store, tech, lead_of(store), *made.values())
    with store.write() as cs:
        forms.retire_template(cs, REVIEWER, "SOP-90", source.version)
    return store, tech, made


def _records(store: Store, plan_id: str) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(FormRecord).where(FormRecord.plan_id == plan_id)) or 0


def test_the_broken_plan_is_reported_and_the_others_spawn_once(world: tuple[Store, Actor, dict[str, Any]]) -> None:
    store, tech, made = world
    good, drill, bad = made["good"], made["drill"], made["bad"]
    with store.read() as session:
        pending = plans.pending_plans(session, tech, UNTIL)
    assert [(p["number"], p["missing"]) for p in pending] == [(good["number"], 3), (drill["number"], 1),
                                                               (bad["number"], 3)]
    with (pytest.raises(Invalid, match=r"^form template SOP-90 has no published version \(retired\?\)$"),
          store.write(tech.user_id) as cs):  # alone, the broken plan refuses before creating anything
        plans.spawn_due(cs, tech, UNTIL, bad["id"])
    assert _records(store, bad["id"]) == 0

    spawned, failed = spawn_each(store, tech, UNTIL)
    assert sorted((r["kind"], r.get("template_code") or r["title"]) for r in spawned) == [
        ("form", "SOP-06"), ("form", "SOP-06"), ("form", "SOP-06"), ("task", "断电应急演练（2026-11-02）")]
    assert failed == [{"plan": bad["number"], "id": bad["id"], "name": "新表单巡检", "reason": RETIRED}]
    assert localize(failed[0]["reason"], "zh") == "表单模板 SOP-90 没有已发布的版本（已停用？）"
    assert (_records(store, good["id"]), _records(store, bad["id"])) == (3, 0)
    with store.read() as session:
        assert session.get(Task, plans.task_id_for(drill["id"], "2026-11-02")) is not None
        states = {p.number: p.state for p in session.scalars(select(Plan))}
        assert [p["number"] for p in plans.pending_plans(session, tech, UNTIL)] == [bad["number"]]
    assert (states[good["number"]], states[drill["number"]], states[bad["number"]]) == ("active", "active",
                                                                                         "published")

    again, failed_again = spawn_each(store, tech, UNTIL)  # idempotent; the broken plan is named again
    assert again == [] and failed_again == failed
    assert (_records(store, good["id"]), _records(store, bad["id"])) == (3, 0)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Task)) == 1


def test_the_cli_prints_what_spawned_and_each_failed_plan_and_exits_1(
        world: tuple[Store, Actor, dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store, _tech, made = world
    where = ["--store", str(tmp_path / "lh"), "--user", "lh_desk"]
    assert main(["plan", "spawn", "--until", "2026-11-03", *where]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "spawned 3 form record(s) and 1 task(s)"
    assert lines[-2:] == ["1 plan(s) could not spawn:", f"  plan {made['bad']['number']}: {RETIRED}"]

    assert main(["plan", "spawn", "--until", "2026-11-03", *where]) == 1  # nothing new, the same failure
    assert capsys.readouterr().out.splitlines() == [
        "spawned 0 form record(s)", "1 plan(s) could not spawn:", f"  plan {made['bad']['number']}: {RETIRED}"]
    assert main(["plan", "spawn", "--until", "2026-11-03", "--json", *where]) == 1
    assert json.loads(capsys.readouterr().out) == {"spawned": [], "failed": [
        {"plan": made["bad"]["number"], "id": made["bad"]["id"], "name": "新表单巡检", "reason": RETIRED}]}
    assert main(["plan", "spawn", "--until", "2026-11-03", "--plan", made["good"]["number"], *where]) == 0
    assert capsys.readouterr().out == "spawned 0 form record(s)\n"
    assert "Exit status: 0 when every plan" in _help(capsys)


def _help(capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit):
        main(["plan", "spawn", "--help"])
    return " ".join(capsys.readouterr().out.split())


def test_a_plan_whose_room_or_target_unit_was_deleted_names_it(county: tuple[Store, Actor]) -> None:
    """Rooms and org units are deleted elsewhere and reach this store by sync (a tombstone, as here)."""
    store, tech = county
    lead = lead_of(store, "/HQ/GD/SZ/", "sz_lead")  # 深圳's duty lead plans for 龙华 and for a county 福田
    with store.write(tech.user_id) as cs:
        org.add_org(cs, "/HQ/GD/SZ/FT/", "福田")
        room = rooms.create_room(cs, tech, "LH-JF01", "龙华信息机房", "B")
    with store.write(lead.user_id) as cs:
        rounds = plans.create_plan(cs, lead, "机房巡检", "SOP-06", "once", "2026-11-02", room_id=room["id"])
        drill = plans.create_plan(cs, lead, "福田演练", None, "once", "2026-11-02", kind="task",
                                  targets=["/HQ/GD/SZ/FT/"])
        fine = plans.create_plan(cs, lead, "终端巡检", "SOP-03", "once", "2026-11-02", owner_path="/HQ/GD/SZ/LH/")
    _publish(store, lead, lead, rounds, drill, fine)
    with store.write() as cs:
        gone_room = cs.session.get(MachineRoom, room["id"])
        gone_unit = cs.session.scalar(select(OrgUnit).where(OrgUnit.path == "/HQ/GD/SZ/FT/"))
        assert gone_room is not None and gone_unit is not None
        cs.delete(gone_room)
        cs.delete(gone_unit)

    spawned, failed = spawn_each(store, lead, UNTIL)
    assert [r["plan_id"] for r in spawned] == [fine["id"]]
    assert {f["plan"]: f["reason"] for f in failed} == {
        rounds["number"]: "machine room LH-JF01 龙华信息机房 was deleted",
        drill["number"]: "target unit /HQ/GD/SZ/FT/ no longer exists"}
    assert localize(failed[1]["reason"], "zh") == "目标单位 /HQ/GD/SZ/FT/ 已不存在"
