"""Capacity management: utilisation readings per CI, thresholds (catalogue kind capacity_threshold),
breaches as proposals, and a trend with the projected date a resource runs out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.catalog import Measurement
from shared.models.cmdb import ConfigItem
from shared.services.actor import Actor
from shared.services.catalog import list_entries
from shared.services.errors import Invalid, NotFound
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

METRICS = ("cpu", "memory", "disk", "bandwidth")


def record(cs: ChangeSet, actor: Actor, ci_id: str, metric: str, value: float, at: datetime | None = None,
           source: str = "manual") -> dict:
    ci = cs.session.get(ConfigItem, ci_id)
    if ci is None or not actor.can_see(ci.owner_path):
        raise NotFound(f"no configuration item {ci_id}")
    actor.require_role("recording a utilisation")
    if metric not in METRICS:
        raise Invalid(f"metric must be one of {', '.join(METRICS)}")
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise Invalid(f"a utilisation is a number of percent, not {value!r}") from None
    if not 0 <= value <= 100:
        raise Invalid(f"a utilisation is between 0 and 100 %, not {value}")
    return row_to_dict(cs.append(Measurement, ci.owner_path, {
        "ci_id": ci.id, "metric": metric, "value": value, "measured_at": at or utcnow(), "source": source}))


@dataclass(frozen=True)
class Trend:
    ci_id: str
    metric: str
    points: list[tuple[datetime, float]]
    slope_per_day: float  # percentage points per day (least squares)
    latest: float | None
    full_on: datetime | None  # when the line reaches 100 %, if rising


def trend(session: Session, ci_id: str, metric: str, days: int = 90, now: datetime | None = None) -> Trend:
    now = now or utcnow()
    rows = session.scalars(select(Measurement).where(
        Measurement.ci_id == ci_id, Measurement.metric == metric,
        Measurement.measured_at >= now - timedelta(days=days)).order_by(Measurement.measured_at))
    points = [(r.measured_at, r.value) for r in rows]
    if len(points) < 2:
        return Trend(ci_id, metric, points, 0.0, points[-1][1] if points else None, None)
    t0 = points[0][0]
    xs = [(t - t0).total_seconds() / 86400 for t, _ in points]
    ys = [v for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    full_on = None
    if slope > 0:
        intercept = my - slope * mx
        days_to_full = (100 - intercept) / slope
        full_on = t0 + timedelta(days=days_to_full)
    return Trend(ci_id, metric, points, round(slope, 3), ys[-1], full_on)


def _thresholds_for(entries: list[dict[str, Any]], ci: ConfigItem, metric: str) -> dict[str, Any] | None:
    specific = [e for e in entries if e["data"].get("metric") == metric and e["data"].get("ci_id") == ci.id]
    by_class = [e for e in entries if e["data"].get("metric") == metric and not e["data"].get("ci_id")
                and e["data"].get("ci_class") in (None, "", ci.ci_class)]
    chosen = specific or by_class
    return chosen[-1]["data"] if chosen else None


def proposals(session: Session, actor: Actor, now: datetime | None = None) -> list[dict[str, Any]]:
    """CIs whose latest reading is over a threshold (or whose trend fills up within 30 days)."""
    now = now or utcnow()
    entries = list_entries(session, actor, "capacity_threshold")
    latest: dict[tuple[str, str], Measurement] = {}
    rows = session.scalars(select(Measurement).where(Measurement.owner_path.startswith(actor.org_path),
                                                     Measurement.measured_at >= now - timedelta(days=30))
                           .order_by(Measurement.measured_at))
    for m in rows:
        latest[(m.ci_id, m.metric)] = m
    result = []
    for (ci_id, metric), m in sorted(latest.items()):
        ci = session.get(ConfigItem, ci_id)
        if ci is None:
            continue
        limits = _thresholds_for(entries, ci, metric)
        if not limits:
            continue
        level = ("alarm" if m.value >= float(limits.get("alarm", 101)) else
                 "warn" if m.value >= float(limits.get("warn", 101)) else "")
        t = trend(session, ci_id, metric, 30, now)
        soon = t.full_on is not None and t.full_on <= now + timedelta(days=30)
        if level or soon:
            result.append({"ci_id": ci_id, "ci_name": ci.name, "metric": metric, "value": m.value,
                           "level": level or "trend", "warn": limits.get("warn"), "alarm": limits.get("alarm"),
                           "full_on": t.full_on.isoformat() if t.full_on else None,
                           "proposal": "扩容或调优 / expand or tune"})
    return result


def thresholds_of(session: Session, actor: Actor, ci_id: str) -> dict[str, dict[str, Any] | None]:
    """The warning/alarm limits that apply to a CI per metric, as ``proposals`` judges them (for charts)."""
    ci = session.get(ConfigItem, ci_id)
    if ci is None or not actor.can_see(ci.owner_path):
        raise NotFound(f"no configuration item {ci_id}")
    entries = list_entries(session, actor, "capacity_threshold")
    return {metric: _thresholds_for(entries, ci, metric) for metric in METRICS}
