"""履历: one timeline per CI, read from the records themselves (never a copy): the CI's creation,
its lifecycle records (投运, 变更, 移位, 退运 …), tickets naming it (``ci_id`` or a change's
``data.affected_cis``), form records about it (inspections, SOP work) and its rack placements."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from shared.cmdb.classes import registry
from shared.cmdb.lifecycle import actions
from shared.cmdb.states import state_label
from shared.models.cmdb import CIRelation, ConfigItem, LifecycleRecord
from shared.models.forms import FormRecord
from shared.models.tickets import Ticket

PROCESS_LABELS = {"incident": "事件", "request": "请求", "problem": "问题", "change": "变更", "release": "发布"}


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # created | lifecycle | ticket | form | placement
    title: str
    detail: str
    ref_entity: str
    ref_id: str

    def as_dict(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "kind": self.kind, "title": self.title, "detail": self.detail,
                "ref_entity": self.ref_entity, "ref_id": self.ref_id}


def timeline(session: Session, ci_id: str) -> list[Entry]:
    ci = session.get(ConfigItem, ci_id)
    if ci is None:
        return []
    cls = registry(session).classes.get(ci.ci_class)
    entries = [Entry(ci.created_at, "created", "建档", f"{ci.name}（{cls.zh if cls else ci.ci_class}）",
                     "config_items", ci.id)]
    known = actions()
    for rec in session.scalars(select(LifecycleRecord).where(LifecycleRecord.ci_id == ci_id,
                                                             LifecycleRecord.deleted.is_(False))):
        act = known.get(rec.action)
        label = act.zh if act else rec.action
        move = f"{state_label(rec.from_state)} → {state_label(rec.to_state)}" if rec.from_state != rec.to_state \
            else state_label(rec.to_state)
        extra = rec.values.get("location") or rec.values.get("reason") or rec.values.get("content") or ""
        entries.append(Entry(rec.created_at, "lifecycle", f"{label} {rec.number}",
                             f"{move} {extra}".strip(), "ci_lifecycle_records", rec.id))
    tickets = session.scalars(select(Ticket).where(
        (Ticket.ci_id == ci_id) | cast(Ticket.data, Text).contains(ci_id), Ticket.deleted.is_(False)))
    for t in tickets:
        if t.ci_id != ci_id and ci_id not in ((t.data or {}).get("affected_cis") or []):
            continue  # the id appeared elsewhere in the document
        kind = PROCESS_LABELS.get(t.process, t.process)
        entries.append(Entry(t.opened_at or t.created_at, "ticket", f"{kind} {t.number}", f"{t.title}（{t.state}）",
                             "tickets", t.id))
    for f in session.scalars(select(FormRecord).where(FormRecord.ci_id == ci_id, FormRecord.deleted.is_(False))):
        entries.append(Entry(f.completed_at or f.planned_at or f.created_at, "form",
                             f"{f.template_code} {f.number}", f"{f.state} {f.conclusion}".strip(),
                             "form_records", f.id))
    for rel in session.scalars(select(CIRelation).where(CIRelation.source_id == ci_id,
                                                        CIRelation.rel_type == "located_in")):
        target = session.get(ConfigItem, rel.target_id)
        if target is None or target.ci_class != "rack":
            continue
        u = (rel.attributes or {}).get("u")
        where = f"{target.name} U{u}" if u else target.name
        entries.append(Entry(rel.created_at, "placement", "上架" if not rel.deleted else "上架（已下架）", where,
                             "ci_relations", rel.id))
    return sorted(entries, key=lambda e: (e.at, e.kind, e.ref_id))
