"""Walk every node's chain and report the first broken link of each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.audit.chain import GENESIS, entry_hash
from shared.models.audit import AuditEvent


@dataclass(frozen=True)
class Break:
    node_id: str
    owner_path: str
    node_seq: int
    entry_id: str
    kind: str  # edited | relinked | missing | duplicate | deleted
    message: str


@dataclass
class VerifyReport:
    entries: int = 0
    nodes: dict[str, int] = field(default_factory=dict)  # node id → entries checked
    breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.breaks

    def summary(self) -> str:
        if self.ok:
            return f"audit log intact: {self.entries} entries in {len(self.nodes)} node chain(s)"
        return (f"audit log BROKEN: {len(self.breaks)} of {len(self.nodes)} node chain(s) fail "
                f"({self.entries} entries checked)")


def _describe(row: AuditEvent) -> str:
    return f"entry #{row.node_seq} (id {row.id}, {row.at}, {row.event} by {row.actor or '?'})"


def _check(row: AuditEvent, expected: int, prev: str) -> tuple[str, str] | None:
    """(kind, message) of the first problem of ``row`` at this place of the chain, or None."""
    seq = int(row.node_seq)
    if seq < expected:
        return "duplicate", f"{_describe(row)} repeats a number already in the chain"
    if seq > expected:
        gap = f"#{expected}" if seq == expected + 1 else f"#{expected}–#{seq - 1}"
        return "missing", f"entries {gap} are missing before {_describe(row)} (removed?)"
    values: dict[str, Any] = {c: getattr(row, c) for c in
                              ("id", "owner_path", "node_id", "node_seq", "at", "actor_id", "actor", "event",
                               "target", "detail", "prev_hash")}
    if entry_hash(values) != row.hash:
        return "edited", f"{_describe(row)} was altered: its content does not match its hash"
    if row.prev_hash != prev:
        return "relinked", (f"{_describe(row)} does not follow entry #{seq - 1}: the chain was cut or an "
                            "entry was replaced")
    if row.deleted:
        return "deleted", f"{_describe(row)} is marked deleted"
    return None


def verify(session: Session, node_id: str | None = None) -> VerifyReport:
    """Check every chain (or one node's): numbering, content hashes and links."""
    report = VerifyReport()
    stmt = select(AuditEvent).order_by(AuditEvent.node_id, AuditEvent.node_seq, AuditEvent.id)
    if node_id:
        stmt = stmt.where(AuditEvent.node_id == node_id)
    current, expected, prev, broken = "", 1, GENESIS, False
    for row in session.scalars(stmt.execution_options(yield_per=2000)):
        if row.node_id != current:
            current, expected, prev, broken = row.node_id, 1, GENESIS, False
        report.entries += 1
        report.nodes[current] = report.nodes.get(current, 0) + 1
        if broken:
            continue
        problem = _check(row, expected, prev)
        if problem is not None:
            kind, message = problem
            report.breaks.append(Break(row.node_id, row.owner_path, int(row.node_seq), row.id, kind,
                                       f"node {row.node_id} ({row.owner_path}): {message}"))
            broken = True
            continue
        expected, prev = int(row.node_seq) + 1, row.hash
    return report


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEvent)) or 0)
