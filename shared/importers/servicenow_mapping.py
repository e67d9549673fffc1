"""The mapping file of a ServiceNow import: source states, locations, groups and callers → ITOps.

The importer writes a first draft (every value seen in the file, with a proposal) and uses it; an
administrator edits it and imports again with ``--mapping FILE``. YAML, so it can be edited by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from shared.models.org import LEVELS

DEFAULT_STATES = {
    "New": "new", "Active": "line1", "In Progress": "line1", "Awaiting User Info": "pending",
    "Awaiting Problem": "pending", "Awaiting Vendor": "pending", "Awaiting Evidence": "pending",
    "On Hold": "pending", "Resolved": "resolved", "Closed": "closed", "Canceled": "closed",
}
ITOPS_STATES = ("new", "line1", "dispatched", "line2", "line3", "pending", "resolved", "surveyed", "closed")
USERNAME_BAD = re.compile(r"[^A-Za-z0-9_.-]+")
CODE_BAD = re.compile(r"[^A-Z0-9]+")

HEADER = """\
# ServiceNow → ITOps mapping: the first draft written by `itops import servicenow-incidents`.
# Edit it and import again with --mapping THIS_FILE (tickets already imported are updated in place).
#   source_timezone  the time zone of the export's dates (they carry none), e.g. UTC or Asia/Shanghai
#   states           ServiceNow incident state → ITOps incident state ({states})
#   locations        location → owning org unit path; a missing unit whose parent exists is created
#                    (server databases only; a desktop store can only use existing units)
#   groups           assignment group → team name and support line (1–3); missing teams are created
#   callers          caller → username; missing users are created without a password (server databases
#                    only; on a desktop store an unknown caller is kept as text in data.caller_ref)
"""


class MappingError(ValueError):
    """The mapping file cannot be used; the message names the entry."""


@dataclass
class Mapping:
    source_timezone: str = "UTC"
    states: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_STATES))
    locations: dict[str, str] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    callers: dict[str, str] = field(default_factory=dict)

    def zone(self) -> tzinfo:
        if self.source_timezone.upper() == "UTC":
            return UTC
        try:
            return ZoneInfo(self.source_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(f"unknown source_timezone {self.source_timezone!r}") from None

    def to_yaml(self) -> str:
        body = yaml.safe_dump({
            "source_timezone": self.source_timezone, "states": self.states, "locations": self.locations,
            "groups": self.groups, "callers": self.callers,
        }, allow_unicode=True, sort_keys=False, width=120)
        return HEADER.format(states=", ".join(ITOPS_STATES)) + body


def load_mapping(path: Path) -> Mapping:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise MappingError(f"cannot read mapping {path}: {exc}") from None
    if not isinstance(doc, dict):
        raise MappingError(f"mapping {path} must be a YAML mapping")
    mapping = Mapping(
        source_timezone=str(doc.get("source_timezone") or "UTC"),
        states={**DEFAULT_STATES, **{str(k): str(v) for k, v in (doc.get("states") or {}).items()}},
        locations={str(k): str(v) for k, v in (doc.get("locations") or {}).items()},
        groups={str(k): _group(k, v) for k, v in (doc.get("groups") or {}).items()},
        callers={str(k): str(v) for k, v in (doc.get("callers") or {}).items()},
    )
    bad = sorted(f"{k} → {v}" for k, v in mapping.states.items() if v not in ITOPS_STATES)
    if bad:
        raise MappingError(f"mapping {path}: unknown ITOps state in states: {bad[0]} "
                           f"(states: {', '.join(ITOPS_STATES)})")
    mapping.zone()
    return mapping


def _group(name: Any, value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"name": value, "line": 2}
    if not isinstance(value, dict) or not value.get("name"):
        raise MappingError(f"group {name}: give {{name: TEAM, line: 1|2|3}}")
    line = int(value.get("line", 2))
    if line not in (1, 2, 3):
        raise MappingError(f"group {name}: line must be 1, 2 or 3")
    return {"name": str(value["name"]), "line": line}


def draft_mapping(target_org: str, can_create_orgs: bool, locations: Iterable[str], groups: Iterable[str],
                  callers: Iterable[str]) -> Mapping:
    """Proposals: one org unit per location below the target (when the server may create units and
    the tree has a level left), one team per group, one user per caller."""
    depth = len([p for p in target_org.split("/") if p])
    child_level = can_create_orgs and depth < len(LEVELS)
    codes: set[str] = set()
    location_map = {}
    for name in sorted(set(locations), key=_natural):
        location_map[name] = target_org + _unique_code(name, codes) + "/" if child_level else target_org
    return Mapping(
        locations=location_map,
        groups={g: {"name": f"ServiceNow {g}", "line": 2} for g in sorted(set(groups), key=_natural)},
        callers={c: _username(c) for c in sorted(set(callers), key=_natural)},
    )


def _natural(text: str) -> tuple[Any, ...]:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))


def _username(caller: str) -> str:
    slug = USERNAME_BAD.sub(".", caller.strip().lower()).strip(".")
    return ("sn." + slug)[:64]


def _unique_code(name: str, taken: set[str]) -> str:
    """``Location 143`` → ``L143``; other names → their upper-case letters and digits (≤ 16)."""
    words = name.upper().split()
    code = CODE_BAD.sub("", words[0][:1] + "".join(words[1:])) if len(words) > 1 else CODE_BAD.sub("", name.upper())
    code = (code or "LOC")[:14]
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code[:12]}{n}"
    taken.add(candidate)
    return candidate
