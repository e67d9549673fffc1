"""``itops demo --size large``: the demo tree plus three years of a province's work — 200,000 tickets with
their history, 50,000 CIs and 100,000 SOP form records under /HQ/GD/ — for the scale benchmarks.

Rows are written with multi-row Core INSERTs (the ORM would take many minutes), but exactly as the
province's services would leave them as the merge authority: version 1, field versions of every field
set, the node's HLC, and one change-log entry per row, a change-log seq per batch transaction, so counties
pull them like any other rows. The county store receives its share as replicas (as a pull leaves them).
Content is drawn from a seeded ``random.Random``: volume follows working days and hours, priorities are
mostly P3/P4, old tickets are closed and recent ones still open.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, select, update

from shared.db.base import META_COLUMNS
from shared.models.cmdb import ConfigItem
from shared.models.forms import FormRecord
from shared.models.org import Team, User
from shared.models.sync import ChangeLogEntry, NodeState, NumberCounter
from shared.models.tickets import Ticket, TicketEntry
from shared.processes.engine import priority_for
from shared.search import ensure_search_index
from shared.store import Store
from shared.sync.codec import DOC_COLUMNS, column_names, encode_value

LARGE_SEED = 20260202
YEARS = 3
BATCH = 5000
COUNTY_SHARE = {"/HQ/GD/SZ/LH/": 0.30, "/HQ/GD/SZ/FT/": 0.25, "/HQ/GD/GZ/TH/": 0.25, "/HQ/GD/GZ/PY/": 0.15,
                "/HQ/GD/SZ/": 0.03, "/HQ/GD/": 0.02}
PROCESSES = (("incident", 0.70), ("request", 0.20), ("change", 0.05), ("problem", 0.03), ("knowledge", 0.02))
PATHS = {  # the state path a finished ticket of each process went through, with the service action of each step
    "incident": (("new", "created"), ("line1", "accept"), ("line2", "dispatch"), ("resolved", "resolve"),
                 ("surveyed", "survey"), ("closed", "close")),
    "request": (("new", "created"), ("waiting_approval", "submit_approval"), ("approved", "approve"),
                ("assigned", "assign"), ("resolved", "resolve"), ("closed", "close")),
    "change": (("new", "created"), ("assess", "assess"), ("authorize", "submit_cab"), ("scheduled", "approve"),
               ("implement", "implement"), ("review", "review"), ("closed", "close")),
    "problem": (("new", "created"), ("analysing", "analyse"), ("known_error", "known_error"),
                ("resolved", "resolve"), ("closed", "close")),
    "knowledge": (("draft", "created"), ("review", "submit"), ("published", "publish")),
}
SUBJECTS = ("打印机", "营销系统", "VPN", "邮箱", "电脑", "显示器", "网络", "OA系统", "财务系统", "视频会议", "门禁",
            "交换机", "服务器", "数据库", "扫描仪", "投影仪", "无线网络", "电话", "杀毒软件", "生产管理系统")
SYMPTOMS = ("无法登录", "运行缓慢", "卡纸", "无法连接", "蓝屏", "报错", "无法打印", "无法开机", "密码重置", "账号锁定",
            "需要安装软件", "需要开通权限", "告警", "掉线", "无声音")
PLACES = ("营业厅", "办公楼三楼", "调度中心", "变电站", "客服中心", "财务部", "机房", "会议室", "仓库", "班组")
SOLUTIONS = ("重启后恢复", "更换硒鼓并清理搓纸轮", "重置账号密码", "重新安装驱动", "更换网线", "清理磁盘空间",
             "升级客户端版本", "调整交换机端口配置", "联系厂商更换硬件", "恢复数据库连接池")
CI_CLASSES = (("terminal", 0.55), ("printer", 0.12), ("peripheral", 0.10), ("network", 0.08), ("server", 0.06),
              ("vm", 0.04), ("storage", 0.02), ("ups", 0.02), ("database", 0.01))
SOP_CODES = tuple(f"SOP-{n:02d}" for n in range(1, 12))
Progress = Callable[[str], None]


@dataclass
class Sizes:
    tickets: int = 200_000
    cis: int = 50_000
    forms: int = 100_000


def weighted(rng: random.Random, pairs: tuple[tuple[Any, float], ...] | list[tuple[Any, float]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


class Writer:
    """Authority rows of one node, in batches: row, field versions, HLC and change-log entry."""

    def __init__(self, store: Store, county: Store | None) -> None:
        self.store, self.county = store, county
        with store.read() as session:
            state = session.get(NodeState, "self")
            assert state is not None
            self.node_id, self.prefix, self.seq = state.node_id, state.number_prefix, int(state.change_seq)
        self.counter = 0
        self.written = 0

    def row(self, cls: type, owner: str, at: datetime, by: str | None, values: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        wall = int(at.timestamp() * 1000)
        fields: dict[str, Any] = {}
        for key in column_names(cls):
            if key in META_COLUMNS or key not in values:
                continue
            value = encode_value(values[key])
            if value is None or value == {} or value == []:
                continue
            if key in DOC_COLUMNS and isinstance(value, dict):
                fields.update({f"{key}.{sub}": [1, self.node_id] for sub in value})
            else:
                fields[key] = [1, self.node_id]
        return {**values, "owner_path": owner, "version": 1, "field_versions": fields, "deleted": False,
                "created_at": at, "updated_at": at, "updated_by": by,
                "hlc": f"{wall:013d}-{self.counter % 100000:05d}-{self.node_id}"}

    def write(self, cls: type, rows: list[dict[str, Any]]) -> None:
        """One transaction: the rows, their change-log entries under a new seq, the node's seq."""
        table: Any = cls.__table__  # type: ignore[attr-defined]
        names = column_names(cls)
        with self.store.engine.begin() as conn:
            self.seq += 1
            conn.execute(insert(table), rows)
            conn.execute(insert(ChangeLogEntry), [{
                "seq": self.seq, "entity": table.name, "row_id": r["id"], "owner_path": r["owner_path"],
                "version": 1, "deleted": False, "origin_node": self.node_id,
                "data": {k: encode_value(r.get(k)) for k in names}} for r in rows])
            conn.execute(update(NodeState).where(NodeState.key == "self").values(change_seq=self.seq))
        if self.county is not None:
            mine = [r for r in rows if r["owner_path"].startswith("/HQ/GD/SZ/LH/")]
            if mine:
                with self.county.engine.begin() as conn:
                    conn.execute(insert(table), mine)
        self.written += len(rows)

    def set_counter(self, prefix: str, last: int) -> None:
        """Numbers the services hand out later continue after the generated ones."""
        with self.store.engine.begin() as conn:
            _upsert_counter(conn, prefix, last)


def _upsert_counter(conn: Connection, prefix: str, last: int) -> None:
    current = conn.execute(select(NumberCounter.last).where(NumberCounter.prefix == prefix)).scalar()
    if current is None:
        conn.execute(insert(NumberCounter), [{"prefix": prefix, "last": last}])
    elif int(current) < last:
        conn.execute(update(NumberCounter).where(NumberCounter.prefix == prefix).values(last=last))


def working_time(rng: random.Random, start: datetime, days: int) -> datetime:
    """A moment in the period, weighted to working days and office hours."""
    while True:
        day = start + timedelta(days=rng.randrange(days))
        if day.weekday() >= 5 and rng.random() < 0.75:
            continue
        hour = int(rng.triangular(0, 24, 10)) if rng.random() < 0.9 else rng.randrange(24)
        return day.replace(hour=hour % 24, minute=rng.randrange(60), second=rng.randrange(60))


class LargeWorld:
    def __init__(self, store: Store, rng: random.Random, now: datetime) -> None:
        self.rng, self.now = rng, now
        self.start = (now - timedelta(days=365 * YEARS)).replace(hour=0, minute=0, second=0, microsecond=0)
        with store.read() as session:
            people = session.scalars(select(User).where(User.deleted.is_(False))).all()
            teams = session.scalars(select(Team).where(Team.deleted.is_(False))).all()
        everyone: list[str | None] = [u.id for u in people] or [None]
        self.users: dict[str, list[str | None]] = {
            path: [u.id for u in people if u.org_path == path] or everyone for path in COUNTY_SHARE}
        self.teams: list[str | None] = [t.id for t in teams] or [None]

    def owner(self) -> str:
        return str(weighted(self.rng, list(COUNTY_SHARE.items())))


def tickets(world: LargeWorld, writer: Writer, count: int, cis: list[str]) -> Iterator[tuple[list, list]]:
    """Batches of (ticket rows, history rows)."""
    rng = world.rng
    days = (world.now - world.start).days
    numbers: dict[str, int] = {}
    batch: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    for _ in range(count):
        proc = weighted(rng, PROCESSES)
        owner = world.owner()
        opened = working_time(rng, world.start, days)
        impact, urgency = weighted(rng, ((3, 0.6), (2, 0.3), (1, 0.1))), weighted(rng, ((3, 0.5), (2, 0.4), (1, 0.1)))
        subject, symptom, place = rng.choice(SUBJECTS), rng.choice(SYMPTOMS), rng.choice(PLACES)
        age = (world.now - opened).days
        path = PATHS[proc]
        steps = len(path) if age > 14 or rng.random() < 0.5 else rng.randrange(1, len(path))
        durations = [timedelta(minutes=rng.expovariate(1 / 240)) for _ in range(steps)]
        times = [opened]
        for d in durations[1:]:
            times.append(min(times[-1] + d, world.now))
        state = path[steps - 1][0]
        prefix = {"incident": "INC", "request": "REQ", "change": "CHG", "problem": "PRB", "knowledge": "KB"}[proc]
        numbers[prefix] = numbers.get(prefix, 0) + 1
        caller = rng.choice(world.users[owner])
        data: dict[str, Any] = {"location": place}
        if state in ("resolved", "surveyed", "closed", "published"):
            data["solution"] = rng.choice(SOLUTIONS)
            if proc == "incident":
                data["resolution_code"] = "fixed"
                data["sla_met"] = rng.random() < 0.93
        if proc == "knowledge":
            data.update(symptom=f"{subject}{symptom}", steps=rng.choice(SOLUTIONS), keywords=subject)
        values = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "process": proc,
            "number": f"{prefix}-{writer.prefix}-{numbers[prefix]:06d}",
            "title": f"{place}{subject}{symptom}", "description": f"{place}反映{subject}{symptom}，请尽快处理。",
            "state": state, "impact": impact, "urgency": urgency, "priority": priority_for(impact, urgency),
            "category": subject, "origin": rng.choice(("phone", "phone", "self_service", "email", "walk_in")),
            "caller_id": caller, "team_id": rng.choice(world.teams), "assignee_id": rng.choice(world.users[owner]),
            "ci_id": rng.choice(cis) if cis and rng.random() < 0.4 else None, "parent_id": None,
            "opened_at": opened,
            "resolved_at": times[-1] if state in ("resolved", "surveyed", "closed", "published") else None,
            "closed_at": times[-1] if state == "closed" else None, "data": data,
        }
        batch.append(writer.row(Ticket, owner, times[-1], caller, values))
        previous = None
        for (target, action), at in zip(path[:steps], times, strict=False):
            entries.append(writer.row(TicketEntry, owner, at, caller, {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "ticket_id": values["id"],
                "kind": "history", "body": action, "author_id": caller,
                "data": {"detail": {"from": previous, "to": target} if previous else {"state": target},
                         "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}}))
            previous = target
        if len(batch) >= BATCH:
            yield batch, entries
            batch, entries = [], []
    yield batch, entries
    for prefix, last in numbers.items():
        writer.set_counter(f"{prefix}-{writer.prefix}", last)


def config_items(world: LargeWorld, writer: Writer, count: int) -> Iterator[list[dict[str, Any]]]:
    rng = world.rng
    days = (world.now - world.start).days
    batch: list[dict[str, Any]] = []
    for n in range(count):
        cls = weighted(rng, CI_CLASSES)
        owner = world.owner()
        at = working_time(rng, world.start, days)
        batch.append(writer.row(ConfigItem, owner, at, None, {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "ci_class": cls,
            "name": f"{cls}-{owner.strip('/').split('/')[-1]}-{n:06d}", "asset_tag": f"GDL{n:08d}",
            "serial": f"SN{rng.getrandbits(40):010X}", "status": weighted(rng, (("在运", 0.85), ("备用", 0.1),
                                                                                  ("报废", 0.05))),
            "brand": rng.choice(("联想", "华为", "惠普", "戴尔", "浪潮", "新华三")),
            "model": f"M{rng.randrange(100, 999)}",
            "location": rng.choice(PLACES), "owner_id": rng.choice(world.users[owner]),
            "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}", "description": "",
            "attributes": {}}))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    yield batch


def form_records(world: LargeWorld, writer: Writer, count: int, cis: list[str]) -> Iterator[list[dict[str, Any]]]:
    rng = world.rng
    days = (world.now - world.start).days
    batch: list[dict[str, Any]] = []
    for n in range(count):
        owner = world.owner()
        planned = working_time(rng, world.start, days)
        done = planned < world.now - timedelta(days=2) or rng.random() < 0.3
        executor = rng.choice(world.users[owner])
        completed = planned + timedelta(minutes=rng.randrange(20, 240)) if done else None
        abnormal = 1 if rng.random() < 0.04 else 0
        batch.append(writer.row(FormRecord, owner, completed or planned, executor, {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "number": f"FR-{writer.prefix}-{n + 1:07d}",
            "template_code": rng.choice(SOP_CODES), "template_version": "1",
            "state": "reviewed" if done else "planned", "ci_id": rng.choice(cis) if cis else None,
            "executor_id": executor, "reviewer_id": rng.choice(world.users[owner]) if done else None,
            "planned_at": planned, "started_at": planned if done else None, "completed_at": completed,
            "reviewed_at": completed, "conclusion": ("abnormal" if abnormal else "normal") if done else "",
            "values": {}, "abnormal_count": abnormal, "shift": "", "data": {}}))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    yield batch


def add_large_data(province: Store, county: Store | None, sizes: Sizes | None = None,
                   progress: Progress | None = None, seed: int = LARGE_SEED,
                   now: datetime | None = None) -> dict[str, int]:
    """Add the large data set to a province database (and the county store's share to it)."""
    sizes = sizes or Sizes()
    say = progress or (lambda _msg: None)
    world = LargeWorld(province, random.Random(seed), now or datetime.now(UTC))
    writer = Writer(province, county)
    ci_ids: list[str] = []
    for rows in config_items(world, writer, sizes.cis):
        if rows:
            writer.write(ConfigItem, rows)
            ci_ids.extend(r["id"] for r in rows)
    say(f"{len(ci_ids):,} CIs")
    made = 0
    history = 0
    for rows, entries in tickets(world, writer, sizes.tickets, ci_ids):
        if rows:
            writer.write(Ticket, rows)
            writer.write(TicketEntry, entries)
            made += len(rows)
            history += len(entries)
            if made % 50_000 < BATCH:
                say(f"{made:,} tickets")
    forms = 0
    for rows in form_records(world, writer, sizes.forms, ci_ids):
        if rows:
            writer.write(FormRecord, rows)
            forms += len(rows)
    say(f"{forms:,} form records")
    return {"tickets": made, "ticket_entries": history, "config_items": len(ci_ids), "form_records": forms}


def build_large_demo(root: Path, force: bool = False, progress: Progress | None = None,
                     sizes: Sizes | None = None) -> Any:
    """The regular demo tree, then the large data set in its province database and county store."""
    from shared.demo import COUNTY_DIR, PROVINCE_FILE, build_demo

    result = build_demo(root, force=force, progress=progress)
    province = Store(f"sqlite:///{Path(root) / PROVINCE_FILE}")
    county = Store.open_dir(Path(root) / COUNTY_DIR)
    try:
        counts = add_large_data(province, county, sizes, progress)
        for store in (province, county):  # the full-text index, built once here rather than on first search
            ensure_search_index(store.engine)
    finally:
        province.close()
        county.close()
    for key, value in counts.items():
        result.counts[key] = result.counts.get(key, 0) + value
    return result
