"""The suppliers page: the renewal reminder, contracts by expiry, suppliers and their vendor engineers.

Contracts due within 90 days (``catalog.contracts_expiring``) are highlighted amber, expired ones red.
Double-clicking a row opens the entry in the catalogue page for editing.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.context import AppContext
from desktop.ops import run_op
from desktop.service.labels import entry_label, minutes_text, org_label
from desktop.service.lazy import LazyPage
from desktop.service.queries import REMINDER_DAYS, load_suppliers
from desktop.widgets import named

DUE = QColor("#ffe0a3")
EXPIRED = QColor("#f8c0c0")
BANNER = "background: #fff4d6; border: 1px solid #e0c060; padding: 6px;"
ENTITIES = frozenset({"catalog_entries", "teams", "team_members", "users"})


def _table(columns: int, name: str) -> QTableWidget:
    table = named(QTableWidget(0, columns), name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setAlternatingRowColors(True)
    return table


class SuppliersPage(LazyPage):
    ENTITIES = ENTITIES
    open_entry = Signal(str, str)  # kind, entry id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.data: dict[str, Any] | None = None
        self.reminder = named(QLabel(wordWrap=True), "renewal_reminder")
        self.reminder.setStyleSheet(BANNER)
        self.contracts = _table(9, "contract_table")
        self.contracts.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.suppliers = _table(7, "supplier_table")
        self.suppliers.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.team_caption = named(QLabel(wordWrap=True), "vendor_team")
        self.members = named(QListWidget(), "vendor_engineers")
        self.contracts.cellDoubleClicked.connect(partial(self._open, "contract", "contracts"))
        self.suppliers.cellDoubleClicked.connect(partial(self._open, "supplier", "suppliers"))
        self.suppliers.currentCellChanged.connect(lambda row, *_: self._show_team(row))
        self.contracts_box, self.suppliers_box = QGroupBox(), QGroupBox()
        box = QVBoxLayout(self.contracts_box)
        box.addWidget(self.reminder)
        box.addWidget(self.contracts)
        team = QWidget()
        team_layout = QVBoxLayout(team)
        team_layout.setContentsMargins(0, 0, 0, 0)
        team_layout.addWidget(self.team_caption)
        team_layout.addWidget(self.members, 1)
        row = QHBoxLayout(self.suppliers_box)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.addWidget(self.suppliers)
        inner.addWidget(team)
        inner.setSizes([700, 300])
        row.addWidget(inner)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.contracts_box)
        splitter.addWidget(self.suppliers_box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.retranslateUi()

    def reload(self) -> None:
        run_op(self, partial(load_suppliers, self.ctx.store, self.ctx.actor), self._on_loaded)

    def _on_loaded(self, data: dict[str, Any]) -> None:
        self.data = data
        self._fill()

    # --- filling --------------------------------------------------------------------------------------
    def _fill(self) -> None:
        if self.data is None:
            return
        self._fill_contracts()
        self._fill_suppliers()

    def _fill_contracts(self) -> None:
        assert self.data is not None
        lang, orgs = self.ctx.lang, self.data["options"]["orgs"]
        names = {s["code"]: entry_label(s, lang) for s in self.data["suppliers"]}
        contracts = self.data["contracts"]
        self.contracts.setRowCount(len(contracts))
        for r, c in enumerate(contracts):
            d = c["data"] or {}
            days = c["days_left"]
            cells = [c["code"], entry_label(c, lang), str(d.get("subject") or ""),
                     names.get(d.get("supplier"), str(d.get("supplier") or "")), str(d.get("end") or "—"),
                     self._days_text(days), f"{d['amount']:,}" if isinstance(d.get("amount"), int | float) else "",
                     " / ".join(minutes_text(d.get(k)) for k in ("response_minutes", "onsite_minutes",
                                                                  "repair_minutes")),
                     org_label(orgs, c["owner_path"], lang)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c["id"])
                if c["due"]:
                    item.setBackground(QBrush(EXPIRED if days is not None and days < 0 else DUE))
                self.contracts.setItem(r, col, item)
        self.contracts.resizeColumnsToContents()
        due = [c for c in contracts if c["due"]]
        if due:
            listed = ", ".join(self.tr("{code} ({days})").format(code=c["code"], days=self._days_text(c["days_left"]))
                               for c in due)
            self.reminder.setText(self.tr("{n} contract(s) expire within {limit} days — arrange the renewal: "
                                          "{contracts}").format(n=len(due), limit=REMINDER_DAYS, contracts=listed))
        else:
            self.reminder.setText(self.tr("No contract expires within {limit} days.").format(limit=REMINDER_DAYS))

    def _days_text(self, days: int | None) -> str:
        if days is None:
            return "—"
        if days < 0:
            return self.tr("expired {n} days ago").format(n=-days)
        return self.tr("{n} days left").format(n=days)

    def _fill_suppliers(self) -> None:
        assert self.data is not None
        lang, orgs = self.ctx.lang, self.data["options"]["orgs"]
        suppliers = self.data["suppliers"]
        current = self.suppliers.currentRow()
        self.suppliers.setRowCount(len(suppliers))
        for r, s in enumerate(suppliers):
            d = s["data"] or {}
            team = s.get("team")
            cells = [s["code"], entry_label(s, lang), str(d.get("rating") or ""), str(d.get("contact") or ""),
                     str(d.get("phone") or ""), team["name"] if team else self.tr("(none)"),
                     org_label(orgs, s["owner_path"], lang)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, s["id"])
                if col == 1 and d.get("scope"):
                    item.setToolTip(str(d["scope"]))
                self.suppliers.setItem(r, col, item)
        self.suppliers.resizeColumnsToContents()
        if suppliers:
            self.suppliers.setCurrentCell(min(max(current, 0), len(suppliers) - 1), 0)
        self._show_team(self.suppliers.currentRow())

    def _show_team(self, row: int) -> None:
        self.members.clear()
        suppliers = self.data["suppliers"] if self.data else []
        if not 0 <= row < len(suppliers):
            self.team_caption.setText(self.tr("Select a supplier to see its vendor engineers."))
            return
        supplier = suppliers[row]
        team = supplier.get("team")
        if team is None:
            self.team_caption.setText(self.tr("{supplier} has no vendor engineer team: choose one in the catalogue "
                                              "so tickets can be escalated to its engineers (third line).").format(
                supplier=entry_label(supplier, self.ctx.lang)))
            return
        self.team_caption.setText(self.tr("Vendor engineers of {supplier} — team {team} (line {line}):").format(
            supplier=entry_label(supplier, self.ctx.lang), team=team["name"], line=team["line"]))
        for m in supplier.get("members", []):
            phone = f"  {m['phone']}" if m.get("phone") else ""
            self.members.addItem(f"{m['name']} ({m['username']}){phone}")
        if not supplier.get("members"):
            self.members.addItem(self.tr("(the team has no members yet)"))

    def _open(self, kind: str, key: str, row: int, _column: int) -> None:
        rows = self.data[key] if self.data else []
        if 0 <= row < len(rows):
            self.open_entry.emit(kind, rows[row]["id"])

    def retranslateUi(self) -> None:
        self.contracts_box.setTitle(self.tr("Contracts (renewal reminder {days} days before expiry)").format(
            days=REMINDER_DAYS))
        self.suppliers_box.setTitle(self.tr("Suppliers"))
        self.contracts.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Name"), self.tr("Subject"), self.tr("Supplier"), self.tr("Expiry"),
            self.tr("Remaining"), self.tr("Amount (CNY)"), self.tr("Support response / on-site / repair"),
            self.tr("Owned by")])
        self.suppliers.setHorizontalHeaderLabels([
            self.tr("Code"), self.tr("Name"), self.tr("Rating"), self.tr("Contact"), self.tr("Phone"),
            self.tr("Vendor engineer team"), self.tr("Owned by")])
        self._fill()
        if self.data is None:
            self.reminder.setText("")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def contract_row(self, code: str) -> int:
        codes = [c["code"] for c in (self.data or {}).get("contracts", [])]
        return codes.index(code) if code in codes else -1
