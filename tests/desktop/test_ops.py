"""run_op delivers results and errors on the GUI thread; the bus carries entity names."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtWidgets import QMainWindow, QWidget

from desktop import ops
from desktop.lang import Language
from desktop.ops import Bus, run_op
from shared.services.errors import Invalid


def test_result_arrives_on_the_gui_thread_untruncated(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    seen: dict[str, object] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 2**40 + 7  # a Signal(int) would wrap this

    run_op(widget, work, lambda result: seen.update(result=result, gui=threading.get_ident()))
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 2**40 + 7
    assert seen["gui"] == threading.get_ident() != seen["worker"]
    assert ops.pending() == 0


def test_service_error_goes_to_on_failure(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    errors: list[BaseException] = []

    def fail() -> None:
        raise Invalid("title is required")

    run_op(widget, fail, lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], Invalid)
    assert ops.error_text(errors[0]) == "title is required"


def test_error_without_handler_shows_on_the_status_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    qtbot.addWidget(window)
    child = QWidget()
    window.setCentralWidget(child)

    def fail() -> None:
        raise Invalid("no such ticket")

    run_op(child, fail, lambda _r: None)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "no such ticket")


def test_deleted_parent_skips_callback_but_bus_still_hears(qtbot) -> None:  # type: ignore[no-untyped-def]
    bus = Bus()
    widget = QWidget()
    calls: list[object] = []
    gate = threading.Event()
    run_op(widget, lambda: gate.wait(5), calls.append, bus=bus, changes={"tickets"})
    widget.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(widget))
    with qtbot.waitSignal(bus.changed, timeout=5000) as blocker:
        gate.set()
    assert blocker.args == [frozenset({"tickets"})]
    assert calls == []


def test_bus_notify_carries_a_frozenset(qtbot) -> None:  # type: ignore[no-untyped-def]
    bus = Bus()
    with qtbot.waitSignal(bus.changed) as blocker:
        bus.notify("tickets", "cis")
    assert blocker.args == [frozenset({"tickets", "cis"})]


def test_a_service_refusal_is_shown_in_the_language_of_the_window(language: Language) -> None:
    refusal = Invalid("no ticket INC-LH-20261127-0001")
    assert ops.error_text(refusal) == "没有工单 INC-LH-20261127-0001"
    language.apply("en")
    assert ops.error_text(refusal) == "no ticket INC-LH-20261127-0001"
