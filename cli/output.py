"""Printing: canonical JSON for machines, aligned tables for people (CJK characters are two columns)."""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from shared.sync.codec import decode_dt, dumps


def print_json(obj: Any) -> None:
    sys.stdout.write(dumps(obj) + "\n")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def clip(text: str, limit: int) -> str:
    if width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], empty: str = "(none)") -> None:
    if not rows:
        print(empty)
        return
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(width(row[i]) for row in cells) for i in range(len(headers))]
    for row in cells:
        padded = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row[:-1])]
        print("  ".join([*padded, row[-1]]).rstrip())


def local_time(value: str | None) -> str:
    """A stored UTC time in the machine's zone, to the minute."""
    if not value:
        return ""
    return decode_dt(value).astimezone().strftime("%Y-%m-%d %H:%M")


def print_fields(pairs: Sequence[tuple[str, Any]]) -> None:
    """``label: value`` lines, labels aligned; empty values are left out."""
    shown = [(k, v) for k, v in pairs if v not in (None, "", [], {})]
    pad = max((width(k) for k, _ in shown), default=0)
    for key, value in shown:
        print(f"{key}{' ' * (pad - width(key))}  {value}")
