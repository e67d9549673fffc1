"""The NetBox demo import, and impact analysis over it: known paths, redundancy, depth and cap."""

from __future__ import annotations

from sqlalchemy import func, select

from shared.cmdb.impact import analyse
from shared.cmdb.netbox import NetboxReport, import_netbox
from shared.cmdb.racks import occupancy
from shared.models.cmdb import CIRelation, ConfigItem
from shared.services import cmdb
from shared.services.actor import Actor
from shared.store import Store
from tests.cmdb.conftest import COUNTY, NETBOX

Province = tuple[Store, Actor, NetboxReport]


def _id(store: Store, name: str) -> str:
    with store.read() as session:
        return str(session.scalar(select(ConfigItem.id).where(ConfigItem.name == name)))


def test_import_maps_sites_racks_devices_cables_and_vms(netbox_province: Province) -> None:
    store, admin, report = netbox_province
    assert report.created == {"machine_room": 24, "rack": 42, "network": 58, "pdu": 13, "server": 1,
                              "cluster": 32, "vm": 180}
    assert report.placed == 72 and report.redundant == 3
    with store.read() as session:
        rack = session.scalar(select(ConfigItem).where(ConfigItem.asset_tag == "NB-RACK-1"))
        assert rack is not None and rack.name == "Comms closet" and rack.attributes["u_count"] == 12
        placed = occupancy(session, rack.id)
        assert placed[4] == _id(store, "dmi01-akron-rtr01") and len(set(placed.values())) == 4
        router = cmdb.get_ci(session, admin, "NB-DEVICE-1")
        assert router["brand"] == "Cisco" and router["model"] == "ISR 1111-8P" and router["owner_path"] == COUNTY
        assert "Comms closet U04" in router["location"]
        vms = session.scalar(select(func.count()).select_from(CIRelation).where(CIRelation.rel_type == "runs_on"))
        assert vms == 180
    with store.write(admin.user_id) as cs:  # importing again updates, never duplicates
        again = import_netbox(cs, admin, NETBOX, COUNTY)
    assert again.created == {} and again.updated["network"] == 58


def test_known_paths_redundancy_and_upstream(netbox_province: Province) -> None:
    store, _admin, _r = netbox_province
    with store.read() as session:
        rtr = _id(store, "dmi01-akron-rtr01")
        down = analyse(session, [rtr], "down")
        assert [(i.name, i.depth) for i in down.items] == [("dmi01-akron-sw01", 1)]
        assert down.items[0].path == (rtr, _id(store, "dmi01-akron-sw01"))
        up = analyse(session, [_id(store, "dmi01-akron-sw01")], "up")
        assert {i.name for i in up.items} == {"dmi01-akron-rtr01", "dmi01-akron-pdu01"}
        core1, core2 = _id(store, "ncsu-coreswitch1"), _id(store, "ncsu-coreswitch2")
        one = analyse(session, [core1], "down")  # the distribution switches are dual-homed
        assert one.items == [] and len(one.spared) == 3
        both = analyse(session, [core1, core2], "down")
        assert sorted(i.name for i in both.items) == ["ncsu117-distswitch1", "ncsu118-distswitch1",
                                                      "ncsu128-distswitch1"]


def test_depth_and_cap(netbox_province: Province) -> None:
    store, admin, _r = netbox_province
    with store.write(admin.user_id) as cs:  # a business system on three VMs of one cluster
        system = cmdb.create_ci(cs, admin, "business_system", "营销系统", {"asset_tag": "BS-1"}, owner_path=COUNTY)
        for vm in ("vm1", "vm2", "vm3"):
            cmdb.link_ci(cs, admin, system["id"], _id(store, vm), "runs_on")
    with store.read() as session:
        cluster = str(session.scalar(select(CIRelation.target_id).where(
            CIRelation.source_id == _id(store, "vm1"), CIRelation.rel_type == "runs_on")))
        shallow = analyse(session, [cluster], "down", depth=1, cap=50)
        assert len(shallow.items) == 20 and {i.depth for i in shallow.items} == {1}
        deep = analyse(session, [cluster], "down", depth=2, cap=50)
        assert [i.name for i in deep.items if i.depth == 2] == ["营销系统"]
        capped = analyse(session, [cluster], "down", depth=2, cap=5)
        assert capped.truncated and len(capped.items) == 5 and "21 CIs are impacted" in capped.warning
        assert not deep.truncated and deep.warning == ""
