"""Lifecycle states (shared/resources/cmdb/lifecycle.yaml), without the rest of the engine."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "cmdb"


@lru_cache(maxsize=1)
def lifecycle_doc() -> dict[str, Any]:
    text = (RESOURCES / "lifecycle.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


STATES: tuple[str, ...] = tuple(lifecycle_doc()["states"])


def state_label(state: str, language: str = "zh") -> str:
    spec = lifecycle_doc()["states"].get(state)
    if spec is None:
        return state
    return str(spec["zh"] if language.startswith("zh") else spec["en"])


def is_frozen(state: str) -> bool:
    return bool(lifecycle_doc()["states"].get(state, {}).get("terminal"))
