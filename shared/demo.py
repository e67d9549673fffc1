"""The demo tree: an HQ server database, a province server database and a county desktop store.

``build_demo(root)`` writes

* ``root/hq.db`` — role ``hq``, org ``/HQ/``: HQ's own rows plus a replica of everything in Guangdong;
* ``root/province-gd.db`` — role ``province``, org ``/HQ/GD/``: the merge authority for Guangdong;
* ``root/county-lh/`` — a desktop store (role ``client``) of 龙华供电局 ``/HQ/GD/SZ/LH/``.

Every row is written once, by its merge authority, through the services and a ``ChangeSet`` (so
versions, field versions, change-log entries and ticket history are real): the HQ-owned rows (the
``/HQ/`` and ``/HQ/GD/`` org units, HQ's users and team) in the HQ database, everything under
``/HQ/GD/`` in the province database. Each database then receives copies of the rows in its read
scope (``replicate_rows``, using sync's own apply functions): the province HQ's shared rows, HQ
everything the province owns, the county store what a county desktop pulls. The demo copies
replicas directly because all three start out identical; from then on every change travels through
the sync layer like any other.

The content is drawn from a ``random.Random`` with a fixed seed: two builds differ only in UUIDs
and times. Every demo user has the password ``DEMO_PASSWORD``; it is hashed once and the hash is
reused, because an argon2 hash per user would make the demo several seconds slower.
"""

from __future__ import annotations

import random
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from shared.cmdb.demo import add_cmdb_demo
from shared.db.base import Synced
from shared.forms.demo import add_forms_demo
from shared.forms.plan_demo import add_plan_tasks_demo
from shared.integrations.demo import seed as seed_integrations
from shared.models import SYNCED, MachineRoom, RoomLog, Team, TeamMember, User
from shared.models.org import ROLES
from shared.reports.demo import add_work_demo
from shared.security import hash_password
from shared.services import cmdb, org
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.apply import apply_rows
from shared.sync.authority import apply_replica
from shared.sync.capture import ChangeSet, mark_recorded
from shared.sync.client import SyncClient
from shared.sync.codec import row_to_dict
from shared.sync.endpoint import LocalTransport, SyncEndpoint
from shared.sync.scope import can_read

DEMO_PASSWORD = "itops-demo-2026"
SEED = 20260101

HQ_FILE = "hq.db"
PROVINCE_FILE = "province-gd.db"
COUNTY_DIR = "county-lh"
HQ_PATH = "/HQ/"
PROVINCE_PATH = "/HQ/GD/"
COUNTY_PATH = "/HQ/GD/SZ/LH/"
COUNTY_NODE_CODE = "N1"
# Where `make run` serves the province, and where HQ would run (`itops server --db hq.db --role hq --port 8751`).
PROVINCE_URL = "http://127.0.0.1:8750"
HQ_URL = "http://127.0.0.1:8751"
PROVINCE_RELAY_USER = "gd_admin"
COUNTY_LOGIN_USER = "lh_desk"

RowPredicate = Callable[[Synced], bool]
Progress = Callable[[str], None]

# --------------------------------------------------------------------------------------------------
# The catalogue: org tree, people, teams, machine rooms
# --------------------------------------------------------------------------------------------------

# path, name, English name, short name (used in CI and team names)
ORGS: tuple[tuple[str, str, str, str], ...] = (
    ("/HQ/", "集团总部", "Group headquarters", "集团"),
    ("/HQ/GD/", "广东电网公司", "Guangdong Power Grid", "广东"),
    ("/HQ/GD/SZ/", "深圳供电局", "Shenzhen Power Supply Bureau", "深圳"),
    ("/HQ/GD/GZ/", "广州供电局", "Guangzhou Power Supply Bureau", "广州"),
    ("/HQ/GD/SZ/LH/", "龙华供电局", "Longhua Power Supply Bureau", "龙华"),
    ("/HQ/GD/SZ/FT/", "福田供电局", "Futian Power Supply Bureau", "福田"),
    ("/HQ/GD/GZ/TH/", "天河供电局", "Tianhe Power Supply Bureau", "天河"),
    ("/HQ/GD/GZ/PY/", "番禺供电局", "Panyu Power Supply Bureau", "番禺"),
)
SHORT = {path: short for path, _n, _e, short in ORGS}
COUNTIES = tuple(p for p, *_ in ORGS if p.count("/") == 5)
PREFECTURES = tuple(p for p, *_ in ORGS if p.count("/") == 4)

# username, full name, org path, roles
USERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("hq_admin", "张建国", "/HQ/", ("admin",)),
    ("hq_sys", "王志强", "/HQ/", ("sysadmin",)),
    ("gd_admin", "李明华", "/HQ/GD/", ("admin",)),
    ("gd_dispatch", "陈晓燕", "/HQ/GD/", ("dispatcher",)),
    ("gd_lead", "杨帆", "/HQ/GD/", ("duty_lead", "change_manager", "approver", "service_manager")),
    ("gd_sys", "刘伟", "/HQ/GD/", ("sysadmin",)),
    ("gd_vendor", "赵磊", "/HQ/GD/", ("vendor",)),
    ("sz_admin", "黄志勇", "/HQ/GD/SZ/", ("admin",)),
    ("sz_sys", "周杰", "/HQ/GD/SZ/", ("sysadmin",)),
    ("sz_inspect", "吴海涛", "/HQ/GD/SZ/", ("inspector",)),
    ("gz_admin", "郑丽娟", "/HQ/GD/GZ/", ("admin",)),
    ("gz_sys", "孙浩", "/HQ/GD/GZ/", ("sysadmin",)),
    ("lh_admin", "林国栋", "/HQ/GD/SZ/LH/", ("admin",)),
    ("lh_desk", "何晓丽", "/HQ/GD/SZ/LH/", ("dispatcher", "service_desk")),
    ("lh_lead", "高建华", "/HQ/GD/SZ/LH/", ("approver", "change_manager", "duty_lead", "service_manager")),
    ("lh_desk2", "罗佳", "/HQ/GD/SZ/LH/", ("service_desk",)),
    ("lh_dispatch", "冯婷", "/HQ/GD/SZ/LH/", ("dispatcher",)),
    ("lh_ops", "梁志伟", "/HQ/GD/SZ/LH/", ("desktop_ops",)),
    ("lh_ops2", "邓超", "/HQ/GD/SZ/LH/", ("desktop_ops",)),
    ("lh_sys", "谢文斌", "/HQ/GD/SZ/LH/", ("sysadmin",)),
    ("lh_vendor", "韩磊", "/HQ/GD/SZ/LH/", ("vendor",)),
    ("lh_inspect", "唐海峰", "/HQ/GD/SZ/LH/", ("inspector",)),
    ("ft_admin", "曹振华", "/HQ/GD/SZ/FT/", ("admin",)),
    ("ft_desk", "许静", "/HQ/GD/SZ/FT/", ("service_desk",)),
    ("ft_ops", "蒋涛", "/HQ/GD/SZ/FT/", ("desktop_ops", "inspector")),
    ("th_desk", "彭丽", "/HQ/GD/GZ/TH/", ("service_desk",)),
    ("th_ops", "潘俊", "/HQ/GD/GZ/TH/", ("desktop_ops",)),
    ("py_desk", "蔡敏", "/HQ/GD/GZ/PY/", ("service_desk",)),
    ("py_ops", "袁斌", "/HQ/GD/GZ/PY/", ("desktop_ops", "inspector")),
)

# Who to sign in as, printed by ``itops demo``: username, where, what for.
LOGINS: tuple[tuple[str, str, str], ...] = (
    ("lh_desk", COUNTY_DIR, "服务台坐席(一线) · service desk agent"),
    ("lh_ops", COUNTY_DIR, "二线桌面运维 · desktop support"),
    ("lh_lead", COUNTY_DIR, "值班长 · duty lead (approvals, CAB, escalations, service catalogue)"),
    ("lh_admin", COUNTY_DIR, "龙华供电局管理员 · county administrator"),
    ("gd_admin", PROVINCE_FILE, "广东电网公司管理员 · province administrator"),
    ("hq_admin", HQ_FILE, "集团总部管理员 · HQ administrator"),
)

# team name suffix per support line
LINE_TEAMS = {1: "服务台(一线)", 2: "桌面运维组(二线)", 3: "系统运维组(三线)"}
# org path → {line: usernames}
TEAMS: dict[str, dict[int, tuple[str, ...]]] = {
    "/HQ/": {3: ("hq_sys",)},
    "/HQ/GD/": {3: ("gd_sys", "gd_vendor")},
    "/HQ/GD/SZ/": {3: ("sz_sys",)},
    "/HQ/GD/GZ/": {3: ("gz_sys",)},
    "/HQ/GD/SZ/LH/": {1: ("lh_desk", "lh_desk2"), 2: ("lh_ops", "lh_ops2"), 3: ("lh_sys", "lh_vendor")},
    "/HQ/GD/SZ/FT/": {1: ("ft_desk",), 2: ("ft_ops",)},
    "/HQ/GD/GZ/TH/": {1: ("th_desk",), 2: ("th_ops",)},
    "/HQ/GD/GZ/PY/": {1: ("py_desk",), 2: ("py_ops",)},
}
TEAM_NAMESPACE = uuid.UUID("0c6f2a8e-5d1b-4c3a-9e7f-1a2b3c4d5e6f")

# org path → (room code, grade, address)
ROOMS: dict[str, tuple[str, str, str]] = {
    "/HQ/GD/": ("GD-DC01", "A", "广州市天河区科韵路数据中心大楼3楼"),
    "/HQ/GD/SZ/": ("SZ-MR01", "B", "深圳市福田区深南中路调度大楼5楼"),
    "/HQ/GD/GZ/": ("GZ-MR01", "B", "广州市越秀区东风中路生产综合楼6楼"),
    "/HQ/GD/SZ/LH/": ("LH-MR01", "C", "深圳市龙华区人民路龙华供电局综合楼2楼"),
    "/HQ/GD/SZ/FT/": ("FT-MR01", "C", "深圳市福田区福华路福田供电局4楼"),
    "/HQ/GD/GZ/TH/": ("TH-MR01", "C", "广州市天河区天河北路天河供电局3楼"),
    "/HQ/GD/GZ/PY/": ("PY-MR01", "C", "广州市番禺区市桥街番禺供电局2楼"),
}


# --------------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------------

class DemoExists(ValueError):
    """The target folder already holds demo databases (and no ``force``)."""


@dataclass(frozen=True)
class DemoResult:
    root: Path
    hq: Path
    province: Path
    county: Path
    password: str
    counts: dict[str, int]  # rows per synced table in the HQ database (the union)
    logins: tuple[tuple[str, str, str], ...] = LOGINS


def demo_paths(root: Path) -> tuple[Path, Path, Path]:
    return root / HQ_FILE, root / PROVINCE_FILE, root / COUNTY_DIR


def build_demo(root: str | Path, force: bool = False, seed: int = SEED,
               progress: Progress | None = None) -> DemoResult:
    """Build the three demo databases under ``root``; refuse to overwrite unless ``force``."""
    root = Path(root).expanduser().resolve()
    say = progress or (lambda _msg: None)
    _prepare(root, force)
    hq_db, province_db, county_dir = demo_paths(root)
    rng = random.Random(seed)
    pw_hash = hash_password(DEMO_PASSWORD)
    stores: list[Store] = []
    try:
        say(f"HQ database {hq_db}")
        hq = _open(stores, Store(str(hq_db)), "hq", HQ_PATH)
        _build_hq(hq, pw_hash)
        say(f"province database {province_db}")
        province = _open(stores, Store(str(province_db)), "province", PROVINCE_PATH)
        replicate_rows(hq, province, readable_by("province", PROVINCE_PATH))
        _build_province(province, pw_hash, rng, say)
        add_forms_demo(province)  # the county room's racks, plans, inspections with one alarm (issue 6)
        add_plan_tasks_demo(province)  # task plans: the province's cabling check for its counties, a drill
        seed_integrations(hq, province)  # the rules-and-standards library, a monitoring API key (issue 10)
        say("replicating Guangdong to HQ")
        replicate_rows(province, hq, owned_under(PROVINCE_PATH), credentials=owned_under(HQ_PATH))
        add_work_demo(hq, province)  # tasks, KPI entries, a security event, a report draft (issue 7)
        say(f"county store {county_dir}")
        county = _open(stores, Store.open_dir(county_dir, create=True), "client", COUNTY_PATH,
                       COUNTY_NODE_CODE)
        replicate_rows(province, county, readable_by("client", COUNTY_PATH),
                       credentials=owned_under(COUNTY_PATH))
        say("signing the replicas in to their servers")
        _sign_in(province, hq, PROVINCE_RELAY_USER, HQ_URL)
        _sign_in(county, province, COUNTY_LOGIN_USER, PROVINCE_URL)
        counts = table_counts(hq)
    finally:
        for store in stores:
            store.close()
    return DemoResult(root, hq_db, province_db, county_dir, DEMO_PASSWORD, counts)


def _sign_in(store: Store, server: Store, username: str, url: str) -> None:
    """Register ``store`` as a node of ``server`` (as ``itops login`` would over HTTP) and sync
    once, so the replica starts with a token and a cursor: `make run`'s local server takes over."""
    client = SyncClient(store, LocalTransport(SyncEndpoint(server)))
    client.login(url, username, DEMO_PASSWORD)
    report = client.sync()
    if report.pushed or report.repaired:
        raise RuntimeError(f"demo replica of {url} was not identical: {report.as_dict()}")


def existing_demo(root: Path) -> list[Path]:
    return [p for p in demo_paths(root) if p.exists()]


def _prepare(root: Path, force: bool) -> None:
    found = existing_demo(root)
    if found and not force:
        names = ", ".join(p.name for p in found)
        raise DemoExists(f"{root} already holds demo data ({names}); use --force to replace it")
    hq_db, province_db, county_dir = demo_paths(root)
    for db in (hq_db, province_db):
        for suffix in ("", "-wal", "-shm", "-journal"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
    if county_dir.exists():
        shutil.rmtree(county_dir)
    root.mkdir(parents=True, exist_ok=True)


def _open(stores: list[Store], store: Store, role: str, org_path: str, node_code: str = "") -> Store:
    stores.append(store)
    store.init_node(role, org_path, node_code)
    return store


def table_counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {name: int(session.scalar(select(func.count()).select_from(cls)) or 0)
                for name, cls in SYNCED.items()}


# --------------------------------------------------------------------------------------------------
# Replication
# --------------------------------------------------------------------------------------------------

def readable_by(kind: str, org_path: str) -> RowPredicate:
    """Rows a node of ``kind`` at ``org_path`` pulls (``shared.sync.scope``: the same rule as sync)."""
    def predicate(row: Synced) -> bool:
        return can_read(kind, org_path, row.__tablename__, row.owner_path)  # type: ignore[attr-defined]
    return predicate


def owned_under(org_path: str) -> RowPredicate:
    def predicate(row: Synced) -> bool:
        return row.owner_path.startswith(org_path)
    return predicate


def replicate_rows(src: Store, dst: Store, predicate: RowPredicate,
                   credentials: RowPredicate | None = None) -> int:
    """Copy the synced rows of ``src`` that ``predicate`` accepts into ``dst``, as sync would.

    Rows are applied with the sync layer's own apply functions, in one transaction of ``dst``:
    a server (province, HQ) stores them as replicas of another authority's versions and logs them
    in its change log for its own pulls (``apply_replica``); a desktop store applies them as pulled
    rows (``apply_rows``, which also drops rows outside its scope). Ids, versions, field versions,
    HLC stamps and times are kept, so replicas export identically. The password hashes (a local
    credential cache, never synced) of the users ``credentials`` accepts are copied too. Returns the
    number of rows written.
    """
    changes, hashes = _snapshot(src, predicate, credentials)
    origin = src.node()["node_id"]
    with dst.write() as cs:
        if cs.state.role == "client":
            written = apply_rows(cs.session, changes, ("client", cs.state.org_path))
        else:
            written = sum(apply_replica(cs.session, cs.tx_seq, c["d"], c["e"], origin) for c in changes)
        for user_id, pw_hash in hashes.items():
            user = cs.session.get(User, user_id)  # maybe a fresh instance: the identity map is weak
            if user is not None:
                mark_recorded(cs.session, user)
                user.password_hash = pw_hash
    return written


def _snapshot(src: Store, predicate: RowPredicate, credentials: RowPredicate | None,
              ) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """``[{"e": entity, "d": row}]`` in sync order (parents first), and user id → password hash."""
    changes: list[dict[str, Any]] = []
    hashes: dict[str, str] = {}
    with src.read() as session:
        for name, cls in SYNCED.items():
            for row in session.scalars(select(cls).order_by(cls.id)):
                if not predicate(row):
                    continue
                changes.append({"e": name, "d": row_to_dict(row)})
                if isinstance(row, User) and row.password_hash and credentials and credentials(row):
                    hashes[row.id] = row.password_hash
    return changes, hashes


# --------------------------------------------------------------------------------------------------
# HQ and province content
# --------------------------------------------------------------------------------------------------

def _is_hq_owned(path: str) -> bool:
    """The /HQ/ unit and the provinces are owned by /HQ/ (a unit is owned by its parent)."""
    parent = org.parent_of(path)
    return parent is None or parent == HQ_PATH


def _build_hq(hq: Store, pw_hash: str) -> None:
    with hq.write() as cs:
        for i, (path, name, name_en, _short) in enumerate(ORGS):
            if _is_hq_owned(path):
                org.add_org(cs, path, name, name_en, sort_order=i)
        people = _add_users(cs, pw_hash, [u for u in USERS if u[2] == HQ_PATH])
        _add_teams(cs, people, {HQ_PATH: TEAMS[HQ_PATH]})


def _build_province(province: Store, pw_hash: str, rng: random.Random, say: Progress) -> None:
    with province.write() as cs:
        for i, (path, name, name_en, _short) in enumerate(ORGS):
            if not _is_hq_owned(path):
                org.add_org(cs, path, name, name_en, sort_order=i)
        people = _add_users(cs, pw_hash, [u for u in USERS if u[2].startswith(PROVINCE_PATH)])
        teams = _add_teams(cs, people, {p: t for p, t in TEAMS.items() if p.startswith(PROVINCE_PATH)})
    world = World(people, teams, rng)
    admin = world.actor("gd_admin")
    with province.write(admin.user_id) as cs:
        say("machine rooms and configuration items")
        _add_rooms(cs, world)
        _add_cis(cs, admin, world)
        add_cmdb_demo(cs, admin, world.rooms)  # racks, U positions, redundancy, lifecycle records
    from shared.demo_tickets import add_catalogue, add_tickets

    say("service catalogue, SLAs, suppliers and capacity")
    add_catalogue(province, world)
    say("tickets")
    add_tickets(province, world)


@dataclass
class World:
    """What the generators need to know about the content built so far."""

    people: dict[str, User]
    teams: dict[tuple[str, int], str]  # (org path, line) → team id
    rng: random.Random
    rooms: dict[str, dict[str, Any]] = field(default_factory=dict)  # org path → room CI
    cis: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (org, class) → CIs

    def actor(self, username: str) -> Actor:
        user = self.people[username]
        return Actor(user.id, user.username, user.org_path, tuple(user.roles))

    def users_at(self, org_path: str, role: str | None = None) -> list[User]:
        return [u for u in self.people.values()
                if u.org_path == org_path and (role is None or role in u.roles)]

    def team_members(self, org_path: str, line: int) -> list[User]:
        return [self.people[name] for name in TEAMS.get(org_path, {}).get(line, ())]

    def cis_of(self, org_path: str, ci_class: str) -> list[dict[str, Any]]:
        return self.cis.get((org_path, ci_class), [])


def _add_users(cs: ChangeSet, pw_hash: str, specs: Iterable[tuple[str, str, str, tuple[str, ...]]],
               ) -> dict[str, User]:
    """Like ``users.add_user``, but with one precomputed password hash for every demo user."""
    people: dict[str, User] = {}
    for username, full_name, org_path, roles in specs:
        assert all(r in ROLES for r in roles), roles
        row = cs.create(User, org_path, {
            "username": username, "full_name": full_name, "org_path": org_path, "roles": sorted(roles),
            "phone": f"1380000{len(people):04d}", "email": f"{username}@demo.itops.cn",
            "active": True,
        })
        row.password_hash = pw_hash  # local-only column of a recorded row: never synced
        people[username] = row
    return people


def _add_teams(cs: ChangeSet, people: dict[str, User], teams: dict[str, dict[int, tuple[str, ...]]],
               ) -> dict[tuple[str, int], str]:
    made: dict[tuple[str, int], str] = {}
    for org_path, lines in teams.items():
        for line, members in lines.items():
            name = SHORT[org_path] + ("信息运维中心(三线)" if org_path in (HQ_PATH, PROVINCE_PATH)
                                      else LINE_TEAMS[line])
            team = cs.create(Team, org_path, {"name": name, "line": line,
                                              "description": f"{SHORT[org_path]}第{line}线支持"})
            for username in members:
                user_id = people[username].id
                cs.link(TeamMember, org_path, str(uuid.uuid5(TEAM_NAMESPACE, f"{team.id}|{user_id}")),
                        {"team_id": team.id, "user_id": user_id})
            made[(org_path, line)] = team.id
    return made


def _add_rooms(cs: ChangeSet, world: World) -> None:
    for org_path, (code, grade, address) in ROOMS.items():
        name = f"{SHORT[org_path]}信息机房"
        ci = cmdb.create_ci(cs, world.actor("gd_admin"), "machine_room", name,
                            {"asset_tag": code, "location": address, "attributes.grade": grade},
                            owner_path=org_path)
        room = cs.create(MachineRoom, org_path, {
            "code": code, "name": name, "grade": grade, "address": address, "ci_id": ci["id"],
            "description": f"{grade}级机房，7×24小时动环监控",
        })
        world.rooms[org_path] = ci
        inspectors = (world.users_at(org_path, "inspector") or world.users_at(org_path, "admin")
                      or world.users_at(PROVINCE_PATH, "admin"))
        for day in range(3):
            temp = round(world.rng.uniform(21.0, 25.5), 1)
            humidity = world.rng.randint(40, 60)
            cs.append(RoomLog, org_path, {
                "room_id": room.id, "kind": "reading", "author_id": world.rng.choice(inspectors).id,
                "body": f"日常巡检：温度{temp}℃，相对湿度{humidity}%，UPS、精密空调运行正常",
                "data": {"temperature": temp, "humidity": humidity, "day": day},
            })


# --------------------------------------------------------------------------------------------------
# Configuration items
# --------------------------------------------------------------------------------------------------

TERMINAL_MODELS = (("联想", "启天M430"), ("华为", "擎云W515"), ("长城", "世恒TN140"), ("联想", "开天M740J"))
PRINTER_MODELS = (("惠普", "LaserJet Pro M404dn"), ("奔图", "P3305DN"), ("联想", "LJ2405"),
                  ("佳能", "LBP161dn"))
SERVER_MODELS = (("浪潮", "NF5280M6"), ("华为", "2288H V5"), ("新华三", "R4900 G3"), ("曙光", "I620-G30"))
PRINTER_PLACES = ("营业厅", "综合楼1楼", "综合楼2楼", "综合楼3楼", "调度室", "财务室")
SERIAL_CHARS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
OS_NAMES = ("Windows 10 专业版", "统信UOS 20", "银河麒麟V10", "Windows 7 专业版")
TERMINAL_STATUS = ("在运",) * 14 + ("闲置", "库存", "退运")

# name, server name stem, database
BUSINESS_SYSTEMS = (
    ("营销管理系统", "YX", "Oracle 19c"),
    ("ERP系统", "ERP", "Oracle 19c"),
    ("OA协同办公系统", "OA", "达梦DM8"),
    ("财务管控系统", "CW", "达梦DM8"),
    ("生产管理系统(PMS)", "PMS", "Oracle 19c"),
    ("邮件系统", "MAIL", ""),
    ("统一门户", "PORTAL", "MySQL 8.0"),
    ("电子档案系统", "DA", "人大金仓KES V8"),
)


class CiMaker:
    """Creates CIs through ``shared.services.cmdb`` with running asset numbers per org."""

    def __init__(self, cs: ChangeSet, actor: Actor, world: World) -> None:
        self.cs, self.actor, self.world = cs, actor, world
        self.counters: dict[str, int] = {}

    def make(self, org_path: str, ci_class: str, name: str, **fields: Any) -> dict[str, Any]:
        code = org_path.strip("/").split("/")[-1]
        n = self.counters[org_path] = self.counters.get(org_path, 0) + 1
        fields.setdefault("asset_tag", f"{code}-{n:05d}")
        fields.setdefault("serial", "".join(self.world.rng.choices(SERIAL_CHARS, k=12)))
        ci = cmdb.create_ci(self.cs, self.actor, ci_class, name, fields, owner_path=org_path)
        self.world.cis.setdefault((org_path, ci_class), []).append(ci)
        return ci

    def link(self, source: dict[str, Any], target: dict[str, Any], rel_type: str) -> None:
        cmdb.link_ci(self.cs, self.actor, source["id"], target["id"], rel_type)

    def in_room(self, org_path: str, ci_class: str, name: str, rack: int, **fields: Any) -> dict[str, Any]:
        room = self.world.rooms[org_path]
        u = self.world.rng.randint(1, 40)
        fields.setdefault("location", f"{room['name']} {chr(64 + rack)}{rack:02d}机柜 U{u:02d}")
        ci = self.make(org_path, ci_class, name, **fields)
        self.link(ci, room, "located_in")
        return ci


def _add_cis(cs: ChangeSet, admin: Actor, world: World) -> None:
    maker = CiMaker(cs, admin, world)
    _add_province_cis(maker, PROVINCE_PATH)
    for n, prefecture in enumerate(PREFECTURES, start=1):
        _add_site_infra(maker, prefecture, 10 + n, servers=6)
    for n, county in enumerate(COUNTIES, start=1):
        prefecture = county[: county.index("/", 4) + 1]
        core = _add_site_infra(maker, county, 20 + n, servers=2)
        maker.link(core, world.cis_of(prefecture, "network")[0], "connected_to")
        _add_terminals(maker, county, 20 + n)


def _add_site_infra(maker: CiMaker, org_path: str, octet: int, servers: int) -> dict[str, Any]:
    """UPS, air conditioning, network and servers of one machine room; returns the core switch."""
    rng, code = maker.world.rng, org_path.strip("/").split("/")[-1]
    for i in range(1 if servers <= 2 else 2):
        maker.in_room(org_path, "ups", f"{SHORT[org_path]}机房UPS-{i + 1}", 1,
                      brand=rng.choice(("科华", "维谛")), model="UL33-0200L",
                      **{"attributes.capacity_kva": 20 if servers <= 2 else 80})
        maker.in_room(org_path, "crac", f"{SHORT[org_path]}机房精密空调-{i + 1}", 1, brand="维谛",
                      model="Liebert PEX", **{"attributes.cooling_kw": 25})
    core = maker.in_room(org_path, "network", f"{code}-CORE-SW01", 2, brand="华为", model="S7706",
                         ip=f"10.{octet}.0.1", description="核心交换机")
    router = maker.in_room(org_path, "network", f"{code}-RT01", 2, brand="华为", model="AR6280",
                           ip=f"10.{octet}.0.254", description="广域网路由器")
    firewall = maker.in_room(org_path, "security", f"{code}-FW01", 2, brand="华为", model="USG6555E",
                             ip=f"10.{octet}.0.253", description="信息内网边界防火墙")
    maker.link(core, router, "connected_to")
    maker.link(firewall, core, "connected_to")
    for i in range(servers):
        brand, model = rng.choice(SERVER_MODELS)
        server = maker.in_room(org_path, "server", f"{code}-SRV{i + 1:02d}", 3 + i // 4, brand=brand,
                               model=model, ip=f"10.{octet}.1.{11 + i}",
                               **{"attributes.os": rng.choice(("麒麟服务器操作系统V10", "CentOS 7.9")),
                                  "attributes.cpu_cores": rng.choice((32, 48, 64)),
                                  "attributes.memory_gb": rng.choice((128, 256, 512))})
        maker.link(server, core, "connected_to")
    for i, server in enumerate(maker.world.cis_of(org_path, "server")[:servers // 2]):
        vm = maker.make(org_path, "vm", f"{code}-VM{i + 1:02d}", ip=f"10.{octet}.2.{11 + i}",
                        **{"attributes.os": "麒麟服务器操作系统V10", "attributes.vcpu": 8})
        maker.link(vm, server, "runs_on")
    return core


def _add_province_cis(maker: CiMaker, org_path: str) -> None:
    """The province data centre: shared infrastructure and the business systems on it."""
    rng = maker.world.rng
    _add_site_infra(maker, org_path, 10, servers=12)
    storage = maker.in_room(org_path, "storage", "GD-STOR01", 4, brand="华为", model="OceanStor 5310",
                            **{"attributes.capacity_tb": 200})
    servers = maker.world.cis_of(org_path, "server")
    for i, (name, stem, db_kind) in enumerate(BUSINESS_SYSTEMS):
        system = maker.make(org_path, "business_system", name, description=f"广东电网{name}",
                            **{"attributes.level": rng.choice(("二级", "三级")), "attributes.vendor":
                               rng.choice(("南网数研院", "远光软件", "朗新科技", "金蝶"))})
        app_server = servers[i % len(servers)]
        maker.link(system, app_server, "runs_on")
        if db_kind:
            database = maker.make(org_path, "database", f"{stem}-DB01", model=db_kind,
                                  description=f"{name}数据库")
            maker.link(database, servers[(i + 4) % len(servers)], "runs_on")
            maker.link(database, storage, "depends_on")
            maker.link(system, database, "depends_on")


def _add_terminals(maker: CiMaker, org_path: str, octet: int) -> None:
    """Desktops and printers of a county office, on three access switches."""
    rng, code = maker.world.rng, org_path.strip("/").split("/")[-1]
    core = maker.world.cis_of(org_path, "network")[0]
    switches = []
    for i in range(3):
        sw = maker.make(org_path, "network", f"{code}-ACC-SW{i + 1:02d}", brand="华为", model="S5735-L48T4S",
                        ip=f"10.{octet}.0.{11 + i}", location=f"{SHORT[org_path]}供电局综合楼{i + 1}楼弱电间",
                        description="接入交换机")
        maker.link(sw, core, "connected_to")
        switches.append(sw)
    people = [u for u in maker.world.people.values() if u.org_path == org_path]
    for i in range(36):
        brand, model = rng.choice(TERMINAL_MODELS)
        owner = people[i % len(people)] if i < len(people) else None
        pc = maker.make(org_path, "terminal", f"{code}-PC-{i + 1:04d}", brand=brand, model=model,
                        status=rng.choice(TERMINAL_STATUS), owner_id=owner.id if owner else None,
                        ip=f"10.{octet}.{10 + i // 12}.{20 + i}", location=f"综合楼{i % 3 + 1}楼",
                        **{"attributes.os": rng.choice(OS_NAMES),
                           "attributes.network": "信息内网" if i % 6 else "信息外网"})
        maker.link(pc, switches[i % 3], "connected_to")
    for i in range(6):
        brand, model = rng.choice(PRINTER_MODELS)
        printer = maker.make(org_path, "printer", f"{code}-PRN-{i + 1:02d}", brand=brand, model=model,
                             ip=f"10.{octet}.13.{30 + i}",
                             location=PRINTER_PLACES[i])
        maker.link(printer, switches[i % 3], "connected_to")
