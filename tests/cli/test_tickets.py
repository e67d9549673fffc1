"""``itops ticket``: create / update / transition / show / list, and the one-line error policy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run


def test_round_trip_with_chinese_title(county: Path, itops: Callable[..., Run]) -> None:
    store = ("--store", county)
    created = itops("ticket", "create", *store, "--process", "incident", "--title", "营销系统数据库连接超时",
                    "--field", "impact=2", "--field", "urgency=1", "--field", "category=应用",
                    "--user", "lh_desk", "--json").ok().json()
    assert created["title"] == "营销系统数据库连接超时"
    assert created["state"] == "new" and created["priority"] == "P2"
    assert created["number"].startswith("INC-GD-SZ-LH-N1-")
    assert created["owner_path"] == "/HQ/GD/SZ/LH/"
    assert created["description"] == ""  # the committed row, with its column defaults
    number = created["number"]

    updated = itops("ticket", "update", *store, number, "--field", "urgency=2", "--field",
                    "data.contact=何晓丽 0755-1234", "--json").ok().json()
    assert updated["priority"] == "P3" and updated["data"]["contact"] == "何晓丽 0755-1234"

    itops("ticket", "transition", *store, number, "accept").ok()
    moved = itops("ticket", "transition", *store, created["id"], "resolve", "--json",
                  "--field", "resolution_code=patch",
                  "--field", "solution=调整连接池参数").ok().json()
    assert moved["state"] == "resolved" and moved["resolved_at"]

    shown = itops("ticket", "show", *store, number, "--json").ok().json()
    assert shown["id"] == created["id"] and shown["title"] == "营销系统数据库连接超时"
    assert [e["body"] for e in shown["entries"]] == ["created", "updated", "accept", "resolve"]
    assert set(shown["actions"]) == {"survey", "reopen"}  # close only after the follow-up

    text = itops("ticket", "show", *store, number).ok().out
    assert "已解决(待回访)" in text and "调整连接池参数" in text and "何晓丽" in text


def test_list_pages_filters_and_table(demo_tree: Path, itops: Callable[..., Run]) -> None:
    county = demo_tree / "county-lh"
    everything = itops("ticket", "list", "--store", county, "--all", "--json").ok().json()
    closed = itops("ticket", "list", "--store", county, "--all", "--process", "incident", "--state", "closed",
                   "--json").ok().json()
    assert 0 < len(closed) < len(everything)
    assert {(t["process"], t["state"]) for t in closed} == {("incident", "closed")}
    table = itops("ticket", "list", "--store", county, "--limit", "5").ok().out.splitlines()
    assert table[0].split() == ["NUMBER", "PRI", "STATE", "OPENED", "TITLE"] and len(table) == 6
    labels = ("已关闭", "一线处理中", "新建", "挂起", "已解决", "已批准")
    assert any(label in "".join(table) for label in labels)


def test_illegal_transition_is_one_clear_line(county: Path, itops: Callable[..., Run]) -> None:
    ticket = itops("ticket", "create", "--store", county, "--title", "打印机卡纸", "--json").ok().json()["id"]
    itops("ticket", "transition", "--store", county, ticket, "close").user_error(
        "action 'close' is not allowed in state 'new'")
    itops("ticket", "transition", "--store", county, ticket, "accept").ok()
    itops("ticket", "transition", "--store", county, ticket, "resolve").user_error(
        "resolve needs", "solution")


def test_bad_field_syntax_and_priority(county: Path, itops: Callable[..., Run]) -> None:
    ticket = itops("ticket", "create", "--store", county, "--title", "OA系统登录缓慢", "--json").ok().json()
    itops("ticket", "update", "--store", county, ticket["number"], "--field", "impact").user_error(
        "bad --field 'impact'", "NAME=VALUE")
    itops("ticket", "update", "--store", county, ticket["number"], "--field", "priority=P1").user_error(
        "priority cannot be set directly")
    shown = itops("ticket", "show", "--store", county, ticket["number"], "--json").ok().json()
    assert shown["priority"] == ticket["priority"] == "P4" and shown["version"] == ticket["version"]


def test_missing_store(tmp_path: Path, itops: Callable[..., Run]) -> None:
    missing = tmp_path / "none"
    itops("ticket", "list", "--store", missing).user_error("no ITOps store at", str(missing))
    default = itops("ticket", "list", env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    default.user_error("no ITOps store at", str(tmp_path / "xdg" / "itops" / "store"))
    assert not (tmp_path / "xdg").exists()


def test_an_ancestor_user_creates_county_records_on_a_county_store(county: Path,
                                                                  itops: Callable[..., Run]) -> None:
    """gd_admin's own org is /HQ/GD/, but a desktop store may only create rows in its own scope."""
    created = itops("ticket", "create", "--store", county, "--user", "gd_admin", "--title", "核心交换机告警",
                    "--json").ok().json()
    assert created["owner_path"] == "/HQ/GD/SZ/LH/" and created["caller_id"] is not None


def test_province_database_acts_as_its_admin(province_db: Path, itops: Callable[..., Run]) -> None:
    created = itops("ticket", "create", "--db", province_db, "--process", "change",
                    "--title", "核心交换机固件升级", "--json").ok().json()
    assert created["owner_path"] == "/HQ/GD/" and created["number"].startswith("CHG-GD-")
    assert created["version"] == 1  # the province is the merge authority for /HQ/GD/
    listed = itops("ticket", "list", "--db", province_db, "--all", "--json").ok().json()
    assert {t["owner_path"] for t in listed} > {"/HQ/GD/", "/HQ/GD/SZ/LH/"}



def test_delete_and_restore_round_trip(county: Path, itops: Callable[..., Run]) -> None:
    store = ("--store", county)
    created = itops("ticket", "create", *store, "--title", "待删除的工单", "--json").ok().json()
    itops("ticket", "delete", *store, created["number"]).ok()
    listed = itops("ticket", "list", *store, "--all", "--json").ok().json()
    assert created["id"] not in {t["id"] for t in listed}
    restored = itops("ticket", "restore", *store, created["id"], "--json").ok().json()
    assert restored["deleted"] is False and restored["title"] == "待删除的工单"


def test_references_typed_as_people_type_them_are_stored_as_ids(county: Path, itops: Callable[..., Run]) -> None:
    """A username, a team's name, an asset tag and a ticket number given on the command line are stored as the
    ids of those rows (the services resolve them; the text itself was stored before)."""
    from sqlalchemy import select

    from shared.models.cmdb import ConfigItem
    from shared.models.org import Team, User
    from shared.store import Store

    store = ("--store", county)
    created = itops("ticket", "create", *store, "--title", "三楼打印机卡纸", "--field", "assignee_id=lh_desk2",
                    "--field", "team_id=龙华桌面运维组(二线)", "--field", "ci_id=LH-00050", "--json").ok().json()
    article = itops("ticket", "create", *store, "--process", "knowledge", "--title", "打印机卡纸的处理",
                    "--json").ok().json()
    updated = itops("ticket", "update", *store, created["number"], "--field",
                    f"data.knowledge_id={article['number']}", "--json").ok().json()
    opened = Store.open_dir(county)
    with opened.read() as session:
        assert created["assignee_id"] == session.scalar(select(User.id).where(User.username == "lh_desk2"))
        assert created["team_id"] == session.scalar(select(Team.id).where(Team.name == "龙华桌面运维组(二线)"))
        assert created["ci_id"] == session.scalar(select(ConfigItem.id).where(ConfigItem.asset_tag == "LH-00050"))
    opened.close()
    assert updated["data"]["knowledge_id"] == article["id"]
    itops("ticket", "update", *store, created["number"], "--field", "assignee_id=nobody").user_error(
        "assignee_id: no user nobody")
    itops("ticket", "update", *store, created["number"], "--field", f"data.knowledge_id={created['number']}") \
        .user_error(f"{created['number']} is a incident, not a knowledge")
