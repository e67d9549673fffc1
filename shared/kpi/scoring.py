"""Indicator values, their 0–100 scores, and weighted means up the catalogue tree (reference §4.1)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared.kpi.catalogue import Indicator


@dataclass
class Figure:
    """What a calculator found: a numerator, a denominator (None for counts), and the records behind it."""

    numerator: float = 0.0
    denominator: float | None = 0.0
    records: tuple[str, ...] = ()
    available: bool = True  # False: no source for this figure here (a manual indicator nobody entered)

    def __add__(self, other: Figure) -> Figure:
        """Sum of two parts; a part with no source (``available`` False) adds nothing."""
        if not other.available:
            return Figure(self.numerator, self.denominator, self.records, self.available)
        if not self.available:
            return Figure(other.numerator, other.denominator, other.records, other.available)
        den = None if self.denominator is None and other.denominator is None else \
            (self.denominator or 0.0) + (other.denominator or 0.0)
        return Figure(self.numerator + other.numerator, den, self.records + other.records)


def value_of(indicator: Indicator, figure: Figure) -> float | None:
    """The indicator's value, or None when there is nothing to measure (no data, an empty denominator)."""
    if not figure.available:
        return None
    if indicator.kind == "count":
        return figure.numerator
    if not figure.denominator:
        return None
    ratio = figure.numerator / figure.denominator
    return ratio * 100.0 if indicator.kind == "ratio" else ratio


def score(indicator: Indicator, value: float | None) -> float | None:
    """100 when the target is met, 0 at the bad threshold, linear in between."""
    if value is None:
        return None
    target, bad = indicator.target, indicator.bad
    if indicator.direction == "higher":
        if value >= target:
            return 100.0
        if value <= bad:
            return 0.0
        return 100.0 * (value - bad) / (target - bad)
    if value <= target:
        return 100.0
    if value >= bad:
        return 0.0
    return 100.0 * (bad - value) / (bad - target)


def weighted_mean(scored: Iterable[tuple[float, float | None]]) -> float | None:
    """Mean of (weight, score) pairs; parts without a score are left out and the weights renormalised."""
    pairs = [(w, s) for w, s in scored if s is not None and w > 0]
    total = sum(w for w, _ in pairs)
    if not total:
        return None
    return sum(w * s for w, s in pairs) / total
