"""Impact analysis over CI relations.

* ``down``: what breaks if these CIs fail. An edge ``A —runs_on→ B`` of an impacting relation type
  means a failure of B impacts A. A CI with the ``redundancy`` attribute N is impacted only when
  fewer than N of the CIs it depends on survive (iTop's redundancy rule); otherwise one failed
  dependency is enough.
* ``up``: what these CIs depend on (no redundancy: every dependency is listed).

Breadth-first to ``depth``, reading edges a level at a time in SQL (never the whole graph), and
stopping at ``cap`` items with a warning rather than returning 600 CIs to auto-add to a ticket.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.cmdb.classes import impacting_relations
from shared.models.cmdb import CIRelation, ConfigItem

CHUNK = 500
WALK_FACTOR, WALK_MIN = 20, 1000  # a walk stops once it has reached max(cap × 20, 1000) CIs


@dataclass(frozen=True)
class ImpactItem:
    ci_id: str
    name: str
    ci_class: str
    depth: int
    path: tuple[str, ...]  # CI ids from a starting CI to this one
    status: str = ""

    @property
    def id(self) -> str:
        return self.ci_id


@dataclass
class ImpactResult:
    direction: str
    roots: list[str]
    items: list[ImpactItem] = field(default_factory=list)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (source, target, rel_type) walked
    spared: list[str] = field(default_factory=list)  # CIs saved by redundancy
    truncated: bool = False
    warning: str = ""

    @property
    def ids(self) -> list[str]:
        return [i.ci_id for i in self.items]


Edge = tuple[str, str, str]  # (source_id, target_id, rel_type)


def _edges(session: Session, ids: set[str], column: str) -> list[Edge]:
    """Impacting edges whose ``column`` (source_id / target_id) is one of ``ids`` (plain tuples: no ORM)."""
    out: list[Edge] = []
    ordered = sorted(ids)
    col = getattr(CIRelation, column)
    for i in range(0, len(ordered), CHUNK):
        out.extend((r[0], r[1], r[2]) for r in session.execute(
            select(CIRelation.source_id, CIRelation.target_id, CIRelation.rel_type).where(
                col.in_(ordered[i:i + CHUNK]), CIRelation.rel_type.in_(impacting_relations()),
                CIRelation.deleted.is_(False))))
    return out


def _columns(session: Session, ids: set[str], *columns: Any) -> dict[str, tuple[Any, ...]]:
    """id → the chosen columns of the live CIs among ``ids``."""
    out: dict[str, tuple[Any, ...]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        for row in session.execute(select(ConfigItem.id, *columns).where(
                ConfigItem.id.in_(ordered[i:i + CHUNK]), ConfigItem.deleted.is_(False))):
            out[row[0]] = tuple(row[1:])
    return out


def _redundancy(attributes: dict[str, Any] | None) -> int:
    try:
        return int((attributes or {}).get("redundancy") or 0)
    except (TypeError, ValueError):
        return 0


def analyse(session: Session, ci_ids: list[str], direction: Literal["down", "up"] = "down", depth: int = 3,
            cap: int = 50) -> ImpactResult:
    if direction not in ("down", "up"):
        raise ValueError(f"direction must be 'down' or 'up', not {direction!r}")
    result = ImpactResult(direction=direction, roots=list(ci_ids))
    reached: dict[str, tuple[int, tuple[str, ...]]] = {cid: (0, (cid,)) for cid in ci_ids}
    frontier = set(ci_ids)
    bound = max(cap * WALK_FACTOR, WALK_MIN)  # stop walking far beyond what can be listed
    stopped = False
    for level in range(1, max(depth, 0) + 1):
        if not frontier:
            break
        if len(reached) > bound:
            stopped = True
            break
        found = _down_step(session, frontier, reached, result) if direction == "down" else \
            _up_step(session, frontier, reached, result)
        for cid, parent in sorted(found.items()):
            reached[cid] = (level, (*reached[parent][1], cid))
        frontier = set(found)
    rows = _columns(session, {cid for cid in reached if cid not in ci_ids}, ConfigItem.name, ConfigItem.ci_class,
                    ConfigItem.status)
    ordered = sorted((d, rows[cid][0], cid) for cid, (d, _p) in reached.items() if cid in rows)
    if len(ordered) > cap or stopped:
        result.truncated = True
        many = f"more than {len(ordered)}" if stopped else str(len(ordered))
        result.warning = (f"{many} CIs are impacted within depth {depth}; only the nearest {cap} are "
                          f"listed — narrow the depth or pick the impacted CIs by hand")
        ordered = ordered[:cap]
    for d, name, cid in ordered:
        _name, ci_class, status = rows[cid]
        result.items.append(ImpactItem(cid, name, ci_class, d, reached[cid][1], status))
    kept = set(result.ids) | set(ci_ids)
    result.edges = [e for e in result.edges if e[0] in kept and e[1] in kept]
    return result


def _up_step(session: Session, frontier: set[str], reached: dict[str, tuple[int, tuple[str, ...]]],
             result: ImpactResult) -> dict[str, str]:
    found: dict[str, str] = {}
    for source, target, rel in _edges(session, frontier, "source_id"):
        result.edges.append((source, target, rel))
        if target not in reached and target not in found:
            found[target] = source
    return found


def _down_step(session: Session, frontier: set[str], reached: dict[str, tuple[int, tuple[str, ...]]],
               result: ImpactResult) -> dict[str, str]:
    """CIs newly impacted because something in ``frontier`` failed (redundancy checked on all their
    dependencies against everything failed so far)."""
    candidates: dict[str, str] = {}
    for source, target, rel in _edges(session, frontier, "target_id"):
        result.edges.append((source, target, rel))
        if source not in reached:
            candidates.setdefault(source, target)
    spared_before = set(result.spared)
    # A CI spared earlier may fall now that more of its dependencies failed.
    candidates.update({cid: "" for cid in spared_before if cid not in reached and cid not in candidates})
    rows = _columns(session, set(candidates), ConfigItem.attributes)
    found: dict[str, str] = {}
    needs = {cid: _redundancy(row[0]) for cid, row in rows.items() if _redundancy(row[0]) > 0}
    needs_check = set(needs)
    deps: dict[str, set[str]] = {cid: set() for cid in needs_check}
    for source, target, _rel in _edges(session, needs_check, "source_id"):
        deps[source].add(target)
    for cid, via in candidates.items():
        if cid not in rows:
            continue
        if cid in needs_check:
            failed = {d for d in deps[cid] if d in reached}
            if len(deps[cid]) - len(failed) >= needs[cid]:
                if cid not in result.spared:
                    result.spared.append(cid)
                continue
            via = via or sorted(failed)[0]
        if cid in result.spared:
            result.spared.remove(cid)
        found[cid] = via
    return found
