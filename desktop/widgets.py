"""Tiny helpers for building widgets (the Qt stubs know no ``objectName=`` keyword)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QAbstractItemModel, QObject
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

QObj = TypeVar("QObj", bound=QObject)


def named(obj: QObj, name: str) -> QObj:
    """``named(QLineEdit(), "username")``: set the object name (tests and styles find it) and return it."""
    obj.setObjectName(name)
    return obj


def list_table(model: QAbstractItemModel, name: str, multi_select: bool = False) -> QTableView:
    """A read-only, row-selecting list table as every area uses it (interactive column widths)."""
    table = named(QTableView(), name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi_select
                           else QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table
