"""Demo content of the service processes: the service catalogue, SLA targets, suppliers and
contracts, business units, capacity readings, and tickets of every process walked along realistic
paths — each action by a person whose role allows it, at a believable time, so the SLA clocks,
the dispatcher's board and the history read like four weeks of a real county's work."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from shared.db.types import utcnow
from shared.processes.engine import process
from shared.services import capacity, catalog, links, tickets
from shared.services.actor import Actor
from shared.store import Store

if TYPE_CHECKING:
    from shared.demo import World

# title, category, CI class (or "" for none), service, description, solution
INCIDENTS = (
    ("打印机卡纸", "外设", "printer", "",
     "营业厅打印机频繁卡纸，无法打印业务受理单。", "清理搓纸轮并更换分离垫，打印恢复正常。"),
    ("打印机脱机无法打印", "外设", "printer", "",
     "财务室打印机显示脱机，打印任务堆积。", "重启打印服务并重新添加网络打印机端口。"),
    ("OA系统登录缓慢", "应用", "", "OA协同办公系统",
     "早上8点半登录OA需要2分钟以上。", "清理浏览器缓存，OA服务器扩容会话池。"),
    ("营销系统数据库连接超时", "应用", "", "营销管理系统",
     "营业厅收费时提示数据库连接超时。", "数据库连接池参数调整后恢复。"),
    ("电脑频繁蓝屏重启", "硬件", "terminal", "",
     "办公电脑每天蓝屏2-3次，错误代码0x0000007E。", "更换内存条后测试正常。"),
    ("信息内网无法访问", "网络", "terminal", "",
     "三楼多台电脑无法访问信息内网。", "接入交换机端口故障，已更换端口。"),
    ("邮箱无法收发邮件", "应用", "", "邮件系统", "Foxmail提示服务器连接失败。", "重新配置客户端SSL端口。"),
    ("ERP系统报表导出失败", "应用", "", "ERP系统",
     "导出月度物资报表时提示内存不足。", "分批导出，并提交问题单跟踪。"),
    ("防病毒客户端病毒库未更新", "安全", "terminal", "",
     "终端防病毒软件病毒库停留在上月版本。", "修复升级服务器地址配置，病毒库已更新。"),
    ("桌面终端管理客户端离线", "安全", "terminal", "",
     "桌面终端管理系统显示终端离线超过7天。", "重新安装客户端并完成注册。"),
    ("显示器黑屏无信号", "硬件", "terminal", "", "开机后显示器提示无信号。", "更换视频线后恢复。"),
    ("营业厅排队叫号机故障", "硬件", "terminal", "", "叫号机无法出票，影响营业厅秩序。", "更换热敏打印头。"),
    ("视频会议终端无声音", "外设", "", "", "会议室视频终端对端听不到声音。", "麦克风接口松动，重新固定。"),
    ("机房UPS告警：蓄电池电压低", "机房", "ups", "",
     "动环监控报UPS蓄电池组电压偏低。", "更换2节失效蓄电池，告警消除。"),
    ("机房精密空调高温告警", "机房", "crac", "",
     "机房温度升至27℃，空调高压告警。", "清洗冷凝器，温度恢复至23℃。"),
    ("核心交换机端口频繁up/down", "网络", "network", "",
     "核心交换机上联端口每小时抖动数次。", "更换光模块后稳定。"),
    ("财务管控系统凭证打印错位", "应用", "", "财务管控系统", "凭证打印内容整体下移。", "调整打印模板边距。"),
    ("域账号被锁定无法登录", "账号权限", "terminal", "",
     "用户多次输错口令后账号被锁定。", "解锁账号并指导用户修改口令。"),
    ("电脑开机速度很慢", "软件", "terminal", "", "开机需要5分钟以上。", "关闭多余启动项并更换固态硬盘。"),
    ("扫描仪无法识别", "外设", "", "", "高拍仪连接后系统无法识别。", "重新安装驱动程序。"),
)
REQUESTS = (
    ("新员工账号开通", "账号权限", "为新入职员工开通域账号、邮箱及OA权限。", "账号已开通并告知初始口令。"),
    ("申请安装CAD软件", "软件", "设计人员需安装正版CAD软件。", "已安装并激活。"),
    ("口令重置", "账号权限", "营销系统口令遗忘，申请重置。", "口令已重置。"),
    ("申请领用笔记本电脑", "硬件", "出差人员申请领用笔记本电脑一台。", "已发放并登记资产。"),
    ("申请IP地址及网络接入", "网络", "新增会议室需接入信息内网。", "已分配IP并开通端口。"),
    ("邮箱容量扩容申请", "应用", "邮箱容量不足，申请扩容至10GB。", "已扩容。"),
    ("营销系统数据提取申请", "应用", "提取上季度低压用户电费明细。", "数据已按审批范围提取。"),
    ("机房进入申请", "机房", "厂商工程师需进入机房更换硬盘。", "已登记并陪同进入。"),
    ("VPN远程接入权限开通", "账号权限", "值班人员申请开通VPN远程接入。", "已开通并绑定令牌。"),
    ("打印机硒鼓更换", "外设", "打印机提示碳粉不足。", "已更换硒鼓。"),
)
PROBLEMS = (
    ("营销系统高峰期数据库连接池耗尽", "应用",
     "月初抄表高峰期多次出现连接超时。", "连接池上限过低且存在连接泄漏。"),
    ("同批次终端硬盘故障率偏高", "硬件", "2019年采购批次终端硬盘故障集中。", "该批次硬盘固件缺陷。"),
    ("OA系统附件上传间歇性失败", "应用", "大于20MB的附件上传偶发失败。", "反向代理请求体大小限制。"),
    ("核心交换机固件缺陷导致端口抖动", "网络",
     "多个单位核心交换机出现同类端口抖动。", "固件版本缺陷，需升级。"),
)
CHANGES = (  # title, category, change type
    ("营销系统数据库补丁升级", "软件", "normal"),
    ("核心交换机固件升级", "网络", "normal"),
    ("OA系统版本升级", "应用", "normal"),
    ("机房UPS蓄电池更换", "机房设施", "standard"),
    ("防火墙访问控制策略调整", "网络", "emergency"),
    ("服务器内存扩容", "硬件", "standard"),
)


# request title → catalogue item code
REQUEST_ITEMS = {"新员工账号开通": "ACCOUNT", "申请安装CAD软件": "SOFTWARE", "口令重置": "PASSWORD",
                 "申请领用笔记本电脑": "TERMINAL", "申请IP地址及网络接入": "NETWORK", "邮箱容量扩容申请": "MAILBOX",
                 "营销系统数据提取申请": "DATA", "机房进入申请": "ROOM", "VPN远程接入权限开通": "VPN",
                 "打印机硒鼓更换": "CONSUMABLE"}
# code, name, English name, fulfilment minutes (business hours), needs approval
CATALOGUE_ITEMS = (
    ("PASSWORD", "口令重置", "Password reset", 30, False),
    ("ACCOUNT", "账号开通与权限变更", "Account and permissions", 450, False),
    ("SOFTWARE", "软件安装", "Software installation", 900, False),
    ("TERMINAL", "新终端领用", "New computer", 2250, True),
    ("NETWORK", "网络接入与IP申请", "Network access / IP address", 900, False),
    ("MAILBOX", "邮箱扩容", "Mailbox quota", 450, False),
    ("DATA", "数据提取", "Data extraction", 1350, True),
    ("ROOM", "机房进入申请", "Machine-room access", 120, True),
    ("VPN", "VPN远程接入", "VPN access", 450, True),
    ("CONSUMABLE", "耗材更换", "Consumables", 450, False),
)
BUSINESS_UNITS = (("YXB", "市场营销部", ["营销管理系统", "统一门户"]), ("CWB", "财务部", ["财务管控系统", "ERP系统"]),
                  ("BGS", "办公室", ["OA协同办公系统", "邮件系统", "电子档案系统"]),
                  ("DDZX", "电力调度控制中心", ["生产管理系统(PMS)", "OA协同办公系统"]))
SUPPLIERS = (("HW", "华为技术有限公司", "服务器、网络设备维保", "A"), ("LX", "联想(北京)有限公司", "终端维保", "B"),
             ("DM", "武汉达梦数据库股份有限公司", "数据库技术支持", "A"))
RESOLUTION_CODES = ("external", "bugfix", "hardware", "patch", "update", "training", "other")
PENDING_REASONS = ("user", "parts", "vendor")
ORIGINS = ("phone", "phone", "portal", "mail", "monitoring", "in_person", "chat")

# (weight, actions): each path ends in a different state
PATHS: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {
    "incident": (
        (2, ()), (3, ("accept",)), (1, ("accept", "request_dispatch")), (3, ("accept", "dispatch")),
        (2, ("accept", "dispatch", "escalate")), (2, ("accept", "dispatch", "pend")),
        (3, ("accept", "resolve")), (2, ("accept", "dispatch", "resolve", "survey")),
        (4, ("accept", "dispatch", "resolve", "survey", "close")), (3, ("accept", "resolve", "survey", "close")),
    ),
    "request": (
        (2, ()), (2, ("assign",)), (1, ("assign", "pend")), (2, ("assign", "resolve")),
        (3, ("assign", "resolve", "close")),
    ),
    "request_approval": (
        (2, ("submit_approval",)), (1, ("submit_approval", "approve")), (1, ("submit_approval", "reject")),
        (3, ("submit_approval", "approve", "assign", "resolve", "close")),
    ),
    "problem": (
        (1, ()), (2, ("analyse",)), (2, ("analyse", "known_error")), (1, ("analyse", "request_change")),
        (1, ("analyse", "resolve")), (1, ("analyse", "known_error", "resolve", "close")),
    ),
    "change_normal": (
        (1, ()), (1, ("assess",)), (1, ("assess", "submit_cab")), (2, ("assess", "submit_cab", "approve")),
        (2, ("assess", "submit_cab", "approve", "implement", "review", "close")), (1, ("cancel",)),
    ),
    "change_standard": ((1, ("schedule",)), (1, ("schedule", "implement")), (1, ("schedule", "implement", "review")),
                        (2, ("schedule", "implement", "review", "close"))),
    "change_emergency": ((1, ("submit_ecab", "approve", "implement", "review", "close")),
                         (1, ("submit_ecab", "approve", "implement"))),
}
LINE3_ACTIONS = ("escalate",)
TEAM_ACTIONS = ("dispatch", "assign")


@dataclass
class TicketPlan:
    process: str
    org_path: str
    title: str
    fields: dict[str, Any]
    actions: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)  # solution, root cause …


# -- the catalogue ---------------------------------------------------------------------------------------
def add_catalogue(province: Store, world: World) -> None:
    from shared.demo import BUSINESS_SYSTEMS, PROVINCE_PATH

    admin = world.actor("gd_admin")
    today = utcnow().date()
    with province.write(admin.user_id) as cs:
        for name, code, _db in BUSINESS_SYSTEMS:
            core = code in ("YX", "ERP", "CW", "PMS")
            catalog.create_entry(cs, admin, "service", name, name, {
                "criticality": "core" if core else "important", "availability_target": 99.9 if core else 99.5,
                "hours": "24x7" if core else "5x8"}, owner_path=PROVINCE_PATH)
        for code, name, name_en, minutes, approval in CATALOGUE_ITEMS:
            catalog.create_entry(cs, admin, "catalog_item", code, name, {
                "fulfilment_minutes": minutes, "approval_required": approval, "calendar": "CN"},
                owner_path=PROVINCE_PATH, name_en=name_en)
        # the marketing system is core: its P2 incidents must be resolved in 4 hours, not 8
        catalog.create_entry(cs, admin, "sla", "YX-P2", "营销管理系统 P2 解决时限 4 小时", {
            "process": "incident", "priority": "P2", "service": "营销管理系统", "resolution": 240},
            owner_path=PROVINCE_PATH)
        for code, name, services in BUSINESS_UNITS:
            catalog.create_entry(cs, admin, "business_unit", code, name, {"services": services},
                                 owner_path=PROVINCE_PATH)
        vendor_team = _vendor_team(cs, world)
        for i, (code, name, scope, rating) in enumerate(SUPPLIERS):
            catalog.create_entry(cs, admin, "supplier", code, name, {
                "scope": scope, "rating": rating, "contact": "客户经理", "phone": f"400-800-00{i}0",
                **({"team": vendor_team} if code == "HW" else {})}, owner_path=PROVINCE_PATH)
            end = today + timedelta(days=(45, 200, 400)[i])
            catalog.create_entry(cs, admin, "contract", f"HT-2025-{i + 1:03d}", f"{name}维保合同", {
                "supplier": code, "subject": scope, "start": (end - timedelta(days=365)).isoformat(),
                "end": end.isoformat(), "amount": (380000, 120000, 260000)[i], "response_minutes": 30,
                "onsite_minutes": 240, "repair_minutes": 480}, owner_path=PROVINCE_PATH)
        for metric, warn, alarm in (("cpu", 70, 90), ("memory", 75, 90), ("disk", 80, 90)):
            catalog.create_entry(cs, admin, "capacity_threshold", f"SERVER-{metric.upper()}",
                                 f"服务器{metric}阈值", {"ci_class": "server", "metric": metric, "warn": warn,
                                                     "alarm": alarm}, owner_path=PROVINCE_PATH)
        _add_readings(cs, admin, world, today)


def _vendor_team(cs: Any, world: World) -> str:
    """The supplier's engineers as a tier-3 team of the demo county, to escalate incidents to."""
    import uuid

    from shared.demo import COUNTY_PATH, TEAM_NAMESPACE
    from shared.models.org import Team, TeamMember

    team = cs.create(Team, COUNTY_PATH, {"name": "华为维保工程师(厂商三线)", "line": 3,
                                         "description": "华为技术有限公司驻场及远程支持"})
    user_id = world.people["lh_vendor"].id
    cs.link(TeamMember, COUNTY_PATH, str(uuid.uuid5(TEAM_NAMESPACE, f"{team.id}|{user_id}")),
            {"team_id": team.id, "user_id": user_id})
    return str(team.id)


def _add_readings(cs: Any, admin: Actor, world: World, today: date) -> None:
    """30 days of daily readings for a few servers per site; one disk fills up steadily."""
    rng = world.rng
    now = datetime.combine(today, datetime.min.time()).replace(tzinfo=utcnow().tzinfo) + timedelta(hours=2)
    from shared.demo import COUNTY_PATH

    servers = [ci for (org, cls), cis in sorted(world.cis.items()) if cls == "server" for ci in cis[:2]]
    servers.sort(key=lambda ci: ci["owner_path"] != COUNTY_PATH)  # the county the desktop shows fills up
    for n, server in enumerate(servers):
        base = {"cpu": rng.uniform(20, 55), "memory": rng.uniform(35, 65), "disk": rng.uniform(40, 70)}
        growth = 1.1 if n == 0 else rng.uniform(0, 0.15)
        for day in range(30, 0, -1):
            at = now - timedelta(days=day)
            for metric, level in base.items():
                value = level + (growth * (30 - day) if metric == "disk" else rng.uniform(-8, 8))
                capacity.record(cs, admin, server["id"], metric, round(min(max(value, 0), 100), 1), at, "demo")


# -- tickets -------------------------------------------------------------------------------------------
def add_tickets(province: Store, world: World) -> None:
    now = utcnow()
    made: dict[str, list[dict[str, Any]]] = {}
    for plan in _ticket_plans(world):
        finished = bool(plan.actions) and plan.actions[-1] in ("close", "publish", "reject", "cancel")
        # finished work spreads over four weeks; open work is recent, so its SLA clocks show a real mix
        oldest = 28 * 24 * 3600 if finished else world.rng.choice((3, 8, 30, 72)) * 3600
        opened = now - timedelta(seconds=world.rng.randint(20 * 60, oldest))
        times = _action_times(world.rng, opened, now, len(plan.actions))
        creator = _actor_for(world, plan.org_path, ("service_desk",))
        with province.write(creator.user_id) as cs:
            ticket = tickets.create_ticket(cs, creator, plan.process, plan.title, plan.fields,
                                           owner_path=plan.org_path, at=opened)
            for action, at in zip(plan.actions, times, strict=True):
                t = process(plan.process).find(action)
                assert t is not None, action
                actor = _actor_for(world, plan.org_path, t.roles)
                tickets.transition(cs, actor, ticket["id"], action, _action_fields(world, plan, action, at), at)
        made.setdefault(plan.process, []).append(ticket)
    _link_problems(province, world, made)


def _action_times(rng: random.Random, opened: datetime, now: datetime, count: int) -> list[datetime]:
    """Increasing event times after ``opened``, the last well before now."""
    span = (now - opened).total_seconds() - 120
    offsets = sorted(rng.uniform(0.02, 0.9) * span * rng.uniform(0.05, 1) for _ in range(count))
    return [opened + timedelta(seconds=60 + o + i) for i, o in enumerate(offsets)]


def _actor_for(world: World, org_path: str, roles: tuple[str, ...]) -> Actor:
    """The first person at the office (or above it) whose role allows the action; else its administrator."""
    from shared.demo import PROVINCE_PATH

    for where in (org_path, org_path.rsplit("/", 2)[0] + "/", PROVINCE_PATH):
        for role in roles:
            users = world.users_at(where, role)
            if users:
                return world.actor(users[0].username)
    for where in (org_path, PROVINCE_PATH):
        admins = world.users_at(where, "admin")
        if admins:
            return world.actor(admins[0].username)
    raise AssertionError(f"no demo user to act at {org_path}")


def _ticket_plans(world: World) -> list[TicketPlan]:
    from shared.demo import COUNTIES, COUNTY_PATH, PREFECTURES, PROVINCE_PATH

    rng = world.rng
    plans: list[TicketPlan] = []
    for county in COUNTIES:
        big = county == COUNTY_PATH
        plans += [_incident_plan(world, county, t) for t in rng.sample(INCIDENTS, 18 if big else 8)]
        plans += [_request_plan(world, county, t) for t in rng.sample(REQUESTS, 8 if big else 3)]
        plans += [_problem_plan(world, county, t) for t in rng.sample(PROBLEMS, 3 if big else 1)]
        plans += [_change_plan(world, county, t) for t in rng.sample(CHANGES, 4 if big else 1)]
    for org_path in (*PREFECTURES, PROVINCE_PATH):
        plans.append(_problem_plan(world, org_path, rng.choice(PROBLEMS)))
        plans += [_change_plan(world, org_path, t) for t in rng.sample(CHANGES, 2)]
    plans.append(_knowledge_plan(PROVINCE_PATH, INCIDENTS[2]))
    plans.append(_knowledge_plan(PROVINCE_PATH, INCIDENTS[4]))
    return plans


def _pick_path(world: World, key: str, org_path: str) -> tuple[str, ...]:
    paths = [(w, p) for w, p in PATHS[key] if (org_path, 3) in world.teams or not set(p) & set(LINE3_ACTIONS)]
    if (org_path, 2) not in world.teams:  # no desktop team: no dispatch / assign
        paths = [(w, p) for w, p in paths if not set(TEAM_ACTIONS) & set(p)] or [(1, ())]
    weights, choices = zip(*paths, strict=True)
    return world.rng.choices(choices, weights=weights)[0]


def _base_fields(world: World, org_path: str, category: str) -> dict[str, Any]:
    rng = world.rng
    caller = rng.choice(world.users_at(org_path) or list(world.people.values()))
    return {"impact": rng.choice((1, 2, 2, 3, 3, 3)), "urgency": rng.choice((1, 2, 2, 3, 3, 3)),
            "category": category, "origin": rng.choice(ORIGINS), "caller_id": caller.id,
            "data.contact_phone": caller.phone,
            "data.business_unit": rng.choice([code for code, _n, _s in BUSINESS_UNITS])}


def _incident_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, ci_class, service, description, solution = template
    fields = {**_base_fields(world, org_path, category), "description": description}
    candidates = world.cis_of(org_path, ci_class) if ci_class else []
    if candidates:
        fields["ci_id"] = world.rng.choice(candidates)["id"]
    if service:
        fields["data.service"] = service
    if ci_class in ("terminal", "printer") and world.rng.random() < 0.5:
        fields["data.onsite_required"] = True
    return TicketPlan("incident", org_path, title, fields, _pick_path(world, "incident", org_path),
                      {"solution": solution})


def _request_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, description, solution = template
    item = REQUEST_ITEMS[title]
    approval = next(a for c, *_x, a in CATALOGUE_ITEMS if c == item)
    fields = {**_base_fields(world, org_path, category), "description": description, "data.catalog_item": item}
    key = "request_approval" if approval else "request"
    return TicketPlan("request", org_path, title, fields, _pick_path(world, key, org_path), {"solution": solution})


def _problem_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, description, root_cause = template
    fields = {**_base_fields(world, org_path, category), "description": description,
              "data.rca_method": world.rng.choice(("five_why", "fishbone", "fault_tree", "timeline"))}
    return TicketPlan("problem", org_path, title, fields, _pick_path(world, "problem", org_path),
                      {"root_cause": root_cause})


def _change_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    from shared.demo import SHORT

    title, category, change_type = template
    fields = {**_base_fields(world, org_path, category),
              "description": f"{SHORT[org_path]}{title}，计划在停机窗口内实施。",
              "data.change_type": change_type, "data.rollback_plan": "按回退方案恢复至变更前版本",
              "data.risk": {"standard": "low", "normal": "medium", "emergency": "high"}[change_type],
              "data.outage": change_type != "standard"}
    servers = world.cis_of(org_path, "server")
    if servers:
        fields["data.affected_cis"] = [world.rng.choice(servers)["id"]]
    return TicketPlan("change", org_path, title, fields, _pick_path(world, f"change_{change_type}", org_path))


def _knowledge_plan(org_path: str, incident: tuple[str, ...]) -> TicketPlan:
    title, category, _cls, _service, description, solution = incident
    return TicketPlan("knowledge", org_path, f"{title}的处理方法", {
        "category": category, "data.symptom": description, "data.cause": "见处理步骤",
        "data.steps": solution, "data.audience": "line1", "data.keywords": category},
        ("submit", "publish"))


def _assignee(world: World, org_path: str, line: int) -> dict[str, Any]:
    members = world.team_members(org_path, line)
    return {"team_id": world.teams[(org_path, line)], "assignee_id": world.rng.choice(members).id}


def _action_fields(world: World, plan: TicketPlan, action: str, at: datetime) -> dict[str, Any]:
    """The fields an action of the demo path needs (the process definitions name them)."""
    rng = world.rng
    if action in TEAM_ACTIONS:
        return _assignee(world, plan.org_path, 2)
    if action == "escalate":
        return _assignee(world, plan.org_path, 3)
    if action == "pend":
        return {"data.pending_reason": rng.choice(PENDING_REASONS), "data.pending_note": "等待中"}
    if action == "resolve" and plan.process == "incident":
        return {"data.resolution_code": rng.choice(RESOLUTION_CODES), "data.solution": plan.texts["solution"]}
    if action == "resolve" and plan.process == "request":
        return {"data.solution": plan.texts["solution"]}
    if action == "resolve" and plan.process == "problem":
        return {"data.root_cause": plan.texts["root_cause"], "data.root_cause_class": "software"}
    if action == "known_error":
        return {"data.workaround": "临时重启相关服务并加强监控"}
    if action == "survey":
        return {"data.satisfaction": rng.choice(("1", "1", "1", "2", "2", "3")),
                "data.survey_comment": rng.choice(("处理及时，态度好", "问题已解决", "响应稍慢"))}
    if action == "reject":
        return {"data.approval_comment": "不符合申请条件"} if plan.process == "request" else {
            "data.cab_comment": "风险评估不充分"}
    if action in ("approve", "schedule") and plan.process == "change":
        base = at if plan.actions[-1] in ("close", "review") else utcnow()  # open changes plan ahead
        start = (base + timedelta(days=rng.randint(1, 10))).replace(hour=14, minute=0, second=0, microsecond=0)
        return {"data.planned_start": start.isoformat(), "data.planned_end": (start + timedelta(hours=4)).isoformat(),
                "data.cab_comment": "同意实施"}
    if action == "submit_cab":
        return {"data.assessment": "影响可控，已准备回退方案"}
    if action == "review":
        return {"data.outcome": rng.choice(("success", "success", "partial"))}
    return {}


def _link_problems(province: Store, world: World, made: dict[str, list[dict[str, Any]]]) -> None:
    """Each problem gets the incidents of its category; a few changes point at their problem."""
    admin = world.actor("gd_admin")
    with province.write(admin.user_id) as cs:
        for problem in made.get("problem", []):
            same = [i for i in made.get("incident", []) if i["owner_path"] == problem["owner_path"]
                    and i["category"] == problem["category"]]
            for incident in same[:3]:
                links.link(cs, admin, problem["id"], incident["id"])
            changes = [c for c in made.get("change", []) if c["owner_path"] == problem["owner_path"]]
            if changes:
                links.link(cs, admin, problem["id"], changes[0]["id"])
