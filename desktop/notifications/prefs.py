"""The signed-in person's notification settings: email / SMS per kind and quiet hours. Saved in the local
store and synced to the province server, which sends the messages."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.context import AppContext
from desktop.widgets import named
from shared.services import notifications

CHANNELS = ("email", "sms")


class PrefsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Notification settings"))
        self.boxes: dict[tuple[str, str], QCheckBox] = {}
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("Email")), 0, 1)
        grid.addWidget(QLabel(self.tr("SMS")), 0, 2)
        for row, (kind, label) in enumerate(notifications.kinds().items(), start=1):
            grid.addWidget(QLabel(str(label.get(ctx.lang, label.get("en", kind)))), row, 0)
            for col, channel in enumerate(CHANNELS, start=1):
                box = self.boxes[(kind, channel)] = named(QCheckBox(), f"{kind}_{channel}")
                grid.addWidget(box, row, col)
        self.quiet = named(QCheckBox(self.tr("Quiet hours (only P1 comes through)")), "quiet")
        self.quiet_start = named(QTimeEdit(QTime(22, 0)), "quiet_start")
        self.quiet_end = named(QTimeEdit(QTime(7, 0)), "quiet_end")
        for edit in (self.quiet_start, self.quiet_end):
            edit.setDisplayFormat("HH:mm")
        self.quiet.toggled.connect(self.quiet_start.setEnabled)
        self.quiet.toggled.connect(self.quiet_end.setEnabled)
        quiet_row = QHBoxLayout()
        quiet_row.addWidget(self.quiet)
        quiet_row.addWidget(self.quiet_start)
        quiet_row.addWidget(QLabel("–"))
        quiet_row.addWidget(self.quiet_end)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.error = named(QLabel(), "prefs_error")
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(quiet_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setEnabled(False)
        store, user_id = ctx.store, str(ctx.actor.user_id)

        def load() -> dict[str, Any]:
            with store.read() as session:
                return notifications.get_prefs(session, user_id)
        ops.run_op(self, load, self._loaded)

    def _loaded(self, prefs: dict[str, Any]) -> None:
        for (kind, channel), box in self.boxes.items():
            box.setChecked(channel in prefs["effective"].get(kind, []))
        quiet = bool(prefs["quiet_start"] and prefs["quiet_end"])
        self.quiet.setChecked(quiet)
        if quiet:
            self.quiet_start.setTime(QTime.fromString(prefs["quiet_start"], "HH:mm"))
            self.quiet_end.setTime(QTime.fromString(prefs["quiet_end"], "HH:mm"))
        self.quiet_start.setEnabled(quiet)
        self.quiet_end.setEnabled(quiet)
        self.setEnabled(True)

    def chosen(self) -> tuple[dict[str, list[str]], tuple[str, str]]:
        channels = {kind: [c for c in CHANNELS if self.boxes[(kind, c)].isChecked()] for kind in notifications.kinds()}
        quiet = (self.quiet_start.time().toString("HH:mm"), self.quiet_end.time().toString("HH:mm")) \
            if self.quiet.isChecked() else ("", "")
        return channels, quiet

    @Slot()
    def save(self) -> None:
        channels, quiet = self.chosen()
        store, actor = self.ctx.store, self.ctx.actor

        def write() -> dict[str, Any]:
            with store.write(actor.user_id) as cs:
                return notifications.set_prefs(cs, actor, actor.username, channels, quiet)
        ops.run_op(self, write, lambda _r: self.accept(), lambda exc: self.error.setText(ops.error_text(exc)),
                   bus=self.ctx.bus, changes=("notification_prefs",))
