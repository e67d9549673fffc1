"""Demo content of issue 6: the county room's racks and facilities, a daily-inspection plan per shift,
a few completed inspections (one with a temperature alarm and its incident), a duty log and visitors."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import select

from shared.models.forms import FormRecord, MachineRoom
from shared.models.org import User
from shared.processes.calendar import CHINA
from shared.services import forms, plans, rooms
from shared.services.actor import Actor
from shared.store import Store

COUNTY_PATH = "/HQ/GD/SZ/LH/"
FACILITIES = (("ups", "1号UPS", "山特 3C3 Pro 20KS"), ("battery", "UPS蓄电池组", "理士 DJM12100 ×32"),
              ("crac", "1号精密空调", "艾默生 CRV 25kW"), ("crac", "2号精密空调", "艾默生 CRV 25kW"),
              ("fire", "七氟丙烷气体灭火系统", "国安达 GQQ70"), ("dcim", "动环监控主机", "共济 iDCIM"),
              ("access", "门禁系统", "中控 inBio"), ("leak", "漏水检测绳", "共济 WL-100"))


def _scribble(seed: int, width: int = 320, height: int = 100) -> bytes:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    points = [(12 + i * (width - 24) // 7, 30 + ((i * 37 + seed * 13) % (height - 50))) for i in range(8)]
    draw.line(points, fill=(11, 42, 111), width=4, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _photo() -> bytes:
    image = Image.new("RGB", (480, 320), (210, 220, 230))
    draw = ImageDraw.Draw(image)
    for x in range(40, 440, 80):
        draw.rectangle([x, 40, x + 60, 290], outline=(60, 60, 60), width=3, fill=(90, 90, 100))
    draw.rectangle([180, 120, 240, 170], fill=(230, 60, 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def _normal_values(template: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in template.items():
        if not item.required or item.auto or item.type in ("SIG", "TXT", "DT", "REF", "PHOTO", "FILE"):
            continue
        if item.type == "CHK":
            value: Any = "ok"
        elif item.type == "SEL":
            value = item.normal_options[0] if item.normal_options else item.options[0].code
        else:
            normal = item.thresholds.normal[0] if item.thresholds.normal else None
            if normal is None:
                value = 2.0
            elif normal.low > -1e9 and normal.high < 1e9:
                value = round((normal.low + normal.high) / 2, 1)
            else:
                value = normal.high - 1 if normal.low < -1e9 else normal.low + 1
        values[item.code] = {p: value for p in item.points} if item.per_point else value
    return values


def add_forms_demo(province: Store, today: date | None = None) -> None:
    today = today or datetime.now(CHINA).date()
    with province.read() as session:
        room = session.scalar(select(MachineRoom).where(MachineRoom.owner_path == COUNTY_PATH))
        users = list(session.scalars(select(User).where(User.org_path == COUNTY_PATH).order_by(User.username)))
        if room is None or not users:
            return
        room_id = room.id
    inspector = next((u for u in users if "inspector" in (u.roles or ())), users[0])
    actor = Actor(inspector.id, inspector.username, inspector.org_path, tuple(inspector.roles or ()))
    lead = next((u for u in users if {"approver", "duty_lead"} & set(u.roles or ())), inspector)
    approver = Actor(lead.id, lead.username, lead.org_path, tuple(lead.roles or ()))  # four eyes on the plans
    first = today.replace(day=1)
    with province.write(actor.user_id) as cs:
        rooms.update_room(cs, actor, room_id, {"area_m2": 86.0, "power_kw": 40.0, "cooling_kw": 50.0,
                                               "points": {"A_TEMP": ["冷通道1", "冷通道2"]}})
        for n, used in enumerate((32, 28, 18, 9)):
            rooms.add_rack(cs, actor, room_id, f"A0{n + 1}", 42, used, row="A")
        for kind, name, model in FACILITIES:
            rooms.add_facility(cs, actor, room_id, kind, name, model)
        daily = plans.create_plan(cs, actor, "龙华信息机房日常巡检", "SOP-06", "daily",
                                  (today - timedelta(days=3)).isoformat(),
                                  room_id=room_id, shifts=["白班@08:30", "夜班@20:30"], plan_type="monthly",
                                  assignee_id=actor.user_id)
        monthly = plans.create_plan(cs, actor, "终端外设月度巡检", "SOP-03", "monthly", first.isoformat(), day=25,
                                    working_days_only=True, plan_type="monthly", category="inspection")
        plans.create_plan(cs, actor, "UPS季度切换与放电测试", "SOP-05", "quarterly", first.isoformat(), day=15,
                          working_days_only=True, plan_type="yearly", category="maintenance")
        plans.create_plan(cs, actor, "综合布线年度检查", "SOP-11", "yearly", first.isoformat(), day=20,
                          working_days_only=True, plan_type="yearly", category="inspection")
        for plan in (daily, monthly):
            plans.transition_plan(cs, actor, plan["id"], "submit")
            plans.transition_plan(cs, approver, plan["id"], "approve")
        plans.spawn_due(cs, actor, today)
    _complete_some(province, actor, room_id, daily["id"])
    with province.write(actor.user_id) as cs:
        rooms.add_duty_entry(cs, actor, room_id, "白班", "白班巡检完成，2号空调冷通道温度偏高已报事件",
                             handover_to="夜班值班员", open_issues="2号精密空调待厂家检修")
        entry = rooms.register_entry(cs, actor, room_id, "王工", actor.username, "精密空调检修", company="艾默生")
        rooms.register_exit(cs, actor, entry["id"])
        rooms.register_entry(cs, actor, room_id, "陈工", actor.username, "更换UPS风扇", company="山特")


def _complete_some(province: Store, actor: Actor, room_id: str, plan_id: str) -> None:
    """The first five records of the plan completed and signed; the fourth with a cold-aisle alarm."""
    with province.read() as session:
        ids = list(session.scalars(select(FormRecord.id).where(FormRecord.plan_id == plan_id)
                                   .order_by(FormRecord.planned_at).limit(5)))
        template = forms.get_template(session, "SOP-06")
    base = _normal_values(template)
    for n, record_id in enumerate(ids):
        values = dict(base, A_TEMP={"冷通道1": 23.5, "冷通道2": 24.0 + n * 0.5})
        remarks = {}
        if n == 3:
            values["A_TEMP"] = {"冷通道1": 24.5, "冷通道2": 31.2}
            remarks = {"A_TEMP": "2号精密空调高压告警停机，冷通道2温度升至31.2°C，已开启备用空调"}
            values["L_HANDLING"] = "已报事件并通知厂家，临时开启备用空调"
        with province.write(actor.user_id) as cs:
            forms.fill_record(cs, actor, record_id, values, remarks)
            if n == 3:
                forms.add_photo(cs, actor, record_id, "A_TEMP", "冷通道2温度.jpg", _photo(), "image/jpeg")
            forms.sign(cs, actor, record_id, "executor", _scribble(n))
            forms.complete_record(cs, actor, record_id)
            if n < 2:
                forms.sign(cs, actor, record_id, "reviewer", _scribble(n + 7))
                forms.review_record(cs, actor, record_id)
