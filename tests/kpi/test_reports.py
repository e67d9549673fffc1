"""Reports drafted from the data, their workflow, PDFs (pdftotext / pdffonts), security-event clocks, and a
province report that goes up to HQ through real sync and comes back approved."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from shared.db.types import utcnow
from shared.kpi.period import current_month
from shared.models import CatalogEntry
from shared.pdf.reports import render_report
from shared.services import reports, security_events, tickets
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid
from shared.store import Store
from tests.kpi.dataset import GD, LH, PERIOD, _line1, _ticket, at, build
from tests.sync.tree import actor, add_county_store, make_tree


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Actor]]:
    store, admin = build(tmp_path_factory.mktemp("reports") / "gd")
    with store.write(admin.user_id) as cs:
        cs.create(CatalogEntry, GD, {"kind": "service", "code": "ERP", "name": "ERP 系统", "data": {}})
        _ticket(cs, LH, "incident", "INC-ERP-1", _line1(at("11-14", 1), at("11-14", 3)), state="resolved",
                priority="P1", opened_at=at("11-14", 1),
                resolved_at=at("11-14", 3), data={"service": "ERP", "satisfaction": 2})
        _ticket(cs, LH, "request", "REQ-ERP-1", [], state="closed", priority="P4", opened_at=at("11-15", 1),
                data={"service": "ERP", "satisfaction": 4})
    yield store, admin
    store.close()


def _section(report: dict, code: str) -> dict:
    return next(s for s in report["sections"] if s["code"] == code)


def _pdf_text(report: dict, path: Path) -> str:
    render_report(report, path)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    embedded = [line.split()[-5] for line in fonts.splitlines()[2:]]
    assert embedded and set(embedded) == {"yes"}, fonts  # every font embedded (no Helvetica left behind)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_operations_report_drafts_itself_and_prints(data: tuple[Store, Actor], tmp_path: Path) -> None:
    store, admin = data
    with store.write(admin.user_id) as cs:
        report = reports.draft_report(cs, admin, "operations", PERIOD)
    assert report["title"] == "广东 2026-11 运维报告" and report["status"] == "draft"
    by_priority = _section(report, "incidents")["tables"][0]["rows"]
    assert by_priority[0] == ["P1", "3", "2", "1"]  # INC-1, INC-6, INC-ERP-1 opened; INC-6 still open
    assert "解决及时率 83.33%" in _section(report, "incidents")["paragraphs"][0]  # INC-ERP-1 met its 4 h
    changes = _section(report, "changes")
    assert "变更成功率 50.00%" in changes["paragraphs"][0]
    forms = _section(report, "inspections")["tables"][0]["rows"]
    assert forms == [["SOP-06", "3", "2", "0"], ["SOP-08", "2", "2", "1"]]
    text = _pdf_text(report, tmp_path / "ops.pdf")
    for expected in ("广东 2026-11 运维报告", "事件处理情况", "响应及时率", "变更成功率", "巡检与计划执行", "分析结论"):
        assert expected in text, expected


def test_report_workflow(data: tuple[Store, Actor]) -> None:
    store, admin = data
    with store.write(admin.user_id) as cs:
        report = reports.draft_report(cs, admin, "security", PERIOD)
        with pytest.raises(Invalid, match="本级审核"):
            reports.submit_report(cs, admin, report["id"])
        with pytest.raises(Invalid, match="analysis"):
            reports.review_report(cs, admin, report["id"])
        reports.edit_report(cs, admin, report["id"], analysis="态势平稳", suggestions="加强补丁管理")
        reports.review_report(cs, admin, report["id"])
        submitted = reports.submit_report(cs, admin, report["id"])
        assert submitted["status"] == "submitted"
        assert submitted["due_at"] == "2026-12-05T16:00:00Z" or submitted["due_at"].startswith("2026-12-05T16:00")
        assert submitted["on_time"] is (utcnow() <= at("12-05", 16))
        with pytest.raises(Invalid, match="no longer"):
            reports.draft_report(cs, admin, "security", PERIOD)
        with pytest.raises(Forbidden):  # a unit does not approve its own report
            reports.judge_report(cs, admin, report["id"], approve=True)
    overview = _section(submitted, "overview")["paragraphs"][0]
    assert "网络安全事件 3 件" in overview and "按时上报率 33.33%" in overview


def test_service_report_per_service(data: tuple[Store, Actor], tmp_path: Path) -> None:
    store, admin = data
    with store.write(admin.user_id) as cs:
        report = reports.draft_report(cs, admin, "service", PERIOD)
    (erp,) = _section(report, "services")["tables"][0]["rows"]
    # 2 tickets; the P1 was resolved in 2 h of its 4 h; 120 min outage of 43 200; 1 of 2 satisfied
    assert erp == ["ERP 系统", "2", "100.00%", f"{100 * (43200 - 120) / 43200:.3f}%", "50.00%"]
    text = _pdf_text(report, tmp_path / "svc.pdf")
    assert "ERP 系统" in text and "服务报告" in text


def test_security_event_clocks_and_stages(data: tuple[Store, Actor]) -> None:
    store, admin = data
    now = utcnow()
    with store.write(admin.user_id) as cs:
        grave = security_events.record_event(cs, admin, "勒索病毒", "malware", 1, now - timedelta(hours=2))
        minor = security_events.record_event(cs, admin, "弱口令", "hazard", 4, now - timedelta(hours=2))
        with pytest.raises(Invalid, match="首报"):
            security_events.report_stage(cs, admin, minor["id"], "final", "终报")
        with pytest.raises(Invalid, match="category"):
            security_events.record_event(cs, admin, "x", "nonsense", 4, now)
        done = security_events.report_stage(cs, admin, minor["id"], "first", "已整改")
    with store.read() as s:
        g = security_events.get_event(s, admin, grave["id"])
        assert g["grade_label"] == "特别重大(Ⅰ级)" and g["clocks"][0]["status"] == "breached"  # 1 h deadline
        assert done["clocks"][0]["status"] == "met" and done["state"] == "reported"
        assert security_events.get_event(s, admin, minor["id"])["clocks"][1]["status"] == "running"  # 15 days


def test_province_report_goes_up_to_hq_and_comes_back_approved(tmp_path: Path) -> None:
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    county = add_county_store(tree, "lh", "gd", "lh_tech")
    tech = actor(county, "lh_tech")
    with county.write(tech.user_id) as cs:
        tickets.create_ticket(cs, tech, "incident", "营销系统无法登录", {"impact": 1, "urgency": 1})
    tree.drain()
    gd = tree.provinces["gd"]
    admin = actor(gd, "gd_admin")
    period = current_month()
    with gd.write(admin.user_id) as cs:
        report = reports.draft_report(cs, admin, "operations", period)
        reports.edit_report(cs, admin, report["id"], analysis="本月发生 P1 事件 1 件。")
        reports.review_report(cs, admin, report["id"])
        reports.submit_report(cs, admin, report["id"])
    assert _section(report, "incidents")["tables"][0]["rows"][0] == ["P1", "1", "0", "1"]
    tree.drain()
    hq = Actor(None, "hq", "/HQ/", ("admin",))
    with tree.hq.read() as s:
        at_hq = reports.get_report(s, hq, report["id"])
        assert at_hq["status"] == "submitted" and at_hq["sections"] == report["sections"]
    with tree.hq.write() as cs:
        reports.judge_report(cs, hq, report["id"], approve=True, comment="同意")
    tree.drain()
    with gd.write(admin.user_id) as cs:
        assert reports.get_report(cs.session, admin, report["id"])["status"] == "approved"
        assert reports.archive_report(cs, admin, report["id"])["status"] == "archived"
