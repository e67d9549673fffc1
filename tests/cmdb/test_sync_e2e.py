"""Done-when of issue 5, end to end over a real sync tree: the NetBox demo imports into a province and
syncs to a county; a technician offline commissions a server into a rack, sees the impact of a switch
failing, decommissions an old PC with its PDF record, reads each device's 履历; and two offline
bookings of one rack U meet at the province as a conflict, not a double booking."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shared.cmdb import history, lifecycle, racks
from shared.cmdb.classes import registry
from shared.cmdb.impact import analyse
from shared.cmdb.netbox import import_netbox
from shared.models.cmdb import ConfigItem, LifecycleRecord, RackUnit
from shared.models.sync import Conflict
from shared.services import cmdb, tickets
from shared.services.actor import Actor
from shared.services.attachments import attachment_content, list_attachments
from shared.services.errors import Forbidden, Invalid
from tests.cmdb.conftest import NETBOX
from tests.sync.tree import Tree, actor, add_county_store, make_tree

LH = "/HQ/GD/SZ/LH/"
COMMISSION = {"documents": "all", "acceptance": "all", "commissioned_on": "2026-11-27", "responsible": "lh_tech"}


def _tree(root: Path, netbox: bool = True) -> Tree:
    """Province GD with county LH; the NetBox demo imported for LH (or, lighter, one rack)."""
    tree = make_tree(root, {"GD": {"SZ": ["LH"]}})
    gd = tree.provinces["gd"]
    admin = actor(gd, "gd_admin")
    with gd.write(admin.user_id) as cs:
        if netbox:
            import_netbox(cs, admin, NETBOX, LH)
            cmdb.create_ci(cs, admin, "terminal", "LH-PC-0007", {"asset_tag": "LH-PC-7", "os": "Windows 7 专业版"},
                           owner_path=LH)
        else:
            cmdb.create_ci(cs, admin, "rack", "Comms closet", {"asset_tag": "NB-RACK-1", "u_count": 12},
                           owner_path=LH)
    return tree


def _id(session, name: str) -> str:  # type: ignore[no-untyped-def]
    return str(session.scalar(select(ConfigItem.id).where(ConfigItem.name == name, ConfigItem.deleted.is_(False))))


def test_netbox_to_county_offline_commission_impact_decommission_history(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree")
    lh = add_county_store(tree, "lh_a", "gd", "lh_tech")
    with lh.read() as s:
        assert s.scalar(select(func.count()).select_from(ConfigItem)) == 351
        rack = s.scalar(select(ConfigItem).where(ConfigItem.asset_tag == "NB-RACK-1"))
        assert rack is not None and len(racks.occupancy(s, rack.id)) == 5
    tech = actor(lh, "lh_tech")
    # offline from here: no sync until the end
    with lh.write(tech.user_id) as cs:
        srv = cmdb.create_ci(cs, tech, "server", "LH-APP-NEW", {"asset_tag": "LH-S-100", "status": "库存",
                                                               "u_height": 1})
        switch = _id(cs.session, "dmi01-akron-sw01")
        cmdb.link_ci(cs, tech, srv["id"], switch, "connected_to")
        racks.place(cs, tech, srv["id"], "NB-RACK-1", 7)
        lifecycle.perform(cs, tech, srv["id"], "commission_start", {"reason": "营销系统扩容", "responsible": "lh_tech"})
        lifecycle.perform(cs, tech, srv["id"], "commission", COMMISSION)
        tickets.create_ticket(cs, tech, "incident", "接入交换机端口故障", {"ci_id": switch})
    with lh.read() as s:
        result = analyse(s, [switch], "down")
        assert [(i.name, i.depth) for i in result.items] == [("LH-APP-NEW", 1)]
    with lh.write(tech.user_id) as cs:
        lifecycle.perform(cs, tech, "LH-PC-7", "decommission_start", {"reason": "到期"})
        done = lifecycle.perform(cs, tech, "LH-PC-7", "decommission",
                                 {"steps": "all", "wipe_method": "多次覆写", "wipe_witness": "李四"})
        lifecycle.perform(cs, tech, "LH-PC-7", "scrap", {"checks": "all", "approval_ref": "CW-2026-031"})
    with lh.read() as s:
        pdf = attachment_content(s, done["attachment_id"])
        server_life = [e.title.split()[0] for e in history.timeline(s, srv["id"])]
        pc_life = [e.title.split()[0] for e in history.timeline(s, _id(s, "LH-PC-0007"))]
        switch_life = [e.title for e in history.timeline(s, switch)]
    assert server_life == ["建档", "上架", "投运申请", "投运"]
    assert pc_life == ["建档", "退运申请", "退运", "报废"]
    assert switch_life[0] == "建档" and switch_life[-1].startswith("事件 INC-")
    (tmp_path / "pc.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "pc.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "信息设备退运记录" in text and "LH-PC-0007" in text and "李四" in text

    tree.sync("lh_a")  # back online: the province has it all, and a second PC of the county sees it
    gd = tree.provinces["gd"]
    with gd.read() as s:
        assert s.get(ConfigItem, srv["id"]).status == "在运"  # type: ignore[union-attr]
        assert s.scalar(select(ConfigItem.status).where(ConfigItem.asset_tag == "LH-PC-7")) == "报废"
        assert s.scalar(select(func.count()).select_from(LifecycleRecord)) == 5
        assert s.scalar(select(func.count()).select_from(Conflict)) == 0
    other = add_county_store(tree, "lh_b", "gd", "lh_tech")
    with other.read() as s:
        assert [e.title.split()[0] for e in history.timeline(s, srv["id"])] == server_life
        assert len(list_attachments(s, "config_items", srv["id"])) == 2
        assert attachment_content(s, done["attachment_id"]) == pdf


def test_rack_double_booking_offline_is_a_sync_conflict(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree", netbox=False)
    a = add_county_store(tree, "lh_a", "gd", "lh_tech")
    b = add_county_store(tree, "lh_b", "gd", "lh_tech")
    tech = actor(a, "lh_tech")
    made = {}
    for name, store in (("lh_a", a), ("lh_b", b)):  # both offline, both take U6 of the same rack
        with store.write(tech.user_id) as cs:
            ci = cmdb.create_ci(cs, tech, "server", f"SRV-{name}", {"asset_tag": f"T-{name}", "status": "库存"})
            racks.place(cs, tech, ci["id"], "NB-RACK-1", 6)
            made[name] = ci["id"]
    for name in ("lh_a", "lh_b", "lh_a", "lh_b"):  # push both, then both pull the merged row
        tree.sync(name)
    unit = racks.rack_unit_id(_rack_id(a), 6)
    with tree.provinces["gd"].read() as s:
        conflicts = list(s.scalars(select(Conflict).where(Conflict.entity == "rack_units")))
        assert [(c.row_id, c.field, c.status) for c in conflicts] == [(unit, "ci_id", "open")]
        values = f"{conflicts[0].server_value} {conflicts[0].client_value}"
        assert all(ci_id in values for ci_id in made.values())
        winner = s.get(RackUnit, unit).ci_id  # type: ignore[union-attr]
    for store in (a, b):  # one occupant everywhere, never two
        with store.read() as s:
            assert s.get(RackUnit, unit).ci_id == winner  # type: ignore[union-attr]
            assert s.scalar(select(func.count()).select_from(RackUnit).where(RackUnit.id == unit)) == 1


def _rack_id(store) -> str:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return str(s.scalar(select(ConfigItem.id).where(ConfigItem.asset_tag == "NB-RACK-1")))


def test_hq_class_definitions_reach_counties_and_validate_there(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree", {"GD": {"SZ": ["LH"]}})
    hq_admin = actor(tree.hq, "gd_relay")  # an admin, but of a province: may not define classes
    with pytest.raises(Forbidden), tree.hq.write(hq_admin.user_id) as cs:
        cmdb.define_class(cs, hq_admin, "ukey", "peripheral", "数字证书UKey")
    hq = Actor("hq-admin", "hq_admin", "/HQ/", ("admin",))
    with tree.hq.write() as cs:
        cmdb.define_class(cs, hq, "ukey", "peripheral", "数字证书UKey", "Certificate key", [
            {"code": "cert_expires", "type": "date", "required": True, "label": {"zh": "证书到期", "en": "Expires"}}])
        cmdb.define_class(cs, hq, "terminal", "", "", attributes=[
            {"code": "desk_no", "type": "str", "unique": True, "label": {"zh": "工位号", "en": "Desk"}}])
    lh = add_county_store(tree, "lh_a", "gd", "lh_tech")
    tree.drain()
    with lh.read() as s:
        reg = registry(s)
        assert reg.get("ukey").zh == "数字证书UKey" and "desk_no" in {a.code for a in reg.attributes("terminal")}
    tech = actor(lh, "lh_tech")
    with pytest.raises(Invalid, match="needs cert_expires"), lh.write(tech.user_id) as cs:
        cmdb.create_ci(cs, tech, "ukey", "UKey-1")
    with lh.write(tech.user_id) as cs:
        cmdb.create_ci(cs, tech, "数字证书UKey", "UKey-1", {"cert_expires": "2027-06-30"})
        cmdb.create_ci(cs, tech, "terminal", "PC-1", {"desk_no": "3F-12"})
    with pytest.raises(Invalid, match="工位号"), lh.write(tech.user_id) as cs:
        cmdb.create_ci(cs, tech, "terminal", "PC-2", {"desk_no": "3F-12"})
