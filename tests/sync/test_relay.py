"""Province ⇄ HQ relay: HQ reference data reaches every county; HQ's edits of a province's rows
are merged by that province (their only authority) and come back to HQ as the province's version."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.models import ConfigItem, OutboxEntry, Ticket
from shared.services import cmdb, tickets
from shared.services.actor import Actor
from tests.sync.tree import Tree, actor, add_county_store, export, make_tree


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tree]:
    t = make_tree(Path(tmp_path_factory.mktemp("relay")), {"GD": {"SZ": ["LH"]}, "SC": {"CD": ["JJ"]}})
    add_county_store(t, "lh", "gd", "lh_tech")
    add_county_store(t, "jj", "sc", "jj_tech")
    yield t


def test_hq_reference_data_reaches_every_county(tree: Tree) -> None:
    hq_actor = Actor(None, "hq", "/HQ/", ("admin",))
    with tree.hq.write() as cs:
        erp = cmdb.create_ci(cs, hq_actor, "business_system", "集团ERP系统", owner_path="/HQ/")
    tree.drain()
    for name in ("gd", "sc", "lh", "jj"):
        with tree.store(name).read() as s:
            row = s.get(ConfigItem, erp["id"])
            assert row is not None and row.name == "集团ERP系统", name


def test_hq_edit_of_a_province_row_is_merged_by_the_province(tree: Tree) -> None:
    lh = tree.counties["lh"]
    tech = actor(lh, "lh_tech")
    with lh.write(tech.user_id) as cs:
        t = tickets.create_ticket(cs, tech, "incident", "营销系统数据库连接超时")
    tree.drain()
    hq_actor = Actor(None, "hq", "/HQ/", ("admin",))
    with tree.hq.write() as cs:
        tickets.update_ticket(cs, hq_actor, t["id"], {"description": "总部督办: 请今日内恢复"})
        forwarded = cs.session.scalars(select(OutboxEntry).where(OutboxEntry.row_id == t["id"])).all()
        assert forwarded and all(e.target_path == "/HQ/GD/" for e in forwarded)
    tree.drain()
    for name in ("gd", "lh"):
        with tree.store(name).read() as s:
            row = s.get(Ticket, t["id"])
            assert row is not None and row.description == "总部督办: 请今日内恢复", name
    with tree.hq.read() as s:
        row = s.get(Ticket, t["id"])
        assert row is not None and row.description == "总部督办: 请今日内恢复"
        assert s.scalars(select(OutboxEntry).where(OutboxEntry.target_path != "")).all() == []
    # HQ holds exactly the province's version of the row
    gd_rows = export(tree.provinces["gd"], lambda n, r: r.owner_path.startswith("/HQ/GD/SZ/"))
    hq_rows = export(tree.hq, lambda n, r: r.owner_path.startswith("/HQ/GD/SZ/"))
    assert gd_rows == hq_rows


def test_provinces_never_see_each_others_data(tree: Tree) -> None:
    with tree.provinces["sc"].read() as s:
        assert s.scalars(select(Ticket).where(Ticket.owner_path.startswith("/HQ/GD/"))).all() == []
    with tree.counties["jj"].read() as s:
        assert s.scalars(select(Ticket).where(Ticket.owner_path.startswith("/HQ/GD/"))).all() == []


def test_compaction_resyncs_only_stores_behind_the_horizon(tmp_path: Path) -> None:
    from shared.models import ChangeLogEntry
    from shared.models.sync import SyncPeer
    from shared.sync.compact import compact

    t = make_tree(tmp_path / "c", {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(t, "lh", "gd", "lh_tech")
    behind = add_county_store(t, "behind", "gd", "lh_tech")
    tech = actor(lh, "lh_tech")
    with lh.write(tech.user_id) as cs:
        gone = tickets.create_ticket(cs, tech, "incident", "将被删除")
        kept = tickets.create_ticket(cs, tech, "incident", "保留")
    t.sync("lh")
    t.sync("behind")
    with lh.write(tech.user_id) as cs:
        tickets.delete_ticket(cs, tech, gone["id"])
        tickets.update_ticket(cs, tech, kept["id"], {"title": "保留(已改)"})
    t.sync("lh")  # "behind" stays offline, holding an old cursor
    province = t.provinces["gd"]
    with province.write() as cs:
        before = cs.session.query(ChangeLogEntry).count()
        result = compact(cs.session, cs.state.change_seq)
        assert result["superseded"] >= 2
        assert cs.session.query(ChangeLogEntry).count() < before
    report = t.sync("behind")
    assert report.resynced
    assert export(behind) == export(lh)  # the deletion (a kept tombstone) reached it through the reload
    assert not t.sync("lh").resynced  # a store at the horizon is unaffected
    with behind.read() as s:
        assert s.get(SyncPeer, "upstream").cursor_seq >= result["horizon"]  # type: ignore[union-attr]
