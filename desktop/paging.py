"""``PagedListModel``: the one paging pattern of the desktop's long lists (tickets, CIs, form records,
search results), over SQL, a page at a time.

- A *source* (plain Python, run in a worker through ``run_op``) reads a page and a count; the model
  (GUI thread) holds only the rows scrolled through. Sorting and filtering are the source's SQL.
- Every load carries the model's *generation*: an answer for an older query (a filter changed
  meanwhile) is dropped.
- Keyset paging where the sort allows it: each page ends with the key of its last row (the sort
  columns and the id); the next page is the rows strictly after that key — an index range, however
  deep (a nullable sort column: two ranges, the NULL rows last). A sort no cursor can describe (form
  records: NULLs last, then the number) pages by OFFSET.
- ``fetchMore`` loads one page (``canFetchMore`` is false while one is loading); ``jump_to(row)``
  starts a window at any position — the key before it read from an index alone (``Order.walk_index``),
  then one keyset page, never the rows before it — and ``fetch_previous`` grows the window upwards
  again (``enable_jumps``: Ctrl+End, Ctrl+Home, and the view reaching the top). ``first`` is the position of row 0.
- Counts that do not scan: the source answers a ``Count`` — exact when it is maintained or small,
  else capped (``capped_count``: "10,000+").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QWidget
from sqlalchemy import ColumnElement, Select, and_, func, literal, select, text, tuple_
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from desktop.context import AppContext
from desktop.lazy import ShownGate
from desktop.ops import run_op, show_error
from shared.store import Store

AnyIndex = QModelIndex | QPersistentModelIndex
COUNT_CAP = 10_000
JUMP_FROM = 1_000  # deeper than this, a first page is found by its key (see ``sql_page``)
Q = TypeVar("Q")
Key = tuple[Any, ...]


@dataclass(frozen=True)
class Count:
    value: int
    exact: bool = True


@dataclass
class Slice:
    """What a worker hands back: ``rows`` starting at position ``start``; ``more`` if rows follow."""

    start: int
    rows: list[dict[str, Any]]
    more: bool
    first_key: Key | None = None
    last_key: Key | None = None
    count: Count | None = None
    extra: Any = None  # what else the first page brings (e.g. names of templates)


@dataclass(frozen=True)
class Order:
    """The sort of a list: key columns (the last one unique, e.g. the id), their names in a row, and the
    direction. ``nullable``: the first column may be NULL (SQLite sorts NULL lowest; the cursor condition
    says so). ``keyset=False`` pages by OFFSET (a sort no cursor can describe)."""

    columns: tuple[Any, ...]  # column expressions or mapped attributes
    names: tuple[str, ...]
    descending: bool = False
    nullable: bool = False
    keyset: bool = True
    walk_index: str | None = None  # an index holding the sort columns and the filter: jumps walk it alone

    def key(self, row: dict[str, Any]) -> Key | None:
        return tuple(row[n] for n in self.names) if self.keyset else None


def sql_page(session: Session, stmt: Select[Any], order: Order, after: Key | None, offset: int,
             limit: int, backwards: bool = False,
             convert: Callable[[Any], dict[str, Any]] | None = None) -> tuple[list[dict[str, Any]], bool]:
    """One page of ``stmt`` in ``order``: after the key ``after`` (keyset) or from ``offset``; with
    ``backwards`` the page before the key, still returned in list order. Reads ``limit + 1`` rows to know
    whether more follow. ``convert`` turns each entity of a one-entity SELECT into a row dict."""
    down = order.descending != backwards
    ordering = [c.desc() if down else c.asc() for c in order.columns]
    if after is None and offset > JUMP_FROM and order.keyset and not backwards:
        # A jump: the key just before ``offset`` from the sort columns alone (an index-only walk where an
        # index covers them and the filter), then a keyset page — never the rows before it.
        keys = stmt.with_only_columns(*order.columns).order_by(*ordering).offset(offset - 1).limit(1)
        sqlite = session.get_bind().dialect.name == "sqlite"
        key = _walk(session, keys, order) if order.walk_index and sqlite else session.execute(keys).first()
        if key is None:
            return [], False
        after = tuple(key)
    phases = _beyond(order, after, down) if after is not None and order.keyset else [None]
    rows: list[dict[str, Any]] = []
    for condition in phases:  # each an index range; a nullable sort has a second one for the NULL rows
        query = stmt if condition is None else stmt.where(condition)
        query = query.order_by(*ordering).limit(limit + 1 - len(rows)).offset(offset if condition is None else 0)
        if convert is not None:
            rows += [convert(r) for r in session.scalars(query)]
        else:
            rows += [dict(r._mapping) for r in session.execute(query)]
        if len(rows) > limit:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    return (rows[::-1] if backwards else rows), more


def _walk(session: Session, keys: Select[Any], order: Order) -> Any:
    """Run ``keys`` through ``order.walk_index`` (SQLite's INDEXED BY, which SQLAlchemy does not render):
    the planner would pick a narrower index over the sort columns and read every row for the filter."""
    table = order.columns[0].table
    dialect = session.get_bind().dialect
    sql = str(keys.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    name = getattr(table, "name", "")
    hinted = sql.replace(f"FROM {name}", f"FROM {name} INDEXED BY {order.walk_index}", 1)
    try:
        return session.execute(text(hinted).columns(*order.columns)).first()
    except OperationalError:  # "no query solution": the filter cannot use it
        return session.execute(keys).first()


def _past(columns: Sequence[Any], key: Sequence[Any], down: bool) -> ColumnElement[bool]:
    if len(columns) == 1:
        return columns[0] < key[0] if down else columns[0] > key[0]
    left, right = tuple_(*columns), tuple_(*(literal(v, c.type) for c, v in zip(columns, key, strict=True)))
    return left < right if down else left > right


def _beyond(order: Order, key: Key, down: bool) -> list[ColumnElement[bool]]:
    """Conditions for the rows strictly after ``key`` in the walk (``down``: descending), to read in turn:
    each a row-value comparison the index serves as a range (an OR would make it a scan). A nullable first
    column puts its NULL rows at the low end (SQLite's order): read them last going down, first going up."""
    columns = order.columns
    beyond = _past(columns, key, down) if key[0] is not None else None
    if not order.nullable:
        assert beyond is not None
        return [beyond]
    head = columns[0]
    if beyond is not None:
        return [beyond, head.is_(None)] if down else [beyond]
    rest = and_(head.is_(None), _past(columns[1:], key[1:], down))
    return [rest] if down else [rest, head.is_not(None)]


def capped_count(session: Session, stmt: Select[Any], cap: int = COUNT_CAP) -> Count:
    """Count at most ``cap`` + 1 rows of ``stmt``: a bounded read however large the table."""
    inner = stmt.with_only_columns(literal(1)).order_by(None).limit(cap + 1).subquery()
    n = int(session.scalar(select(func.count()).select_from(inner)) or 0)
    return Count(min(n, cap), n <= cap)


class PageSource(Generic[Q]):
    """Reads a list's pages in a worker. Subclasses give ``statement`` and ``order`` (or override
    ``page``), and ``count``; everything they touch is plain data captured at construction."""

    def __init__(self, store: Store, actor: Any, query: Q) -> None:
        self.store, self.actor, self.query = store, actor, query

    def statement(self, session: Session) -> Select[Any]:
        raise NotImplementedError

    def order(self) -> Order:
        raise NotImplementedError

    def page(self, session: Session, after: Key | None, offset: int, limit: int,
             backwards: bool = False) -> tuple[list[dict[str, Any]], bool]:
        return sql_page(session, self.statement(session), self.order(), after, offset, limit, backwards)

    def key(self, row: dict[str, Any]) -> Key | None:
        return self.order().key(row)

    def count(self, session: Session) -> Count:
        return capped_count(session, self.statement(session))

    def extra(self, session: Session) -> Any:
        return None

    def ready(self) -> None:
        """Before the read transaction starts: make what the reads need (e.g. maintained counts)."""

    def prepare(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Display values made in the worker (the keys are taken before)."""
        return rows

    # -- what the model runs in the worker ------------------------------------------------------
    def load(self, start: int, after: Key | None, limit: int, first: bool, backwards: bool = False,
             counted: bool = True) -> Slice:
        if first:
            self.ready()
        with self.store.read() as session:
            rows, more = self.page(session, after, start, limit, backwards)
            if backwards:
                start -= len(rows)  # ``start`` was the position just after the page
            keys = (self.key(rows[0]), self.key(rows[-1])) if rows else (None, None)
            count = self.count(session) if first and counted else None
            extra = self.extra(session) if first else None
        return Slice(start, self.prepare(rows), more, keys[0], keys[1], count, extra)

    def load_count(self) -> Count:
        with self.store.read() as session:
            return self.count(session)


@dataclass
class _Window:
    """The loaded rows: positions ``first`` … ``first + len(rows) - 1`` of the list."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    first: int = 0
    more: bool = False
    first_key: Key | None = None
    last_key: Key | None = None


class PagedListModel(QAbstractTableModel, Generic[Q]):
    """Subclasses set ``COLUMNS`` and ``WATCHED`` (bus entities that reload the list), and implement
    ``make_source(query)``, ``display(row, key)`` and ``headers()``."""

    loaded = Signal()  # a page (first or further) has been applied
    countChanged = Signal(int)
    COLUMNS: tuple[str, ...] = ()
    WATCHED: frozenset[str] = frozenset()
    PAGE_SIZE = 200
    COUNT_APART = False  # True: the count is its own op, started once the first page is in (never delays it)

    def __init__(self, ctx: AppContext, query: Q, parent: QObject | None = None, page_size: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.query = query
        self.total = 0
        self.total_exact = True
        self.extra: Any = None
        self._page_size = page_size
        self._window = _Window()
        self._generation = 0
        self._loading = False
        self._gate: ShownGate | None = None
        ctx.bus.changed.connect(self._on_changed)

    # --- to implement ---------------------------------------------------------------------------
    def make_source(self, query: Q) -> PageSource[Q]:
        raise NotImplementedError

    def display(self, row: dict[str, Any], key: str) -> Any:
        return row.get(key)

    def headers(self) -> tuple[str, ...]:
        return self.COLUMNS

    def page_size(self) -> int:
        return self._page_size or self.PAGE_SIZE

    # --- loading --------------------------------------------------------------------------------
    @property
    def rows(self) -> list[dict[str, Any]]:
        return self._window.rows

    @property
    def first(self) -> int:
        """The list position of row 0 (0 unless the model jumped)."""
        return self._window.first

    @property
    def loading(self) -> bool:
        return self._loading

    def set_query(self, query: Q) -> None:
        if query != self.query:
            self.query = query
            self.reload()

    def load_when_shown(self, widget: QWidget) -> None:
        """Read pages only while ``widget`` is on screen: a reload asked for while it is hidden waits for
        its next show (``desktop.lazy``)."""
        self._gate = ShownGate(widget, partial(self.reload, True))

    def reload(self, keep_loaded: bool = False) -> None:
        """From the first page (or, with ``keep_loaded``, as many rows as now from the same position)."""
        if self._gate is not None and not self._gate.allows():
            return
        start = self._window.first if keep_loaded else 0
        limit = max(self.page_size(), len(self.rows)) if keep_loaded else self.page_size()
        self._begin(start, None, limit, self._apply_first, first=True)

    def jump_to(self, position: int) -> None:
        """Show the page holding list position ``position`` (rows before it are not read)."""
        size = self.page_size()
        self._begin(max(position, 0) - max(position, 0) % size, None, size, self._apply_first, first=True)

    def _begin(self, start: int, after: Key | None, limit: int, apply: Any, first: bool,
               backwards: bool = False) -> None:
        if first:
            self._generation += 1
        self._loading = True
        source = self.make_source(self.query)
        count_after = source if first and self.COUNT_APART else None
        run_op(self, partial(source.load, start, after, limit, first, backwards, not self.COUNT_APART),
               partial(self._arrived, apply, self._generation, count_after),
               partial(self._on_failed, self._generation))

    def _arrived(self, apply: Any, generation: int, count_source: PageSource[Q] | None, page: Slice) -> None:
        """Apply a page; a count kept apart starts only now, so it never competes with the page for the
        two cores, and a query superseded while its page loaded is never counted at all."""
        apply(generation, page)
        if count_source is not None and generation == self._generation:
            run_op(self, count_source.load_count, lambda count: self._counted(generation, count),
                   lambda exc: show_error(self, exc))

    def _counted(self, generation: int, count: Count) -> None:
        if generation == self._generation:
            self._set_count(count)

    def _apply_first(self, generation: int, page: Slice) -> None:
        if generation != self._generation:
            return  # a newer query was started meanwhile
        self.beginResetModel()
        self._window = _Window(list(page.rows), page.start, page.more, page.first_key, page.last_key)
        self._set_count(page.count)
        self.extra = page.extra
        self._loading = False
        self.endResetModel()
        self.loaded.emit()

    def _apply_more(self, generation: int, page: Slice) -> None:
        window = self._window
        if generation != self._generation or page.start != window.first + len(window.rows):
            return
        self._loading = False
        window.more, window.last_key = page.more, page.last_key or window.last_key
        if page.rows:
            at = len(window.rows)
            self.beginInsertRows(QModelIndex(), at, at + len(page.rows) - 1)
            window.rows.extend(page.rows)
            self.endInsertRows()
        self.loaded.emit()

    def _apply_previous(self, generation: int, page: Slice) -> None:
        window = self._window
        if generation != self._generation or page.start + len(page.rows) != window.first:
            return
        self._loading = False
        if page.rows:
            self.beginInsertRows(QModelIndex(), 0, len(page.rows) - 1)
            window.rows[:0] = page.rows
            window.first, window.first_key = page.start, page.first_key
            self.endInsertRows()
        else:
            window.first = 0
        self.loaded.emit()

    def _set_count(self, count: Count | None) -> None:
        if count is not None:
            self.total, self.total_exact = count.value, count.exact
            self.countChanged.emit(count.value)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
        show_error(self, exc)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._loading and self._window.more

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:
        """One page after the last loaded row."""
        if self.canFetchMore(parent):
            window = self._window
            self._begin(window.first + len(window.rows), window.last_key, self.page_size(), self._apply_more,
                        first=False)

    def can_fetch_previous(self) -> bool:
        return not self._loading and self._window.first > 0

    def fetch_previous(self) -> None:
        """One page before the first loaded row (after a jump)."""
        if self.can_fetch_previous():
            window = self._window
            size = min(self.page_size(), window.first)
            if window.first_key is not None:
                self._begin(window.first, window.first_key, size, self._apply_previous, first=False, backwards=True)
            else:
                self._begin(window.first - size, None, size, self._apply_previous, first=False)

    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & self.WATCHED:
            self.reload(keep_loaded=True)

    # --- the table ------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, self.COLUMNS[index.column()])
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        return self.role_data(row, self.COLUMNS[index.column()], role)

    def role_data(self, row: dict[str, Any], key: str, role: int) -> Any:
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(self.first + section + 1)
        return None

    def retranslate(self) -> None:
        """Headers and labels from definitions follow the current language."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))

    def total_text(self) -> str:
        """The count as shown: "1,234", or "10,000+" when it was capped."""
        text = QLocale().toString(self.total or 0)
        return text if self.total_exact else text + "+"

    def row_id(self, row: int) -> str | None:
        return self.rows[row]["id"] if 0 <= row < len(self.rows) else None

    def row_of(self, row_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r["id"] == row_id), -1)


def enable_jumps(view: QAbstractItemView, model: PagedListModel[Any]) -> None:
    """Ctrl+End shows the end of the list (its last page, read by ``jump_to``), Ctrl+Home its start; after
    a jump, scrolling to the top of the window loads the page before it, keeping the view on the same row
    (``fetchMore`` already covers the bottom)."""
    bar = view.verticalScrollBar()

    def at_top(value: int) -> None:
        if value == bar.minimum() and model.can_fetch_previous():
            model.fetch_previous()

    def keep_place(_parent: QModelIndex, first: int, last: int) -> None:
        if first == 0:  # only a previous page is inserted at the top; scroll once the view has laid it out
            QTimer.singleShot(0, lambda: show_at_top(last + 1))

    def show_at_top(row: int) -> None:
        if view.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
            bar.setValue(row)  # the value is the top row
        else:
            view.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)

    def to_end() -> None:
        if not (model.total_exact and model.total > model.first + model.rowCount()):
            view.scrollToBottom()
            return

        def arrived() -> None:
            model.loaded.disconnect(arrived)
            view.scrollToBottom()

        model.loaded.connect(arrived)
        model.jump_to(model.total - 1)

    bar.valueChanged.connect(at_top)
    model.rowsInserted.connect(keep_place)
    for keys, action in (("Ctrl+End", to_end), ("Ctrl+Home", lambda: model.reload())):
        shortcut = QShortcut(QKeySequence(keys), view, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(action)


__all__: Sequence[str] = ["COUNT_CAP", "Count", "Order", "PageSource", "PagedListModel", "Slice", "capped_count",
                          "enable_jumps", "sql_page"]
