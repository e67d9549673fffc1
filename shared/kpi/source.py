"""The records one KPI evaluation reads, loaded once for the whole subtree and shared by every indicator
and every org scope of the roll-up (issue 8: a province-month over 200,000 tickets in under 2 s).

Before, each of the ~25 calculators queried ORM rows again for each scope of the roll-up (the unit's own
rows, then each child's subtree), reloaded history per scope, and two of them read every change and every
incident of the subtree (all time) row by row. Here each kind of record is one Core query over the root
subtree with only the columns the calculators read (lightweight rows, no identity map), split into scopes in
Python; SQL narrows what it can say exactly (the period, the process, a JSON key being present) and Python
re-applies the calculators' own conditions, so the figures are those of the row-by-row engine. SLA clocks are
computed once per ticket per evaluation with the SLA engine's pure function.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from shared.kpi.period import Period
from shared.models.catalog import Measurement
from shared.models.forms import FormRecord
from shared.models.tickets import Ticket, TicketEntry
from shared.models.work import KpiEntry, SecurityEvent

IMPLEMENTED_OUTCOMES = ("success", "partial", "failed")
CHUNK = 500  # ids per IN (…) list

TICKET_COLUMNS = (Ticket.id, Ticket.number, Ticket.owner_path, Ticket.process, Ticket.state, Ticket.priority,
                  Ticket.impact, Ticket.urgency, Ticket.category, Ticket.origin, Ticket.caller_id, Ticket.team_id,
                  Ticket.assignee_id, Ticket.ci_id, Ticket.parent_id, Ticket.opened_at, Ticket.resolved_at,
                  Ticket.closed_at, Ticket.data)
ENTRY_COLUMNS = (TicketEntry.ticket_id, TicketEntry.kind, TicketEntry.body, TicketEntry.data, TicketEntry.hlc,
                 TicketEntry.created_at)
FORM_COLUMNS = (FormRecord.number, FormRecord.owner_path, FormRecord.template_code, FormRecord.state,
                FormRecord.conclusion, FormRecord.planned_at, FormRecord.completed_at)


@dataclass(frozen=True)
class Scope:
    """An org subtree (``exact=False``) or only the rows a unit owns itself (``exact=True``)."""

    path: str
    exact: bool = False

    def cond(self, cls: Any) -> Any:
        return cls.owner_path == self.path if self.exact else cls.owner_path.startswith(self.path)

    def holds(self, owner_path: str) -> bool:
        return owner_path == self.path if self.exact else owner_path.startswith(self.path)

    def within(self, other: Scope) -> bool:
        """Every row of this scope is a row of ``other``."""
        return other.holds(self.path) and (self.exact or not other.exact)


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Source:
    """Records of one root scope and period, each kind loaded on first use; ``of(kind, scope)`` narrows to a
    scope inside the root, keeping the query's order (ticket and form numbers)."""

    def __init__(self, session: Session, root: Scope, period: Period) -> None:
        self.session, self.root, self.period = session, root, period
        self._loaded: dict[Any, list[Any]] = {}
        self._scoped: dict[tuple[Any, Scope], list[Any]] = {}
        self.history: dict[str, list[Row[Any]]] = {}
        self.clocks: dict[str, dict[str, Any]] = {}  # ticket id → {clock name: Clock}
        self.sla_targets: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.calendars: dict[tuple[str, str], Any] = {}

    def covers(self, scope: Scope) -> bool:
        return scope.within(self.root)

    def of(self, key: Any, scope: Scope, load: Any) -> list[Any]:
        """The rows of ``key`` (loaded once by ``load()`` over the root) that ``scope`` holds."""
        if (key, scope) not in self._scoped:
            if key not in self._loaded:
                self._loaded[key] = list(load())
            rows = self._loaded[key]
            self._scoped[key, scope] = rows if scope == self.root else [r for r in rows if scope.holds(r.owner_path)]
        return self._scoped[key, scope]

    def _in_period(self, column: Any) -> Any:
        return (column >= self.period.start) & (column < self.period.end)

    # -- tickets and their history -------------------------------------------------------------------------

    def tickets(self, scope: Scope, process: str, column: str) -> list[Row[Any]]:
        """Live tickets of a process whose ``column`` time falls in the period, by number."""
        def load() -> Any:
            return self.session.execute(select(*TICKET_COLUMNS).where(
                self.root.cond(Ticket), Ticket.deleted.is_(False), Ticket.process == process,
                self._in_period(getattr(Ticket, column))).order_by(Ticket.number))

        return self.of(("tickets", process, column), scope, load)

    def entries(self, tickets: Iterable[Any]) -> dict[str, list[Row[Any]]]:
        """Ticket id → its history entries in HLC order (loaded in batches, each ticket once)."""
        wanted = [t.id for t in tickets]
        missing = list(dict.fromkeys(tid for tid in wanted if tid not in self.history))
        for tid in missing:
            self.history[tid] = []
        for part in chunks(missing):
            for entry in self.session.execute(select(*ENTRY_COLUMNS).where(
                    TicketEntry.ticket_id.in_(part), TicketEntry.kind == "history").order_by(TicketEntry.hlc)):
                self.history[entry.ticket_id].append(entry)
        return {tid: self.history[tid] for tid in wanted}

    def implemented_candidates(self, scope: Scope) -> list[tuple[Row[Any], list[Row[Any]]]]:
        """Changes in review or closed with an implementation outcome, each with its review entries (HLC
        order). Whether a change was implemented *in the period* is the calculator's decision."""
        def load() -> Any:
            rows = [r for r in self.session.execute(select(*TICKET_COLUMNS).where(
                self.root.cond(Ticket), Ticket.deleted.is_(False), Ticket.process == "change",
                Ticket.state.in_(("review", "closed")),
                Ticket.data["outcome"].as_string().in_(IMPLEMENTED_OUTCOMES)).order_by(Ticket.number))
                if (r.data or {}).get("outcome") in IMPLEMENTED_OUTCOMES]
            reviews: dict[str, list[Row[Any]]] = {r.id: [] for r in rows}
            for part in chunks(list(reviews)):
                for entry in self.session.execute(select(*ENTRY_COLUMNS).where(
                        TicketEntry.ticket_id.in_(part), TicketEntry.kind == "history",
                        TicketEntry.body == "review").order_by(TicketEntry.hlc)):
                    reviews[entry.ticket_id].append(entry)
            return [_Owned(r.owner_path, (r, reviews[r.id])) for r in rows]

        return [o.value for o in self.of("implemented", scope, load)]

    def incidents_with_parent(self, keys: set[str]) -> set[str]:
        """``parent_id`` of live incidents (anywhere) pointing at one of ``keys``."""
        found: set[str] = set()
        for part in chunks(sorted(keys)):
            found.update(p for p in self.session.scalars(select(Ticket.parent_id).where(
                Ticket.process == "incident", Ticket.deleted.is_(False), Ticket.parent_id.in_(part))) if p)
        return found

    def change_causes(self, scope: Scope) -> list[tuple[str, Any]]:
        """(owner, data.caused_by_change) of live incidents in scope that name a causing change."""
        def load() -> Any:
            return [_Owned(owner, cause) for owner, data in self.session.execute(select(
                Ticket.owner_path, Ticket.data).where(
                self.root.cond(Ticket), Ticket.deleted.is_(False), Ticket.process == "incident",
                Ticket.data["caused_by_change"].as_string().is_not(None)))
                for cause in [(data or {}).get("caused_by_change")]]

        return [(o.owner_path, o.value) for o in self.of("change_causes", scope, load)]

    # -- other records ----------------------------------------------------------------------------------------

    def forms(self, scope: Scope) -> list[Row[Any]]:
        def load() -> Any:
            return self.session.execute(select(*FORM_COLUMNS).where(
                self.root.cond(FormRecord), FormRecord.deleted.is_(False),
                self._in_period(FormRecord.planned_at)).order_by(FormRecord.number))

        return self.of("forms", scope, load)

    def measurements(self, scope: Scope) -> list[Row[Any]]:
        def load() -> Any:
            return self.session.execute(select(
                Measurement.owner_path, Measurement.ci_id, Measurement.metric, Measurement.value,
                Measurement.measured_at).where(self.root.cond(Measurement), Measurement.deleted.is_(False),
                                               self._in_period(Measurement.measured_at)))

        return self.of("measurements", scope, load)

    def security_events(self, scope: Scope) -> list[Row[Any]]:
        def load() -> Any:
            return self.session.execute(select(
                SecurityEvent.number, SecurityEvent.owner_path, SecurityEvent.grade, SecurityEvent.discovered_at,
                SecurityEvent.first_report_at).where(
                self.root.cond(SecurityEvent), SecurityEvent.deleted.is_(False),
                self._in_period(SecurityEvent.discovered_at)).order_by(SecurityEvent.number))

        return self.of("security_events", scope, load)

    def manual_entries(self, scope: Scope) -> list[Row[Any]]:
        def load() -> Any:
            return self.session.execute(select(
                KpiEntry.owner_path, KpiEntry.indicator, KpiEntry.numerator, KpiEntry.denominator).where(
                self.root.cond(KpiEntry), KpiEntry.deleted.is_(False), KpiEntry.period.in_(self.period.codes()))
                .order_by(KpiEntry.period, KpiEntry.indicator))

        return self.of("manual", scope, load)


@dataclass(frozen=True)
class _Owned:
    """A value kept with the owner path it is split into scopes by."""

    owner_path: str
    value: Any


def entry_time(entry: Any) -> datetime:
    at = (entry.data or {}).get("at")
    return datetime.fromisoformat(at) if isinstance(at, str) else entry.created_at
