"""The alert → incident mapping table (shared/resources/integrations/events.yaml), optionally replaced
per server by a stored copy (setting ``events_mapping``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "integrations" / "events.yaml"
SEVERITIES = ("critical", "major", "minor", "warning", "info")
CRITICALITIES = ("high", "medium", "low", "unknown")
RECOVERY_MODES = ("record", "resolve", "close")


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class EventMapping:
    severities: dict[str, str]
    default_severity: str
    criticalities: dict[str, str]
    matrix: dict[str, dict[str, tuple[int, int]]]
    log_only: frozenset[str]
    storm_threshold: int
    storm_window: int
    notify_roles: tuple[str, ...]
    on_recovery: str
    resolution_code: str

    def severity(self, raw: str | None) -> str:
        return self.severities.get(_fold(raw), self.default_severity)

    def criticality(self, raw: Any) -> str:
        if raw is None or raw == "":
            return "unknown"
        return self.criticalities.get(_fold(str(raw)), "unknown")

    def impact_urgency(self, severity: str, criticality: str) -> tuple[int, int]:
        return self.matrix[severity][criticality]


def _fold(raw: str | None) -> str:
    return " ".join(str(raw or "").lower().replace("_", " ").split())


def parse_mapping(doc: Any) -> EventMapping:
    """Check a mapping document completely; a broken table is refused with the first problem found."""
    if not isinstance(doc, dict):
        raise MappingError("the mapping must be a YAML mapping")
    try:
        severities = {_fold(k): str(v) for k, v in (doc["severities"] or {}).items()}
        criticalities = {_fold(str(k)): str(v) for k, v in (doc["criticalities"] or {}).items()}
        matrix: dict[str, dict[str, tuple[int, int]]] = {}
        for sev in SEVERITIES:
            row = doc["matrix"][sev]
            matrix[sev] = {}
            for crit in CRITICALITIES:
                impact, urgency = (int(x) for x in row[crit])
                if impact not in (1, 2, 3) or urgency not in (1, 2, 3):
                    raise MappingError(f"matrix {sev}/{crit}: impact and urgency are 1, 2 or 3")
                matrix[sev][crit] = (impact, urgency)
        storm = doc.get("storm") or {}
        mapping = EventMapping(
            severities=severities, default_severity=str(doc.get("default_severity", "warning")),
            criticalities=criticalities, matrix=matrix, log_only=frozenset(doc.get("log_only") or ()),
            storm_threshold=int(storm.get("threshold", 5)), storm_window=int(storm.get("window_seconds", 300)),
            notify_roles=tuple(doc.get("notify_roles") or ()), on_recovery=str(doc.get("on_recovery", "resolve")),
            resolution_code=str(doc.get("resolution_code", "other")))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, MappingError):
            raise
        raise MappingError(f"the mapping is incomplete or malformed: {type(exc).__name__} {exc}") from None
    bad = sorted({v for v in severities.values() if v not in SEVERITIES} |
                 ({mapping.default_severity} - set(SEVERITIES)) | (set(mapping.log_only) - set(SEVERITIES)))
    if bad:
        raise MappingError(f"unknown severity level {', '.join(bad)}; levels: {', '.join(SEVERITIES)}")
    bad = sorted({v for v in criticalities.values() if v not in CRITICALITIES})
    if bad:
        raise MappingError(f"unknown criticality {', '.join(bad)}; levels: {', '.join(CRITICALITIES)}")
    if mapping.on_recovery not in RECOVERY_MODES:
        raise MappingError(f"on_recovery must be one of {', '.join(RECOVERY_MODES)}")
    if mapping.storm_threshold < 2 or mapping.storm_window < 1:
        raise MappingError("storm: threshold ≥ 2 and window_seconds ≥ 1")
    return mapping


@cache
def default_document() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(RESOURCE.read_text(encoding="utf-8"))
    return doc


def load_mapping(stored: dict[str, Any] | None = None) -> EventMapping:
    """The server's stored table if it has one, else the shipped default."""
    return parse_mapping(stored or default_document())
