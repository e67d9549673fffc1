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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from shared.cmdb.demo import add_cmdb_demo
from shared.db.base import Synced
from shared.db.types import utcnow
from shared.models import SYNCED, MachineRoom, RoomLog, Team, TeamMember, Ticket, User
from shared.models.org import ROLES
from shared.security import hash_password
from shared.services import cmdb, org, tickets
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
    ("gd_sys", "刘伟", "/HQ/GD/", ("sysadmin",)),
    ("gd_vendor", "赵磊", "/HQ/GD/", ("vendor",)),
    ("sz_admin", "黄志勇", "/HQ/GD/SZ/", ("admin",)),
    ("sz_sys", "周杰", "/HQ/GD/SZ/", ("sysadmin",)),
    ("sz_inspect", "吴海涛", "/HQ/GD/SZ/", ("inspector",)),
    ("gz_admin", "郑丽娟", "/HQ/GD/GZ/", ("admin",)),
    ("gz_sys", "孙浩", "/HQ/GD/GZ/", ("sysadmin",)),
    ("lh_admin", "林国栋", "/HQ/GD/SZ/LH/", ("admin",)),
    ("lh_desk", "何晓丽", "/HQ/GD/SZ/LH/", ("service_desk",)),
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
        say("replicating Guangdong to HQ")
        replicate_rows(province, hq, owned_under(PROVINCE_PATH), credentials=owned_under(HQ_PATH))
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
    say("tickets")
    _add_tickets(province, world)


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


# --------------------------------------------------------------------------------------------------
# Tickets
# --------------------------------------------------------------------------------------------------

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
CHANGES = (
    ("营销系统数据库补丁升级", "软件", "normal"),
    ("核心交换机固件升级", "网络", "normal"),
    ("OA系统版本升级", "应用", "normal"),
    ("机房UPS蓄电池更换", "机房设施", "standard"),
    ("防火墙访问控制策略调整", "网络", "emergency"),
    ("服务器内存扩容", "硬件", "standard"),
)

# (weight, actions) — each path ends in a different state
PATHS: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {
    "incident": (
        (2, ()), (3, ("accept",)), (1, ("accept", "request_dispatch")), (3, ("accept", "dispatch")),
        (2, ("accept", "dispatch", "escalate")), (2, ("accept", "dispatch", "pend")),
        (3, ("accept", "resolve")), (2, ("accept", "dispatch", "resolve", "survey")),
        (4, ("accept", "dispatch", "resolve", "survey", "close")), (3, ("accept", "resolve", "close")),
    ),
    "request": (
        (2, ()), (2, ("submit_approval",)), (1, ("submit_approval", "approve")), (2, ("assign",)),
        (1, ("assign", "pend")), (1, ("submit_approval", "reject")), (2, ("assign", "resolve")),
        (3, ("submit_approval", "approve", "assign", "resolve", "close")),
    ),
    "problem": (
        (1, ()), (2, ("analyse",)), (2, ("analyse", "known_error")), (1, ("analyse", "request_change")),
        (1, ("analyse", "resolve")), (1, ("analyse", "known_error", "resolve", "close")),
    ),
    "change": (
        (1, ()), (1, ("assess",)), (1, ("assess", "submit_cab")), (2, ("assess", "submit_cab", "approve")),
        (1, ("schedule", "implement")), (1, ("schedule", "implement", "review")),
        (2, ("assess", "submit_cab", "approve", "implement", "review", "close")), (1, ("cancel",)),
    ),
}
RESOLUTION_CODES = ("assistance", "hardware_repair", "software_patch", "system_update", "training", "other")
PENDING_REASONS = ("待用户确认", "待备件到货", "待厂商支持")
ORIGINS = ("phone", "phone", "portal", "mail", "monitoring", "in_person", "chat")
LINE3_ACTIONS = ("escalate",)


@dataclass
class TicketPlan:
    process: str
    org_path: str
    title: str
    fields: dict[str, Any]
    actions: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)  # solution, root cause …


def _add_tickets(province: Store, world: World) -> None:
    now = utcnow()
    for plan in _ticket_plans(world):
        actor = _ticket_actor(world, plan.org_path)
        with province.write(actor.user_id) as cs:
            ticket = tickets.create_ticket(cs, actor, plan.process, plan.title, plan.fields,
                                           owner_path=plan.org_path)
            for action in plan.actions:
                fields = _action_fields(world, plan, action)
                tickets.transition(cs, actor, ticket["id"], action, fields)
            _backdate(cs, ticket["id"], world.rng, now)


def _ticket_actor(world: World, org_path: str) -> Actor:
    for role in ("service_desk", "admin", "sysadmin"):
        users = world.users_at(org_path, role)
        if users:
            return world.actor(users[0].username)
    raise AssertionError(f"no demo user to act at {org_path}")


def _ticket_plans(world: World) -> list[TicketPlan]:
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
    return plans


def _pick_path(world: World, process_code: str, org_path: str) -> tuple[str, ...]:
    paths = [(w, p) for w, p in PATHS[process_code]
             if (org_path, 3) in world.teams or not set(p) & set(LINE3_ACTIONS)]
    if (org_path, 2) not in world.teams:  # no desktop team: no dispatch / assign
        paths = [(w, p) for w, p in paths if not {"dispatch", "assign"} & set(p)]
    weights, choices = zip(*paths, strict=True)
    return world.rng.choices(choices, weights=weights)[0]


def _base_fields(world: World, org_path: str, category: str) -> dict[str, Any]:
    rng = world.rng
    caller = rng.choice(world.users_at(org_path) or list(world.people.values()))
    return {"impact": rng.choice((1, 2, 2, 3, 3, 3)), "urgency": rng.choice((1, 2, 2, 3, 3, 3)),
            "category": category, "origin": rng.choice(ORIGINS), "caller_id": caller.id,
            "data.contact_phone": caller.phone}


def _incident_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, ci_class, service, description, solution = template
    fields = {**_base_fields(world, org_path, category), "description": description}
    candidates = world.cis_of(org_path, ci_class) if ci_class else []
    if candidates:
        fields["ci_id"] = world.rng.choice(candidates)["id"]
    if service:
        fields["data.service"] = service
    return TicketPlan("incident", org_path, title, fields, _pick_path(world, "incident", org_path),
                      {"solution": solution})


def _request_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, description, solution = template
    fields = {**_base_fields(world, org_path, category), "description": description}
    return TicketPlan("request", org_path, title, fields, _pick_path(world, "request", org_path),
                      {"solution": solution})


def _problem_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, description, root_cause = template
    fields = {**_base_fields(world, org_path, category), "description": description,
              "data.rca_method": world.rng.choice(("5 Why", "鱼骨图", "故障树", "时间线"))}
    return TicketPlan("problem", org_path, title, fields, _pick_path(world, "problem", org_path),
                      {"root_cause": root_cause})


def _change_plan(world: World, org_path: str, template: tuple[str, ...]) -> TicketPlan:
    title, category, change_type = template
    fields = {**_base_fields(world, org_path, category),
              "description": f"{SHORT[org_path]}{title}，计划在停机窗口内实施。",
              "data.change_type": change_type, "data.fallback_plan": "按回退方案恢复至变更前版本",
              "data.outage": "是" if change_type != "standard" else "否"}
    return TicketPlan("change", org_path, title, fields, _pick_path(world, "change", org_path))


def _assignee(world: World, org_path: str, line: int) -> dict[str, Any]:
    members = world.team_members(org_path, line)
    return {"team_id": world.teams[(org_path, line)], "assignee_id": world.rng.choice(members).id}


def _action_fields(world: World, plan: TicketPlan, action: str) -> dict[str, Any]:
    """The fields an action of the demo path needs (the process definitions name them)."""
    rng = world.rng
    if action in ("dispatch", "assign"):
        return _assignee(world, plan.org_path, 2)
    if action == "escalate":
        return _assignee(world, plan.org_path, 3)
    if action == "pend":
        return {"data.pending_reason": rng.choice(PENDING_REASONS)}
    if action == "resolve" and plan.process == "incident":
        return {"data.resolution_code": rng.choice(RESOLUTION_CODES), "data.solution": plan.texts["solution"]}
    if action == "resolve" and plan.process == "request":
        return {"data.solution": plan.texts["solution"]}
    if action == "resolve" and plan.process == "problem":
        return {"data.root_cause": plan.texts["root_cause"]}
    if action == "known_error":
        return {"data.workaround": "临时重启相关服务并加强监控"}
    if action == "survey":
        return {"data.satisfaction": rng.choice(("1", "1", "1", "2", "2", "3")),
                "data.user_comment": rng.choice(("处理及时，态度好", "问题已解决", "响应稍慢"))}
    if action == "review":
        return {"data.outcome": rng.choice(("成功", "成功", "部分成功"))}
    return {}


def _backdate(cs: ChangeSet, ticket_id: str, rng: random.Random, now: datetime) -> None:
    """Spread the demo tickets over the last four weeks (services stamp them with the build time)."""
    row = cs.session.get(Ticket, ticket_id)
    assert row is not None
    opened = now - timedelta(seconds=rng.randint(30 * 60, 28 * 24 * 3600))
    values: dict[str, Any] = {"opened_at": opened}
    if row.resolved_at is not None:
        values["resolved_at"] = min(opened + timedelta(minutes=rng.randint(20, 3 * 24 * 60)),
                                    now - timedelta(minutes=10))
    if row.closed_at is not None:
        start = values.get("resolved_at", opened)
        values["closed_at"] = min(start + timedelta(minutes=rng.randint(60, 2 * 24 * 60)),
                                  now - timedelta(minutes=5))
    cs.update(row, values)
