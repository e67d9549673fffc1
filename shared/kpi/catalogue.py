"""The indicator catalogue (shared/resources/kpi/catalogue.yaml) as typed, immutable objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from shared.yamlio import load_yaml

CATALOGUE_FILE = Path(__file__).resolve().parent.parent / "resources" / "kpi" / "catalogue.yaml"
KINDS = ("ratio", "mean", "count")
DIRECTIONS = ("higher", "lower")


@dataclass(frozen=True)
class Indicator:
    """An L3 indicator: how it is computed (calculator, kind) and how it is judged (target, bad)."""

    code: str
    name: str
    name_en: str
    unit: str
    kind: str
    direction: str
    target: float
    bad: float
    weight: float
    source: str
    frequency: str
    calculator: str
    formula: str
    formula_en: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def manual(self) -> bool:
        return self.calculator == "manual"


@dataclass(frozen=True)
class Group:
    """A category, an L1 or an L2: children are groups, or (for L2) indicators."""

    code: str
    name: str
    name_en: str
    weight: float
    level: int  # 0 category, 1 = L1, 2 = L2
    children: tuple[Group, ...] = ()
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    categories: tuple[Group, ...]
    satisfied_values: tuple[int, ...]
    normal_conclusions: tuple[str, ...]

    def indicators(self) -> list[Indicator]:
        found: list[Indicator] = []

        def walk(group: Group) -> None:
            found.extend(group.indicators)
            for child in group.children:
                walk(child)

        for category in self.categories:
            walk(category)
        return found

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators():
            if ind.code == code:
                return ind
        raise KeyError(code)


def _indicator(raw: dict[str, Any]) -> Indicator:
    kind, direction = raw["kind"], raw["direction"]
    if kind not in KINDS or direction not in DIRECTIONS:
        raise ValueError(f"indicator {raw['code']}: bad kind {kind!r} or direction {direction!r}")
    if (direction == "higher") != (float(raw["target"]) > float(raw["bad"])):
        raise ValueError(f"indicator {raw['code']}: target and bad threshold contradict direction {direction}")
    return Indicator(
        code=raw["code"], name=raw["name"]["zh"], name_en=raw["name"]["en"], unit=str(raw["unit"]), kind=kind,
        direction=direction, target=float(raw["target"]), bad=float(raw["bad"]), weight=float(raw["weight"]),
        source=str(raw["source"]), frequency=str(raw["frequency"]), calculator=str(raw["calculator"]),
        formula=raw["formula"]["zh"], formula_en=raw["formula"]["en"], params=dict(raw.get("params") or {}),
    )


def _group(raw: dict[str, Any], level: int) -> Group:
    return Group(
        code=raw["code"], name=raw["name"]["zh"], name_en=raw["name"]["en"], weight=float(raw["weight"]),
        level=level, children=tuple(_group(c, level + 1) for c in raw.get("children") or ()),
        indicators=tuple(_indicator(i) for i in raw.get("indicators") or ()),
    )


def parse_catalogue(doc: dict[str, Any]) -> Catalogue:
    catalogue = Catalogue(
        categories=tuple(_group(c, 0) for c in doc["categories"]),
        satisfied_values=tuple(int(v) for v in doc.get("satisfied_values", (1, 2))),
        normal_conclusions=tuple(str(v) for v in doc.get("normal_conclusions", ("正常",))),
    )
    codes = [i.code for i in catalogue.indicators()]
    duplicates = {c for c in codes if codes.count(c) > 1}
    if duplicates:
        raise ValueError(f"duplicate indicator codes: {sorted(duplicates)}")
    return catalogue


@cache
def load_catalogue(path: Path = CATALOGUE_FILE) -> Catalogue:
    with open(path, encoding="utf-8") as fh:
        return parse_catalogue(load_yaml(fh))
