"""The dynamic form view: built from the record's template version, one row per item (per point).

Ranges stand beside the inputs; a value outside normal colours its input at once and opens the
remark (异常描述) and photo buttons; alarms raise their incident when the form is completed, other
abnormal items offer one. Keyboard friendly (Tab / Enter move on) with big touch targets.
"""

from __future__ import annotations

import mimetypes
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.forms import commands
from desktop.forms.editors import TOUCH, ItemEditor
from desktop.forms.preview import PreviewDialog
from desktop.forms.signature import SignatureDialog
from desktop.ops import error_text, run_op
from desktop.widgets import named
from shared.forms.engine import EXECUTOR_SIGNATURE, REVIEWER_SIGNATURE, level_of, points_for, thresholds_for
from shared.forms.schema import Item

EDITABLE = ("planned", "in_progress")
CHANGES = ("form_records", "tickets", "attachments")


class ItemRow:
    """The widgets of one item: editors (one per point), range label, remark, photo and incident buttons."""

    def __init__(self, item: Item, editors: dict[str | None, ItemEditor], remark: QLineEdit,
                 photo: QPushButton | None, incident: QPushButton | None, sign: QPushButton | None) -> None:
        self.item = item
        self.editors = editors
        self.remark = remark
        self.photo = photo
        self.incident = incident
        self.sign = sign


class FormView(QWidget):
    """Shows one record; ``loaded`` after every (re)load, ``failed`` with a message line."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("form_view")
        self.ctx = ctx
        self.data: commands.LoadedRecord | None = None
        self.rows: dict[str, ItemRow] = {}
        self.preview: PreviewDialog | None = None
        self.title = named(QLabel(), "form_title")
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.status = named(QLabel(wordWrap=True), "form_status")
        self.summary = named(QLabel(), "form_summary")
        self.message = named(QLabel(wordWrap=True), "form_message")
        self.message.setStyleSheet("color: #B00000;")
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, handler in (("save", self.save), ("sign_executor", partial(self.sign, "executor")),
                             ("complete", self.complete), ("sign_reviewer", partial(self.sign, "reviewer")),
                             ("approve", partial(self.review, True)), ("return", partial(self.review, False)),
                             ("preview", self.open_preview)):
            button = named(QPushButton(), f"form_{key}")
            button.setMinimumHeight(TOUCH + 4)
            button.clicked.connect(handler)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.body = QWidget()
        self.scroll_area.setWidget(self.body)
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.summary)
        layout.addLayout(head)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll_area, 1)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self._set_visible(False)

    def retranslateUi(self) -> None:
        labels = {"save": self.tr("Save draft"), "sign_executor": self.tr("Sign (executor)…"),
                  "complete": self.tr("Complete"), "sign_reviewer": self.tr("Sign (reviewer)…"),
                  "approve": self.tr("Approve"), "return": self.tr("Return…"), "preview": self.tr("PDF preview…")}
        for key, text in labels.items():
            self.buttons[key].setText(text)
        if self.data is not None:
            self._show_header()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def _set_visible(self, shown: bool) -> None:
        for widget in (self.title, self.status, self.scroll_area, *self.buttons.values()):
            widget.setVisible(shown)

    # -- loading -------------------------------------------------------------------------------
    @property
    def record_id(self) -> str | None:
        return self.data.record["id"] if self.data else None

    def show_record(self, record_id: str | None) -> None:
        if record_id is None:
            self.data = None
            self._set_visible(False)
            return
        store, actor = self.ctx.store, self.ctx.actor
        run_op(self, partial(commands.load_record, store, actor, record_id), self._on_loaded, self._on_failed)

    def _on_changed(self, entities: frozenset[str]) -> None:
        if self.data is not None and entities & {"form_records", "attachments"}:
            self.show_record(self.data.record["id"])

    def _on_failed(self, exc: BaseException) -> None:
        self.message.setText(error_text(exc))
        self.failed.emit(error_text(exc))

    def _on_loaded(self, data: commands.LoadedRecord) -> None:
        same = self.data is not None and self.data.record["id"] == data.record["id"] and \
            self.data.template.version == data.template.version
        self.data = data
        if not same:
            self._build()
        self._fill()
        self._show_header()
        self._set_visible(True)
        self.loaded.emit()

    def _show_header(self) -> None:
        assert self.data is not None
        record, template = self.data.record, self.data.template
        self.title.setText(f"{record['number']}  {template.name.text(self.ctx.lang)}")
        states = {"planned": self.tr("Planned"), "in_progress": self.tr("In progress"),
                  "completed": self.tr("Completed, waiting for review"), "reviewed": self.tr("Reviewed")}
        text = self.tr("{code} version {version} · {state}").format(
            code=template.code, version=template.version, state=states.get(record["state"], record["state"]))
        if record["incidents"]:
            text += " · " + self.tr("Incidents: {numbers}").format(numbers=", ".join(record["incidents"].values()))
        self.status.setText(text)
        editable = record["state"] in EDITABLE
        for key in ("save", "sign_executor", "complete"):
            self.buttons[key].setEnabled(editable)
        for key in ("sign_reviewer", "approve", "return"):
            self.buttons[key].setEnabled(record["state"] == "completed")

    # -- building ------------------------------------------------------------------------------
    def _build(self) -> None:
        assert self.data is not None
        self.rows = {}
        body = QWidget()
        layout = QVBoxLayout(body)
        lang = self.ctx.lang
        for section in self.data.template.sections:
            box = named(QGroupBox(section.name.text(lang)), f"section_{section.code}")
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)
            row = 0
            for item in section.items:
                row = self._build_item(grid, row, item)
            layout.addWidget(box)
        layout.addStretch(1)
        self.scroll_area.setWidget(body)
        self.body = body

    def _build_item(self, grid: QGridLayout, row: int, item: Item) -> int:
        assert self.data is not None
        lang = self.ctx.lang
        name = QLabel(item.name.text(lang) + (" *" if item.required else ""))
        name.setWordWrap(True)
        name.setMinimumWidth(220)
        name.setToolTip(item.code + (f"\n{item.hint.text(lang)}" if item.hint else ""))
        limits = thresholds_for(item, self.data.overrides)
        standard = limits.text() if item.type == "NUM" and not limits.empty else (
            "/".join(item.normal_options) if item.normal_options else "")
        range_label = QLabel(f"{standard} {item.unit}".strip() if standard else "")
        range_label.setObjectName(f"range_{item.code}")
        range_label.setStyleSheet("color: #555555;")
        editors: dict[str | None, ItemEditor] = {}
        points = points_for(item, self.data.points) if item.per_point else (None,)
        grid.addWidget(name, row, 0, max(1, len(points)), 1, Qt.AlignmentFlag.AlignTop)
        for index, point in enumerate(points):
            editor = ItemEditor(item, lang)
            editor.setObjectName(f"item_{item.code}" + (f"__{index}" if point is not None else ""))
            editor.changed.connect(partial(self._on_value_changed, item.code))
            editors[point] = editor
            cell = QHBoxLayout()
            if point is not None:
                cell.addWidget(QLabel(point))
            cell.addWidget(editor, 1)
            grid.addLayout(cell, row + index, 1)
        grid.addWidget(range_label, row, 2, Qt.AlignmentFlag.AlignTop)
        remark = named(QLineEdit(), f"remark_{item.code}")
        remark.setPlaceholderText(self.tr("Abnormal description (required)"))
        remark.setMinimumHeight(TOUCH)
        remark.setVisible(False)
        photo = incident = sign = None
        if item.type in ("PHOTO", "FILE") or "photo" in item.on_abnormal.require or item.type == "CHK":
            photo = named(QPushButton(), f"photo_{item.code}")
            photo.setMinimumHeight(TOUCH)
            photo.clicked.connect(partial(self.pick_photo, item.code))
        if item.can_be_abnormal and item.on_abnormal.incident:
            incident = named(QPushButton(self.tr("Raise incident")), f"incident_{item.code}")
            incident.setMinimumHeight(TOUCH)
            incident.setVisible(False)
            incident.clicked.connect(partial(self.raise_incident, item.code))
        if item.type == "SIG":
            sign = named(QPushButton(self.tr("Sign…")), f"sign_{item.code}")
            sign.setMinimumHeight(TOUCH)
            role = {EXECUTOR_SIGNATURE: "executor", REVIEWER_SIGNATURE: "reviewer"}.get(item.code)
            sign.clicked.connect(partial(self.sign, role) if role else partial(self.sign_item, item.code))
        extra = QHBoxLayout()
        for widget in (remark, photo, incident, sign):
            if widget is not None:
                extra.addWidget(widget, 1 if widget is remark else 0)
        grid.addLayout(extra, row + len(points), 1, 1, 2)
        self.rows[item.code] = ItemRow(item, editors, remark, photo, incident, sign)
        return row + len(points) + 1

    def _fill(self) -> None:
        assert self.data is not None
        record = self.data.record
        values = record["values"] or {}
        remarks = {k.removeprefix("remark:"): v for k, v in (record["data"] or {}).items() if k.startswith("remark:")}
        editable = record["state"] in EDITABLE
        for code, row in self.rows.items():
            value = values.get(code)
            for point, editor in row.editors.items():
                editor.blockSignals(True)
                editor.set_value(value.get(point) if point is not None and isinstance(value, dict) else
                                 (None if point is not None else value))
                editor.blockSignals(False)
                editor.set_read_only(not editable or bool(row.item.auto))
            if row.item.auto and code in values:
                next(iter(row.editors.values())).set_value(values[code])
            row.remark.setText(remarks.get(code, ""))
            row.remark.setReadOnly(not editable)
            if row.photo is not None:
                count = self.data.photo_counts.get(code, 0)
                row.photo.setText(self.tr("Photo… ({count})").format(count=count))
                row.photo.setEnabled(editable)
            if row.sign is not None:
                signed = bool(values.get(code))
                row.sign.setText(self.tr("Signed ✓") if signed else self.tr("Sign…"))
                if row.item.type == "SIG":
                    state = next(iter(row.editors.values()))
                    state.state_label.setText(self.tr("signed") if signed else self.tr("not signed"))
            self._evaluate(code)
        self._update_summary()

    # -- live evaluation -----------------------------------------------------------------------
    def _on_value_changed(self, code: str) -> None:
        self._evaluate(code)
        self._update_summary()

    def _evaluate(self, code: str) -> None:
        assert self.data is not None
        row = self.rows[code]
        limits = thresholds_for(row.item, self.data.overrides)
        levels = []
        for editor in row.editors.values():
            value = editor.value()
            level = level_of(row.item, value, limits) if value is not None and row.item.can_be_abnormal else "normal"
            editor.set_level(level)
            levels.append(level)
        abnormal = any(level != "normal" for level in levels)
        row.remark.setVisible(abnormal or bool(row.remark.text()))
        if row.incident is not None:
            row.incident.setVisible(abnormal)
            number = self.data.record["incidents"].get(code)
            row.incident.setText(number if number else self.tr("Raise incident"))
            row.incident.setEnabled(not number)

    def _update_summary(self) -> None:
        abnormal = sum(any(e.level != "normal" for e in row.editors.values()) for row in self.rows.values())
        alarms = sum(any(e.level == "alarm" for e in row.editors.values()) for row in self.rows.values())
        self.summary.setText(self.tr("{abnormal} abnormal, {alarms} alarm").format(abnormal=abnormal, alarms=alarms)
                             if abnormal else self.tr("All normal so far"))
        self.summary.setStyleSheet("color: #B00000; font-weight: bold;" if alarms else "")

    def values(self) -> dict[str, Any]:
        """The entered values by item code (None clears a value)."""
        result: dict[str, Any] = {}
        for code, row in self.rows.items():
            if row.item.auto or row.item.type in ("SIG", "PHOTO", "FILE"):
                continue
            if row.item.per_point:
                points = {p: e.value() for p, e in row.editors.items() if e.value() is not None}
                result[code] = points or None
            else:
                result[code] = row.editors[None].value()
        return result

    def remarks(self) -> dict[str, str]:
        return {code: row.remark.text().strip() for code, row in self.rows.items()
                if row.remark.text().strip() or row.remark.isVisible()}

    # -- actions -------------------------------------------------------------------------------
    def _run(self, fn: Any, done: Any = None) -> None:
        self.message.clear()
        run_op(self, fn, done or (lambda _r: None), self._on_failed, bus=self.ctx.bus, changes=CHANGES)

    def save(self) -> None:
        if self.record_id:
            self._run(partial(commands.save, self.ctx.store, self.ctx.actor, self.record_id, self.values(),
                              self.remarks()))

    def complete(self) -> None:
        if self.record_id:
            self._run(partial(commands.save_and_complete, self.ctx.store, self.ctx.actor, self.record_id,
                              self.values(), self.remarks()))

    def sign(self, role: str | None) -> None:
        if not self.record_id or role is None:
            return
        title = self.tr("Executor signature") if role == "executor" else self.tr("Reviewer signature")
        dialog = SignatureDialog(title, self)
        dialog.setObjectName(f"signature_dialog_{role}")
        dialog.finished.connect(partial(self._on_signed, role, dialog))
        dialog.open()

    def _on_signed(self, role: str, dialog: SignatureDialog, result: int) -> None:
        if result == SignatureDialog.DialogCode.Accepted and self.record_id:
            png = dialog.pad.png()
            values, remarks = self.values(), self.remarks()
            store, actor, record_id = self.ctx.store, self.ctx.actor, self.record_id
            editable = self.data is not None and self.data.record["state"] in EDITABLE

            def work() -> None:
                if editable:
                    commands.save(store, actor, record_id, values, remarks)
                commands.sign(store, actor, record_id, role, png)

            self._run(work)
        dialog.deleteLater()

    def sign_item(self, code: str) -> None:
        """A SIG item other than the executor's / reviewer's (用户确认, 监销人 …): stored as an attachment."""
        if not self.record_id:
            return
        dialog = SignatureDialog(self.rows[code].item.name.text(self.ctx.lang), self)
        dialog.finished.connect(partial(self._on_item_signed, code, dialog))
        dialog.open()

    def _on_item_signed(self, code: str, dialog: SignatureDialog, result: int) -> None:
        if result == SignatureDialog.DialogCode.Accepted and self.record_id:
            self.add_photo_bytes(code, "signature.png", dialog.pad.png(), "image/png")
        dialog.deleteLater()

    def pick_photo(self, code: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach a photo"), "",
                                              self.tr("Images and documents (*.png *.jpg *.jpeg *.pdf);;All (*)"))
        if path:
            file = Path(path)
            self.add_photo_bytes(code, file.name, file.read_bytes(),
                                 mimetypes.guess_type(file.name)[0] or "application/octet-stream")

    def add_photo_bytes(self, code: str, name: str, content: bytes, mime: str) -> None:
        if self.record_id:
            self._run(partial(commands.add_photo, self.ctx.store, self.ctx.actor, self.record_id, code, name,
                              content, mime))

    def raise_incident(self, code: str) -> None:
        if not self.record_id or self.data is None:
            return
        editable = self.data.record["state"] in EDITABLE
        self._run(partial(commands.raise_incident, self.ctx.store, self.ctx.actor, self.record_id, code,
                          self.values() if editable else None, self.remarks() if editable else None))

    def review(self, approve: bool) -> None:
        if not self.record_id:
            return
        note = ""
        if not approve:
            note, ok = QInputDialog.getText(self, self.tr("Return the form"), self.tr("Reason:"))
            if not ok:
                return
        self._run(partial(commands.review, self.ctx.store, self.ctx.actor, self.record_id, approve, note))

    def open_preview(self) -> None:
        if not self.record_id:
            return
        run_op(self, partial(commands.record_pdf, self.ctx.store, self.ctx.actor, self.record_id),
               self._show_preview, self._on_failed)

    def _show_preview(self, pdf: bytes) -> None:
        assert self.data is not None
        self.preview = PreviewDialog(pdf, f"{self.data.record['number']}.pdf", self)
        self.preview.open()
