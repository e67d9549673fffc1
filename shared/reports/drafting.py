"""Draft the sections of a report from the data of one org subtree and period.

A report's content is a list of sections, each ``{"code", "title", "paragraphs": [...], "tables":
[{"title", "columns", "rows"}]}`` — plain data that the PDF renderer, the desktop and the CLI all show
the same way. Figures come from the KPI engine (so a report and the KPI tree never disagree) and from
direct counts over tickets, forms and security events.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.kpi.calculators import sla_available
from shared.kpi.catalogue import Catalogue, load_catalogue
from shared.kpi.engine import evaluate, flat_indicators
from shared.kpi.period import Period, parse_period
from shared.models.catalog import CatalogEntry
from shared.models.forms import FormRecord
from shared.models.tickets import Ticket
from shared.models.work import SecurityEvent
from shared.reports.grading import categories, grade_label, report_clocks
from shared.sync.scope import ancestors

KINDS = {"operations": ("运维报告", "Operations report"), "security": ("信息安全报告", "Security report"),
         "service": ("服务报告", "Service report")}
PRIORITIES = ("P1", "P2", "P3", "P4")
Section = dict[str, Any]


def pct(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}%"


def num(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.{digits}f}"


def _section(code: str, title: str, paragraphs: list[str] | None = None,
             tables: list[dict[str, Any]] | None = None) -> Section:
    return {"code": code, "title": title, "paragraphs": paragraphs or [], "tables": tables or []}


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    return {"title": title, "columns": columns, "rows": [[("" if c is None else str(c)) for c in r] for r in rows]}


def _ind_value(inds: dict[str, dict[str, Any]], code: str) -> str:
    ind = inds[code]
    if ind["value"] is None:
        return "—"
    return pct(ind["value"]) if ind["unit"] == "%" else f"{num(ind['value'])} {ind['unit']}"


def _indicator_rows(inds: dict[str, dict[str, Any]], codes: list[str]) -> list[list[Any]]:
    rows = []
    for code in codes:
        ind = inds[code]
        unit = "%" if ind["unit"] == "%" else " " + ind["unit"]
        target = ("≥" if ind["direction"] == "higher" else "≤") + num(ind["target"]) + unit
        frac = "" if ind["denominator"] in (None, 0) or ind["kind"] == "count" else \
            f"{num(ind['numerator'])}/{num(ind['denominator'])}"
        rows.append([ind["name"], _ind_value(inds, code), frac, target, num(ind["score"], 1)])
    return rows


INDICATOR_COLUMNS = ["指标", "本期值", "分子/分母", "目标", "得分"]


def _tickets(session: Session, org: str, period: Period, process: str, column: str = "opened_at") -> list[Ticket]:
    col = getattr(Ticket, column)
    return list(session.scalars(select(Ticket).where(
        Ticket.owner_path.startswith(org), Ticket.deleted.is_(False), Ticket.process == process,
        col >= period.start, col < period.end)))


def _kpi_sections(tree: dict[str, Any], only: str | None = None) -> list[Section]:
    rows = []
    for cat in tree["categories"]:
        if only and cat["name"] != only:
            continue
        rows.append([cat["name"], "", num(cat["score"], 1)])
        for l1 in cat["children"]:
            rows.append(["", l1["name"], num(l1["score"], 1)])
    sections = [_section("kpi", "指标得分", [f"综合得分 {num(tree['score'], 1)}。" if not only else ""],
                         [_table("类别与一级指标得分", ["类别", "一级指标", "得分"], rows)])]
    if tree.get("units"):
        names = list(tree["units"][0]["categories"])
        sections.append(_section("units", "下级单位", [], [_table(
            "下级单位得分", ["单位", "综合", *names],
            [[u["name"], num(u["score"], 1), *(num(u["categories"][n], 1) for n in names)] for u in tree["units"]])]))
    return sections


# -- operations report --------------------------------------------------------------------------------------

def _incident_sections(session: Session, org: str, period: Period, inds: dict[str, Any]) -> list[Section]:
    opened = _tickets(session, org, period, "incident")
    resolved = _tickets(session, org, period, "incident", "resolved_at")
    by_pri = Counter(t.priority for t in opened)
    res_pri = Counter(t.priority for t in resolved)
    still_open = Counter(t.priority for t in opened if t.resolved_at is None or t.resolved_at >= period.end)
    pri_rows = [[p, by_pri[p], res_pri[p], still_open[p]] for p in PRIORITIES]
    pri_rows.append(["合计", len(opened), len(resolved), sum(still_open.values())])
    cats = Counter(t.category or "未分类" for t in opened).most_common(10)
    text = (f"本期新受理事件 {len(opened)} 件，其中 P1 {by_pri['P1']} 件、P2 {by_pri['P2']} 件；"
            f"解决 {len(resolved)} 件，"
            f"响应及时率 {_ind_value(inds, 'response_on_time')}，解决及时率 {_ind_value(inds, 'resolution_on_time')}，"
            f"平均解决时长 {_ind_value(inds, 'mean_resolution_hours')}，一线解决率 "
            f"{_ind_value(inds, 'first_line_resolution')}。")
    if not sla_available():
        text += "（SLA 计时模块不可用，时效指标未计算。）"
    return [
        _section("incidents", "事件处理情况", [text], [
            _table("按优先级", ["优先级", "新受理", "已解决", "期末未解决"], pri_rows),
            _table("按类别 (前 10)", ["类别", "件数"], [[c, n] for c, n in cats])]),
        _section("sla", "服务级别达成", [], [_table("时效与质量指标", INDICATOR_COLUMNS, _indicator_rows(inds, [
            "response_on_time", "resolution_on_time", "mean_resolution_hours", "request_on_time", "reopen_rate",
            "misroute_rate", "survey_rate", "satisfaction_rate"]))]),
    ]


def _change_section(session: Session, org: str, period: Period, inds: dict[str, Any]) -> Section:
    opened = _tickets(session, org, period, "change")
    types = Counter((t.data or {}).get("change_type") or "normal" for t in opened)
    labels = {"standard": "标准变更", "normal": "正常变更", "emergency": "紧急变更"}
    rows = [[labels.get(k, k), types.get(k, 0)] for k in ("standard", "normal", "emergency")]
    impl = inds["change_success"]
    text = (f"本期提出变更 {len(opened)} 项；实施并评审 {num(impl['denominator'] or 0)} 项，"
            f"变更成功率 {_ind_value(inds, 'change_success')}，"
            f"紧急变更占比 {_ind_value(inds, 'emergency_change_ratio')}。")
    return _section("changes", "变更与发布", [text], [
        _table("按变更类型", ["类型", "项数"], rows),
        _table("变更与发布指标", INDICATOR_COLUMNS, _indicator_rows(inds, [
            "change_success", "emergency_change_ratio", "change_caused_incidents", "release_first_time_success"]))])


def _forms_section(session: Session, org: str, period: Period, inds: dict[str, Any], catalogue: Catalogue) -> Section:
    forms = list(session.scalars(select(FormRecord).where(
        FormRecord.owner_path.startswith(org), FormRecord.deleted.is_(False),
        FormRecord.planned_at >= period.start, FormRecord.planned_at < period.end)))
    normal = set(catalogue.normal_conclusions)
    per: dict[str, list[FormRecord]] = {}
    for f in forms:
        per.setdefault(f.template_code, []).append(f)
    rows = []
    for code in sorted(per):
        group = per[code]
        done = [f for f in group if f.state in ("completed", "reviewed")]
        rows.append([code, len(group), len(done), sum(1 for f in done if f.conclusion not in normal)])
    text = (f"本期计划作业表单 {len(forms)} 份，巡检完成率 {_ind_value(inds, 'inspection_completion')}，"
            f"计划完成率 {_ind_value(inds, 'plan_completion')}，备份成功率 {_ind_value(inds, 'backup_success')}。")
    return _section("inspections", "巡检与计划执行", [text], [
        _table("作业表单 (按模板)", ["模板", "计划", "已完成", "有异常"], rows),
        _table("计划执行指标", INDICATOR_COLUMNS, _indicator_rows(inds, [
            "inspection_completion", "plan_completion", "backup_success", "restore_test_success"]))])


def _availability_section(inds: dict[str, Any]) -> Section:
    codes = ["core_system_availability", "server_availability", "database_availability", "link_availability",
             "unplanned_outages", "hardware_failures", "resource_over_threshold"]
    missing = [inds[c]["name"] for c in codes if inds[c]["manual"] and inds[c]["value"] is None]
    text = "可用率来自监控系统的人工录入数据。" + (f"本期未录入: {'、'.join(missing)}。" if missing else "")
    return _section("availability", "系统可用性与基础设施", [text],
                    [_table("可用性指标", INDICATOR_COLUMNS, _indicator_rows(inds, codes))])


def _problem_section(session: Session, org: str, period: Period) -> Section:
    problems = list(session.scalars(select(Ticket).where(
        Ticket.owner_path.startswith(org), Ticket.deleted.is_(False), Ticket.process == "problem",
        Ticket.opened_at < period.end)))
    problems = [p for p in problems if p.closed_at is None or p.closed_at >= period.start]
    links = Counter(pid for pid in session.scalars(select(Ticket.parent_id).where(
        Ticket.process == "incident", Ticket.deleted.is_(False),
        Ticket.parent_id.in_([p.id for p in problems] or [""]))))
    ranked = sorted(problems, key=lambda p: (-links[p.id], p.opened_at or period.start, p.number))[:5]
    rows = [[p.number, p.title, p.state, links[p.id]] for p in ranked]
    return _section("problems", "主要问题", [f"本期在办问题 {len(problems)} 个，按关联事件数列出前 5 个。"],
                    [_table("主要问题", ["编号", "标题", "状态", "关联事件"], rows)])


def draft_operations(session: Session, org: str, period_code: str) -> list[Section]:
    catalogue = load_catalogue()
    period = parse_period(period_code)
    tree = evaluate(session, org, period.code, catalogue)
    inds = flat_indicators(tree)
    overview = _section("overview", "总体情况", [
        f"{tree['org_name']} {period.code} 运维综合得分 {num(tree['score'], 1)}"
        + "".join(f"，{c['name']} {num(c['score'], 1)}" for c in tree["categories"]) + "。"])
    return [overview, *_incident_sections(session, org, period, inds), _change_section(session, org, period, inds),
            _availability_section(inds), _forms_section(session, org, period, inds, catalogue),
            _problem_section(session, org, period), *_kpi_sections(tree)]


# -- security report ----------------------------------------------------------------------------------------

def draft_security(session: Session, org: str, period_code: str, now: datetime) -> list[Section]:
    period = parse_period(period_code)
    tree = evaluate(session, org, period.code)
    inds = flat_indicators(tree)
    events = list(session.scalars(select(SecurityEvent).where(
        SecurityEvent.owner_path.startswith(org), SecurityEvent.deleted.is_(False),
        SecurityEvent.discovered_at >= period.start, SecurityEvent.discovered_at < period.end)
        .order_by(SecurityEvent.discovered_at)))
    by_grade = Counter(e.grade for e in events)
    cats = categories()
    by_cat = Counter(cats[e.category]["zh"] for e in events)
    event_rows = []
    for e in events:
        first = report_clocks(e.grade, e.discovered_at, e.first_report_at, e.final_report_at, now)[0]
        event_rows.append([e.number, e.title, grade_label(e.grade), cats[e.category]["zh"],
                           {"met": "按时", "breached": "超时", "running": "计时中"}[first.status]])
    text = (f"本期发生网络安全事件 {len(events)} 件"
            + "".join(f"，{grade_label(g)} {by_grade[g]} 件" for g in (1, 2, 3, 4) if by_grade[g])
            + f"；安全事件按时上报率 {_ind_value(inds, 'security_report_on_time')}。")
    checks = list(session.scalars(select(FormRecord).where(
        FormRecord.owner_path.startswith(org), FormRecord.deleted.is_(False), FormRecord.template_code == "SOP-10",
        FormRecord.planned_at >= period.start, FormRecord.planned_at < period.end)))
    done = [f for f in checks if f.state in ("completed", "reviewed")]
    abnormal = [f for f in done if f.conclusion not in load_catalogue().normal_conclusions]
    return [
        _section("overview", "安全态势概述", [text]),
        _section("events", "安全事件", [], [
            _table("按级别", ["级别", "件数"], [[grade_label(g), by_grade[g]] for g in (1, 2, 3, 4)]),
            _table("按类别", ["类别", "件数"], [[c, n] for c, n in by_cat.most_common()]),
            _table("事件清单", ["编号", "事件", "级别", "类别", "首报"], event_rows)]),
        _section("vulnerabilities", "漏洞与补丁", ["漏洞、补丁与口令数据来自扫描与补丁系统的人工录入。"], [
            _table("漏洞与补丁指标", INDICATOR_COLUMNS, _indicator_rows(inds, [
                "high_vuln_fix_rate", "vuln_mean_fix_days", "patch_compliance", "weak_passwords",
                "idle_account_cleanup"]))]),
        _section("checks", "安全检查与整改", [
            f"本期计划安全检查 (SOP-10) {len(checks)} 次，完成 {len(done)} 次，发现异常 {len(abnormal)} 次。"], [
            _table("检查与整改指标", INDICATOR_COLUMNS, _indicator_rows(inds, [
                "check_rectification", "baseline_compliance", "grading_assessment_on_time",
                "endpoint_registration", "antivirus_installed", "policy_violations"]))]),
        *_kpi_sections(tree, only="安全"),
    ]


# -- service report -------------------------------------------------------------------------------------------

def _services(session: Session, org: str) -> dict[str, str]:
    rows = session.scalars(select(CatalogEntry).where(
        CatalogEntry.kind == "service", CatalogEntry.deleted.is_(False),
        CatalogEntry.owner_path.in_([*ancestors(org), org]) | CatalogEntry.owner_path.startswith(org)))
    return {r.code: r.name for r in rows}


def _service_rows(session: Session, tickets: list[Ticket], period: Period, key: Callable[[Ticket], str],
                  names: dict[str, str], satisfied: set[int]) -> list[list[Any]]:
    from shared.kpi.calculators import ticket_clock

    groups: dict[str, list[Ticket]] = {code: [] for code in names}
    for t in tickets:
        groups.setdefault(key(t) or "", []).append(t)
    minutes = (period.end - period.start).total_seconds() / 60
    now = min(period.end, datetime.now(period.end.tzinfo))
    rows = []
    for code, group in sorted(groups.items()):
        if not code:
            continue
        met = due = 0
        if sla_available():
            for t in group:
                clock = ticket_clock(session, t, "resolution", now) if t.resolved_at else None
                if clock is not None and (clock.breached or clock.status == "met"):
                    due += 1
                    met += 0 if clock.breached else 1
        outage = sum(((t.resolved_at or period.end) - max(t.opened_at or period.start, period.start))
                     .total_seconds() / 60 for t in group if t.priority == "P1" and t.process == "incident")
        surveyed = [int(t.data["satisfaction"]) for t in group if (t.data or {}).get("satisfaction") not in (None, "")]
        rows.append([names.get(code, code), len(group), pct(100 * met / due if due else None),
                     pct(100 * (minutes - outage) / minutes, 3),
                     pct(100 * sum(1 for s in surveyed if s in satisfied) / len(surveyed) if surveyed else None)])
    return rows


def draft_service(session: Session, org: str, period_code: str, service: str = "") -> list[Section]:
    period = parse_period(period_code)
    catalogue = load_catalogue()
    tickets = [t for proc in ("incident", "request") for t in _tickets(session, org, period, proc)]
    if service:
        tickets = [t for t in tickets if (t.data or {}).get("service") == service]
    services = _services(session, org)
    if service:
        services = {service: services.get(service, service)}
    columns = ["名称", "工单", "SLA 达成率", "可用率", "满意率"]
    satisfied = set(catalogue.satisfied_values)
    by_service = _service_rows(session, tickets, period, lambda t: str((t.data or {}).get("service") or ""),
                               services, satisfied)
    units = {r.code: r.name for r in session.scalars(select(CatalogEntry).where(
        CatalogEntry.kind == "business_unit", CatalogEntry.deleted.is_(False)))}
    by_unit = _service_rows(session, tickets, period, lambda t: str((t.data or {}).get("business_unit") or ""),
                            units, satisfied)
    tree = evaluate(session, org, period.code, catalogue, breakdown=False)
    inds = flat_indicators(tree)
    return [
        _section("overview", "服务概况", [
            f"本期服务工单 {len(tickets)} 件 (事件与服务请求)；解决及时率 {_ind_value(inds, 'resolution_on_time')}，"
            f"满意率 {_ind_value(inds, 'satisfaction_rate')}。可用率 = (统计期时长 − P1 事件中断时长) / 统计期时长。"]),
        _section("services", "按服务", [], [_table("按服务", columns, by_service)]),
        _section("business_units", "按业务部门", [], [_table("按业务部门", columns, by_unit)]),
        _section("sla", "服务级别指标", [], [_table("服务指标", INDICATOR_COLUMNS, _indicator_rows(inds, [
            "response_on_time", "resolution_on_time", "request_on_time", "survey_rate", "satisfaction_rate",
            "complaint_reply_on_time"]))]),
    ]


def draft(session: Session, kind: str, org: str, period_code: str, now: datetime,
          scope_code: str = "") -> list[Section]:
    if kind == "operations":
        return draft_operations(session, org, period_code)
    if kind == "security":
        return draft_security(session, org, period_code, now)
    if kind == "service":
        return draft_service(session, org, period_code, scope_code)
    raise ValueError(f"report kind must be one of {', '.join(KINDS)}")


