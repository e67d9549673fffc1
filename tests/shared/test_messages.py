"""Refusals reach people in Chinese: the catalogue covers every message the core raises, its holes match,
and real refusals from the services come out translated (desktop error text, server error JSON)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

from shared.messages import compile_template, localize
from shared.services import tickets
from shared.services.actor import Actor
from shared.services.errors import ServiceError
from shared.store import Store

ROOT = Path(__file__).resolve().parents[2]
HOLE = re.compile(r"\{(\d+)\}")


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("messages_script", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_message_the_core_raises_has_its_chinese() -> None:
    script = _script()
    found = script.code_templates()
    known = {entry["en"]: entry.get("zh") for entry in script.catalogue_entries()}
    assert len(found) > 200  # the scan sees the services, not an empty folder
    missing = {text: where for text, where in found.items() if not known.get(text)}
    assert not missing, f"run `python scripts/messages.py --update` and translate: {missing}"


def test_translations_keep_every_hole() -> None:
    entries = yaml.safe_load((ROOT / "shared/resources/messages/zh.yaml").read_text(encoding="utf-8"))
    for entry in entries:
        def holes(text: str) -> list[str]:
            return sorted(HOLE.findall(text.replace("{{", "").replace("}}", "")))
        assert holes(entry["en"]) == holes(entry["zh"]), entry


def test_templates_match_whole_lines_only() -> None:
    pattern, literal = compile_template("no ticket {0}")
    assert pattern.match("no ticket INC-1") and not pattern.match("there is no ticket INC-1")
    assert literal == len("no ticket ")


@pytest.mark.parametrize(("english", "chinese"), [
    ("no ticket INC-LH-20261127-0001", "没有工单 INC-LH-20261127-0001"),
    ("user_filter must contain {username}", "user_filter 必须包含 {username}"),
    # a hole holding a message of its own is translated too
    ("action resolve is not possible: a ticket needs a title", "无法执行操作 resolve：工单需要标题"),
    ("something nobody wrote a template for", "something nobody wrote a template for"),
    # role codes are given by their names; a username that is also a role code stays a username
    ("changing a ticket needs the role admin or approver (admin has desktop_ops, service_desk)",
     "修改工单需要角色 管理员或审批人（admin 的角色：二线桌面运维、服务台坐席(一线)）"),
    ("changing a ticket needs a role (lh_desk has no role)", "修改工单需要任一角色（lh_desk 的角色：无）"),
])
def test_localize(english: str, chinese: str) -> None:
    assert localize(english, "zh") == chinese
    assert localize(english, "en") == english


def test_a_real_refusal_from_a_service_reads_in_chinese(county: tuple[Store, Actor]) -> None:
    store, actor = county
    with store.write(actor.user_id) as cs, pytest.raises(ServiceError) as refused:
        tickets.create_ticket(cs, actor, "incident", "  ", {})
    assert str(refused.value) == "a ticket needs a title"
    assert localize(str(refused.value), "zh") == "工单需要标题"
