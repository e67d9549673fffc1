"""CI import and export as CSV or XLSX.

Import is two steps: ``plan`` maps the columns (by field code, or the Chinese or English label of an
attribute, or an explicit mapping) and checks every row — class, types, enums, required and unique
values, duplicates inside the file — giving what would be created, updated or rejected (row number
and reason). ``apply`` writes the plan in one transaction and refuses any plan with a rejected row:
never a half-import. The input file is only read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.cmdb import classes
from shared.models.cmdb import ConfigItem
from shared.services import cmdb
from shared.services.actor import Actor
from shared.services.errors import Invalid, ServiceError
from shared.sync.capture import ChangeSet

if TYPE_CHECKING:
    from shared.store import Store

# Special columns beside the attribute codes; each with the labels accepted as headers.
SPECIAL = {"ci_class": ("class", "ci_class", "类别", "分类", "Class"), "status": ("status", "状态", "Status"),
           "owner_path": ("org", "owner_path", "所属单位", "Org")}
EXPORT_BASE = ("asset_tag", "ci_class", "name", "status", "brand", "model", "serial", "ip", "location",
               "owner_path")


@dataclass
class RowPlan:
    row: int  # 1-based row number in the file (the header is row 1)
    action: str  # create | update | unchanged | reject
    name: str = ""
    ci_class: str = ""
    reason: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    ci_id: str | None = None


@dataclass
class ImportPlan:
    mapping: dict[str, str]
    ignored: list[str]
    rows: list[RowPlan] = field(default_factory=list)

    def of(self, action: str) -> list[RowPlan]:
        return [r for r in self.rows if r.action == action]

    @property
    def ok(self) -> bool:
        return not self.of("reject")

    def summary(self) -> dict[str, int]:
        return {a: len(self.of(a)) for a in ("create", "update", "unchanged", "reject")}


def read_table(path: Path) -> tuple[list[str], list[list[Any]]]:
    """Header and data rows of a .csv (UTF-8, with or without BOM; GBK accepted) or .xlsx file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        finally:
            wb.close()
    elif suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gbk")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
    else:
        raise Invalid(f"{path.name}: only .csv and .xlsx files can be imported")
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        raise Invalid(f"{path.name} is empty")
    return [str(h or "").strip() for h in rows[0]], rows[1:]


def guess_mapping(reg: classes.Registry, headers: list[str]) -> dict[str, str]:
    """header → field code, for the headers recognised by code or label."""
    names: dict[str, str] = {}
    for code, labels in SPECIAL.items():
        for label in labels:
            names[label.lower()] = code
    for cls in reg.classes.values():
        for attr in cls.own:
            for label in (attr.code, attr.zh, attr.en):
                names.setdefault(label.lower(), attr.code)
    return {h: names[h.lower()] for h in headers if h and h.lower() in names}


def plan(session: Session, actor: Actor, headers: list[str], rows: list[list[Any]],
         mapping: dict[str, str] | None = None) -> ImportPlan:
    reg = classes.registry(session)
    cols = {**guess_mapping(reg, headers), **(mapping or {})}
    result = ImportPlan(mapping=cols, ignored=[h for h in headers if h not in cols])
    if "name" not in cols.values() or "ci_class" not in cols.values():
        raise Invalid("the file needs a name column and a class column (map them with --map HEADER=FIELD)")
    seen: dict[tuple[str, Any], int] = {}
    for number, raw in enumerate(rows, start=2):
        values = {cols[h]: v for h, v in zip(headers, raw, strict=False) if h in cols and v not in (None, "")}
        result.rows.append(_plan_row(session, actor, reg, number, values, seen))
    return result


def _plan_row(session: Session, actor: Actor, reg: classes.Registry, number: int, values: dict[str, Any],
              seen: dict[tuple[str, Any], int]) -> RowPlan:
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    name = str(values.pop("name", "") or "")
    ci_class = str(values.pop("ci_class", "") or "")
    owner = str(values.pop("owner_path", "") or "") or actor.org_path
    plan_row = RowPlan(row=number, action="reject", name=name, ci_class=ci_class)
    try:
        if not name or not ci_class:
            raise Invalid("a name and a class are required")
        actor.require_scope(owner)
        tag = values.get("asset_tag")
        row = session.scalar(select(ConfigItem).where(ConfigItem.asset_tag == str(tag),
                                                      ConfigItem.deleted.is_(False))) if tag else None
        if row is not None:
            if not actor.can_see(row.owner_path):
                raise Invalid(f"asset tag {tag} belongs to a CI outside your scope")
            if reg.get(ci_class).code != row.ci_class:
                raise Invalid(f"asset tag {tag} is a {row.ci_class}, not a {ci_class}")
            values.pop("status", None)
            code, typed = classes.validate(reg, row.ci_class, {**values, "name": name}, classes.as_fields(row))
        else:
            code, typed = classes.validate(reg, ci_class, {**values, "name": name})
        classes.check_unique(session, reg, code, typed, ci_id=row.id if row else None)
        for attr in reg.attributes(code):
            key = (attr.code, typed.get(attr.code))
            if attr.unique and key[1] not in (None, ""):
                if key in seen:
                    raise Invalid(f"{attr.code} ({attr.zh}) {key[1]} repeats row {seen[key]}")
                seen[key] = number
        plan_row.ci_class, plan_row.fields = code, {**typed, "owner_path": owner}
        if row is None:
            plan_row.action = "create"
        else:
            current = classes.as_fields(row)
            changed = {k: v for k, v in typed.items() if current.get(k) != v}
            plan_row.action, plan_row.ci_id = ("update" if changed else "unchanged"), row.id
    except ServiceError as exc:
        plan_row.reason = str(exc)
    return plan_row


def apply(cs: ChangeSet, actor: Actor, result: ImportPlan) -> dict[str, int]:
    """Write a checked plan; refuses the whole import if any row was rejected."""
    if not result.ok:
        first = result.of("reject")[0]
        raise Invalid(f"{len(result.of('reject'))} rows rejected (row {first.row}: {first.reason}); "
                      f"nothing imported")
    for r in result.rows:
        fields = dict(r.fields)
        owner = fields.pop("owner_path")
        try:
            if r.action == "create":
                cmdb.create_ci(cs, actor, r.ci_class, r.name, fields, owner_path=owner)
            elif r.action == "update" and r.ci_id:
                cmdb.update_ci(cs, actor, r.ci_id, fields)
        except ServiceError as exc:  # changed since the plan: still all or nothing
            raise Invalid(f"row {r.row}: {exc}; nothing imported") from None
    return result.summary()


# -- export -------------------------------------------------------------------------------------------

def export_rows(session: Session, actor: Actor, ci_class: str | None = None, location: str | None = None,
                batch: int = 500) -> tuple[list[str], Iterator[list[Any]]]:
    """Columns and rows of the CIs in scope (paged in SQL); attribute columns of the class, or of all."""
    reg = classes.registry(session)
    attrs = reg.attributes(ci_class) if ci_class else [a for c in reg.classes.values() for a in c.own]
    extra: list[str] = []
    for a in attrs:
        if a.code not in EXPORT_BASE and a.code not in extra and a.code not in ("description",):
            extra.append(a.code)
    columns = [*EXPORT_BASE, *extra, "description"]

    def rows() -> Iterator[list[Any]]:
        offset = 0
        while True:
            page = cmdb.list_cis(session, actor, ci_class, limit=batch, offset=offset, location=location)
            for ci in page:
                merged = {**ci, **(ci["attributes"] or {})}
                yield [_cell(merged.get(c)) for c in columns]
            if len(page) < batch:
                return
            offset += batch

    return columns, rows()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return str(value)
    return value


def write_table(path: Path, columns: list[str], rows: Iterator[list[Any]]) -> int:
    count = 0
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("CIs")
        ws.append(columns)
        for r in rows:
            ws.append(r)
            count += 1
        wb.save(path)
        return count
    if path.suffix.lower() != ".csv":
        raise Invalid(f"{path.name}: export to .csv or .xlsx")
    with open(path, "w", encoding="utf-8-sig", newline="") as out:  # the BOM lets Excel read UTF-8
        writer = csv.writer(out)
        writer.writerow(columns)
        for r in rows:
            writer.writerow(r)
            count += 1
    return count


def export_cis(store: Store, actor: Actor, path: Path, ci_class: str | None = None,
               location: str | None = None) -> int:
    """Write the CIs in ``actor``'s scope to ``path`` and put the export on the audit log (data that leaves
    the system is a security-relevant event: who, which file, how many rows, which filter)."""
    from shared import audit

    with store.read() as session:
        columns, rows = export_rows(session, actor, ci_class, location)
        count = write_table(path, columns, rows)
    with store.write(actor.user_id) as cs:
        audit.record(cs, actor, "exported", path.name, {"kind": "cis", "rows": count, "class": ci_class or "",
                                                         "location": location or ""})
    return count
