"""Unit tests of the pure three-way merge (shared.sync.merge.merge): no database, no tree.

``advance`` plays the authority's bookkeeping (new version, field versions) the way
shared.sync.authority does, so sequences of merges can be replayed in different orders.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from typing import Any

import pytest

from shared.processes.engine import check_transition
from shared.services.cmdb import relation_id
from shared.sync.merge import Mutation, RowState, merge, policy_for, value_rank

TICKET_POLICIES = {"state": "state_machine", "assignee_id": "queue", "team_id": "queue", "priority": "queue"}
A, B, C, SRV = "node-a", "node-b", "node-c", "node-srv"


def sha(value: Any) -> str:
    """Independent re-computation of the provisional-winner rank (canonical JSON, sha256)."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


def base_row(**values: Any) -> RowState:
    """A ticket at version 3 whose fields were all last written at version 1 by the server."""
    vals = {"process": "incident", "title": "打印机卡纸", "description": "", "category": "",
            "state": "new", "assignee_id": None, "data": {}, **values}
    fv = {f: [1, SRV] for f in vals}
    return RowState(values=vals, version=3, deleted=False, field_versions=fv)


def upd(node: str, base: int, **changes: Any) -> Mutation:
    """An update whose keys use '__' for '.' (data__x → data.x); values are (old, new)."""
    return Mutation(op="update", entity="tickets", row_id="t1", owner_path="/HQ/GD/SZ/LH/",
                    base_version=base, changes={k.replace("__", "."): list(v) for k, v in changes.items()},
                    node=node)


def op(kind: str, node: str, base: int, entity: str = "tickets", row_id: str = "t1",
       changes: dict[str, list[Any]] | None = None) -> Mutation:
    return Mutation(op=kind, entity=entity, row_id=row_id, owner_path="/HQ/GD/SZ/LH/", base_version=base,
                    changes=changes or {}, node=node)


def advance(state: RowState | None, m: Mutation, policies: dict[str, str] = TICKET_POLICIES) -> tuple[
        RowState, list[Any]]:
    """Merge ``m`` into ``state`` and bump version/field versions like the authority does."""
    result = merge(state, m, policies, check_transition)
    assert not [c for c in result.conflicts if c.kind == "rejected"], result.conflicts
    version = state.version if state else 0
    fv = dict(state.field_versions) if state else {}
    if result.changed:
        version += 1
        for f in result.applied:
            fv[f] = [version, m.node]
    return RowState(values=result.values, version=version, deleted=result.deleted, field_versions=fv), \
        result.conflicts


# -- the four cases ------------------------------------------------------------------------------------
def test_fast_forward_applies_the_client_value() -> None:
    r = merge(base_row(), upd(A, 3, title=("打印机卡纸", "打印机卡纸(三楼)")), TICKET_POLICIES)
    assert r.applied == {"title": "打印机卡纸(三楼)"}
    assert r.values["title"] == "打印机卡纸(三楼)" and r.values["description"] == ""
    assert r.conflicts == [] and r.changed and not r.deleted


def test_fast_forward_from_an_old_base_when_the_field_was_not_touched() -> None:
    row = base_row()
    row.field_versions["title"] = [2, B]  # changed at v2; our base is v2 → not "since base"
    r = merge(row, upd(A, 2, title=("x", "y")), TICKET_POLICIES)
    assert r.applied == {"title": "y"} and r.conflicts == []


def test_same_value_is_no_conflict_and_no_change() -> None:
    row = base_row(title="同一个值")
    row.field_versions["title"] = [4, B]
    row.version = 4
    r = merge(row, upd(A, 3, title=("打印机卡纸", "同一个值")), TICKET_POLICIES)
    assert r.conflicts == [] and r.applied == {} and not r.changed
    assert r.values["title"] == "同一个值"


@pytest.mark.parametrize("values", [("甲", "乙"), ("乙", "甲"), ("x", "y"), ("网络", "硬件")])
def test_different_values_make_one_hard_conflict_with_an_order_independent_winner(values: tuple[str, str]) -> None:
    vx, vy = values
    expected_winner = vx if sha(vx) > sha(vy) else vy
    expected_loser = vy if expected_winner == vx else vx
    assert value_rank(vx) == sha(vx)  # the rank is the canonical sha256, nothing clock-based
    finals, losers = [], []
    for first, second in ((A, B), (B, A)):
        row = base_row()
        value = {A: vx, B: vy}
        row, c1 = advance(row, upd(first, 3, title=("打印机卡纸", value[first])))
        assert c1 == []
        row, c2 = advance(row, upd(second, 3, title=("打印机卡纸", value[second])))
        assert len(c2) == 1
        c = c2[0]
        assert (c.kind, c.field, c.status, c.base_value) == ("field", "title", "auto", "打印机卡纸")
        assert (c.server_value, c.client_value) == (value[first], value[second])
        assert c.server_node == first
        client_wins = c.reason == "client value provisionally wins"
        losers.append(c.server_value if client_wins else c.client_value)
        finals.append(row.values["title"])
    assert finals == [expected_winner, expected_winner]
    assert losers == [expected_loser, expected_loser]


def test_queue_policy_conflict_stays_open_for_the_admin() -> None:
    row = base_row(assignee_id="u-b")
    row.field_versions["assignee_id"] = [4, B]
    row.version = 4
    r = merge(row, upd(A, 3, assignee_id=(None, "u-a")), TICKET_POLICIES)
    assert [(c.kind, c.field, c.status, c.server_value, c.client_value) for c in r.conflicts] == [
        ("field", "assignee_id", "open", "u-b", "u-a")]
    winner = "u-a" if sha("u-a") > sha("u-b") else "u-b"
    assert r.values["assignee_id"] == winner
    assert policy_for(TICKET_POLICIES, "assignee_id") == "queue"
    assert policy_for({}, "status") == "queue" and policy_for({}, "title") == "lww"
    assert policy_for({}, "data.x") == "lww"


def test_soft_merge_is_applied_and_recorded() -> None:
    row = base_row(description="B 写的")
    row.field_versions["description"] = [4, B]
    row.version = 4
    r = merge(row, upd(A, 3, title=("打印机卡纸", "A 的标题")), TICKET_POLICIES)
    assert r.applied == {"title": "A 的标题"}
    assert r.values["description"] == "B 写的" and r.values["title"] == "A 的标题"
    assert [(c.kind, c.status, c.reason) for c in r.conflicts] == [("soft", "auto", "auto-merged with description")]


def test_no_soft_record_when_nothing_else_changed() -> None:
    row = base_row()
    row.version = 4
    row.field_versions["title"] = [4, A]  # our own earlier change
    r = merge(row, upd(A, 3, description=("", "A 补充")), TICKET_POLICIES)
    assert r.applied == {"description": "A 补充"} and r.conflicts == []


def test_same_node_sequential_edits_never_conflict() -> None:
    row = base_row()
    row, c1 = advance(row, upd(A, 3, title=("打印机卡纸", "第一次")))
    # the second offline edit still carries base 3: the last writer of the field is A itself
    row, c2 = advance(row, upd(A, 3, title=("第一次", "第二次")))
    row, c3 = advance(row, upd(A, 3, assignee_id=(None, "u1")))
    row, c4 = advance(row, upd(A, 3, assignee_id=("u1", "u2")))
    assert c1 == c2 == c3 == c4 == []
    assert row.values["title"] == "第二次" and row.values["assignee_id"] == "u2"
    assert row.version == 7 and row.field_versions["title"] == [5, A]


def test_another_nodes_edit_in_between_does_conflict() -> None:
    row = base_row()
    row, _ = advance(row, upd(A, 3, title=("打印机卡纸", "A1")))
    row, _ = advance(row, upd(B, 4, title=("A1", "B1")))  # B had pulled A1: fast-forward
    assert row.values["title"] == "B1" and row.field_versions["title"] == [5, B]
    _, conflicts = advance(row, upd(A, 3, title=("A1", "A2")))
    assert [(c.kind, c.server_value, c.client_value) for c in conflicts] == [("field", "B1", "A2")]


# -- state machine --------------------------------------------------------------------------------------
def test_state_machine_legal_transition_from_the_server_state_is_applied() -> None:
    row = base_row(state="line1")
    row.field_versions["state"] = [4, B]
    row.version = 4
    # A dispatched from "new"; the server is at line1, and line1 → line2 is a legal action
    r = merge(row, upd(A, 3, state=("new", "line2")), TICKET_POLICIES, check_transition)
    assert r.applied == {"state": "line2"} and r.values["state"] == "line2"
    assert r.conflicts == []


def test_state_machine_illegal_transition_goes_to_the_queue() -> None:
    row = base_row(state="line2")
    row.field_versions["state"] = [4, B]
    row.version = 4
    r = merge(row, upd(A, 3, state=("new", "line1")), TICKET_POLICIES, check_transition)
    assert r.values["state"] == "line2" and r.applied == {}
    assert [(c.kind, c.field, c.server_value, c.client_value, c.status) for c in r.conflicts] == [
        ("illegal_transition", "state", "line2", "line1", "open")]
    # with no checker every concurrent transition is illegal
    r2 = merge(row, upd(A, 3, state=("new", "line1")), TICKET_POLICIES)
    assert r2.conflicts[0].kind == "illegal_transition"


def test_state_machine_fast_forwards_when_the_server_did_not_move() -> None:
    r = merge(base_row(), upd(A, 3, state=("new", "closed")), TICKET_POLICIES, check_transition)
    assert r.applied == {"state": "closed"}  # no concurrent change: the client's own rules applied


# -- deletes, restores ------------------------------------------------------------------------------------
def test_update_against_delete_keeps_the_delete_and_the_edit() -> None:
    row = base_row()
    row.deleted = True
    r = merge(row, upd(A, 3, title=("打印机卡纸", "改了"), data__x=(None, 1)), TICKET_POLICIES)
    assert r.deleted and not r.changed and r.values["title"] == "打印机卡纸"
    assert [(c.kind, c.client_value) for c in r.conflicts] == [
        ("update_vs_delete", {"title": "改了", "data.x": 1})]


def test_delete_against_update_deletes_and_keeps_the_lost_edit() -> None:
    row = base_row(title="B 改的")
    row.field_versions["title"] = [4, B]
    row.version = 4
    r = merge(row, op("delete", A, 3), TICKET_POLICIES)
    assert r.deleted and r.changed_meta and r.changed
    assert [(c.kind, c.server_value, c.status) for c in r.conflicts] == [
        ("delete_vs_update", {"title": "B 改的"}, "open")]


def test_delete_without_concurrent_edits_is_clean() -> None:
    row = base_row()
    row.field_versions["title"] = [4, A]  # A's own edit
    row.version = 4
    r = merge(row, op("delete", A, 3), TICKET_POLICIES)
    assert r.deleted and r.conflicts == []
    again = merge(RowState(row.values, 5, True, row.field_versions), op("delete", B, 3), TICKET_POLICIES)
    assert again.deleted and not again.changed and again.conflicts == []


def test_restore_brings_back_only_a_deleted_row() -> None:
    row = base_row()
    row.deleted = True
    r = merge(row, op("restore", A, 3), TICKET_POLICIES)
    assert not r.deleted and r.changed_meta and r.values == row.values
    live = merge(base_row(), op("restore", A, 3), TICKET_POLICIES)
    assert not live.deleted and not live.changed


def test_operations_on_an_unknown_row_are_rejected() -> None:
    for kind in ("update", "delete", "restore", "unlink"):
        r = merge(None, op(kind, A, 0, changes={"title": ["a", "b"]}), TICKET_POLICIES)
        assert [c.kind for c in r.conflicts] == ["rejected"] and not r.changed, kind


# -- relations and appends ---------------------------------------------------------------------------------
def test_link_and_unlink_converge_on_the_deterministic_edge_id() -> None:
    rid = relation_id("ci-1", "ci-2", "runs_on")
    assert rid == relation_id("ci-1", "ci-2", "runs_on") != relation_id("ci-2", "ci-1", "runs_on")
    assert rid != relation_id("ci-1", "ci-2", "depends_on")
    edge = {"source_id": ["", "ci-1"], "target_id": ["", "ci-2"], "rel_type": ["", "runs_on"]}
    for first, second in ((A, B), (B, A)):
        state, c1 = advance(None, op("link", first, 0, "ci_relations", rid, edge), {})
        state, c2 = advance(state, op("link", second, 0, "ci_relations", rid, edge), {})
        assert c1 == c2 == [] and state.version == 1 and not state.deleted
        assert state.values == {"source_id": "ci-1", "target_id": "ci-2", "rel_type": "runs_on"}
        state, c3 = advance(state, op("unlink", first, 1, "ci_relations", rid), {})
        assert state.deleted and state.version == 2 and c3 == []
        state, c4 = advance(state, op("unlink", second, 1, "ci_relations", rid), {})
        assert state.deleted and state.version == 2 and c4 == []  # already gone: no new version
        state, c5 = advance(state, op("link", second, 2, "ci_relations", rid), {})
        assert not state.deleted and state.version == 3 and c5 == []


def test_append_never_conflicts() -> None:
    entry = {"ticket_id": ["", "t1"], "kind": ["", "comment"], "body": ["", "A 说"]}
    s1, c1 = advance(None, op("append", A, 0, "ticket_entries", "e1", entry), {})
    again, c2 = advance(s1, op("append", A, 0, "ticket_entries", "e1", entry), {})
    other = dict(entry, body=["", "B 说"])
    s2, c3 = advance(None, op("append", B, 0, "ticket_entries", "e2", other), {})
    assert c1 == c2 == c3 == []
    assert s1.values["body"] == "A 说" and s2.values["body"] == "B 说"
    assert again.version == 1  # a re-sent append changes nothing


def test_create_builds_documents_from_dotted_fields() -> None:
    r = merge(None, op("create", A, 0, changes={"title": [None, "新"], "data.pending_reason": [None, "等备件"],
                                                "data.x": [None, 1]}), TICKET_POLICIES)
    assert r.created and r.values == {"title": "新", "data": {"pending_reason": "等备件", "x": 1}}


def test_different_keys_of_one_document_merge_without_conflict() -> None:
    row = base_row(data={"x": 1})
    row.field_versions["data.x"] = [4, B]
    row.version = 4
    r = merge(row, upd(A, 3, data__y=(None, 2)), TICKET_POLICIES)
    assert r.values["data"] == {"x": 1, "y": 2}
    assert [c.kind for c in r.conflicts] == ["soft"]
    assert row.values["data"] == {"x": 1}  # the caller's state is not mutated


def test_three_way_lww_is_order_independent() -> None:
    values = {A: "甲", B: "乙", C: "丙"}
    winner = max(values.values(), key=sha)
    seen = set()
    for order in itertools.permutations((A, B, C)):
        row = base_row()
        lost = set()
        for node in order:
            row, conflicts = advance(row, upd(node, 3, title=("打印机卡纸", values[node])))
            for c in conflicts:
                lost.add(c.server_value if c.reason.startswith("client") else c.client_value)
        seen.add((row.values["title"], frozenset(lost)))
    assert seen == {(winner, frozenset(set(values.values()) - {winner}))}
