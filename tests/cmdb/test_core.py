"""Classes and validation, rack positions, lifecycle paths and the PDF record on a county store."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from shared.cmdb import lifecycle, racks
from shared.models.cmdb import LifecycleRecord, RackUnit
from shared.services import cmdb
from shared.services.actor import Actor
from shared.services.attachments import attachment_content, list_attachments
from shared.services.errors import Invalid
from shared.store import Store

County = tuple[Store, Actor]
COMMISSION = {"documents": "all", "acceptance": "all", "commissioned_on": "2026-11-20", "responsible": "张工"}
DECOMMISSION = {"steps": "all", "wipe_method": "多次覆写", "wipe_witness": "李见证"}


def test_attribute_types_required_enum_and_unique(county: County) -> None:
    store, who = county
    with store.write(who.user_id) as cs:
        pc = cmdb.create_ci(cs, who, "终端", "LH-PC-1", {"asset_tag": "LH-1", "serial": "SN1", "ip": "10.0.0.5",
                                                        "memory_gb": "16", "network": "信息内网"})
    assert pc["ci_class"] == "terminal" and pc["attributes"]["memory_gb"] == 16.0
    bad = [
        ({"asset_tag": "LH-2", "ip": "10.0.0.999"}, "not a valid ip"),
        ({"asset_tag": "LH-2", "memory_gb": "lots"}, "not a valid float"),
        ({"asset_tag": "LH-2", "network": "互联网"}, "not one of 信息内网, 信息外网"),
        ({"asset_tag": "LH-1"}, "asset_tag (资产编号) LH-1 is already used by LH-PC-1"),
        ({"asset_tag": "LH-2", "serial": "SN1"}, "serial (序列号) SN1 is already used"),
    ]
    for fields, message in bad:
        with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")), \
                store.write(who.user_id) as cs:
            cmdb.create_ci(cs, who, "terminal", "LH-PC-2", fields)
    for cls, message in (("toaster", "unknown CI class 'toaster'"), ("compute", "abstract class")):
        with pytest.raises(Invalid, match=message), store.write(who.user_id) as cs:
            cmdb.create_ci(cs, who, cls, "X")
    with pytest.raises(Invalid, match="lifecycle actions"), store.write(who.user_id) as cs:
        cmdb.update_ci(cs, who, "LH-1", {"status": "报废"})
    with store.read() as session:
        assert len(cmdb.list_cis(session, who, "terminal")) == 1
        assert [c["name"] for c in cmdb.list_cis(session, who, "ci")] == ["LH-PC-1"]  # subclasses included


def _rack(store: Store, who: Actor) -> tuple[dict, dict, dict]:
    with store.write(who.user_id) as cs:
        room = cmdb.create_ci(cs, who, "machine_room", "龙华机房", {"asset_tag": "LH-ROOM"})
        rack = cmdb.create_ci(cs, who, "rack", "A01", {"asset_tag": "LH-RACK-A01", "u_count": 42})
        cmdb.link_ci(cs, who, rack["id"], room["id"], "located_in")
        server = cmdb.create_ci(cs, who, "server", "LH-SRV-9", {"asset_tag": "LH-S9", "u_height": 2,
                                                               "status": "库存"})
    return room, rack, server


def test_rack_positions_cannot_be_double_booked(county: County) -> None:
    store, who = county
    _room, rack, server = _rack(store, who)
    with store.write(who.user_id) as cs:
        placed = racks.place(cs, who, "LH-S9", "LH-RACK-A01", 10)
        other = cmdb.create_ci(cs, who, "network", "LH-SW-9", {"asset_tag": "LH-SW9"})
    assert placed["units"] == [10, 11] and placed["location"] == "龙华机房 A01 U10-U11"
    with pytest.raises(Invalid, match="A01 U11 is taken by LH-SRV-9"), store.write(who.user_id) as cs:
        racks.place(cs, who, other["id"], rack["id"], 11)
    with pytest.raises(Invalid, match="does not fit"), store.write(who.user_id) as cs:
        racks.place(cs, who, other["id"], rack["id"], 42, height=2)
    with store.write(who.user_id) as cs:  # moving the server frees U10–11 for the switch
        racks.place(cs, who, server["id"], rack["id"], 20)
        racks.place(cs, who, other["id"], rack["id"], 11)
    with store.read() as session:
        assert racks.occupancy(session, rack["id"]) == {11: other["id"], 20: server["id"], 21: server["id"]}
        ids = {r.id for r in session.scalars(select(RackUnit))}
    assert racks.rack_unit_id(rack["id"], 11) in ids


def test_lifecycle_paths_and_pdf_record(county: County, tmp_path: Path) -> None:
    store, who = county
    _room, rack, server = _rack(store, who)
    with store.write(who.user_id) as cs:
        racks.place(cs, who, server["id"], rack["id"], 5)
    illegal = [("commission", {}, "not allowed for LH-SRV-9 in state 库存"),
               ("commission_start", {"reason": "新上线"}, "责任人 (responsible) is required")]
    for code, values, message in illegal:
        with pytest.raises(Invalid, match=message.replace("(", r"\(").replace(")", r"\)")), \
                store.write(who.user_id) as cs:
            lifecycle.perform(cs, who, server["id"], code, values)
    with store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, server["id"], "commission_start", {"reason": "新上线", "responsible": "张工"})
    with pytest.raises(Invalid, match=r"验收检查 not complete — .*试运行正常"), store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, server["id"], "commission",
                          {**COMMISSION, "acceptance": "installed,baseline,monitoring,relations"})
    with store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, server["id"], "commission", COMMISSION)
        lifecycle.perform(cs, who, server["id"], "decommission_start", {"reason": "被替换"})
        done = lifecycle.perform(cs, who, server["id"], "decommission", DECOMMISSION)
        lifecycle.perform(cs, who, server["id"], "scrap", {"checks": "all", "approval_ref": "CW-2026-18"})
    with store.read() as session:
        row = cmdb.get_ci(session, who, server["id"])
        assert row["status"] == "报废" and row["attributes"]["commissioned_on"] == "2026-11-20"
        assert row["relations"] == [] and racks.occupancy(session, rack["id"]) == {}
        assert [r.action for r in session.scalars(select(LifecycleRecord).order_by(LifecycleRecord.number))] == [
            "commission_start", "commission", "decommission_start", "decommission", "scrap"]
        assert len(list_attachments(session, "config_items", server["id"])) == 5
        pdf = attachment_content(session, done["attachment_id"])
    assert done["values"]["rack_freed"] == "A01 U5-U6" and done["values"]["relations_ended"]
    with pytest.raises(Invalid, match="frozen"), store.write(who.user_id) as cs:  # scrapped: read-only
        cmdb.update_ci(cs, who, server["id"], {"description": "x"})
    with pytest.raises(Invalid, match="allowed: none"), store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, server["id"], "lend", {"borrower": "a", "purpose": "b", "due_on": "2027-01-01"})
    path = tmp_path / "record.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "信息设备退运记录" in text and "李见证" in text and "在运" not in text.split("状态")[1][:3]
    assert "退运中 → 已退运" in text and "LH-S9" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    faces = [line.split() for line in fonts.splitlines()[2:]]
    assert faces and all(f[0].endswith("WenQuanYiMicroHei-0") and f[-5:-2] == ["yes"] * 3 for f in faces)


def test_handover_can_be_refused_and_accepted(county: County) -> None:
    store, who = county
    with store.write(who.user_id) as cs:
        system = cmdb.create_ci(cs, who, "business_system", "龙华值班系统", {"status": "投运中"})
        lifecycle.perform(cs, who, system["id"], "handover_request",
                          {"from_party": "项目组", "receiver": "信息运维中心", "package": "user_manual,contract"})
    with pytest.raises(Invalid, match=r"incomplete .*the receiver can only refuse"), store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, system["id"], "handover_accept", {"accepted_by": "王"})
    with store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, system["id"], "handover_refuse", {"refusal_reason": "资料不全"})
        lifecycle.perform(cs, who, system["id"], "handover_request",
                          {"from_party": "项目组", "receiver": "信息运维中心", "package": "all"})
        lifecycle.perform(cs, who, system["id"], "handover_accept", {"accepted_by": "王"})
    with store.read() as session:
        row = cmdb.get_ci(session, who, system["id"])
    assert row["status"] == "投运中" and row["attributes"]["custodian"] == "信息运维中心"
    assert not row["attributes"]["handover"]


def test_every_record_label_has_glyphs_in_the_embedded_font() -> None:
    from shared.cmdb.states import lifecycle_doc
    from shared.pdf.cmdb_records import CI_FIELDS, OUTCOME_LABELS
    from shared.pdf.fonts import missing_glyphs

    texts = [label for _k, label in CI_FIELDS] + list(OUTCOME_LABELS.values())
    texts += [s["zh"] for s in lifecycle_doc()["states"].values()]
    for act in lifecycle.actions().values():
        texts += [act.zh, act.en] + [f.zh for f in act.form] + [i[1] for f in act.form for i in f.items]
        texts += [v for f in act.form for v in f.values]
    fixed = "信息设备记录编号日期一二三四设备信息状态变化表单内容系统自动处理经办人签字审核人见证人"
    assert missing_glyphs("".join(texts) + fixed) == []


def test_move_books_the_rack_or_writes_the_location(county: County) -> None:
    store, who = county
    _room, rack, server = _rack(store, who)
    with pytest.raises(Invalid, match="give a rack and U, or the new location"), store.write(who.user_id) as cs:
        lifecycle.perform(cs, who, server["id"], "move", {"reason": "上架"})
    with store.write(who.user_id) as cs:
        moved = lifecycle.perform(cs, who, server["id"], "move", {"rack": "LH-RACK-A01", "u": "3"})
    assert moved["values"]["location"] == "龙华机房 A01 U03-U04"
    with store.write(who.user_id) as cs:
        out = lifecycle.perform(cs, who, server["id"], "move", {"location": "1楼库房", "reason": "下架入库"})
    assert out["values"]["rack_freed"] == "U3-U4"
    with store.read() as session:
        assert racks.occupancy(session, rack["id"]) == {}
        assert cmdb.get_ci(session, who, server["id"])["location"] == "1楼库房"
