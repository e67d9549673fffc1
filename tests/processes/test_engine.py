"""The engine against every definition: every legal transition from every reachable state runs and lands
where the definition says; every other action is refused with the reason; roles and guards hold."""

from __future__ import annotations

from collections import deque
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from shared.db.types import utcnow
from shared.models.tickets import Ticket
from shared.processes.definition import DefinitionError, Process, Transition, parse
from shared.processes.engine import process, processes
from shared.services import tickets
from shared.services.errors import Forbidden, Invalid
from tests.processes.conftest import Office

PROCESSES = ("incident", "request", "problem", "change", "release", "knowledge", "complaint")


def _value(proc: Process, name: str, office: Office, t: Transition) -> Any:
    if name in t.when:
        return t.when[name][0]
    if name in ("team_id",):
        return office.team_id
    f = proc.fields.get(name)
    kind = f.type if f else "text"
    if kind in ("choice", "rating"):
        return next(iter(f.choices)) if f else "x"
    if kind == "datetime":
        return (utcnow() + timedelta(days=1, hours=len(name))).isoformat()
    return {"bool": True, "cis": [office.ci_id], "date": "2026-12-31", "int": 1}.get(kind, "测试内容")


def _fields(proc: Process, t: Transition, office: Office) -> dict[str, Any]:
    fields = {name: _value(proc, name, office, t) for name in (*t.required, *t.when)}
    if "data.planned_end" in fields:
        fields["data.planned_start"] = (utcnow() + timedelta(days=1)).isoformat()
        fields["data.planned_end"] = (utcnow() + timedelta(days=1, hours=4)).isoformat()
    if "needs_approval" in t.guards:
        fields["data.catalog_item"] = "APPROVE"
    return fields


def _paths(proc: Process) -> dict[str, list[Transition]]:
    """The shortest action path from the initial state to every reachable state."""
    paths: dict[str, list[Transition]] = {proc.initial: []}
    queue = deque([proc.initial])
    while queue:
        state = queue.popleft()
        for t in proc.actions_from(state):
            target = state if t.target == "@same" else t.target
            if not target.startswith("@") and target not in paths:
                paths[target] = [*paths[state], t]
                queue.append(target)
    return paths


def _walk(office: Office, code: str, path: list[Transition]) -> str:
    proc = process(code)
    with office.store.write(office.admin.user_id) as cs:
        ticket = tickets.create_ticket(cs, office.admin, code, f"{code} 测试")
        for t in path:
            tickets.transition(cs, office.admin, ticket["id"], t.action, _fields(proc, t, office))
    return str(ticket["id"])


@pytest.mark.parametrize("code", PROCESSES)
def test_every_legal_transition_runs_and_every_other_action_is_refused(office: Office, code: str) -> None:
    proc = process(code)
    paths = _paths(proc)
    assert set(paths) == set(proc.states), f"unreachable states in {code}: {set(proc.states) - set(paths)}"
    for state, path in paths.items():
        for t in proc.transitions:
            ticket_id = _walk(office, code, path)
            with office.store.write(office.admin.user_id) as cs:
                if state in t.sources:
                    after = tickets.transition(cs, office.admin, ticket_id, t.action, _fields(proc, t, office))
                    expected = {"@same": state}.get(t.target, t.target)
                    if not t.target.startswith("@") or t.target == "@same":
                        assert after["state"] == expected, (code, state, t.action)
                    else:
                        assert after["state"] in proc.states
                else:
                    with pytest.raises(Invalid, match="not allowed in state"):
                        tickets.transition(cs, office.admin, ticket_id, t.action, _fields(proc, t, office))


def test_required_fields_roles_and_conditions_are_refused_with_the_reason(office: Office) -> None:
    with office.store.write(office.desk.user_id) as cs:
        inc = tickets.create_ticket(cs, office.desk, "incident", "打印机卡纸")
        tickets.transition(cs, office.desk, inc["id"], "accept")
        with pytest.raises(Invalid, match=r"resolve needs: Resolution code \(resolution_code\), Solution"):
            tickets.transition(cs, office.desk, inc["id"], "resolve")
        with pytest.raises(Forbidden, match="escalate"):
            tickets.transition(cs, office.desk, inc["id"], "dispatch", {"team_id": office.team_id})
            tickets.transition(cs, office.desk, inc["id"], "escalate", {"team_id": office.team_id})
    with office.store.write(office.admin.user_id) as cs:
        chg = tickets.create_ticket(cs, office.admin, "change", "防火墙策略调整", {"data.change_type": "normal"})
        with pytest.raises(Invalid, match="change_type must be standard"):
            tickets.transition(cs, office.admin, chg["id"], "schedule", {
                "data.planned_start": "2026-12-01T22:00", "data.planned_end": "2026-12-02T02:00"})
        std = tickets.create_ticket(cs, office.admin, "change", "内存扩容", {"data.change_type": "standard"})
        with pytest.raises(Invalid, match="end must be after"):
            tickets.transition(cs, office.admin, std["id"], "schedule", {
                "data.planned_start": "2026-12-01T22:00", "data.planned_end": "2026-12-01T20:00"})


def test_request_approval_follows_the_catalogue_item(office: Office) -> None:
    with office.store.write(office.admin.user_id) as cs:
        needs = tickets.create_ticket(cs, office.admin, "request", "申请数据", {"data.catalog_item": "APPROVE"})
        with pytest.raises(Invalid, match="must be approved first"):
            tickets.transition(cs, office.admin, needs["id"], "assign", {"team_id": office.team_id})
        tickets.transition(cs, office.admin, needs["id"], "submit_approval")
        tickets.transition(cs, office.admin, needs["id"], "approve")
        assert tickets.transition(cs, office.admin, needs["id"], "assign", {"team_id": office.team_id})["state"] \
            == "assigned"
        plain = tickets.create_ticket(cs, office.admin, "request", "口令重置", {"data.catalog_item": "PASSWORD"})
        with pytest.raises(Invalid, match="needs no approval"):
            tickets.transition(cs, office.admin, plain["id"], "submit_approval")


def test_pending_resumes_where_it_was_and_reopen_returns_to_the_last_line_within_n_days(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        t = tickets.create_ticket(cs, a, "incident", "网络中断")
        tickets.transition(cs, a, t["id"], "dispatch", {"team_id": office.team_id})
        tickets.transition(cs, a, t["id"], "pend", {"data.pending_reason": "parts"})
        assert tickets.transition(cs, a, t["id"], "resume")["state"] == "line2"
        tickets.transition(cs, a, t["id"], "resolve", {"data.resolution_code": "hardware", "data.solution": "换件"})
        reopened = tickets.transition(cs, a, t["id"], "reopen", {"data.reopen_reason": "又坏了"})
        assert reopened["state"] == "line2" and reopened["data"]["reopen_count"] == 1
        assert reopened["resolved_at"] is None
        tickets.transition(cs, a, t["id"], "resolve", {"data.solution": "再次换件"})
        cs.session.execute(update(Ticket).where(Ticket.id == t["id"])
                           .values(resolved_at=utcnow() - timedelta(days=8)))
        with pytest.raises(Invalid, match="more than 7 days ago"):
            tickets.transition(cs, a, t["id"], "reopen", {"data.reopen_reason": "还是不行"})


def test_a_major_incident_resolves_its_children(office: Office) -> None:
    a = office.admin
    with office.store.write(a.user_id) as cs:
        parent = tickets.create_ticket(cs, a, "incident", "核心交换机故障", {"impact": 1, "urgency": 1})
        kids = [tickets.create_ticket(cs, a, "incident", f"{n}楼断网", {"parent_id": parent["id"]}) for n in (2, 3, 5)]
        tickets.transition(cs, a, kids[1]["id"], "accept")
        tickets.transition(cs, a, kids[2]["id"], "accept")
        tickets.transition(cs, a, kids[2]["id"], "pend", {"data.pending_reason": "user"})
        tickets.transition(cs, a, parent["id"], "accept")
        tickets.transition(cs, a, parent["id"], "resolve", {"data.resolution_code": "hardware",
                                                            "data.solution": "更换主控板"})
    with office.store.read() as session:
        for kid in kids:
            got = tickets.get_ticket(session, a, kid["id"])
            assert got["state"] == "resolved", got["number"]
            assert parent["number"] in got["data"]["solution"]


def test_every_definition_loads_and_a_broken_one_is_refused_with_the_reason() -> None:
    assert set(PROCESSES) <= set(processes())
    good = {"code": "x", "prefix": "X", "name": {"zh": "X"}, "initial": "a",
            "states": {"a": {"zh": "A"}, "b": {"zh": "B"}},
            "transitions": [{"action": "go", "from": ["a"], "to": "b"}]}
    assert parse(good, "x.yaml").find("go") is not None
    with pytest.raises(DefinitionError, match=r"x\.yaml: action go names unknown state 'c'"):
        parse({**good, "transitions": [{"action": "go", "from": ["a"], "to": "c"}]}, "x.yaml")
    with pytest.raises(DefinitionError, match="unknown guard 'magic'"):
        parse({**good, "transitions": [{"action": "go", "from": ["a"], "to": "b", "guards": ["magic"]}]}, "x.yaml")
    with pytest.raises(DefinitionError, match=r"field 'data\.nope' is not defined"):
        parse({**good, "transitions": [{"action": "go", "from": ["a"], "to": "b", "require": ["data.nope"]}]},
              "x.yaml")
    with pytest.raises(DefinitionError, match="missing or malformed 'initial'"):
        parse({k: v for k, v in good.items() if k != "initial"}, "x.yaml")
