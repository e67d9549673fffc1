"""Normal / warn / alarm ranges of a numeric item and the level of a reading.

A range is written ``[a, b]`` (closed), ``"<x"``, ``"<=x"``, ``">x"``, ``">=x"`` or a bare number
(exactly that value). The level of a reading: ``normal`` if inside the normal range, else ``warn`` if
inside a warn range, else ``alarm``; an item with no alarm range calls anything outside normal and
warn a ``warn`` (out of normal behaves like 异常). The edges belong to the inner range: with normal
[18, 27] and warn [[15, 18], [27, 30]], 27 is normal, 30 is warn and 30.1 is alarm.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NORMAL, WARN, ALARM = "normal", "warn", "alarm"
LEVELS = (NORMAL, WARN, ALARM)
_COMPARISON = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class Interval:
    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def contains(self, value: float) -> bool:
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def text(self) -> str:
        def num(x: float) -> str:
            return f"{x:g}"
        if self.low == -math.inf:
            return f"{'<' if self.high_open else '≤'}{num(self.high)}"
        if self.high == math.inf:
            return f"{'>' if self.low_open else '≥'}{num(self.low)}"
        if self.low == self.high:
            return num(self.low)
        return f"{num(self.low)}–{num(self.high)}"


def parse_interval(spec: object) -> Interval:
    """One range; raises ValueError with a reason a template author understands."""
    if isinstance(spec, bool):
        raise ValueError(f"range {spec!r} is not a number, [low, high] or a comparison such as '<15'")
    if isinstance(spec, int | float):
        return Interval(float(spec), float(spec))
    if isinstance(spec, str):
        match = _COMPARISON.match(spec)
        if not match:
            raise ValueError(f"range {spec!r} is not a comparison such as '<15' or '>=30'")
        op, number = match.group(1), float(match.group(2))
        op = {"≤": "<=", "≥": ">="}.get(op, op)
        if op.startswith("<"):
            return Interval(high=number, high_open=op == "<")
        return Interval(low=number, low_open=op == ">")
    if isinstance(spec, list) and len(spec) == 2 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in spec):
        low, high = float(spec[0]), float(spec[1])
        if low > high:
            raise ValueError(f"range [{spec[0]}, {spec[1]}] has its low end above its high end")
        return Interval(low, high)
    raise ValueError(f"range {spec!r} is not a number, [low, high] or a comparison such as '<15'")


def parse_ranges(spec: object) -> tuple[Interval, ...]:
    """A list of ranges (``[[15, 18], [27, 30]]``, ``["<15", ">30"]``) or one range."""
    if spec is None:
        return ()
    if isinstance(spec, list) and spec and all(isinstance(x, list | str) for x in spec):
        return tuple(parse_interval(x) for x in spec)
    return (parse_interval(spec),)


@dataclass(frozen=True)
class Thresholds:
    normal: tuple[Interval, ...] = ()
    warn: tuple[Interval, ...] = ()
    alarm: tuple[Interval, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.normal

    def level(self, value: float) -> str:
        if not self.normal or any(r.contains(value) for r in self.normal):
            return NORMAL
        if any(r.contains(value) for r in self.warn):
            return WARN
        return ALARM if self.alarm else WARN

    def text(self) -> str:
        """``18–27 | 15–18, 27–30 | <15, >30``: normal | warn | alarm."""
        parts = [", ".join(r.text() for r in rs) for rs in (self.normal, self.warn, self.alarm) if rs]
        return " | ".join(parts)


def parse_thresholds(spec: dict) -> Thresholds:
    return Thresholds(parse_ranges(spec.get("normal")), parse_ranges(spec.get("warn")),
                      parse_ranges(spec.get("alarm")))


def worst(levels: list[str]) -> str:
    return max(levels, key=LEVELS.index, default=NORMAL)
