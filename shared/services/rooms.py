"""Machine rooms (机房管理): rooms with grade, racks, facilities; duty log with shift hand-over,
access register, environment readings and the inspection calendar (done / due / overdue per day)."""

from __future__ import annotations

import calendar as month_calendar
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.forms.ranges import parse_thresholds
from shared.models.forms import Facility, FormRecord, MachineRoom, Rack, RoomLog
from shared.processes.calendar import CHINA
from shared.services.actor import Actor
from shared.services.errors import Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

GRADES = ("A", "B", "C")
FACILITY_KINDS = {"ups": "UPS", "battery": "蓄电池组", "crac": "精密空调", "pdu": "列头柜/PDU",
                  "fire": "气体灭火", "dcim": "动环监控", "access": "门禁", "cctv": "视频监控",
                  "leak": "漏水检测", "lighting": "应急照明", "other": "其他"}
ROOM_FIELDS = ("code", "name", "grade", "address", "ci_id", "description", "area_m2", "power_kw", "cooling_kw",
               "thresholds", "points")
INSPECTION_TEMPLATE = "SOP-06"


def load_room(session: Session, actor: Actor, room_id: str) -> MachineRoom:
    row = session.get(MachineRoom, room_id)
    if row is None:
        row = session.scalar(select(MachineRoom).where(MachineRoom.code == room_id, MachineRoom.deleted.is_(False),
                                                      MachineRoom.owner_path.startswith(actor.org_path)))
    if row is None or row.deleted or not actor.can_see(row.owner_path):
        raise NotFound(f"no machine room {room_id}")
    return row


def _room_values(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in ROOM_FIELDS:
            raise Invalid(f"a machine room has no field {key} (fields: {', '.join(ROOM_FIELDS)})")
        values[key] = value
    if "grade" in values and values["grade"] not in GRADES:
        raise Invalid("the grade of a machine room is A, B or C (GB 50174)")
    for key in ("area_m2", "power_kw", "cooling_kw"):
        if values.get(key) not in (None, ""):
            try:
                values[key] = float(values[key])
            except (TypeError, ValueError):
                raise Invalid(f"{key} must be a number") from None
        elif key in values:
            values[key] = None
    for code, spec in (values.get("thresholds") or {}).items():
        if not isinstance(spec, dict) or "normal" not in spec:
            raise Invalid(f"threshold override {code} needs at least a normal range")
        try:
            parse_thresholds(spec)
        except ValueError as exc:
            raise Invalid(f"threshold override {code}: {exc}") from None
    for code, points in (values.get("points") or {}).items():
        if not isinstance(points, list) or not all(isinstance(p, str) and p.strip() for p in points):
            raise Invalid(f"measuring points of {code} must be a list of names")
    return values


def create_room(cs: ChangeSet, actor: Actor, code: str, name: str, grade: str = "C",
                fields: dict[str, Any] | None = None, owner_path: str | None = None) -> dict[str, Any]:
    owner = owner_path or actor.org_path
    actor.require_scope(owner)
    actor.require_role("adding a machine room")
    if not code.strip() or not name.strip():
        raise Invalid("a machine room needs a code and a name")
    clash = cs.session.scalar(select(MachineRoom).where(MachineRoom.code == code.strip(),
                                                        MachineRoom.deleted.is_(False)))
    if clash is not None:
        raise Invalid(f"machine room code {code} is already used ({clash.name})")
    values = _room_values({**(fields or {}), "code": code.strip(), "name": name.strip(), "grade": grade})
    return row_to_dict(cs.create(MachineRoom, owner, values))


def update_room(cs: ChangeSet, actor: Actor, room_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    row = load_room(cs.session, actor, room_id)
    actor.require_role("changing a machine room")
    cs.update(row, _room_values(fields))
    return row_to_dict(row)


def list_rooms(session: Session, actor: Actor) -> list[dict[str, Any]]:
    rows = session.scalars(select(MachineRoom).where(MachineRoom.owner_path.startswith(actor.org_path),
                                                     MachineRoom.deleted.is_(False)).order_by(MachineRoom.code))
    return [row_to_dict(r) for r in rows]


def add_rack(cs: ChangeSet, actor: Actor, room_id: str, code: str, u_total: int = 42, u_used: int = 0,
             name: str = "", row: str = "", power_kw: float | None = None) -> dict[str, Any]:
    room = load_room(cs.session, actor, room_id)
    actor.require_role("changing a machine room")
    if not 1 <= u_total <= 60 or not 0 <= u_used <= u_total:
        raise Invalid(f"rack {code}: U used must be between 0 and its height (1–60 U)")
    return row_to_dict(cs.create(Rack, room.owner_path, {
        "room_id": room.id, "code": code, "name": name or code, "row": row, "u_total": u_total,
        "u_used": u_used, "power_kw": power_kw}))


def add_facility(cs: ChangeSet, actor: Actor, room_id: str, kind: str, name: str, model: str = "",
                 vendor: str = "", attributes: dict[str, Any] | None = None) -> dict[str, Any]:
    room = load_room(cs.session, actor, room_id)
    actor.require_role("changing a machine room")
    if kind not in FACILITY_KINDS:
        raise Invalid(f"facility kind is one of {', '.join(FACILITY_KINDS)}")
    return row_to_dict(cs.create(Facility, room.owner_path, {
        "room_id": room.id, "kind": kind, "name": name, "model": model, "vendor": vendor,
        "attributes": attributes or {}}))


def room_details(session: Session, actor: Actor, room_id: str) -> dict[str, Any]:
    room = load_room(session, actor, room_id)
    result = row_to_dict(room)
    racks = [row_to_dict(r) for r in session.scalars(select(Rack).where(Rack.room_id == room.id,
                                                                        Rack.deleted.is_(False)).order_by(Rack.code))]
    result["racks"] = racks
    result["facilities"] = [row_to_dict(f) for f in session.scalars(
        select(Facility).where(Facility.room_id == room.id, Facility.deleted.is_(False)).order_by(Facility.kind))]
    total = sum(r["u_total"] for r in racks)
    result["u_utilisation"] = round(100.0 * sum(r["u_used"] for r in racks) / total, 1) if total else None
    return result


# -- logs ----------------------------------------------------------------------------------------
def _log(cs: ChangeSet, actor: Actor, room_id: str, kind: str, body: str, data: dict[str, Any]) -> dict[str, Any]:
    room = load_room(cs.session, actor, room_id)
    actor.require_role("writing the machine-room log")
    return row_to_dict(cs.append(RoomLog, room.owner_path, {"room_id": room.id, "kind": kind, "body": body,
                                                            "author_id": actor.user_id, "data": data}))


def add_duty_entry(cs: ChangeSet, actor: Actor, room_id: str, shift: str, text: str, handover_to: str = "",
                   open_issues: str = "") -> dict[str, Any]:
    """A duty-log line (值班日志); with ``handover_to`` it is the shift hand-over."""
    if not text.strip():
        raise Invalid("a duty-log entry needs text")
    return _log(cs, actor, room_id, "duty", text.strip(), {"shift": shift, "handover_to": handover_to,
                                                            "open_issues": open_issues})


def register_entry(cs: ChangeSet, actor: Actor, room_id: str, visitor: str, escort: str, purpose: str,
                   company: str = "", time_in: datetime | None = None) -> dict[str, Any]:
    """Access register (出入登记): a visitor enters with an escort."""
    if not visitor.strip() or not escort.strip():
        raise Invalid("a visitor entry needs the visitor and the escort (外来人员全程陪同)")
    when = time_in or utcnow()
    return _log(cs, actor, room_id, "access", f"{visitor} 进入机房：{purpose}", {
        "visitor": visitor.strip(), "escort": escort.strip(), "purpose": purpose, "company": company,
        "time_in": when.isoformat()})


def register_exit(cs: ChangeSet, actor: Actor, entry_id: str, time_out: datetime | None = None) -> dict[str, Any]:
    entry = cs.session.get(RoomLog, entry_id)
    if entry is None or entry.kind != "access" or not actor.can_see(entry.owner_path):
        raise NotFound(f"no access-register entry {entry_id}")
    if any(e["data"].get("entry_id") == entry_id for e in _logs(cs.session, entry.room_id, "access_out")):
        raise Invalid(f"{entry.data.get('visitor')} has already left")
    when = time_out or utcnow()
    return _log(cs, actor, entry.room_id, "access_out", f"{entry.data.get('visitor')} 离开机房",
                {"entry_id": entry_id, "time_out": when.isoformat()})


def _logs(session: Session, room_id: str, kind: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(RoomLog).where(RoomLog.room_id == room_id, RoomLog.kind == kind,
                                                 RoomLog.deleted.is_(False)).order_by(RoomLog.created_at))
    return [row_to_dict(r) for r in rows]


def duty_log(session: Session, actor: Actor, room_id: str) -> list[dict[str, Any]]:
    return _logs(session, load_room(session, actor, room_id).id, "duty")


def access_register(session: Session, actor: Actor, room_id: str) -> list[dict[str, Any]]:
    """Entries with their time out (None while the visitor is inside)."""
    room = load_room(session, actor, room_id)
    exits = {e["data"].get("entry_id"): e["data"].get("time_out") for e in _logs(session, room.id, "access_out")}
    return [{**e, "time_out": exits.get(e["id"])} for e in _logs(session, room.id, "access")]


def add_reading(cs: ChangeSet, actor: Actor, room_id: str, temperature: float | None, humidity: float | None,
                point: str = "", taken_at: datetime | None = None) -> dict[str, Any]:
    if temperature is None and humidity is None:
        raise Invalid("a reading needs a temperature or a humidity")
    when = taken_at or utcnow()
    return _log(cs, actor, room_id, "reading", f"温度{temperature}°C，相对湿度{humidity}%", {
        "temperature": temperature, "humidity": humidity, "point": point, "at": when.isoformat()})


def readings(session: Session, actor: Actor, room_id: str) -> list[dict[str, Any]]:
    """Environment readings over time: logged readings plus the temperatures and humidities of
    completed daily inspections (averaged over their points), oldest first."""
    room = load_room(session, actor, room_id)
    series: list[dict[str, Any]] = []
    for log in _logs(session, room.id, "reading"):
        data = log["data"]
        series.append({"at": data.get("at") or log["created_at"], "temperature": data.get("temperature"),
                       "humidity": data.get("humidity"), "source": "log"})
    records = session.scalars(select(FormRecord).where(
        FormRecord.room_id == room.id, FormRecord.template_code == INSPECTION_TEMPLATE,
        FormRecord.state.in_(("completed", "reviewed")), FormRecord.deleted.is_(False)))
    for record in records:
        values = record.values or {}
        at = record.completed_at or record.planned_at
        series.append({"at": at.isoformat() if at else "", "temperature": _mean(values.get("A_TEMP")),
                       "humidity": _mean(values.get("A_RH")), "source": record.number})
    return sorted(series, key=lambda s: str(s["at"]))


def _mean(value: Any) -> float | None:
    if isinstance(value, dict):
        numbers = [float(v) for v in value.values() if isinstance(v, int | float)]
        return round(sum(numbers) / len(numbers), 1) if numbers else None
    return float(value) if isinstance(value, int | float) else None


def inspection_calendar(session: Session, actor: Actor, room_id: str, month: str,
                        today: date | None = None) -> dict[str, str]:
    """``{"2026-11-01": "done" | "due" | "overdue" | "partial"}`` for the days with daily-inspection
    records of the room (planned or filled) in the month."""
    room = load_room(session, actor, room_id)
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise Invalid(f"a month is written 2026-11 (got {month!r})") from None
    today = today or datetime.now(CHINA).date()
    start = datetime(first.year, first.month, 1, tzinfo=CHINA)
    days = month_calendar.monthrange(first.year, first.month)[1]
    end = datetime(first.year + (first.month == 12), first.month % 12 + 1, 1, tzinfo=CHINA)
    by_day: dict[str, list[str]] = {}
    rows = session.scalars(select(FormRecord).where(
        FormRecord.room_id == room.id, FormRecord.template_code == INSPECTION_TEMPLATE,
        FormRecord.deleted.is_(False), FormRecord.planned_at >= start, FormRecord.planned_at < end))
    for record in rows:
        assert record.planned_at is not None
        by_day.setdefault(record.planned_at.astimezone(CHINA).date().isoformat(), []).append(record.state)
    result: dict[str, str] = {}
    for offset in range(days):
        day = date(first.year, first.month, offset + 1)
        states = by_day.get(day.isoformat())
        if not states:
            continue
        done = sum(s in ("completed", "reviewed") for s in states)
        if done == len(states):
            result[day.isoformat()] = "done"
        elif day < today:
            result[day.isoformat()] = "overdue" if done == 0 else "partial"
        else:
            result[day.isoformat()] = "due"
    return result
