"""Import a ServiceNow incident audit export into a store (``itops import servicenow-incidents``).

Two passes over the file: a quick scan for the values the mapping covers (and the row count of the
progress bar), then the import proper, a few hundred incidents per write transaction. Every write goes
through a ChangeSet, so a desktop store queues the tickets for its province and a province database
makes them authority versions its counties pull. Ids are deterministic: importing again creates
nothing new, and an interrupted import resumes after the last committed batch (a progress file).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shared.db.base import Synced
from shared.db.types import utcnow
from shared.importers.pipeline import pipelined
from shared.importers.servicenow_mapping import Mapping, MappingError, draft_mapping, load_mapping
from shared.importers.servicenow_plan import Plan, Refs, plan_incident, ref_id
from shared.importers.servicenow_source import Dirty, open_text, read_incidents
from shared.models.cmdb import ConfigItem
from shared.models.org import OrgUnit, Team, User
from shared.models.tickets import Ticket, TicketEntry
from shared.services.errors import Invalid
from shared.services.org import add_org
from shared.store import Store
from shared.sync.capture import ChangeSet

MAPPING_FILE = "servicenow-mapping.yaml"
DIRTY_FILE = "servicenow-dirty-rows.csv"
PROGRESS_FILE = "servicenow-import.progress.json"
Progress = Callable[[int, int], None]


@dataclass
class Scan:
    rows: int = 0
    locations: dict[str, None] = field(default_factory=dict)
    groups: dict[str, None] = field(default_factory=dict)
    callers: dict[str, str] = field(default_factory=dict)  # caller → location of their first row
    cis: dict[str, None] = field(default_factory=dict)


@dataclass
class ImportReport:
    source: str
    dry_run: bool = False
    incidents: int = 0
    events: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    entries: int = 0
    resumed_from_line: int = 0
    users: int = 0
    teams: int = 0
    org_units: int = 0
    not_moved: list[str] = field(default_factory=list)  # numbers whose mapped owner changed since
    dirty: list[Dirty] = field(default_factory=list)
    mapping_path: Path | None = None
    mapping_drafted: bool = False
    dirty_path: Path | None = None

    def counts(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()
                if (isinstance(v, int) and not isinstance(v, bool)) or k == "dry_run"}


def scan(path: Path) -> Scan:
    """Distinct locations, groups, callers and CIs, and the number of rows (fast: no date parsing)."""
    result = Scan()
    for text in open_text(path):
        reader = csv.reader(text)
        header = next(reader, [])
        col = {name: i for i, name in enumerate(header)}
        loc, grp, cal, ci = (col.get(c) for c in ("location", "assignment_group", "caller_id", "cmdb_ci"))
        for row in reader:
            result.rows += 1
            location = _cell(row, loc)
            if location:
                result.locations[location] = None
            if (group := _cell(row, grp)):
                result.groups[group] = None
            if (caller := _cell(row, cal)) and caller not in result.callers:
                result.callers[caller] = location or ""
            if (item := _cell(row, ci)):
                result.cis[item] = None
    return result


def _cell(row: list[str], index: int | None) -> str | None:
    if index is None or index >= len(row):
        return None
    value = row[index].strip()
    return None if value in ("", "?") else value


class Importer:
    def __init__(self, store: Store, source: Path, user_id: str | None, mapping_path: Path | None = None,
                 work_dir: Path | None = None, dry_run: bool = False, batch_size: int = 500,
                 progress: Progress | None = None, now: datetime | None = None) -> None:
        self.store, self.source, self.user_id = store, source, user_id
        self.work_dir = work_dir or store.work_dir()
        self.mapping_path = mapping_path or self.work_dir / MAPPING_FILE
        self.dry_run, self.batch_size, self.progress = dry_run, batch_size, progress
        self.now = now or utcnow()
        node = store.node()
        self.role, self.target_org = node["role"], node["org_path"]
        self.report = ImportReport(source=str(source), dry_run=dry_run)

    # -- the whole run -----------------------------------------------------------------------
    def run(self) -> ImportReport:
        found = scan(self.source)
        mapping = self._mapping(found)
        refs = self._references(found, mapping)
        resume_line = self._resume_line()
        self.report.resumed_from_line = resume_line
        def produce() -> Iterator[Batch]:
            return plan_batches(self.source, mapping, refs, self.target_org, self.now, resume_line,
                                self.batch_size)

        for batch in (produce() if self.dry_run else pipelined(produce)):
            self.report.incidents += batch.incidents
            self.report.events += batch.events
            self.report.dirty.extend(batch.dirty)
            if batch.plans and not self.dry_run:
                self._write(batch.plans)
                self._save_progress(batch.last_line, finished=False)
            elif batch.plans:
                self._count_dry(batch.plans)
            if self.progress:
                self.progress(min(self.report.events, found.rows), found.rows)
        if not self.dry_run:
            self._save_progress(0, finished=True)
            self.report.dirty_path = self._write_dirty()
        return self.report

    # -- mapping and reference rows ------------------------------------------------------------
    def _mapping(self, found: Scan) -> Mapping:
        draft = draft_mapping(self.target_org, self.role != "client", found.locations, found.groups,
                              found.callers)
        self.report.mapping_path = self.mapping_path
        if not self.mapping_path.exists():
            if not self.dry_run:
                self.mapping_path.parent.mkdir(parents=True, exist_ok=True)
                self.mapping_path.write_text(draft.to_yaml(), encoding="utf-8")
                self.report.mapping_drafted = True
            return draft
        mapping = load_mapping(self.mapping_path)
        for name in ("locations", "groups", "callers"):  # values the file does not name: the proposal
            given = getattr(mapping, name)
            for key, value in getattr(draft, name).items():
                given.setdefault(key, value)
        return mapping

    def _references(self, found: Scan, mapping: Mapping) -> Refs:
        """Org units, teams and users the mapping names: found, or created (one transaction)."""
        if self.dry_run:
            with self.store.read() as session:
                return self._resolve(session, None, found, mapping)
        with self.store.write(self.user_id) as cs:
            return self._resolve(cs.session, cs, found, mapping)

    def _resolve(self, session: Session, cs: ChangeSet | None, found: Scan, mapping: Mapping) -> Refs:
        refs = Refs()
        paths = {mapping.locations[loc] for loc in found.locations} | {self.target_org}
        known = set(session.scalars(select(OrgUnit.path).where(OrgUnit.path.in_(paths),
                                                                OrgUnit.deleted.is_(False))))
        names = {p: n for n, p in mapping.locations.items()}
        for path in sorted(paths - known, key=len):
            if self.role == "client":
                raise MappingError(f"org unit {path} does not exist; a desktop store cannot create org units "
                                   f"(map locations to existing units in {self.mapping_path})")
            self.report.org_units += 1
            if cs is not None:
                try:
                    add_org(cs, path, names.get(path, path))
                except Invalid as exc:
                    raise MappingError(f"location → {path}: {exc}") from None
        teams = {str(g["name"]): g for g in (mapping.groups[name] for name in found.groups)}
        existing_teams = {t.name: t.id for t in session.scalars(
            select(Team).where(Team.name.in_(teams), Team.deleted.is_(False)))}
        for name, spec in teams.items():
            if name not in existing_teams:
                self.report.teams += 1
                existing_teams[name] = ref_id("team", name)
                if cs is not None:
                    cs.create(Team, self.target_org, {"name": name, "line": int(spec["line"]),
                                                      "description": "Imported from ServiceNow"},
                              row_id=existing_teams[name])
        refs.teams = {g: existing_teams[str(mapping.groups[g]["name"])] for g in found.groups}
        refs.users = self._users(session, cs, found, mapping)
        refs.cis = {c.name: c.id for c in session.scalars(
            select(ConfigItem).where(ConfigItem.name.in_(list(found.cis)), ConfigItem.deleted.is_(False)))}
        return refs

    def _users(self, session: Session, cs: ChangeSet | None, found: Scan, mapping: Mapping) -> dict[str, str]:
        wanted = {mapping.callers[c] for c in found.callers}
        existing: dict[str, str] = {}
        for chunk in _chunks(sorted(wanted), 900):
            rows = session.execute(select(User.username, User.id).where(User.username.in_(chunk)))
            existing.update((name, uid) for name, uid in rows)
        result: dict[str, str] = {}
        for caller, location in found.callers.items():
            username = mapping.callers[caller]
            if username not in existing:
                if self.role == "client":
                    continue  # kept as data.caller_ref: desktop stores cannot create users
                existing[username] = ref_id("user", username)
                self.report.users += 1
                org = mapping.locations.get(location, self.target_org)
                if cs is not None:
                    cs.create(User, org, {"username": username, "full_name": caller, "org_path": org,
                                          "roles": [], "active": True}, row_id=existing[username])
            result[caller] = existing[username]
        return result

    # -- tickets ---------------------------------------------------------------------------------
    def _write(self, plans: list[Plan]) -> None:
        with self.store.write(self.user_id) as cs:
            session = cs.session
            ids = [p.ticket_id for p in plans]
            tickets = {t.id: t for t in session.scalars(select(Ticket).where(Ticket.id.in_(ids)))}
            have = set(session.scalars(select(TicketEntry.id).where(TicketEntry.ticket_id.in_(ids))))
            new_rows: list[Synced] = []
            for plan in plans:
                row = tickets.get(plan.ticket_id)
                if row is None:
                    row = cs.create(Ticket, plan.owner_path, plan.values, row_id=plan.ticket_id)
                    new_rows.append(row)
                    self.report.created += 1
                else:
                    self._update(cs, row, plan)
                for entry_id, values in plan.entries:
                    if entry_id not in have:
                        new_rows.append(cs.create(TicketEntry, row.owner_path, values, row_id=entry_id,
                                                  op="append"))
                        self.report.entries += 1
            insert_created(session, new_rows)

    def _update(self, cs: ChangeSet, row: Ticket, plan: Plan) -> None:
        if row.owner_path != plan.owner_path:
            self.report.not_moved.append(plan.values["number"])
        if row.deleted:  # deleted in ITOps since the last import: left alone
            self.report.unchanged += 1
            return
        values = dict(plan.values)
        values["data"] = {**(row.data or {}), **values["data"]}  # keep what ITOps users added
        if cs.update(row, values):
            self.report.updated += 1
        else:
            self.report.unchanged += 1

    def _count_dry(self, plans: list[Plan]) -> None:
        with self.store.read() as session:
            ids = [p.ticket_id for p in plans]
            existing = set(session.scalars(select(Ticket.id).where(Ticket.id.in_(ids))))
            have = set(session.scalars(select(TicketEntry.id).where(TicketEntry.ticket_id.in_(ids))))
        for plan in plans:
            if plan.ticket_id in existing:
                self.report.unchanged += 1
            else:
                self.report.created += 1
            self.report.entries += sum(1 for entry_id, _ in plan.entries if entry_id not in have)

    # -- resume and reports ------------------------------------------------------------------------
    def _progress_path(self) -> Path:
        return self.work_dir / PROGRESS_FILE

    def _fingerprint(self) -> dict[str, Any]:
        stat = self.source.stat()
        return {"source": str(self.source.resolve()), "size": stat.st_size, "mtime": int(stat.st_mtime),
                "target": self.store.url}

    def _resume_line(self) -> int:
        path = self._progress_path()
        if self.dry_run or not path.exists():
            return 0
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0
        same = all(saved.get(k) == v for k, v in self._fingerprint().items())
        return int(saved.get("lines_done", 0)) if same and not saved.get("finished") else 0

    def _save_progress(self, lines_done: int, finished: bool) -> None:
        path = self._progress_path()
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({**self._fingerprint(), "lines_done": lines_done, "finished": finished,
                                   "at": utcnow().isoformat()}), encoding="utf-8")
        tmp.replace(path)

    def _write_dirty(self) -> Path:
        path = self.mapping_path.parent / DIRTY_FILE
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "number", "column", "value", "reason"])
            for d in self.report.dirty:
                writer.writerow([d.line, d.number, d.column, d.value, d.reason])
        return path


def insert_created(session: Session, rows: list[Synced]) -> None:
    """Persist rows a ChangeSet just created with one multi-row INSERT per table instead of the ORM
    unit of work (the import's bottleneck). The ChangeSet has set every column (ids, versions, HLC,
    outbox or change-log entry); the rows leave the session and their column values go in unchanged."""
    by_table: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        session.expunge(row)
        table = row.__table__  # type: ignore[attr-defined]
        by_table.setdefault(table, []).append({c.key: getattr(row, c.key) for c in table.columns})
    for table, values in by_table.items():
        for start in range(0, len(values), 2000):
            session.execute(insert(table), values[start:start + 2000])


@dataclass
class Batch:
    plans: list[Plan]
    last_line: int
    incidents: int = 0
    events: int = 0
    dirty: list[Dirty] = field(default_factory=list)


def plan_batches(source: Path, mapping: Mapping, refs: Refs, target_org: str, now: datetime, resume_line: int,
                 batch_size: int) -> Iterator[Batch]:
    """The incidents of the file as ticket plans, ``batch_size`` per batch; incidents an interrupted run
    committed (up to ``resume_line``) are counted and checked but not planned again. A number whose rows
    come back later in the same batch starts a new batch (its earlier rows are written first)."""
    batch = Batch([], 0)
    numbers: set[str] = set()
    for incident in read_incidents(source, mapping.zone(), now):
        if incident.number in numbers or len(batch.plans) >= batch_size:
            yield batch
            batch, numbers = Batch([], batch.last_line), set()
        batch.incidents += 1
        batch.events += len(incident.events)
        batch.last_line = incident.events[-1].line
        if not incident.number:
            batch.dirty.extend(Dirty(e.line, "", "number", "", "no incident number: row not imported")
                               for e in incident.events)
            continue
        plan = plan_incident(incident, mapping, refs, target_org)
        batch.dirty.extend(plan.dirty)
        if batch.last_line > resume_line:
            batch.plans.append(plan)
            numbers.add(incident.number)
    yield batch


def import_incidents(store: Store, source: Path, user_id: str | None, **options: Any) -> ImportReport:
    return Importer(store, source, user_id, **options).run()


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
