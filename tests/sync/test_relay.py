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
