"""Reads and writes for the CMDB area, run in background ops: plain data in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shared.cmdb import history, impact, lifecycle
from shared.cmdb.classes import registry
from shared.cmdb.states import state_label
from shared.models.cmdb import ConfigItem
from shared.services import cmdb
from shared.services.actor import Actor
from shared.services.attachments import list_attachments
from shared.store import Store

PAGE_SIZE = 200


@dataclass(frozen=True)
class CIQuery:
    ci_class: str | None = None
    location: str = ""
    text: str = ""


@dataclass(frozen=True)
class Page:
    offset: int
    rows: list[dict[str, Any]]
    total: int


def class_tree(store: Store) -> list[dict[str, Any]]:
    """Classes in tree order with their depth, for the class filter."""
    with store.read() as session:
        reg = registry(session)
    out: list[dict[str, Any]] = []

    def walk(code: str, depth: int) -> None:
        cls = reg.classes[code]
        out.append({"code": code, "zh": cls.zh, "en": cls.en, "depth": depth})
        for child in reg.children(code):
            walk(child.code, depth + 1)

    for root in (c for c in reg.classes.values() if not c.parent):
        walk(root.code, 0)
    return out


def load_page(store: Store, actor: Actor, query: CIQuery, offset: int, limit: int) -> Page:
    with store.read() as session:
        rows = cmdb.list_cis(session, actor, query.ci_class, limit, offset, query.location or None,
                             query.text or None)
        total = cmdb.count_cis(session, actor, query.ci_class, query.location or None, query.text or None)
    return Page(offset, rows, total)


def load_detail(store: Store, actor: Actor, ci_id: str, lang: str) -> dict[str, Any]:
    with store.read() as session:
        ci = cmdb.get_ci(session, actor, ci_id)
        reg = registry(session)
        attrs = []
        for a in reg.attributes(ci["ci_class"]):
            value = ci.get(a.code) if a.code in ci else (ci["attributes"] or {}).get(a.code)
            if value not in (None, "") and a.code != "name":
                attrs.append((a.label(lang), str(value)))
        ids = {r[k] for r in ci["relations"] for k in ("source_id", "target_id")} - {ci["id"]}
        names = {r.id: r.name for r in session.scalars(select(ConfigItem).where(ConfigItem.id.in_(ids)))}
        relations = []
        for r in ci["relations"]:
            outgoing = r["source_id"] == ci["id"]
            other = r["target_id"] if outgoing else r["source_id"]
            relations.append({"type": r["rel_type"], "outgoing": outgoing, "other_id": other,
                              "other": names.get(other, other[:8])})
        entries = [e.as_dict() for e in history.timeline(session, ci["id"])]
        files = list_attachments(session, "config_items", ci["id"])
    actions = [{"code": a.code, "label": a.label(lang), "target": a.target} for a in lifecycle.available(ci)]
    cls = reg.get(ci["ci_class"])
    return {**ci, "class_label": cls.label(lang), "state_label": state_label(ci["status"], lang),
            "attribute_rows": attrs, "relation_rows": relations, "history": entries, "actions": actions,
            "files": [{"id": f["id"], "name": f["name"]} for f in files]}


def load_impact(store: Store, ci_id: str, direction: str, depth: int, cap: int = 50) -> dict[str, Any]:
    with store.read() as session:
        root = session.get(ConfigItem, ci_id)
        result = impact.analyse(session, [ci_id], "up" if direction == "up" else "down", depth, cap)
    nodes = [{"id": ci_id, "name": root.name if root else ci_id, "class": root.ci_class if root else "",
              "depth": 0}]
    nodes += [{"id": i.ci_id, "name": i.name, "class": i.ci_class, "depth": i.depth} for i in result.items]
    return {"nodes": nodes, "edges": result.edges, "warning": result.warning, "truncated": result.truncated,
            "spared": len(result.spared), "direction": direction}


def perform(store: Store, actor: Actor, ci_id: str, action: str, values: dict[str, Any]) -> dict[str, Any]:
    with store.write(actor.user_id) as cs:
        return lifecycle.perform(cs, actor, ci_id, action, values)


def attachment_bytes(store: Store, attachment_id: str) -> bytes:
    from shared.services.attachments import attachment_content

    with store.read() as session:
        return attachment_content(session, attachment_id)
