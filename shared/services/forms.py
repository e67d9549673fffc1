"""Work-form records (作业表单): templates, the record life cycle, photos, signatures, abnormal → incident.

Templates: HQ drafts a version (a draft is edited by drafting again), submits it for review, and a
reviewer (role approver or admin, not the one who submitted it) approves it — published — or
rejects it with a comment (back to draft); a published version may later be retired. Only the
newest published version (or the built-in one, if newer) is used for new records.

Life cycle: planned → in_progress → completed → reviewed; a reviewer may return a completed form
(→ in_progress). Completing checks required items and the required-if rules, computes the auto
items, and raises a linked incident for every alarm; other abnormal items offer one
(``raise_incident``). A record keeps the template version it was created with.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.forms import engine
from shared.forms.document import FormDocument
from shared.forms.ranges import ALARM
from shared.forms.registry import builtin, builtin_templates, parse_template
from shared.forms.schema import Item, Template, version_key
from shared.forms.yamllines import TemplateError
from shared.models.cmdb import ConfigItem
from shared.models.forms import FormRecord, FormTemplate, MachineRoom
from shared.models.org import OrgUnit, User
from shared.models.tickets import Ticket
from shared.processes.calendar import CHINA
from shared.services import attachments, tickets
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.services.numbering import next_number
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

ENTITY = "form_records"
STATES = ("planned", "in_progress", "completed", "reviewed")
EDITABLE = ("planned", "in_progress")
HQ_PATH = "/HQ/"
TEMPLATE_STATES = ("draft", "review", "published", "retired")
REVIEWERS = ("approver", "admin")  # roles that approve or reject a template version
RECORD_NAMESPACE = uuid.UUID("0b6c9f1e-2d4a-4f3b-8c7e-5a1d9e2f4b60")
SIGNATURE_ITEMS = {"executor": engine.EXECUTOR_SIGNATURE, "reviewer": engine.REVIEWER_SIGNATURE}
LEVEL_ZH = {"warn": "预警", "alarm": "告警"}


# -- templates -----------------------------------------------------------------------------------
def _published(session: Session, code: str) -> list[FormTemplate]:
    return list(session.scalars(select(FormTemplate).where(FormTemplate.code == code,
                                                           FormTemplate.deleted.is_(False))))


def get_template(session: Session, code: str, version: str | None = None) -> Template:
    """A template version (published rows first, then the built-ins); without a version the newest
    one that is not retired."""
    rows = _published(session, code)
    if version is not None:
        row = next((r for r in rows if r.template_version == version), None)
        if row is not None:
            return parse_template(row.text, f"{code} {version} (published)")
        found = builtin(code, version)
        if found is None:
            raise NotFound(f"no template {code} version {version}")
        return found
    candidates: list[tuple[tuple[int, ...], Any]] = [
        (version_key(r.template_version), r) for r in rows if r.state == "published"]
    fallback = builtin(code)
    if fallback is not None:
        candidates.append((fallback.version_key(), fallback))
    if not candidates:
        raise NotFound(f"no template {code}")
    _key, best = max(candidates, key=lambda c: c[0])
    if isinstance(best, Template):
        return best
    return parse_template(best.text, f"{code} {best.template_version} (published)")


def list_templates(session: Session) -> list[dict[str, Any]]:
    """Every template code with its current version and where it comes from."""
    codes = sorted({c for c, _v in builtin_templates()} | set(session.scalars(
        select(FormTemplate.code).where(FormTemplate.deleted.is_(False)))))
    result = []
    for code in codes:
        template = get_template(session, code)
        published = any(r.template_version == template.version for r in _published(session, code))
        result.append({"code": code, "version": template.version, "name_zh": template.name.zh,
                       "name_en": template.name.en, "items": len(template.items()),
                       "source": "published" if published else "built-in"})
    return result


def _hq(actor: Actor, what: str) -> None:
    if actor.org_path != HQ_PATH or not actor.roles:
        raise Forbidden(f"templates are {what} by HQ staff (an /HQ/ user with a role)")


def _reviewer(actor: Actor) -> None:
    _hq(actor, "reviewed")
    if not set(actor.roles) & set(REVIEWERS):
        raise Forbidden(f"reviewing a template needs the role {' or '.join(REVIEWERS)}")


def _parse(text: str, source: str) -> Template:
    try:
        return parse_template(text, source)
    except TemplateError as exc:
        raise Invalid(str(exc)) from None


def _current(session: Session, code: str) -> Template | None:
    """The version new records of ``code`` use now, if any."""
    try:
        return get_template(session, code)
    except NotFound:
        return None


def _check_newer(session: Session, template: Template, pending: FormTemplate | None = None) -> None:
    current = _current(session, template.code)
    if current is not None and template.version_key() <= current.version_key():
        raise Invalid(f"{template.code} version {template.version} is not newer than {current.version}")
    taken = [r for r in _published(session, template.code) if r is not pending
             and r.template_version == template.version]
    if taken:
        raise Invalid(f"{template.code} version {template.version} exists already ({taken[0].state})")


def _trail(row: FormTemplate | None, actor: Actor, action: str, comment: str = "") -> dict[str, Any]:
    data = dict(row.data or {}) if row is not None else {}
    data["reviews"] = [*data.get("reviews", []), {"action": action, "by": actor.username, "user_id": actor.user_id,
                                                  "at": utcnow().isoformat(), "comment": comment.strip()}]
    return data


def _pending(session: Session, code: str, state: str, version: str | None) -> FormTemplate:
    rows = [r for r in _published(session, code) if r.state == state
            and (version is None or r.template_version == version)]
    if not rows:
        raise NotFound(f"no {state} version of {code}" + (f" {version}" if version else ""))
    return max(rows, key=lambda r: version_key(r.template_version))


def draft_template(cs: ChangeSet, actor: Actor, text: str, source: str = "<template>") -> dict[str, Any]:
    """HQ starts a new template version as a draft, or replaces the open draft of that code."""
    _hq(actor, "drafted")
    template = _parse(text, source)
    rows = _published(cs.session, template.code)
    review = next((r for r in rows if r.state == "review"), None)
    if review is not None:
        raise Invalid(f"{template.code} version {review.template_version} is under review: "
                      "approve or reject it first")
    draft = next((r for r in rows if r.state == "draft"), None)
    _check_newer(cs.session, template, draft)
    values = {"template_version": template.version, "name": template.name.zh, "text": text}
    if draft is not None:
        cs.update(draft, {**values, "data": _trail(draft, actor, "edit")})
        return row_to_dict(draft)
    row = cs.create(FormTemplate, HQ_PATH, {"code": template.code, "state": "draft", "published_by": None,
                                            "data": _trail(None, actor, "draft"), **values})
    return row_to_dict(row)


def submit_template(cs: ChangeSet, actor: Actor, code: str, version: str | None = None) -> dict[str, Any]:
    """A draft goes to review."""
    _hq(actor, "submitted")
    row = _pending(cs.session, code, "draft", version)
    cs.update(row, {"state": "review", "data": _trail(row, actor, "submit")})
    return row_to_dict(row)


def approve_template(cs: ChangeSet, actor: Actor, code: str, version: str | None = None,
                     comment: str = "") -> dict[str, Any]:
    """A reviewer (not the one who submitted it) publishes the version under review."""
    _reviewer(actor)
    row = _pending(cs.session, code, "review", version)
    submitted = [r for r in (row.data or {}).get("reviews", []) if r.get("action") == "submit"]
    if submitted and actor.user_id is not None and submitted[-1].get("user_id") == actor.user_id:
        raise Forbidden(f"{code} {row.template_version} was submitted by you: another reviewer approves it")
    _check_newer(cs.session, _parse(row.text, f"{code} {row.template_version}"), row)
    cs.update(row, {"state": "published", "published_by": actor.user_id,
                    "data": _trail(row, actor, "approve", comment)})
    return row_to_dict(row)


def reject_template(cs: ChangeSet, actor: Actor, code: str, comment: str, version: str | None = None) -> dict[str, Any]:
    """The reviewer sends the version back to draft, saying why."""
    _reviewer(actor)
    if not comment.strip():
        raise Invalid("rejecting a template needs a comment saying what to change")
    row = _pending(cs.session, code, "review", version)
    cs.update(row, {"state": "draft", "data": _trail(row, actor, "reject", comment)})
    return row_to_dict(row)


def publish_template(cs: ChangeSet, actor: Actor, text: str, source: str = "<template>") -> dict[str, Any]:
    """A reviewer at HQ publishes a version directly (no separate review); it reaches every node by sync."""
    _reviewer(actor)
    template = _parse(text, source)
    _check_newer(cs.session, template)
    row = cs.create(FormTemplate, HQ_PATH, {
        "code": template.code, "template_version": template.version, "name": template.name.zh,
        "state": "published", "text": text, "published_by": actor.user_id,
        "data": _trail(None, actor, "publish")})
    return row_to_dict(row)


def retire_template(cs: ChangeSet, actor: Actor, code: str, version: str) -> None:
    """A reviewer retires a published version: no new records use it (records keep it)."""
    _reviewer(actor)
    row = next((r for r in _published(cs.session, code) if r.template_version == version), None)
    if row is None:
        raise NotFound(f"no template {code} version {version}")
    if row.state in ("draft", "review"):
        raise Invalid(f"{code} {version} is {row.state}: it was never published")
    cs.update(row, {"state": "retired", "data": _trail(row, actor, "retire")})


def template_versions(session: Session, code: str | None = None) -> list[dict[str, Any]]:
    """The template versions HQ has drafted or published (state, who, the review trail)."""
    stmt = select(FormTemplate).where(FormTemplate.deleted.is_(False))
    if code:
        stmt = stmt.where(FormTemplate.code == code)
    rows = sorted(session.scalars(stmt), key=lambda r: (r.code, version_key(r.template_version)))
    return [{"id": r.id, "code": r.code, "version": r.template_version, "name": r.name, "state": r.state,
             "reviews": list((r.data or {}).get("reviews", []))} for r in rows]


# -- records -------------------------------------------------------------------------------------
def load_record(session: Session, actor: Actor, record_id: str) -> FormRecord:
    row = session.get(FormRecord, record_id)
    if row is None:
        row = session.scalar(select(FormRecord).where(FormRecord.number == record_id))
    if row is None or row.deleted or not actor.can_see(row.owner_path):
        raise NotFound(f"no form record {record_id}")
    return row


def record_id_for(plan_id: str, day: str, shift: str) -> str:
    """Plans spawn records with this id, so two offline nodes spawning the same day converge."""
    return str(uuid.uuid5(RECORD_NAMESPACE, f"{plan_id}|{day}|{shift}"))


def create_record(cs: ChangeSet, actor: Actor, template_code: str, *, room_id: str | None = None,
                  ci_id: str | None = None, planned_at: datetime | None = None, plan_id: str | None = None,
                  shift: str = "", owner_path: str | None = None, executor_id: str | None = None,
                  record_id: str | None = None) -> dict[str, Any]:
    actor.require_role("making a work form")
    template = get_template(cs.session, template_code)
    room = cs.session.get(MachineRoom, room_id) if room_id else None
    if room_id and (room is None or room.deleted):
        raise NotFound(f"no machine room {room_id}")
    owner = owner_path or (room.owner_path if room is not None else actor.org_path)
    actor.require_scope(owner)
    values: dict[str, Any] = {}
    if room is not None:
        values["H_LOCATION"] = room.name
        ci_id = ci_id or room.ci_id
    row = cs.create(FormRecord, owner, {
        "number": next_number(cs.session, "FRM"), "template_code": template.code,
        "template_version": template.version, "state": "planned", "room_id": room_id, "ci_id": ci_id,
        "planned_at": planned_at, "plan_id": plan_id, "shift": shift, "executor_id": executor_id,
        "values": values}, row_id=record_id)
    return row_to_dict(row)


def record_template(session: Session, row: FormRecord) -> Template:
    return get_template(session, row.template_code, row.template_version)


def room_settings(session: Session, row: FormRecord) -> tuple[dict[str, Any], dict[str, list[str]]]:
    room = session.get(MachineRoom, row.room_id) if row.room_id else None
    if room is None:
        return {}, {}
    return dict(room.thresholds or {}), dict(room.points or {})


def fill_record(cs: ChangeSet, actor: Actor, record_id: str, values: dict[str, Any] | None = None,
                remarks: dict[str, str] | None = None) -> dict[str, Any]:
    """Enter values (by item code; a per-point item takes ``{point: value}``) and remarks."""
    actor.require_role("filling a work form")
    row = load_record(cs.session, actor, record_id)
    actor.require_scope(row.owner_path)
    if row.state not in EDITABLE:
        raise Invalid(f"form {row.number} is {row.state}; it can no longer be edited")
    template = record_template(cs.session, row)
    new_values = dict(row.values or {})
    for code, raw in (values or {}).items():
        item = _item(template, code)
        if item.auto:
            raise Invalid(f"{code} is computed, it cannot be entered")
        try:
            value = engine.coerce(item, raw)
        except ValueError as exc:
            raise Invalid(str(exc)) from None
        if item.per_point and value is not None and not isinstance(value, dict):
            raise Invalid(f"{code} is read per point: give {{point: value}}")
        if item.per_point and isinstance(value, dict):
            value = {**(new_values.get(code) or {}), **value}
        if value is None:
            new_values.pop(code, None)
        else:
            new_values[code] = value
    data = dict(row.data or {})
    for code, text in (remarks or {}).items():
        _item(template, code)
        data[f"remark:{code}"] = str(text).strip()
    changes: dict[str, Any] = {"values": new_values, "data": data}
    if row.state == "planned":
        changes.update(state="in_progress", started_at=utcnow(), executor_id=row.executor_id or actor.user_id)
        new_values.setdefault("H_START", local_now())
    cs.update(row, changes)
    return row_to_dict(row)


def _item(template: Template, code: str) -> Item:
    try:
        return template.item(code)
    except KeyError:
        raise Invalid(f"{template.code} {template.version} has no item {code}") from None


def add_photo(cs: ChangeSet, actor: Actor, record_id: str, item_code: str, name: str, content: bytes,
              mime: str = "image/jpeg") -> dict[str, Any]:
    """Attach a photo (or file) to an item; append-only, so offline photos never conflict."""
    row = load_record(cs.session, actor, record_id)
    if row.state not in EDITABLE:
        raise Invalid(f"form {row.number} is {row.state}; photos can no longer be added")
    _item(record_template(cs.session, row), item_code)
    return attachments.add_attachment(cs, actor, row.owner_path, ENTITY, row.id, f"{item_code}/{name}", content,
                                      mime)


def sign(cs: ChangeSet, actor: Actor, record_id: str, role: str, png: bytes) -> dict[str, Any]:
    """Store a drawn signature (PNG) as the executor's or the reviewer's."""
    if role not in SIGNATURE_ITEMS:
        raise Invalid("a signature is the executor's or the reviewer's")
    row = load_record(cs.session, actor, record_id)
    if role == "executor" and row.state not in EDITABLE:
        raise Invalid(f"form {row.number} is {row.state}; the executor signs before completing")
    if role == "reviewer" and row.state != "completed":
        raise Invalid(f"form {row.number} is {row.state}; the reviewer signs a completed form")
    if not png.startswith(b"\x89PNG"):
        raise Invalid("a signature is a PNG image")
    code = SIGNATURE_ITEMS[role]
    attachment = attachments.add_attachment(cs, actor, row.owner_path, ENTITY, row.id,
                                            f"{code}/signature-{role}.png", png, "image/png")
    cs.update(row, {"values": {**(row.values or {}), code: attachment["id"]},
                    ("executor_id" if role == "executor" else "reviewer_id"): actor.user_id})
    return attachment


def photo_counts(session: Session, row: FormRecord) -> dict[str, int]:
    counts: dict[str, int] = {}
    for link in attachments.list_attachments(session, ENTITY, row.id):
        code = link["name"].split("/", 1)[0]
        counts[code] = counts.get(code, 0) + 1
    return counts


def remarks_of(row: FormRecord) -> dict[str, str]:
    return {k.removeprefix("remark:"): v for k, v in (row.data or {}).items() if k.startswith("remark:") and v}


def incidents_of(row: FormRecord) -> dict[str, str]:
    """Item code → incident number of the incidents raised from this form."""
    return {k.removeprefix("incident:"): v["number"] for k, v in (row.data or {}).items()
            if k.startswith("incident:") and isinstance(v, dict)}


def missing_for_completion(session: Session, row: FormRecord) -> list[str]:
    template = record_template(session, row)
    overrides, points = room_settings(session, row)
    return engine.missing(template, row.values or {}, remarks_of(row), photo_counts(session, row), overrides,
                          points)


def complete_record(cs: ChangeSet, actor: Actor, record_id: str) -> dict[str, Any]:
    actor.require_role("completing a work form")
    row = load_record(cs.session, actor, record_id)
    actor.require_scope(row.owner_path)
    if row.state not in EDITABLE:
        raise Invalid(f"form {row.number} is {row.state}; only a planned or in-progress form is completed")
    values = dict(row.values or {})
    values.setdefault("H_END", local_now())
    cs.update(row, {"values": values})
    template = record_template(cs.session, row)
    overrides, _points = room_settings(cs.session, row)
    found = engine.findings(template, values, overrides)
    if engine.CONCLUSION not in values:
        values[engine.CONCLUSION] = "有异常" if found else "正常"
        cs.update(row, {"values": values})
    problems = missing_for_completion(cs.session, row)
    if problems:
        raise Invalid(f"form {row.number} cannot be completed: " + "; ".join(problems[:6])
                      + (f" (and {len(problems) - 6} more)" if len(problems) > 6 else ""))
    for code in sorted({f.item for f in found if f.level == ALARM}, key=lambda c: template.items().index(
            template.item(c))):
        if template.item(code).on_abnormal.incident:
            raise_incident(cs, actor, row.id, code, _allow_completed=True)
    values.update(engine.compute_auto(template, values, overrides, sorted(incidents_of(row).values())))
    cs.update(row, {"values": values, "state": "completed", "completed_at": utcnow(),
                    "abnormal_count": len(found), "conclusion": values.get(engine.CONCLUSION, ""),
                    "executor_id": row.executor_id or actor.user_id})
    return row_to_dict(row)


def raise_incident(cs: ChangeSet, actor: Actor, record_id: str, item_code: str,
                   _allow_completed: bool = False) -> dict[str, Any]:
    """Create the incident linked to an abnormal item (once per item), pre-filled with the CI, the
    readings and the photos."""
    actor.require_role("raising an incident from a work form")
    row = load_record(cs.session, actor, record_id)
    existing = (row.data or {}).get(f"incident:{item_code}")
    if existing:
        linked = cs.session.get(Ticket, existing["id"])
        if linked is not None:
            return row_to_dict(linked)
    template = record_template(cs.session, row)
    item = _item(template, item_code)
    overrides, _points = room_settings(cs.session, row)
    found = [f for f in engine.findings(template, row.values or {}, overrides) if f.item == item_code]
    if not found:
        raise Invalid(f"{item_code} is not abnormal on form {row.number}")
    level = engine.overall(found)
    readings = "; ".join(_reading_text(item, f) for f in found)
    room = cs.session.get(MachineRoom, row.room_id) if row.room_id else None
    place = room.name if room is not None else ""
    photos = [a["id"] for a in attachments.list_attachments(cs.session, ENTITY, row.id)
              if a["name"].startswith(f"{item_code}/")]
    remark = remarks_of(row).get(item_code, "")
    title = f"{template.name.zh}异常：{place + ' ' if place else ''}{item.name.zh} {readings}"
    description = "\n".join(x for x in (
        f"表单 {row.number}（{template.code} v{template.version}）巡检发现异常（{LEVEL_ZH.get(level, level)}）。",
        f"项目：{item.code} {item.name.zh}", f"读数：{readings}",
        f"正常范围：{item.thresholds.normal[0].text()} {item.unit}" if item.thresholds.normal else "",
        f"异常描述：{remark}" if remark else "") if x)
    impact, urgency = item.on_abnormal.impact, item.on_abnormal.urgency
    if level == ALARM:
        urgency = min(urgency, 2)
    ticket = tickets.create_ticket(cs, actor, "incident", title[:250], {
        "description": description, "impact": impact, "urgency": urgency, "ci_id": row.ci_id or "",
        "origin": "inspection", "category": "machine_room" if row.room_id else "inspection",
        "data.form_record_id": row.id, "data.form_number": row.number, "data.form_item": item_code,
        "data.reading": readings, "data.level": level, "data.photo_ids": photos,
    }, owner_path=row.owner_path)
    cs.update(row, {"data": {**(row.data or {}),
                             f"incident:{item_code}": {"id": ticket["id"], "number": ticket["number"]}}})
    return ticket


def _reading_text(item: Item, finding: engine.Finding) -> str:
    if item.type == "NUM":
        value = f"{float(finding.value):g}{(' ' + item.unit) if item.unit else ''}"
    elif item.type == "CHK":
        value = item.chk_labels()[1].zh
    else:
        value = str(finding.value)
    return f"{finding.point} {value}" if finding.point else value


def review_record(cs: ChangeSet, actor: Actor, record_id: str, approve: bool = True,
                  note: str = "") -> dict[str, Any]:
    """Approve (→ reviewed, needs the reviewer's signature) or return (→ in_progress, needs a note)."""
    actor.require_role("reviewing a work form")
    row = load_record(cs.session, actor, record_id)
    actor.require_scope(row.owner_path)
    if row.state != "completed":
        raise Invalid(f"form {row.number} is {row.state}; only a completed form is reviewed")
    values = dict(row.values or {})
    data = dict(row.data or {})
    if not approve:
        if not note.strip():
            raise Invalid("returning a form needs a reason")
        data["returned"] = [*data.get("returned", []), {"by": actor.user_id, "note": note.strip(),
                                                        "at": utcnow().isoformat()}]
        values.pop(engine.EXECUTOR_SIGNATURE, None)
        cs.update(row, {"state": "in_progress", "data": data, "values": values, "completed_at": None})
        return row_to_dict(row)
    if not values.get(engine.REVIEWER_SIGNATURE):
        raise Invalid(f"form {row.number}: the reviewer signs before approving")
    values["F_REVIEW_AT"] = local_now()
    if note.strip():
        data["review_note"] = note.strip()
    cs.update(row, {"state": "reviewed", "reviewed_at": utcnow(), "reviewer_id": actor.user_id,
                    "values": values, "data": data})
    return row_to_dict(row)


def delete_record(cs: ChangeSet, actor: Actor, record_id: str) -> None:
    actor.require_role("deleting a work form")
    row = load_record(cs.session, actor, record_id)
    if row.state in ("completed", "reviewed"):
        raise Invalid(f"form {row.number} is {row.state}; completed forms are kept")
    cs.delete(row)


# -- reading -------------------------------------------------------------------------------------
def get_record(session: Session, actor: Actor, record_id: str) -> dict[str, Any]:
    row = load_record(session, actor, record_id)
    template = record_template(session, row)
    overrides, points = room_settings(session, row)
    result = row_to_dict(row)
    result["template_name"] = template.name.zh
    result["findings"] = [{"item": f.item, "point": f.point, "level": f.level, "value": f.value}
                          for f in engine.findings(template, row.values or {}, overrides)]
    result["missing"] = (engine.missing(template, row.values or {}, remarks_of(row), photo_counts(session, row),
                                        overrides, points) if row.state in EDITABLE else [])
    result["incidents"] = incidents_of(row)
    result["attachments"] = attachments.list_attachments(session, ENTITY, row.id)
    return result


def list_records(session: Session, actor: Actor, template_code: str | None = None, room_id: str | None = None,
                 state: str | None = None, month: str | None = None, limit: int | None = 50,
                 offset: int = 0) -> list[dict[str, Any]]:
    stmt = _records_query(actor, template_code, room_id, state, month)
    stmt = stmt.order_by(FormRecord.planned_at.desc().nulls_last(), FormRecord.number.desc()).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [row_to_dict(r) for r in session.scalars(stmt)]


def count_records(session: Session, actor: Actor, **filters: Any) -> int:
    stmt = _records_query(actor, **filters).with_only_columns(func.count())
    return int(session.scalar(stmt) or 0)


def _records_query(actor: Actor, template_code: str | None = None, room_id: str | None = None,
                   state: str | None = None, month: str | None = None) -> Any:
    stmt = select(FormRecord).where(FormRecord.owner_path.startswith(actor.org_path), FormRecord.deleted.is_(False))
    if template_code:
        stmt = stmt.where(FormRecord.template_code == template_code)
    if room_id:
        stmt = stmt.where(FormRecord.room_id == room_id)
    if state:
        stmt = stmt.where(FormRecord.state == state)
    if month:
        start, end = month_bounds(month)
        stmt = stmt.where(FormRecord.planned_at >= start, FormRecord.planned_at < end)
    return stmt


def month_bounds(month: str) -> tuple[datetime, datetime]:
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=CHINA)  # a month of the China calendar
    except ValueError:
        raise Invalid(f"a month is written 2026-11 (got {month!r})") from None
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


def document_for(session: Session, actor: Actor, record_id: str) -> FormDocument:
    """Everything the PDF (or a viewer) needs about one record, as plain data."""
    row = load_record(session, actor, record_id)
    template = record_template(session, row)
    overrides, points = room_settings(session, row)
    room = session.get(MachineRoom, row.room_id) if row.room_id else None
    ci = session.get(ConfigItem, row.ci_id) if row.ci_id else None
    org = session.scalar(select(OrgUnit).where(OrgUnit.path == row.owner_path))
    values = dict(row.values or {})
    photos: dict[str, list[tuple[str, bytes]]] = {}
    signatures: dict[str, bytes] = {}
    sig_ids = {values.get(code): code for code in SIGNATURE_ITEMS.values() if values.get(code)}
    sig_items = {item.code for item in template.items() if item.type == "SIG"}
    for link in attachments.list_attachments(session, ENTITY, row.id):
        code, _, name = link["name"].partition("/")
        try:
            content = attachments.attachment_content(session, link["id"])
        except (NotFound, Invalid):
            continue  # not synced yet: printed without it
        if link["id"] in sig_ids:
            signatures[sig_ids[link["id"]]] = content
        elif code in sig_items and code not in SIGNATURE_ITEMS.values():
            signatures[code] = content
        elif link["mime"].startswith("image/"):
            photos.setdefault(code, []).append((name, content))
    return FormDocument(
        template=template, number=row.number, record_id=row.id, state=row.state,
        org_name=org.name if org is not None else row.owner_path, room_name=room.name if room else "",
        ci_name=ci.name if ci is not None else "", shift=row.shift or "", planned_at=_local(row.planned_at),
        completed_at=_local(row.completed_at), reviewed_at=_local(row.reviewed_at),
        executor=_user_name(session, row.executor_id), reviewer=_user_name(session, row.reviewer_id),
        values=values, remarks=remarks_of(row), incidents=incidents_of(row), photos=photos, signatures=signatures,
        overrides=overrides, room_points=points)


def blank_document(session: Session | None, code: str, version: str | None = None) -> FormDocument:
    template = get_template(session, code, version) if session is not None else builtin(code, version)
    if template is None:
        raise NotFound(f"no template {code}")
    return FormDocument(template=template)


def _local(value: datetime | None) -> str:
    return value.astimezone(CHINA).strftime("%Y-%m-%d %H:%M") if value else ""


def local_now() -> str:
    """Now on the China wall clock, as a form's date-time items hold it (2026-11-27T08:30)."""
    return datetime.now(CHINA).replace(tzinfo=None).isoformat(timespec="minutes")


def _user_name(session: Session, user_id: str | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return (user.full_name or user.username) if user is not None else ""
