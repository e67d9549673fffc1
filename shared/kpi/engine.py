"""Evaluate the catalogue for one org unit and period: figures rolled up over the tree, values,
scores, and the weighted means L3 → L2 → L1 → category → total.

Roll-up: the figure of a unit is the figure of its own rows plus, for each child unit, the figure of
the child's whole subtree — numerators and denominators are summed, percentages are never averaged.
Time-based availability rolls up weighted by agreed service time, because its numerator and
denominator are minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.kpi.calculators import CALCULATORS, Context, Scope, Source
from shared.kpi.catalogue import Catalogue, Group, Indicator, load_catalogue
from shared.kpi.period import Period, parse_period
from shared.kpi.scoring import Figure, score, value_of, weighted_mean
from shared.models.org import OrgUnit

Figures = dict[str, Figure]


def compute(session: Session, scope: Scope, period: Period, catalogue: Catalogue | None = None,
            source: Source | None = None) -> Figures:
    """Every indicator's figure over one scope (no roll-up). ``source``: the records of an evaluation that
    covers this scope, shared with the other scopes of a roll-up (else they are loaded for this scope)."""
    catalogue = catalogue or load_catalogue()
    ctx = Context(session, scope, period, catalogue, source=source)  # type: ignore[arg-type]
    found: Figures = {}
    for ind in catalogue.indicators():
        try:
            fn = CALCULATORS[ind.calculator]
        except KeyError:
            raise ValueError(f"indicator {ind.code}: unknown calculator {ind.calculator!r}") from None
        found[ind.code] = fn(ctx, ind)
    return found


def add_figures(parts: list[Figures]) -> Figures:
    total: Figures = {}
    for part in parts:
        for code, fig in part.items():
            total[code] = total[code] + fig if code in total else Figure(fig.numerator, fig.denominator,
                                                                         fig.records, fig.available)
    return total


def child_units(session: Session, org_path: str) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).where(OrgUnit.parent_path == org_path,
                                                      OrgUnit.deleted.is_(False))
                                .order_by(OrgUnit.sort_order, OrgUnit.path)))


@dataclass
class RolledUp:
    total: Figures
    own: Figures
    children: dict[str, Figures]  # child path → figures of its subtree


def roll_up(session: Session, org_path: str, period: Period, catalogue: Catalogue | None = None) -> RolledUp:
    catalogue = catalogue or load_catalogue()
    source = Source(session, Scope(org_path), period)  # one load of each kind of record for the whole tree
    own = compute(session, Scope(org_path, exact=True), period, catalogue, source)
    children = {unit.path: compute(session, Scope(unit.path), period, catalogue, source)
                for unit in child_units(session, org_path)}
    return RolledUp(add_figures([own, *children.values()]), own, children)


def _indicator_node(ind: Indicator, fig: Figure) -> dict[str, Any]:
    value = value_of(ind, fig)
    return {
        "code": ind.code, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit, "kind": ind.kind,
        "direction": ind.direction, "target": ind.target, "bad": ind.bad, "weight": ind.weight,
        "source": ind.source, "frequency": ind.frequency, "manual": ind.manual, "formula": ind.formula,
        "numerator": fig.numerator if fig.available else None,
        "denominator": fig.denominator if fig.available else None,
        "value": None if value is None else round(value, 4),
        "score": _round(score(ind, value)),
        "records": list(fig.records[:200]),
    }


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


def _group_node(group: Group, figures: Figures) -> dict[str, Any]:
    node: dict[str, Any] = {"code": group.code, "name": group.name, "name_en": group.name_en,
                            "weight": group.weight, "level": group.level}
    if group.indicators:
        node["indicators"] = [_indicator_node(i, figures[i.code]) for i in group.indicators]
        parts = [(i["weight"], i["score"]) for i in node["indicators"]]
    else:
        node["children"] = [_group_node(c, figures) for c in group.children]
        parts = [(c["weight"], c["score"]) for c in node["children"]]
    node["score"] = _round(weighted_mean(parts))
    return node


def score_tree(figures: Figures, catalogue: Catalogue | None = None) -> dict[str, Any]:
    catalogue = catalogue or load_catalogue()
    categories = [_group_node(c, figures) for c in catalogue.categories]
    return {"score": _round(weighted_mean((c["weight"], c["score"]) for c in categories)),
            "categories": categories}


def _unit_summary(session: Session, path: str, figures: Figures, catalogue: Catalogue) -> dict[str, Any]:
    unit = session.scalar(select(OrgUnit).where(OrgUnit.path == path))
    tree = score_tree(figures, catalogue)
    return {"org": path, "name": unit.name if unit else path, "score": tree["score"],
            "categories": {c["name"]: c["score"] for c in tree["categories"]}}


def evaluate(session: Session, org_path: str, period_code: str, catalogue: Catalogue | None = None,
             breakdown: bool = True) -> dict[str, Any]:
    """The KPI tree of a unit for a period, with the scores of each child unit when ``breakdown``."""
    catalogue = catalogue or load_catalogue()
    period = parse_period(period_code)
    rolled = roll_up(session, org_path, period, catalogue)
    unit = session.scalar(select(OrgUnit).where(OrgUnit.path == org_path))
    result: dict[str, Any] = {"org": org_path, "org_name": unit.name if unit else org_path,
                              "period": period.code, **score_tree(rolled.total, catalogue)}
    if breakdown:
        result["units"] = [_unit_summary(session, path, figs, catalogue) for path, figs in rolled.children.items()]
    return result


def flat_indicators(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """code → indicator node of an evaluated tree."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any]) -> None:
        for ind in node.get("indicators", ()):
            found[ind["code"]] = ind
        for child in node.get("children", ()):
            walk(child)

    for category in tree["categories"]:
        walk(category)
    return found
