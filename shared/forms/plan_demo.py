"""Demo task plans (issue 6): the province's yearly cabling check issued to the Shenzhen counties, and the
county's monthly power-failure drill for itself — both published and spawned up to today."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from shared.models.org import User
from shared.processes.calendar import CHINA
from shared.services import plans
from shared.services.actor import Actor
from shared.store import Store

PROVINCE_PATH, COUNTY_PATH, SIBLING_PATH = "/HQ/GD/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/"


def _actor(store: Store, username: str) -> Actor | None:
    with store.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        return Actor(user.id, user.username, user.org_path, tuple(user.roles or ())) if user is not None else None


def add_plan_tasks_demo(province: Store, today: date | None = None) -> None:
    today = today or datetime.now(CHINA).date()
    first = today.replace(day=1)
    gd, lead = _actor(province, "gd_admin"), _actor(province, "lh_lead")
    if gd is None or lead is None:
        return
    with province.write(gd.user_id) as cs:
        yearly = plans.create_plan(
            cs, gd, "各县网络布线年度检查", None, "yearly", first.isoformat(), day=1, kind="task",
            targets=[COUNTY_PATH, SIBLING_PATH], working_days_only=True, deadline_days=30, plan_type="yearly",
            description="按 SOP-11 检查机房及楼层综合布线、标签与配线架，提交检查表与整改清单。",
            deliverables=["布线检查表", "整改清单"], source="inspection")
        for action in ("submit", "approve"):
            plans.transition_plan(cs, gd, yearly["id"], action)
        plans.spawn_due(cs, gd, today, yearly["id"])
    with province.write(lead.user_id) as cs:
        drill = plans.create_plan(
            cs, lead, "机房断电应急演练", None, "monthly", first.isoformat(), day=today.day, kind="task",
            working_days_only=True, deadline_days=3, plan_type="monthly", category="drill",
            description="模拟市电中断：UPS 切换、空调重启、业务系统检查，记录时间线。", deliverables=["演练记录"])
        for action in ("submit", "approve"):
            plans.transition_plan(cs, lead, drill["id"], action)
        plans.spawn_due(cs, lead, today, drill["id"])
