"""The IT-equipment lifecycle engine: one state machine read from shared/resources/cmdb/lifecycle.yaml.

``perform`` checks the action is legal from the CI's state, validates its form, runs its effects
(attributes set from the form, relations ended, rack positions freed, handover bookkeeping), renders
the PDF record, attaches it to the CI and appends a ``LifecycleRecord`` — all in the caller's
transaction, so a refused action leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import select

from shared.cmdb import racks
from shared.cmdb.classes import registry, relation_defs
from shared.cmdb.states import lifecycle_doc, state_label
from shared.db.types import utcnow
from shared.models.cmdb import CIRelation, ConfigItem, LifecycleRecord
from shared.services import cmdb
from shared.services.actor import Actor
from shared.services.errors import Invalid
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

HANDOVER = "handover"  # attribute holding a pending handover request


@dataclass(frozen=True)
class FormField:
    code: str
    zh: str
    en: str
    type: str = "str"
    required: bool = False
    values: tuple[str, ...] = ()
    items: tuple[tuple[str, str, str], ...] = ()  # checklist items: (code, zh, en)

    def label(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class Action:
    code: str
    zh: str
    en: str
    sources: tuple[str, ...]
    target: str | None
    form: tuple[FormField, ...]
    effects: tuple[Any, ...]

    def label(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


def _field(raw: dict[str, Any]) -> FormField:
    label = raw.get("label") or {}
    items = tuple((str(i["code"]), str(i["label"]["zh"]), str(i["label"]["en"])) for i in raw.get("items") or ())
    return FormField(code=raw["code"], zh=label.get("zh", raw["code"]), en=label.get("en", raw["code"]),
                     type=raw.get("type", "str"), required=bool(raw.get("required")),
                     values=tuple(raw.get("values") or ()), items=items)


@lru_cache(maxsize=1)
def actions() -> dict[str, Action]:
    out: dict[str, Action] = {}
    for code, raw in lifecycle_doc()["actions"].items():
        out[code] = Action(code=code, zh=raw["label"]["zh"], en=raw["label"]["en"],
                           sources=tuple(raw["from"]), target=raw.get("to"),
                           form=tuple(_field(f) for f in raw.get("form") or ()),
                           effects=tuple(raw.get("effects") or ()))
    return out


def action(code: str) -> Action:
    try:
        return actions()[code]
    except KeyError:
        raise Invalid(f"unknown lifecycle action {code!r}; actions: {', '.join(actions())}") from None


def available(ci: dict[str, Any] | ConfigItem) -> list[Action]:
    """The actions legal from a CI's state (and its pending handover, if any)."""
    status = ci["status"] if isinstance(ci, dict) else ci.status
    attrs = (ci["attributes"] if isinstance(ci, dict) else ci.attributes) or {}
    pending = bool(attrs.get(HANDOVER))
    out = []
    for act in actions().values():
        if status not in act.sources:
            continue
        if act.code in ("handover_accept", "handover_refuse") and not pending:
            continue
        if act.code == "handover_request" and pending:
            continue
        out.append(act)
    return out


def check_form(act: Action, values: dict[str, Any]) -> dict[str, Any]:
    """The typed form values, or Invalid naming the first field that is wrong."""
    known = {f.code for f in act.form}
    unknown = sorted(set(values) - known)
    if unknown:
        raise Invalid(f"{act.zh}: unknown field {unknown[0]!r}; fields: {', '.join(sorted(known))}")
    typed: dict[str, Any] = {}
    for f in act.form:
        value = values.get(f.code)
        if f.type == "checklist":
            typed[f.code] = _checklist(act, f, value)
            continue
        text = "" if value is None else str(value).strip()
        if not text:
            if f.required:
                raise Invalid(f"{act.zh}: {f.zh} ({f.code}) is required")
            continue
        if f.type == "enum" and text not in f.values:
            raise Invalid(f"{act.zh}: {f.zh} must be one of {', '.join(f.values)}")
        if f.type == "date":
            try:
                text = date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                raise Invalid(f"{act.zh}: {f.zh} {text!r} is not a date (YYYY-MM-DD)") from None
        typed[f.code] = text
    return typed


def _checklist(act: Action, f: FormField, value: Any) -> dict[str, bool]:
    """A checklist comes as {item: bool} or a list / comma-separated string of ticked items."""
    codes = [i[0] for i in f.items]
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple, set)):
        if "all" in value:
            value = codes
        value = {c: c in value for c in codes} | {v: True for v in value if v not in codes}
    ticked = dict(value or {})
    stray = sorted(set(ticked) - set(codes))
    if stray:
        raise Invalid(f"{act.zh}: {f.zh} has no item {stray[0]!r}; items: {', '.join(codes)}")
    result = {c: bool(ticked.get(c)) for c in codes}
    missing = [zh for c, zh, _en in f.items if not result[c]]
    if f.required and missing:
        raise Invalid(f"{act.zh}: {f.zh} not complete — {', '.join(missing)}")
    return result


def perform(cs: ChangeSet, actor: Actor, ci_ref: str, code: str, values: dict[str, Any] | None = None,
            ) -> dict[str, Any]:
    """Run a lifecycle action on a CI; returns the lifecycle record (with ``attachment_id``)."""
    from shared.pdf.cmdb_records import render_record
    from shared.services.attachments import add_attachment

    act = action(code)
    ci = cmdb._load(cs.session, actor, ci_ref)
    actor.require_scope(ci.owner_path)
    legal = [a.code for a in available(ci)]
    if code not in legal:
        raise Invalid(f"{act.zh} ({code}) is not allowed for {ci.name} in state {state_label(ci.status)}; "
                      f"allowed: {', '.join(legal) or 'none (the record is frozen)'}")
    typed = check_form(act, dict(values or {}))
    if code == "decommission_start" and not typed.get("impact"):
        typed["impact"] = _impact_summary(cs, ci)
    updates, outcome = _effects(cs, actor, act, ci, typed)
    before = ci.status
    after = act.target or before
    number = next_number(cs.session, "CIR")
    record = {"number": number, "action": code, "from_state": before, "to_state": after, "values": typed,
              "outcome": outcome, "actor_id": actor.user_id}
    pdf = render_record(_snapshot(cs, ci), act, record, actor.username, utcnow())
    att = add_attachment(cs, actor, ci.owner_path, "config_items", ci.id, f"{number}-{act.zh}.pdf", pdf,
                         "application/pdf")
    row = cs.append(LifecycleRecord, ci.owner_path, {
        "ci_id": ci.id, "number": number, "action": code, "from_state": before, "to_state": after,
        "actor_id": actor.user_id, "attachment_id": att["id"], "values": {**typed, **outcome}})
    if after != before:
        updates["status"] = after
    if updates:
        cmdb.update_ci(cs, actor, ci.id, updates, lifecycle=True)
    return row_to_dict(row)


def _snapshot(cs: ChangeSet, ci: ConfigItem) -> dict[str, Any]:
    shown = {k: getattr(ci, k) for k in ("id", "name", "ci_class", "asset_tag", "serial", "brand", "model",
                                          "location", "ip", "owner_path", "status")}
    shown["ci_class"] = registry(cs.session).get(ci.ci_class).zh
    return shown


def _impact_summary(cs: ChangeSet, ci: ConfigItem) -> str:
    from shared.cmdb.impact import analyse

    result = analyse(cs.session, [ci.id], "down", depth=3, cap=20)
    if not result.items:
        return "无依赖此设备的配置项"
    names = "、".join(i.name for i in result.items)
    return f"影响{len(result.items)}个配置项：{names}" + (f"（{result.warning}）" if result.truncated else "")


def _place(cs: ChangeSet, actor: Actor, ci: ConfigItem, typed: dict[str, Any]) -> dict[str, Any]:
    """移位: into a rack at a U (booked like ``racks.place``), or out of any rack to a written location."""
    if typed.get("rack"):
        try:
            u = int(typed.get("u") or "")
        except ValueError:
            raise Invalid("移位: give the lowest U (u) as a number") from None
        placed = racks.place(cs, actor, ci.id, typed["rack"], u)
        return {"location": placed["location"]}
    if not typed.get("location"):
        raise Invalid("移位: give a rack and U, or the new location")
    freed = racks.free(cs, ci)
    cmdb.update_ci(cs, actor, ci.id, {"location": typed["location"]})
    return {"location": typed["location"], **({"rack_freed": f"U{freed[0]}-U{freed[-1]}"} if freed else {})}


def _effects(cs: ChangeSet, actor: Actor, act: Action, ci: ConfigItem, typed: dict[str, Any],
             ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Field updates for the CI and facts to keep in the record (relations ended, Us freed …)."""
    updates: dict[str, Any] = {}
    outcome: dict[str, Any] = {}
    attrs = dict(ci.attributes or {})
    for effect in act.effects:
        if isinstance(effect, dict) and "set" in effect:
            for target, source in effect["set"].items():
                if typed.get(source):
                    updates[target] = typed[source]
        elif effect == "place":
            outcome.update(_place(cs, actor, ci, typed))
        elif effect == "end_relations":
            ended = []
            for rel in cs.session.scalars(select(CIRelation).where(
                    (CIRelation.source_id == ci.id) | (CIRelation.target_id == ci.id),
                    CIRelation.deleted.is_(False))):
                other = cs.session.get(ConfigItem, rel.target_id if rel.source_id == ci.id else rel.source_id)
                label = relation_defs().get(rel.rel_type, {}).get("label", {}).get("zh", rel.rel_type)
                ended.append(f"{label} {other.name if other else rel.target_id}")
                cs.unlink(rel)
            outcome["relations_ended"] = sorted(ended)
        elif effect == "free_rack":
            place = racks.position_of(cs.session, ci.id)
            freed = racks.free(cs, ci)
            if freed and place:
                rack = cs.session.get(ConfigItem, place[0])
                outcome["rack_freed"] = f"{rack.name if rack else place[0]} U{freed[0]}-U{freed[-1]}"
        elif effect == "handover_request":
            attrs[HANDOVER] = {"receiver": typed["receiver"], "from_party": typed["from_party"],
                               "package": typed.get("package", {})}
            updates[HANDOVER] = attrs[HANDOVER]
        elif effect == "handover_accept":
            pending = attrs.get(HANDOVER) or {}
            missing = [k for k, ok in (pending.get("package") or {}).items() if not ok]
            if missing:
                raise Invalid(f"the handover package is incomplete ({', '.join(missing)}): the receiver can "
                              f"only refuse it (handover_refuse)")
            updates[HANDOVER] = None
            updates["custodian"] = pending.get("receiver", "")
            outcome["receiver"] = pending.get("receiver", "")
        elif effect == "handover_refuse":
            outcome["refused_request"] = attrs.get(HANDOVER) or {}
            updates[HANDOVER] = None
    return updates, outcome


def records(cs_or_session: Any, ci_id: str) -> list[dict[str, Any]]:
    session = getattr(cs_or_session, "session", cs_or_session)
    rows = session.scalars(select(LifecycleRecord).where(LifecycleRecord.ci_id == ci_id,
                                                         LifecycleRecord.deleted.is_(False))
                           .order_by(LifecycleRecord.created_at, LifecycleRecord.id))
    return [row_to_dict(r) for r in rows]
