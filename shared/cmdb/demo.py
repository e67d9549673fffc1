"""Demo CMDB content beyond plain CIs (called once from shared/demo.py): racks in the province data
centre and the 龙华 machine room with the room's equipment placed at U positions, a business system on
two redundant application servers, and a few lifecycle records (with their PDFs) for the 履历."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shared.cmdb import lifecycle, racks
from shared.models.cmdb import CIRelation, ConfigItem
from shared.services import cmdb
from shared.services.actor import Actor
from shared.sync.capture import ChangeSet

RACKED = ("network", "security", "server", "storage", "ups", "pdu")
HEIGHTS = {"server": 2, "storage": 4, "ups": 3}
RACK_ORGS = ("/HQ/GD/", "/HQ/GD/SZ/LH/")


def add_cmdb_demo(cs: ChangeSet, admin: Actor, rooms: dict[str, dict[str, Any]]) -> None:
    for org_path in RACK_ORGS:
        if org_path in rooms:
            _rack_room(cs, admin, org_path, rooms[org_path])
    _redundant_system(cs, admin)
    _lifecycle_examples(cs, admin, "/HQ/GD/SZ/LH/")


def _rack_room(cs: ChangeSet, admin: Actor, org_path: str, room: dict[str, Any]) -> None:
    code = org_path.strip("/").split("/")[-1]
    in_room = cs.session.scalars(select(ConfigItem).join(CIRelation, CIRelation.source_id == ConfigItem.id).where(
        CIRelation.target_id == room["id"], CIRelation.rel_type == "located_in", CIRelation.deleted.is_(False),
        ConfigItem.ci_class.in_(RACKED)).order_by(ConfigItem.ci_class, ConfigItem.name)).all()
    made: list[dict[str, Any]] = []
    next_u = 42
    for ci in in_room:
        height = HEIGHTS.get(ci.ci_class, 1)
        if not made or next_u - height < 1:
            rack = cmdb.create_ci(cs, admin, "rack", f"{chr(65 + len(made))}{len(made) + 1:02d}机柜",
                                  {"asset_tag": f"{code}-RACK-{len(made) + 1:02d}", "u_count": 42, "brand": "图腾",
                                   "model": "G36042"}, owner_path=org_path)
            cmdb.link_ci(cs, admin, rack["id"], room["id"], "located_in")
            made.append(rack)
            next_u = 42
        next_u -= height + 1  # one U of air between devices, filled from the top
        cmdb.update_ci(cs, admin, ci.id, {"u_height": height} if ci.ci_class in ("server", "network", "storage",
                                                                                 "security") else {})
        racks.place(cs, admin, ci.id, made[-1]["id"], next_u + 1, height)


def _redundant_system(cs: ChangeSet, admin: Actor) -> None:
    """营销管理系统 on two application servers: it fails only when both do."""
    system = cs.session.scalar(select(ConfigItem).where(ConfigItem.name == "营销管理系统"))
    servers = cs.session.scalars(select(ConfigItem).where(ConfigItem.owner_path == "/HQ/GD/",
                                                          ConfigItem.ci_class == "server")
                                 .order_by(ConfigItem.name)).all()
    if system is None or len(servers) < 12:
        return
    cmdb.link_ci(cs, admin, system.id, servers[11].id, "runs_on")
    cmdb.update_ci(cs, admin, system.id, {"redundancy": 1})


def _lifecycle_examples(cs: ChangeSet, admin: Actor, org_path: str) -> None:
    terminals = {row.status: row for row in cs.session.scalars(select(ConfigItem).where(
        ConfigItem.owner_path == org_path, ConfigItem.ci_class == "terminal").order_by(ConfigItem.name))}
    stock, running = terminals.get("库存"), terminals.get("在运")
    if stock is not None:
        lifecycle.perform(cs, admin, stock.id, "commission_start",
                          {"reason": "新员工入职配发", "responsible": "梁志伟"})
        lifecycle.perform(cs, admin, stock.id, "commission", {
            "documents": "all", "acceptance": "all", "commissioned_on": "2026-11-02", "responsible": "梁志伟"})
    if running is not None:
        lifecycle.perform(cs, admin, running.id, "decommission_start", {"reason": "到期"})
        lifecycle.perform(cs, admin, running.id, "decommission", {
            "steps": "all", "wipe_method": "多次覆写", "wipe_witness": "林国栋"})
        lifecycle.perform(cs, admin, running.id, "idle", {"store_place": "龙华供电局综合楼1楼库房"})
