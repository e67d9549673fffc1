"""One editor widget per field type (text, longtext, int, bool, choice, rating, date, datetime, user,
team, catalog, ci, cis, ticket). Each has ``value()``, ``set_value()`` and a ``changed`` signal."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.formatting import LOCAL_ZONE
from desktop.ops import run_op
from desktop.tickets.fields import Options, choice_text, parse_datetime
from desktop.tickets.queries import search_cis
from desktop.widgets import named
from shared.processes.definition import FieldDef

SEARCH_DELAY_MS = 250


class FieldEditor(QWidget):
    changed = Signal()

    def __init__(self, fd: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fd = fd
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def is_empty(self) -> bool:
        return self.value() in (None, "", [])


class TextEditor(FieldEditor):
    def __init__(self, fd: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QLineEdit()
        self.edit.textChanged.connect(self.changed)
        self.row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class LongTextEditor(FieldEditor):
    def __init__(self, fd: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(80)
        self.edit.textChanged.connect(self.changed)
        self.row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.toPlainText().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class IntEditor(FieldEditor):
    def __init__(self, fd: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QSpinBox(maximum=1_000_000_000)
        self.edit.valueChanged.connect(self.changed)
        self.row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.value()

    def set_value(self, value: Any) -> None:
        self.edit.setValue(int(value or 0))


class BoolEditor(FieldEditor):
    def __init__(self, fd: FieldDef, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QCheckBox()
        self.edit.toggled.connect(self.changed)
        self.row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.isChecked()

    def set_value(self, value: Any) -> None:
        self.edit.setChecked(bool(value))

    def is_empty(self) -> bool:
        return False


class ComboEditor(FieldEditor):
    """choice / rating (labels from the definition) and team / user / catalog (options from the store).
    ``allowed`` narrows a choice to the values an action's ``when`` accepts."""

    def __init__(self, fd: FieldDef, lang: str, options: Options, required: bool,
                 allowed: tuple[Any, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.edit = QComboBox()
        self.edit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.edit.setMinimumWidth(200)
        keys: list[tuple[str, str]]
        if fd.type in ("choice", "rating"):
            keys = [(k, choice_text(fd, k, lang)) for k in fd.choices]
        else:
            keys = [(o.key, o.text) for o in options.of(fd)]
        if allowed:
            keys = [(k, t) for k, t in keys if k in {str(a) for a in allowed}]
        if not required or len(keys) != 1:
            self.edit.addItem("—", None)
        for key, text in keys:
            self.edit.addItem(text, key)
        self.edit.currentIndexChanged.connect(self.changed)
        self.row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.currentData()

    def set_value(self, value: Any) -> None:
        index = self.edit.findData(None if value in (None, "") else str(value))
        if index >= 0:
            self.edit.setCurrentIndex(index)

    def keys(self) -> list[Any]:
        return [self.edit.itemData(i) for i in range(self.edit.count())]


class DateEditor(FieldEditor):
    """date / datetime; an optional one has a check box in front (unchecked = no value)."""

    def __init__(self, fd: FieldDef, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.with_time = fd.type == "datetime"
        self.required = required
        self.edit: QDateEdit | QDateTimeEdit = QDateTimeEdit() if self.with_time else QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd HH:mm" if self.with_time else "yyyy-MM-dd")
        now = QDateTime.currentDateTime()
        self.edit.setDateTime(QDateTime(now.date(), QTime(now.time().hour(), 0)))
        self.enabled = named(QCheckBox(), "set_date")
        self.enabled.setVisible(not required)
        self.enabled.setChecked(required)
        self.edit.setEnabled(required)
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.toggled.connect(self.changed)
        self.edit.dateTimeChanged.connect(self.changed)
        self.row.addWidget(self.enabled)
        self.row.addWidget(self.edit, 1)

    def value(self) -> Any:
        if not self.enabled.isChecked():
            return None
        qdt = self.edit.dateTime()
        if not self.with_time:
            d = qdt.date()
            return date(d.year(), d.month(), d.day())
        d, t = qdt.date(), qdt.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=LOCAL_ZONE)

    def set_value(self, value: Any) -> None:
        if value in (None, ""):
            self.enabled.setChecked(self.required)
            return
        self.enabled.setChecked(True)
        if isinstance(value, datetime | str) and self.with_time:
            when = value if isinstance(value, datetime) else parse_datetime(value)
            if when is not None:
                local = when.astimezone(LOCAL_ZONE)
                self.edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                                QTime(local.hour, local.minute)))
            return
        text = value.isoformat() if isinstance(value, date) else str(value)
        parsed = QDate.fromString(text[:10], "yyyy-MM-dd")
        if parsed.isValid():
            self.edit.setDate(parsed)


class TicketRefEditor(FieldEditor):
    """A ticket number (the command resolves it to the ticket); shows the number of a stored id."""

    def __init__(self, fd: FieldDef, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.names = names
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Ticket number, e.g. KB-GD-000001"))
        self.edit.textChanged.connect(self.changed)
        self.row.addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        text = "" if value in (None, "") else self.names.get(str(value), str(value))
        self.edit.setText(text.split(" ")[0])


class CiPicker(FieldEditor):
    """Search configuration items by name, asset tag or IP; pick one (ci) or several (cis)."""

    def __init__(self, fd: FieldDef, ctx: AppContext, names: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(fd, parent)
        self.ctx = ctx
        self.multi = fd.type == "cis"
        self.names = dict(names)
        self._chosen: list[str] = []
        self._query = 0
        self.search = named(QLineEdit(clearButtonEnabled=True), "ci_search")
        self.results = named(QListWidget(), "ci_results")
        self.results.setFixedHeight(90)
        self.chosen = named(QListWidget(), "ci_chosen")
        self.chosen.setFixedHeight(60 if self.multi else 28)
        self.remove = named(QPushButton(), "ci_remove")
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self.timer.start)
        self.results.itemActivated.connect(self._pick)
        self.results.itemDoubleClicked.connect(self._pick)
        self.remove.clicked.connect(self._remove)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.results)
        bottom = QHBoxLayout()
        bottom.addWidget(self.chosen, 1)
        bottom.addWidget(self.remove)
        column.addLayout(bottom)
        self.row.addLayout(column)
        self.retranslateUi()
        self.run_search()  # the first CIs in scope, before anything is typed

    def retranslateUi(self) -> None:
        self.search.setPlaceholderText(self.tr("Search by name, asset tag or IP…"))
        self.remove.setText(self.tr("Remove"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def run_search(self) -> None:
        self.timer.stop()
        self._query += 1
        store, actor, text = self.ctx.store, self.ctx.actor, self.search.text().strip()
        run_op(self, partial(search_cis, store, actor, text), partial(self._on_results, self._query))

    def _on_results(self, query: int, rows: list[dict[str, Any]]) -> None:
        if query != self._query:
            return
        self.results.clear()
        for row in rows:
            item = QListWidgetItem(row["text"])
            item.setData(Qt.ItemDataRole.UserRole, row["id"])
            self.results.addItem(item)
            self.names[row["id"]] = row["text"]

    def _pick(self, item: QListWidgetItem) -> None:
        self.choose(str(item.data(Qt.ItemDataRole.UserRole)))

    def choose(self, ci_id: str) -> None:
        if ci_id in self._chosen:
            return
        self._chosen = [*self._chosen, ci_id] if self.multi else [ci_id]
        self._show_chosen()

    def _remove(self) -> None:
        row = self.chosen.currentRow()
        if 0 <= row < len(self._chosen):
            del self._chosen[row]
        elif self._chosen:
            self._chosen.pop()
        self._show_chosen()

    def _show_chosen(self) -> None:
        self.chosen.clear()
        for ci_id in self._chosen:
            self.chosen.addItem(self.names.get(ci_id, ci_id))
        self.changed.emit()

    def value(self) -> Any:
        if self.multi:
            return list(self._chosen)
        return self._chosen[0] if self._chosen else None

    def set_value(self, value: Any) -> None:
        values = value if isinstance(value, list) else ([value] if value else [])
        self._chosen = [str(v) for v in values]
        self._show_chosen()


def make_editor(fd: FieldDef, ctx: AppContext, options: Options, names: dict[str, str], required: bool,
                allowed: tuple[Any, ...] = ()) -> FieldEditor:
    kind = fd.type
    if kind == "longtext":
        return LongTextEditor(fd)
    if kind == "int":
        return IntEditor(fd)
    if kind == "bool":
        return BoolEditor(fd)
    if kind in ("choice", "rating", "team", "user", "catalog"):
        return ComboEditor(fd, ctx.lang, options, required, allowed)
    if kind in ("date", "datetime"):
        return DateEditor(fd, required)
    if kind in ("ci", "cis"):
        return CiPicker(fd, ctx, names)
    if kind == "ticket":
        return TicketRefEditor(fd, names)
    return TextEditor(fd)
