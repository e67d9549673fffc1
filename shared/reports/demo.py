"""Demo content of issue 7: an HQ task to the province and its counties (the province decomposes it), KPI
manual entries from monitoring, a security event with its first report, and a drafted province report.

Called once from ``shared.demo.build_demo`` after Guangdong has been replicated to HQ: HQ-owned rows are
written at HQ and copied to the province, Guangdong's rows are written at the province and copied to HQ
(the county store is filled from the province afterwards, like everything else).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from shared.db.base import Synced
from shared.db.types import utcnow
from shared.kpi.period import current_month, parse_period
from shared.models.org import User
from shared.services import kpi, reports, security_events, tasks
from shared.services.actor import Actor
from shared.store import Store

WORK_TABLES = ("tasks", "task_assignments", "work_entries", "work_reports", "security_events", "kpi_entries")
COUNTIES = ("/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/", "/HQ/GD/GZ/TH/", "/HQ/GD/GZ/PY/")
# indicator → (numerator, denominator) per county; availability in minutes of a 30-day month
MANUAL: dict[str, list[tuple[float, float | None]]] = {
    "core_system_availability": [(43188, 43200), (43200, 43200), (43140, 43200), (43195, 43200)],
    "server_availability": [(86370, 86400), (86400, 86400), (86310, 86400), (86400, 86400)],
    "call_connect_rate": [(412, 430), (298, 305), (350, 381), (205, 214)],
    "patch_compliance": [(118, 124), (96, 97), (140, 158), (77, 80)],
    "weak_passwords": [(2, None), (0, None), (5, None), (1, None)],
}


def _actor(store: Store, username: str) -> Actor:
    with store.read() as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None, username
        return Actor(user.id, user.username, user.org_path, tuple(user.roles or ()))


def _work_rows(owner: str, exact: bool = False) -> Callable[[Synced], bool]:
    def predicate(row: Synced) -> bool:
        table = getattr(row, "__tablename__", "")
        return table in WORK_TABLES and (row.owner_path == owner if exact else row.owner_path.startswith(owner))
    return predicate


def add_work_demo(hq: Store, province: Store) -> None:
    from shared.demo import replicate_rows  # shared.demo calls this module: import late

    hq_admin = _actor(hq, "hq_admin")
    with hq.write(hq_admin.user_id) as cs:
        parent = tasks.issue_task(
            cs, hq_admin, "2026 年冬季网络安全专项自查", utcnow() + timedelta(days=12), ["/HQ/GD/"],
            content="各单位对互联网出口、弱口令、补丁和终端防病毒开展自查，并反馈自查报告与整改清单。",
            source="inspection", deliverables=["自查报告", "整改清单"])
    replicate_rows(hq, province, _work_rows("/HQ/", exact=True))
    gd_admin = _actor(province, "gd_admin")
    month = current_month()
    with province.write(gd_admin.user_id) as cs:
        tasks.accept_task(cs, gd_admin, parent["id"])
        child = tasks.issue_task(cs, gd_admin, "县区局网络安全自查", utcnow() + timedelta(days=8), list(COUNTIES),
                                 content="按总部要求完成自查，8 日内反馈。", source="notice",
                                 deliverables=["自查报告"], parent_id=parent["id"])
        tasks.report_progress(cs, gd_admin, parent["id"], 30, "已分解至各县区局")
        tasks.urge_task(cs, gd_admin, child["id"], ["/HQ/GD/GZ/PY/"], "请番禺供电局尽快启动自查")
        tasks.submit_task(cs, gd_admin, child["id"], "已完成自查，未发现高危问题",
                          {"自查报告": "福田供电局网络安全自查报告.docx"}, org_path="/HQ/GD/SZ/FT/")
        tasks.report_progress(cs, gd_admin, child["id"], 60, "弱口令已整改 2 个", org_path="/HQ/GD/SZ/LH/")
        for code, figures in MANUAL.items():
            for county, (num, den) in zip(COUNTIES, figures, strict=True):
                kpi.set_manual_entry(cs, gd_admin, county, month, code, num, den, "监控系统月度导出")
        found = max(utcnow() - timedelta(days=3), parse_period(month).start + timedelta(hours=10))
        event = security_events.record_event(
            cs, gd_admin, "龙华供电局办公终端感染挖矿木马", "malware", 4, found, ["办公终端 LH-PC-0231"],
            "隔离终端、查杀病毒、排查同网段终端", owner_path="/HQ/GD/SZ/LH/")
        security_events.report_stage(cs, gd_admin, event["id"], "first", "已隔离终端并查杀，未扩散。",
                                     at=found + timedelta(hours=6))
        reports.draft_report(cs, gd_admin, "operations", month)
    replicate_rows(province, hq, _work_rows("/HQ/GD/"))
