"""制度与标准库 in the desktop: the current editions HQ published (from the local store, so it works
offline), a document's details and files (save a copy), and "I have read it"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import ops
from desktop.context import AppContext
from desktop.widgets import named
from shared.services import documents

ENTITIES = frozenset({"documents", "document_reads", "attachments"})


class LibraryPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self.current: dict[str, Any] | None = None
        self.kind = named(QComboBox(), "kind")
        self.kind.currentIndexChanged.connect(self.reload)
        self.table = named(QTableWidget(0, 6), "documents")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.currentCellChanged.connect(self._on_current)
        self.detail = named(QLabel(), "document_detail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.files = named(QListWidget(), "document_files")
        self.save = named(QPushButton(), "save_file")
        self.save.clicked.connect(self._on_save)
        self.read = named(QPushButton(), "acknowledge")
        self.read.clicked.connect(self.acknowledge)
        self.status = named(QLabel(), "library_status")
        self.saved_to: Path | None = None
        side = QWidget()
        column = QVBoxLayout(side)
        column.addWidget(self.detail)
        column.addWidget(self.files, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.read)
        column.addLayout(buttons)
        column.addWidget(self.status)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        top = QHBoxLayout()
        self.caption = QLabel()
        top.addWidget(self.caption, 1)
        top.addWidget(self.kind)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        ctx.bus.changed.connect(self._on_changed)
        self.retranslateUi()
        self.reload()

    # -- texts --------------------------------------------------------------------------------------
    def retranslateUi(self) -> None:
        self.caption.setText(self.tr("Rules, standards and work instructions"))
        self.kind.blockSignals(True)
        index = max(self.kind.currentIndex(), 0)
        self.kind.clear()
        self.kind.addItem(self.tr("All"), "")
        for code, label in (("rule", self.tr("Management rules")), ("standard", self.tr("Technical standards")),
                            ("instruction", self.tr("Work instructions"))):
            self.kind.addItem(label, code)
        self.kind.setCurrentIndex(index)
        self.kind.blockSignals(False)
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Edition"), self.tr("Title"),
                                              self.tr("Effective"), self.tr("Issued by"), self.tr("Read")])
        self.save.setText(self.tr("Save a copy…"))
        self.read.setText(self.tr("I have read it"))
        self._fill()
        self._show_detail()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    # -- loading ------------------------------------------------------------------------------------
    @Slot(object)
    def _on_changed(self, entities: frozenset[str]) -> None:
        if entities & ENTITIES or "*" in entities:
            self.reload()

    @Slot()
    def reload(self) -> None:
        store, kind, user_id = self.ctx.store, self.kind.currentData() or None, self.ctx.actor.user_id

        def load() -> list[dict[str, Any]]:
            with store.read() as session:
                return documents.list_documents(session, kind, user_id=user_id)
        ops.run_op(self, load, self._loaded)

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        selected = self.current["id"] if self.current else None
        self.rows = rows
        self._fill()
        for i, row in enumerate(rows):
            if row["id"] == selected:
                self.table.selectRow(i)
        self._show_detail()  # the read state may have changed under the same selection

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        bold = QFont()
        bold.setBold(True)
        for i, row in enumerate(self.rows):
            cells = (row["code"], row["edition"], row["title"], row["effective_date"], row["issuing_unit"],
                     self.tr("yes") if row.get("read") else "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not row.get("read"):
                    item.setFont(bold)
                self.table.setItem(i, col, item)

    def _on_current(self, row: int, *_args: int) -> None:
        if not 0 <= row < len(self.rows):
            self.current = None
            self._show_detail()
            return
        store, doc_id = self.ctx.store, self.rows[row]["id"]

        def load() -> dict[str, Any]:
            with store.read() as session:
                return documents.get_document(session, doc_id)
        ops.run_op(self, load, self._detail_loaded)

    def _detail_loaded(self, doc: dict[str, Any]) -> None:
        self.current = doc
        self._show_detail()

    def _show_detail(self) -> None:
        doc = self.current
        self.files.clear()
        self.save.setEnabled(False)
        self.read.setEnabled(doc is not None and not self._is_read(doc))
        if doc is None:
            self.detail.setText(self.tr("Select a document."))
            return
        kinds = {"rule": self.tr("Management rule"), "standard": self.tr("Technical standard"),
                 "instruction": self.tr("Work instruction")}
        self.detail.setText(self.tr("{code} {title}\n{kind} · edition {edition} · effective {date}\n"
                                    "Issued by {unit}\n{summary}").format(
            code=doc["code"], title=doc["title"], kind=kinds.get(doc["kind"], doc["kind"]), edition=doc["edition"],
            date=doc["effective_date"], unit=doc["issuing_unit"] or "—", summary=doc["summary"]))
        for f in doc["files"]:
            item = QListWidgetItem(f"{f['name']} ({max(1, f['size'] // 1024)} KiB)")
            item.setData(Qt.ItemDataRole.UserRole, f)
            self.files.addItem(item)
        if doc["files"]:
            self.files.setCurrentRow(0)
            self.save.setEnabled(True)

    def _is_read(self, doc: dict[str, Any]) -> bool:
        return any(r["id"] == doc["id"] and r.get("read") for r in self.rows)

    # -- actions ------------------------------------------------------------------------------------
    def save_file_to(self, target: Path) -> None:
        """Write the selected file to ``target`` (off the GUI thread)."""
        item = self.files.currentItem()
        if item is None:
            return
        attachment, store = item.data(Qt.ItemDataRole.UserRole), self.ctx.store

        def write() -> Path:
            with store.read() as session:
                target.write_bytes(documents.file_content(session, attachment["id"]))
            return target
        ops.run_op(self, write, self._saved)

    def _saved(self, path: Path) -> None:
        self.saved_to = path
        self.status.setText(self.tr("Saved {path}").format(path=path))

    @Slot()
    def _on_save(self) -> None:
        item = self.files.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)["name"]
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save a copy"), str(Path.home() / name))
        if path:
            self.save_file_to(Path(path))

    @Slot()
    def acknowledge(self) -> None:
        if self.current is None:
            return
        store, actor, doc_id = self.ctx.store, self.ctx.actor, self.current["id"]

        def write() -> dict[str, Any]:
            with store.write(actor.user_id) as cs:
                # a province person signed in at a county store acknowledges as a row of that store
                scope = cs.state.org_path
                owner = None if actor.org_path.startswith(scope) else scope
                return documents.acknowledge(cs, actor, doc_id, owner_path=owner)
        ops.run_op(self, write, lambda _r: None, bus=self.ctx.bus, changes=ENTITIES)
