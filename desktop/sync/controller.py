"""The sync controller: one object in the GUI thread that runs syncs in background ops and reports them.

* ``sync_now()`` runs one ``SyncClient.sync()`` through ``run_op``; never two at once (a request made
  while one runs is queued, once). A QTimer syncs every ``sync/interval_min`` minutes (QSettings,
  default 5) while the store is signed in to a server.
* The SyncClient's progress callback runs in the worker: it only emits a signal of a relay object that
  lives in the GUI thread, so the slot that updates the status bar runs in the GUI thread (queued).
* After a sync the main window learns online/offline and "last sync 13:05 · 0 to upload"; the bus hears
  every synced entity so views reload. The outbox size is re-read after every local write (bus).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal, Slot

from desktop.context import AppContext
from desktop.formatting import LOCAL_ZONE
from desktop.main_window import MainWindow
from desktop.ops import STATUS_TIMEOUT_MS, error_text, run_op
from desktop.sync import jobs
from desktop.sync.jobs import MakeTransport, SyncOutcome, SyncState
from shared.models import SYNCED
from shared.sync.client import AuthRequired, SyncFailed

INTERVAL_KEY = "sync/interval_min"
DEFAULT_INTERVAL_MIN = 5.0


def interval_ms() -> int:
    """The automatic sync interval from QSettings (minutes, fractions allowed); at least one second."""
    try:
        minutes = float(QSettings().value(INTERVAL_KEY, DEFAULT_INTERVAL_MIN))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        minutes = DEFAULT_INTERVAL_MIN
    return max(1_000, int(minutes * 60_000))


class _ProgressRelay(QObject):
    """Lives in the GUI thread; ``report`` is called in the worker and only emits (a queued delivery)."""

    progress = Signal(str, object, object)  # phase, done, total (object: never squeezed into 32 bits)

    def report(self, phase: str, done: int, total: int) -> None:
        if shiboken6.isValid(self):
            self.progress.emit(phase, done, total)


class SyncController(QObject):
    state_changed = Signal(object)  # SyncState
    running_changed = Signal(bool)
    progress_changed = Signal(str)
    message = Signal(str)  # the outcome of the last sync or sign-in, for a person
    finished = Signal(object)  # SyncOutcome
    signin_finished = Signal(str)  # "" when signed in, else why not

    def __init__(self, ctx: AppContext, parent: QObject | None = None,
                 make_transport: MakeTransport = jobs.http_transport) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.make_transport = make_transport
        self.window: MainWindow | None = None
        self.state = SyncState()
        self.loaded = False
        self.running = False
        self.auth_required = False
        self.syncs_started = 0
        self._queued = False
        self._refreshing = self._refresh_again = self._sync_after_load = self._own_notice = False
        self._credential: tuple[str, str] | None = None
        self._progress_text = ""
        self.relay = _ProgressRelay(self)
        self.relay.progress.connect(self._on_progress)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timer)
        ctx.bus.changed.connect(self._on_bus_changed)

    # -- wiring -----------------------------------------------------------------------------------
    def attach(self, window: MainWindow) -> None:
        """Report to ``window``'s status bar (and die with it); reads the state once."""
        self.window = window
        if self.parent() is None:
            self.setParent(window)
        window.installEventFilter(self)
        self.refresh()

    def start(self, sync_first: bool = True) -> None:
        """Start the automatic timer; with ``sync_first``, sync once now if signed in to a server."""
        self.timer.start(interval_ms())
        self._sync_after_load = sync_first
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self._show_info()
        return False

    # -- state --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the sync state (outbox size, last sync …) off the GUI thread; coalesced."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        store = self.ctx.store
        run_op(self, lambda: jobs.load_state(store), self._on_state, self._on_refresh_failed)

    @Slot(object)
    def _on_state(self, state: SyncState) -> None:
        self._refreshing = False
        self._set_state(state)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()
        elif self._sync_after_load and state.signed_in:
            self._sync_after_load = False
            self.sync_now()

    def _on_refresh_failed(self, exc: BaseException) -> None:
        self._refreshing = self._refresh_again = False
        self._say(error_text(exc))

    def _set_state(self, state: SyncState) -> None:
        self.state = state
        self.loaded = True
        self._show_info()
        self.state_changed.emit(state)

    @Slot(object)
    def _on_bus_changed(self, entities: Any) -> None:
        if not self._own_notice:  # a local write: the outbox grew
            self.refresh()

    # -- syncing ------------------------------------------------------------------------------------
    @Slot()
    def _on_timer(self) -> None:
        if self.state.signed_in and not self.auth_required:
            self.sync_now()

    def sync_now(self) -> None:
        if self.running:
            self._queued = True
            return
        self.running = True
        self.syncs_started += 1
        self.running_changed.emit(True)
        self._show_progress(self.tr("Syncing…"))
        store, make, report = self.ctx.store, self.make_transport, self.relay.report
        credential, self._credential = self._credential, None
        run_op(self, lambda: jobs.run_sync(store, make, report, credential), self._on_synced, self._on_sync_error)

    @Slot(str, object, object)
    def _on_progress(self, phase: str, done: int, total: int) -> None:
        if not self.running:
            return
        if phase == "push":
            text = self.tr("Syncing… pushed {done}/{total}").format(done=done, total=done + total)
        elif phase == "snapshot":
            text = self.tr("Syncing… first download {done}/{total}").format(done=done, total=total)
        else:
            text = self.tr("Syncing… pulled {count}").format(count=done)
        self._show_progress(text)

    def _on_synced(self, outcome: SyncOutcome) -> None:
        self.auth_required = outcome.failure == "auth"
        self._finish(outcome.state)
        if self.window is not None:
            self.window.set_online(outcome.failure in ("", "failed"))
        self._say(self.outcome_text(outcome))
        if outcome.failure != "offline":
            self._own_notice = True
            try:
                self.ctx.bus.changed.emit(frozenset(SYNCED))  # views reload what came down
            finally:
                self._own_notice = False
        self.finished.emit(outcome)
        self._run_queued()

    def _on_sync_error(self, exc: BaseException) -> None:
        self._finish(self.state)
        self._say(self.tr("Sync failed: {error}").format(error=error_text(exc)))
        self.refresh()
        self._run_queued()

    def _finish(self, state: SyncState) -> None:
        self.running = False
        self._progress_text = ""
        self._set_state(state)
        self.running_changed.emit(False)

    def _run_queued(self) -> None:
        if self._queued:
            self._queued = False
            self.sync_now()

    # -- signing in ---------------------------------------------------------------------------------
    def sign_in(self, url: str, username: str, password: str) -> None:
        """``SyncClient.login`` in a background op, then a first sync (which caches the credential)."""
        store, make = self.ctx.store, self.make_transport

        def done(_answer: Any) -> None:
            self.auth_required = False
            self._credential = (username, password)
            self.signin_finished.emit("")
            self.refresh()
            self.sync_now()

        run_op(self, lambda: jobs.sign_in_remote(store, make, url, username, password), done,
               lambda exc: self.signin_finished.emit(self.sign_in_error(exc, url)))

    def sign_in_error(self, exc: BaseException, url: str) -> str:
        if isinstance(exc, AuthRequired):
            if "password" in str(exc).lower():
                return self.tr("The server refused the sign-in: wrong username or password.")
            return self.tr("The server refused the sign-in: {reason}").format(reason=exc)
        if isinstance(exc, SyncFailed) and jobs.failure_kind(exc) == "offline":
            return self.tr("Cannot reach the server at {url}. Check the address and the network.").format(url=url)
        if isinstance(exc, SyncFailed):
            return self.tr("Sign-in failed: {error}").format(error=exc)
        return error_text(exc)

    # -- texts --------------------------------------------------------------------------------------
    def outcome_text(self, outcome: SyncOutcome) -> str:
        if outcome.failure == "offline":
            return self.tr("Offline: the server cannot be reached. Your changes are kept and are sent at "
                           "the next sync.")
        if outcome.failure == "auth":
            return self.tr("The server asks you to sign in again: open the Sync area.")
        if outcome.failure:
            return self.tr("Sync failed: {error}").format(error=outcome.error)
        report = outcome.report
        if report.get("conflicts"):
            return self.tr("Synced: {pushed} sent, {pulled} received, {conflicts} conflicts for the "
                           "administrator").format(**report)
        return self.tr("Synced: {pushed} sent, {pulled} received").format(**report)

    def info_text(self) -> str:
        """"Last sync 13:05 · 0 to upload" (local time; the date too if not today)."""
        when = self.state.last_sync_at
        if when is None:
            return self.tr("Never synced · {count} to upload").format(count=self.state.outbox)
        return self.tr("Last sync {time} · {count} to upload").format(time=short_time(when),
                                                                      count=self.state.outbox)

    def _show_info(self) -> None:
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.set_sync_info(self._progress_text or self.info_text())

    def _show_progress(self, text: str) -> None:
        self._progress_text = text
        self._show_info()
        self.progress_changed.emit(text)

    def _say(self, text: str) -> None:
        if self.window is not None and shiboken6.isValid(self.window):
            self.window.statusBar().showMessage(text, STATUS_TIMEOUT_MS)
        self.message.emit(text)


def short_time(when: datetime) -> str:
    """``13:05`` today, else ``11-27 13:05``, in China time."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(LOCAL_ZONE)
    today = datetime.now(LOCAL_ZONE).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")
