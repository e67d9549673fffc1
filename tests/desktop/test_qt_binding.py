"""The Qt binding itself: PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to None on every call
of a method that returns nothing (``setObjectName``, ``processEvents`` …). None's count only falls, so a
desktop left running for a working day aborts with "none_dealloc". pyproject.toml keeps that release out;
this test fails on any release with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QApplication, QLabel


def test_calls_that_return_nothing_keep_none_alive(qapp: QApplication) -> None:
    holder, label = QObject(), QLabel()
    before = sys.getrefcount(None)
    for _ in range(500):
        holder.setObjectName("x")
        label.setText("巡检")
        QCoreApplication.processEvents()
    assert sys.getrefcount(None) > before - 100  # a leak would take 1,500
