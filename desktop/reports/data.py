"""The background queries of the reports area (each opens its own session and returns plain data)."""

from __future__ import annotations

from typing import Any

from shared.kpi.period import parse_period
from shared.services import kpi
from shared.services.actor import Actor
from shared.store import Store


def recent_periods(current: str, count: int = 6) -> list[str]:
    """``current`` and the months before it, oldest first."""
    periods = [parse_period(current)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return [p.code for p in reversed(periods)]


def dashboard(store: Store, actor: Actor, org: str, period: str) -> dict[str, Any]:
    """The KPI tree of ``org`` for ``period`` (with child units) and the total score of the months before."""
    with store.read() as s:
        tree = kpi.kpi_tree(s, actor, org, period)
        trend = []
        for code in recent_periods(period)[:-1]:
            past = kpi.kpi_tree(s, actor, org, code, breakdown=False)
            trend.append({"period": code, "score": past["score"],
                          "categories": {c["name"]: c["score"] for c in past["categories"]}})
        trend.append({"period": tree["period"], "score": tree["score"],
                      "categories": {c["name"]: c["score"] for c in tree["categories"]}})
    return {"tree": tree, "trend": trend}


def screen(store: Store, actor: Actor, period: str | None = None) -> dict[str, Any]:
    with store.read() as s:
        return kpi.screen_data(s, actor, period)
