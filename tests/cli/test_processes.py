"""Every process driven headless through the CLI, and the supervision commands."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run


def test_a_change_walks_from_new_to_closed_and_the_calendar_warns_of_a_clash(
        county: Path, itops: Callable[..., Run]) -> None:
    s = ("--store", county, "--user", "lh_lead")
    numbers = []
    for title in ("核心交换机固件升级", "防火墙策略调整"):
        made = itops("ticket", "create", *s, "--process", "change", "--title", title,
                     "--field", "data.change_type=normal", "--field", "data.affected_cis=CI-SHARED",
                     "--json").ok().json()
        numbers.append(made["number"])
        itops("ticket", "transition", *s, made["number"], "assess").ok()
        itops("ticket", "transition", *s, made["number"], "submit_cab", "--field", "data.assessment=风险可控",
              "--field", "data.rollback_plan=回退到旧版本").ok()
        itops("ticket", "transition", *s, made["number"], "approve", "--field", "data.planned_start=2026-12-05T22:00",
              "--field", "data.planned_end=2026-12-06T02:00").ok()
    cal = itops("ticket", "calendar", *s, "--from", "2026-12-01", "--days", "10", "--json").ok().json()
    mine = {c["number"]: c["conflicts"] for c in cal if c["number"] in numbers}
    assert mine == {numbers[0]: [numbers[1]], numbers[1]: [numbers[0]]}
    first = numbers[0]
    itops("ticket", "transition", *s, first, "implement").ok()
    itops("ticket", "transition", *s, first, "review", "--field", "data.outcome=maybe").user_error(
        "outcome must be one of")
    itops("ticket", "transition", *s, first, "review", "--field", "data.outcome=success").ok()
    closed = itops("ticket", "transition", *s, first, "close", "--json").ok().json()
    assert closed["state"] == "closed" and closed["closed_at"]


def test_roles_are_checked_and_the_board_and_clocks_are_there(county: Path, itops: Callable[..., Run]) -> None:
    desk = ("--store", county, "--user", "lh_desk")
    made = itops("ticket", "create", *desk, "--title", "服务器宕机", "--field", "impact=1", "--field", "urgency=1",
                 "--json").ok().json()
    itops("ticket", "transition", *desk, made["number"], "accept").ok()
    clocks = itops("ticket", "sla", *desk, made["number"], "--json").ok().json()
    assert clocks["priority"] == "P1"
    assert {c["name"]: c["status"] for c in clocks["clocks"]}["response"] == "met"
    board = itops("ticket", "board", *desk, "--json").ok().json()
    assert made["number"] in [c["number"] for c in board["line1"]]
    itops("ticket", "transition", "--store", county, "--user", "lh_inspect", made["number"], "pend",
          "--field", "data.pending_reason=user").user_error("needs one of the roles")


def test_catalogue_and_process_definitions_from_the_cli(county: Path, itops: Callable[..., Run]) -> None:
    s = ("--store", county, "--user", "lh_admin")
    added = itops("catalog", "add", *s, "supplier", "ZX", "中兴通讯", "--field", "rating=A", "--json").ok().json()
    assert added["data"] == {"rating": "A"}
    itops("catalog", "add", *s, "supplier", "BAD", "坏数据", "--field", "rating=Z").user_error("rating must be one of")
    itops("catalog", "add", *s, "nonsense", "X", "Y").user_error("unknown catalogue kind")
    listed = itops("catalog", "list", *s, "supplier", "--json").ok().json()
    assert "ZX" in [e["code"] for e in listed]
    shown = json.loads(itops("process", "show", "incident", "--json").ok().out)
    assert {a["action"] for a in shown["actions"]} >= {"accept", "dispatch", "escalate", "pend", "survey"}
