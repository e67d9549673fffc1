"""Background operations and the change bus (Anki's CollectionOp / QueryOp, in miniature).

``run_op(parent, fn, on_success)`` runs ``fn()`` on a thread pool. ``fn`` opens its own store
session and returns plain data (never ORM objects). The result comes back on the GUI thread
through a dispatcher object that lives there: its ``@Slot`` calls ``on_success`` or
``on_failure``, so callbacks never run in the worker. If ``parent`` has been deleted by then,
the callbacks are skipped (the write, if any, still happened and the bus still hears of it).

``Bus.changed`` carries a frozenset of entity names (``{"tickets"}``); views reload when their
entity is in it. Pass ``bus=`` and ``changes=`` to ``run_op`` to emit it after a write.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QElapsedTimer,
    QLocale,
    QObject,
    QRunnable,
    QThread,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QMainWindow, QWidget

from shared.messages import localize
from shared.services.errors import ServiceError

log = logging.getLogger(__name__)
STATUS_TIMEOUT_MS = 10_000

OnSuccess = Callable[[Any], None]
OnFailure = Callable[[BaseException], None]


class Bus(QObject):
    """One typed signal: which kinds of entities changed (e.g. ``frozenset({"tickets"})``)."""

    changed = Signal(object)

    def notify(self, *entities: str) -> None:
        self.changed.emit(frozenset(entities))


_pending: dict[int, _Op] = {}  # GUI thread only adds and removes; workers only look up
_outcomes: dict[int, tuple[bool, Any]] = {}  # worker → GUI; the GUI thread drops the last refs
_ids = itertools.count(1)
_dispatcher: _Dispatcher | None = None


def error_text(exc: BaseException) -> str:
    """One line for a person: a service's own message, or a short generic one."""
    if isinstance(exc, ServiceError):  # the services speak English; the person reads the UI's language
        return localize(str(exc), "zh" if QLocale().name().startswith("zh") else "en")
    return QCoreApplication.translate("ops", "Unexpected error: {error}").format(error=exc)


def _widget_of(obj: QObject | None) -> QWidget | None:
    while obj is not None and shiboken6.isValid(obj) and not isinstance(obj, QWidget):
        obj = obj.parent()
    return obj if isinstance(obj, QWidget) and shiboken6.isValid(obj) else None


def show_error(parent: QObject | None, exc: BaseException) -> None:
    """Put the error on the status bar of ``parent``'s main window (or the log if there is none).

    ``parent`` may be a widget or any QObject whose Qt parent chain reaches one (an item model).
    """
    widget = _widget_of(parent)
    window = widget.window() if widget is not None else None
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(error_text(exc), STATUS_TIMEOUT_MS)
    else:
        log.warning("operation failed: %s", error_text(exc))


@dataclass
class _Op:
    parent: QObject | None
    fn: Callable[[], Any]
    on_success: OnSuccess
    on_failure: OnFailure | None
    bus: Bus | None
    changes: frozenset[str]


@dataclass
class _Failure:
    error: BaseException  # its traceback is cut: frames must not travel (or die) across threads
    trace: str


class _Dispatcher(QObject):
    """Lives on the GUI thread for the whole run; a worker emits ``finished(op_id)`` only.

    The signal carries just the id: the op (with its callbacks) and the outcome are looked up and
    released here, on the GUI thread. A widget whose last reference died in a worker would be
    destroyed there, and Qt then crashes on its timers (seen: segfault in activateTimers).
    """

    finished = Signal(object)  # the op id (object: ids are never squeezed into 32 bits)

    def __init__(self) -> None:
        super().__init__()
        self.finished.connect(self._on_finished)

    @Slot(object)
    def _on_finished(self, op_id: int) -> None:
        op = _pending.pop(op_id, None)
        ok, payload = _outcomes.pop(op_id)
        if op is not None:
            _deliver(op, ok, payload)


def _deliver(op: _Op, ok: bool, payload: Any) -> None:
    alive = op.parent is None or shiboken6.isValid(op.parent)
    if ok:
        try:
            if alive:
                op.on_success(payload)
        finally:
            if op.bus is not None and op.changes and shiboken6.isValid(op.bus):
                op.bus.changed.emit(op.changes)
        return
    error = payload.error
    if not isinstance(error, ServiceError):
        log.error("background operation failed: %s\n%s", error, payload.trace)
    if not alive:
        return
    if op.on_failure is not None:
        op.on_failure(error)
    else:
        show_error(op.parent, error)


class _Task(QRunnable):
    def __init__(self, op_id: int, dispatcher: _Dispatcher) -> None:
        super().__init__()
        self._op_id = op_id
        self._dispatcher = dispatcher  # module-lifetime object: dropping this ref never destroys it

    def run(self) -> None:
        fn = _pending[self._op_id].fn
        try:
            outcome: tuple[bool, Any] = (True, fn())
        except BaseException as exc:  # delivered to the GUI thread, never lost in the worker
            trace = "".join(traceback.format_exception(exc))
            outcome = (False, _Failure(exc.with_traceback(None), trace))
        del fn
        _outcomes[self._op_id] = outcome
        del outcome  # from here on only the GUI thread holds the result
        self._dispatcher.finished.emit(self._op_id)


def run_op(parent: QObject | None, fn: Callable[[], Any], on_success: OnSuccess,
           on_failure: OnFailure | None = None, *, bus: Bus | None = None,
           changes: Iterable[str] = ()) -> None:
    """Run ``fn()`` off the GUI thread; deliver its result (or error) on the GUI thread.

    Call from the GUI thread only. ``ServiceError`` and unexpected errors go to ``on_failure``
    when given, else to the status bar. After a success, ``bus.changed`` gets ``changes``.
    """
    global _dispatcher
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("run_op must be called from the GUI thread")
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    op_id = next(_ids)
    _pending[op_id] = _Op(parent, fn, on_success, on_failure, bus, frozenset(changes))
    QThreadPool.globalInstance().start(_Task(op_id, _dispatcher))


def pending() -> int:
    """How many operations have not yet delivered their result."""
    return len(_pending)


def wait_idle(timeout_ms: int = 10_000) -> bool:
    """Wait (processing events) until every operation has delivered; for shutdown and tests."""
    timer = QElapsedTimer()
    timer.start()
    while _pending and timer.elapsed() < timeout_ms:
        QThreadPool.globalInstance().waitForDone(50)
        QCoreApplication.processEvents()
    return not _pending
