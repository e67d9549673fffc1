"""Tiny helpers for building widgets (the Qt stubs know no ``objectName=`` keyword)."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

QObj = TypeVar("QObj", bound=QObject)


def named(obj: QObj, name: str) -> QObj:
    """``named(QLineEdit(), "username")``: set the object name (tests and styles find it) and return it."""
    obj.setObjectName(name)
    return obj
