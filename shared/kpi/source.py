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
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Row, String, select, text, type_coerce
from sqlalchemy.orm import Session

from shared.kpi.period import Period
from shared.models.catalog import Measurement
from shared.models.forms import FormRecord
from shared.models.tickets import CAUSED_BY_CHANGE_WHERE, Ticket, TicketEntry
from shared.models.work import KpiEntry, SecurityEvent

IMPLEMENTED_OUTCOMES = ("success", "partial", "failed")
CHUNK = 500  # ids per IN (…) list

TICKET_COLUMNS = (Ticket.id, Ticket.number, Ticket.owner_path, Ticket.process, Ticket.state, Ticket.priority,
                  Ticket.impact, Ticket.urgency, Ticket.category, Ticket.origin, Ticket.caller_id, Ticket.team_id,
                  Ticket.assignee_id, Ticket.ci_id, Ticket.parent_id, Ticket.opened_at, Ticket.resolved_at,
                  Ticket.closed_at, Ticket.data)
# History entries are the bulk (about six per ticket): raw values, decoded by ``Entry`` (created_at only if asked)
ENTRY_COLUMNS = (TicketEntry.ticket_id, TicketEntry.kind, TicketEntry.body, type_coerce(TicketEntry.data, String),
                 TicketEntry.hlc, type_coerce(TicketEntry.created_at, String))
FORM_COLUMNS = (FormRecord.number, FormRecord.owner_path, FormRecord.template_code, FormRecord.state,
                FormRecord.conclusion, FormRecord.planned_at, FormRecord.completed_at)

_loads = orjson.loads  # history documents are decoded by the ten thousand per evaluation: 4x json.loads


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
        self.history: dict[str, list[Entry]] = {}
        self.clocks: dict[str, dict[str, Any]] = {}  # ticket id → {clock name: Clock}
        self.sla_targets: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.calendars: dict[tuple[str, str], Any] = {}
        self._parents: dict[str, bool] = {}  # change id or number → is the parent of a live incident

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

    def entries(self, tickets: Iterable[Any]) -> dict[str, list[Entry]]:
        """Ticket id → its history entries in HLC order (loaded in batches, each ticket once)."""
        wanted = [t.id for t in tickets]
        if all(tid in self.history for tid in wanted):
            return {tid: self.history[tid] for tid in wanted}
        # the other scopes will ask for the same lists: load the history of every ticket read so far at once
        known = (t.id for key, rows in self._loaded.items() if key[0] == "tickets" for t in rows)
        missing = list(dict.fromkeys(tid for tid in (*wanted, *known) if tid not in self.history))
        for tid in missing:
            self.history[tid] = []
        for part in chunks(missing):
            for entry in self.session.execute(select(*ENTRY_COLUMNS).where(
                    TicketEntry.ticket_id.in_(part), TicketEntry.kind == "history").order_by(TicketEntry.hlc)):
                self.history[entry[0]].append(Entry(*entry))
        return {tid: self.history[tid] for tid in wanted}

    def implemented_candidates(self, scope: Scope) -> list[tuple[Change, list[Entry]]]:
        """Changes in review or closed with an implementation outcome, each with its review entries (HLC
        order). Whether a change was implemented *in the period* is the calculator's decision. Every change
        of the subtree qualifies whatever its age, so only the columns the change indicators read are read."""
        def load() -> Any:
            outcome = Ticket.data["outcome"].as_string()
            rows = [Change(*r) for r in self.session.execute(select(
                Ticket.id, Ticket.number, Ticket.owner_path, Ticket.closed_at, outcome).where(
                self.root.cond(Ticket), Ticket.deleted.is_(False), Ticket.process == "change",
                Ticket.state.in_(("review", "closed")), outcome.in_(IMPLEMENTED_OUTCOMES)).order_by(Ticket.number))]
            reviews: dict[str, list[Entry]] = {r.id: [] for r in rows}
            for part in chunks(list(reviews)):
                for entry in self.session.execute(select(*ENTRY_COLUMNS).where(
                        TicketEntry.ticket_id.in_(part), TicketEntry.kind == "history",
                        TicketEntry.body == "review").order_by(TicketEntry.hlc)):
                    reviews[entry[0]].append(Entry(*entry))
            return [_Owned(r.owner_path, (r, reviews[r.id])) for r in rows]

        return [o.value for o in self.of("implemented", scope, load)]

    def incidents_with_parent(self, keys: set[str]) -> set[str]:
        """Those of ``keys`` that are the ``parent_id`` of a live incident (anywhere). Looked up by parent only
        (so that the parent index is the one used, with or without planner statistics), each key once."""
        unknown = sorted(k for k in keys if k not in self._parents)
        for key in unknown:
            self._parents[key] = False
        for part in chunks(unknown):
            for parent, process, deleted in self.session.execute(select(
                    Ticket.parent_id, Ticket.process, Ticket.deleted).where(Ticket.parent_id.in_(part))):
                if process == "incident" and not deleted:
                    self._parents[str(parent)] = True
        return {k for k in keys if self._parents[k]}

    def change_causes(self, scope: Scope) -> list[tuple[str, Any]]:
        """(owner, data.caused_by_change) of live incidents in scope that name a causing change: the tickets
        of the partial index ix_tickets_caused_by_change (its predicate, a superset: the key's text appears
        in the document), then the key itself read from each document."""
        def load() -> Any:
            found = []
            for owner, data in self.session.execute(select(Ticket.owner_path, Ticket.data).where(
                    self.root.cond(Ticket), Ticket.deleted.is_(False), Ticket.process == "incident",
                    self._names_a_cause())):
                if isinstance(data, dict) and data.get("caused_by_change") is not None:
                    found.append(_Owned(owner, data["caused_by_change"]))
            return found

        return [(o.owner_path, o.value) for o in self.of("change_causes", scope, load)]

    def _names_a_cause(self) -> Any:
        dialect = self.session.get_bind().dialect.name
        if dialect in CAUSED_BY_CHANGE_WHERE:
            return text(CAUSED_BY_CHANGE_WHERE[dialect])
        return Ticket.data["caused_by_change"].as_string().is_not(None)

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


class Change:
    """A change as the change indicators read it: its ``data`` holds only the implementation outcome."""

    __slots__ = ("closed_at", "data", "id", "number", "owner_path")

    def __init__(self, ticket_id: str, number: str, owner_path: str, closed_at: datetime | None,
                 outcome: str) -> None:
        self.id, self.number, self.owner_path, self.closed_at = ticket_id, number, owner_path, closed_at
        self.data = {"outcome": outcome}


@dataclass(frozen=True)
class _Owned:
    """A value kept with the owner path it is split into scopes by."""

    owner_path: str
    value: Any


class Entry(dict[str, Any]):
    """A history entry: the mapping the SLA engine's pure function reads (kind, body, data, hlc, created_at as
    stored), with the attributes the calculators read."""

    __slots__ = ()

    def __init__(self, ticket_id: str, kind: str, body: str, data: Any, hlc: str, created: Any) -> None:
        decoded = (_loads(data) if isinstance(data, str | bytes) else data) or {}
        super().__init__(ticket_id=ticket_id, kind=kind, body=body, data=decoded, hlc=hlc, created_at=created)

    @property
    def ticket_id(self) -> str:
        return str(self["ticket_id"])

    @property
    def body(self) -> str:
        return str(self["body"])

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self["data"]
        return data

    @property
    def created_at(self) -> datetime:
        """As the model column hands it back: aware UTC (the database keeps naive UTC)."""
        value = self["created_at"]
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]


def entry_time(entry: Any) -> datetime:
    at = (entry.data or {}).get("at")
    return datetime.fromisoformat(at) if isinstance(at, str) else entry.created_at
