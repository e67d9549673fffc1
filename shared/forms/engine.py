"""The form engine: coerce entered values, evaluate levels, compute auto items, list what is missing.

Values of a record (``FormRecord.values``) by item code:
CHK ``"ok" | "abnormal" | "na"``; NUM a float; SEL an option code; MSEL a list of codes; TXT text;
DT ISO text; SIG an attachment id; PHOTO / FILE a list of attachment ids; REF an id or number.
A per-point item holds ``{point: value}``. Remarks (异常描述) are kept beside, by item code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.forms.ranges import ALARM, NORMAL, WARN, Thresholds, parse_thresholds, worst
from shared.forms.schema import Item, Template

CHK_VALUES = ("ok", "abnormal", "na")
EXECUTOR_SIGNATURE = "F_SIG_EXEC"
REVIEWER_SIGNATURE = "F_SIG_REVIEW"
CONCLUSION = "F_CONCLUSION"


@dataclass(frozen=True)
class Finding:
    """An item (or one point of it) outside normal."""

    item: str
    point: str | None
    level: str
    value: Any

    @property
    def key(self) -> str:
        return self.item if self.point is None else f"{self.item}[{self.point}]"


def thresholds_for(item: Item, overrides: dict[str, Any] | None) -> Thresholds:
    """The item's ranges, or a room's override of them (validated when the room was saved)."""
    spec = (overrides or {}).get(item.code)
    return parse_thresholds(spec) if spec else item.thresholds


def points_for(item: Item, room_points: dict[str, list[str]] | None) -> tuple[str, ...]:
    custom = (room_points or {}).get(item.code)
    return tuple(custom) if custom else item.points


def coerce(item: Item, raw: Any) -> Any:
    """One entered value in its stored form; ValueError with a reason for a person."""
    if raw is None or raw == "" or raw == []:
        return None
    if item.per_point and isinstance(raw, dict):
        return {str(k): v for k, v in ((k, coerce_one(item, v)) for k, v in raw.items()) if v is not None}
    return coerce_one(item, raw)


def coerce_one(item: Item, raw: Any) -> Any:
    if raw is None or raw == "":
        return None
    name = f"{item.code} ({item.name.zh})"
    if item.type == "CHK":
        value = {"正常": "ok", "符合": "ok", "已完成": "ok", "通过": "ok", "pass": "ok", "true": "ok",
                 "异常": "abnormal", "不符合": "abnormal", "未完成": "abnormal", "不通过": "abnormal",
                 "fail": "abnormal", "false": "abnormal", "不适用": "na"}.get(str(raw).strip(), str(raw).strip())
        if value not in CHK_VALUES:
            raise ValueError(f"{name} is ok, abnormal or na (got {raw!r})")
        return value
    if item.type == "NUM":
        try:
            return float(str(raw).strip())
        except ValueError:
            raise ValueError(f"{name} needs a number (got {raw!r})") from None
    if item.type in ("SEL", "MSEL"):
        codes = {o.code for o in item.options} | {o.label.en for o in item.options}
        chosen = raw if isinstance(raw, list) else ([raw] if item.type == "SEL" else str(raw).split(","))
        result = []
        for choice in chosen:
            choice = str(choice).strip()
            match = next((o.code for o in item.options if choice in (o.code, o.label.en)), None)
            if match is None:
                raise ValueError(f"{name} is one of {', '.join(o.code for o in item.options)} (got {choice!r})")
            result.append(match)
        assert codes
        return result[0] if item.type == "SEL" else result
    if item.type == "DT":
        text = str(raw).strip()
        try:
            return datetime.fromisoformat(text).isoformat(timespec="minutes")
        except ValueError:
            raise ValueError(f"{name} needs a date-time like 2026-11-27T08:30 (got {raw!r})") from None
    if item.type in ("PHOTO", "FILE"):
        return list(raw) if isinstance(raw, list) else [str(raw)]
    return str(raw).strip()


def level_of(item: Item, value: Any, thresholds: Thresholds | None = None) -> str:
    """The level of one (non per-point) value."""
    if value is None:
        return NORMAL
    if item.type == "CHK":
        return item.abnormal_level if value == "abnormal" else NORMAL
    if item.type == "NUM":
        return (thresholds or item.thresholds).level(float(value))
    if item.type == "SEL" and item.normal_options:
        return NORMAL if value in item.normal_options else WARN
    return NORMAL


def findings(template: Template, values: dict[str, Any], overrides: dict[str, Any] | None = None) -> list[Finding]:
    """Every item or point outside normal, in template order."""
    found: list[Finding] = []
    for item in template.items():
        if not item.can_be_abnormal or item.auto:
            continue
        value = values.get(item.code)
        limits = thresholds_for(item, overrides)
        if item.per_point and isinstance(value, dict):
            for point, reading in value.items():
                level = level_of(item, reading, limits)
                if level != NORMAL:
                    found.append(Finding(item.code, point, level, reading))
        else:
            level = level_of(item, value, limits)
            if level != NORMAL:
                found.append(Finding(item.code, None, level, value))
    return found


def item_levels(template: Template, values: dict[str, Any], overrides: dict[str, Any] | None = None
                ) -> dict[str, str]:
    """The worst level per item code (only items that are not normal)."""
    levels: dict[str, list[str]] = {}
    for finding in findings(template, values, overrides):
        levels.setdefault(finding.item, []).append(finding.level)
    return {code: worst(found) for code, found in levels.items()}


def compute_auto(template: Template, values: dict[str, Any], overrides: dict[str, Any] | None = None,
                 incident_numbers: list[str] | None = None) -> dict[str, Any]:
    """Values of ``auto`` items from the others (counts, durations, ratios, ages)."""
    result: dict[str, Any] = {}
    for item in template.items():
        if not item.auto:
            continue
        rule, arg = next(iter(item.auto.items()))
        value: Any = None
        if rule == "abnormal_count":
            value = float(len(findings(template, values, overrides)))
        elif rule == "incident_numbers":
            value = ", ".join(incident_numbers or []) or None
        elif rule == "minutes_between":
            start, end = _dt(values.get(arg[0])), _dt(values.get(arg[1]))
            if start and end:
                value = round((end - start).total_seconds() / 60, 1)
        elif rule == "percent_of":
            part, whole = values.get(arg[0]), values.get(arg[1])
            if isinstance(part, int | float) and isinstance(whole, int | float) and whole:
                value = round(100.0 * part / whole, 1)
        elif rule == "years_since":
            start = _dt(values.get(arg))
            if start:
                value = round((datetime.now() - start).days / 365.25, 1)
        if value is not None:
            result[item.code] = value
    return result


def _dt(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _is_set(item: Item, value: Any, points: tuple[str, ...]) -> bool:
    if value is None or value == "" or value == []:
        return False
    if item.per_point:
        return isinstance(value, dict) and all(value.get(p) not in (None, "") for p in points)
    return True


def missing(template: Template, values: dict[str, Any], remarks: dict[str, str], photo_counts: dict[str, int],
            overrides: dict[str, Any] | None = None, room_points: dict[str, list[str]] | None = None,
            skip: tuple[str, ...] = (REVIEWER_SIGNATURE,)) -> list[str]:
    """What still prevents completing the form, one short line each (empty: it may be completed)."""
    problems: list[str] = []
    levels = item_levels(template, values, overrides)
    for item in template.items():
        if item.code in skip or item.auto:
            continue
        value = values.get(item.code)
        label = f"{item.code} {item.name.zh}"
        needed = item.required or _required_if_holds(template, item, values, levels)
        if item.type in ("PHOTO", "FILE"):  # attachments, counted by item
            if needed and photo_counts.get(item.code, 0) < item.photo_min:
                problems.append(f"{label}: required")
        elif needed and not _is_set(item, value, points_for(item, room_points)):
            problems.append(f"{label}: required")
        if item.code in levels:
            if "remark" in item.on_abnormal.require and not (remarks.get(item.code) or "").strip():
                problems.append(f"{label}: abnormal, needs a remark (异常描述)")
            if "photo" in item.on_abnormal.require and photo_counts.get(item.code, 0) < item.photo_min:
                problems.append(f"{label}: abnormal, needs a photo")
    return problems


def _required_if_holds(template: Template, item: Item, values: dict[str, Any], levels: dict[str, str]) -> bool:
    cond = item.required_if
    if cond is None:
        return False
    if cond.abnormal and cond.item in levels:
        return True
    other = values.get(cond.item)
    chosen = other if isinstance(other, list) else [other]
    return any(v in cond.values for v in chosen)


def incident_level(level: str) -> str:
    """``create`` for alarms (the incident is raised at once), ``offer`` otherwise."""
    return "create" if level == ALARM else "offer"


def overall(found: list[Finding]) -> str:
    return worst([f.level for f in found])
