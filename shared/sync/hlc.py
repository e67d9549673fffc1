"""Hybrid logical clock (Kulkarni et al. 2014), persisted in ``node_state``.

Orders audit history; never a sync cursor and never a merge tie-breaker (so a skewed
clock changes no outcome). Encoded as ``WWWWWWWWWWWWW-CCCCC-node`` so strings sort in
HLC order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# A clock this far from a peer's is warned about (never refused).
SKEW_WARNING_MS = 5 * 60 * 1000


@dataclass(frozen=True, order=True)
class HLC:
    wall_ms: int
    counter: int
    node: str

    def encode(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:05d}-{self.node}"

    @staticmethod
    def decode(text: str) -> HLC:
        wall, counter, node = text.split("-", 2)
        return HLC(int(wall), int(counter), node)


class Clock:
    """HLC state for one node. ``now_ms`` is injectable so tests can skew or rewind time."""

    def __init__(self, node: str, wall_ms: int = 0, counter: int = 0,
                 now_ms: Callable[[], int] | None = None) -> None:
        self.node = node
        self.wall_ms = wall_ms
        self.counter = counter
        self._now_ms = now_ms or (lambda: int(time.time() * 1000))

    def tick(self) -> HLC:
        """A local event (a write)."""
        pt = self._now_ms()
        if pt > self.wall_ms:
            self.wall_ms, self.counter = pt, 0
        else:
            self.counter += 1
        return HLC(self.wall_ms, self.counter, self.node)

    def observe(self, remote: str) -> str:
        """Merge a remote timestamp; returns a skew warning ('' when none)."""
        try:
            other = HLC.decode(remote)
        except ValueError:
            return ""
        pt = self._now_ms()
        new_wall = max(self.wall_ms, other.wall_ms, pt)
        if new_wall == self.wall_ms == other.wall_ms:
            self.counter = max(self.counter, other.counter) + 1
        elif new_wall == self.wall_ms:
            self.counter += 1
        elif new_wall == other.wall_ms:
            self.counter = other.counter + 1
        else:
            self.counter = 0
        self.wall_ms = new_wall
        skew = other.wall_ms - pt
        if abs(skew) > SKEW_WARNING_MS:
            return f"clock skew of {skew / 60000:+.0f} min against {other.node}"
        return ""
