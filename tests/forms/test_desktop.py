"""pytest-qt: an inspector fills the daily machine-room inspection on the desktop (offline, local store);
one temperature out of range colours at once, the signed form completes and raises an incident, and
the record prints as a PDF that reads back in Chinese."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from desktop import ops
from desktop.app import build_main_window
from desktop.context import AppContext, SignedIn
from desktop.forms import commands
from desktop.forms.signature import SignatureDialog
from desktop.forms.view import FormView
from desktop.lang import Language
from desktop.login import sign_in
from desktop.ops import Bus
from shared.models.tickets import Ticket
from shared.services import rooms
from shared.store import Store
from tests.desktop.conftest import PASSWORD, USERNAME, build_store
from tests.forms.conftest import png


@pytest.fixture(scope="module")
def forms_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("forms-template") / "store"
    build_store(path)
    return path


@pytest.fixture
def ctx(forms_template: Path, tmp_path: Path, qapp: QApplication) -> Iterator[AppContext]:
    path = tmp_path / "store"
    shutil.copytree(forms_template, path)
    store = Store.open_dir(path)
    signed: SignedIn = sign_in(store, USERNAME, PASSWORD)
    with store.write(signed.actor.user_id) as cs:
        rooms.create_room(cs, signed.actor, "LH-JF01", "龙华信息机房", "B")
    language = Language()
    language.apply("zh")
    yield AppContext(store=store, bus=Bus(), language=language, signed_in=signed)
    ops.wait_idle()
    language.uninstall()
    store.close()


def _fill_normal(view: FormView) -> None:
    """Every required item with a normal value, through the widgets."""
    for code, row in view.rows.items():
        item = row.item
        if item.auto or not item.required or item.type in ("SIG", "DT", "TXT", "REF", "PHOTO", "FILE"):
            continue
        for editor in row.editors.values():
            if item.type == "CHK":
                editor.buttons["ok"].click()
            elif item.type == "SEL":
                target = item.normal_options[0] if item.normal_options else item.options[0].code
                editor.combo.setCurrentIndex(editor.combo.findData(target))
            elif item.type == "NUM":
                normal = item.thresholds.normal[0] if item.thresholds.normal else None
                if normal is None:
                    value = 2.0
                elif normal.low > -1e9 and normal.high < 1e9:
                    value = (normal.low + normal.high) / 2
                else:
                    value = normal.high - 1 if normal.low < -1e9 else normal.low + 1
                editor.edit.setText(f"{value:g}")
        assert all(e.level == "normal" for e in row.editors.values()), code


def _sign(qtbot: Any, view: FormView, role: str) -> None:
    view.buttons[f"sign_{role}"].click()
    dialog = view.findChild(SignatureDialog, f"signature_dialog_{role}")
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # nothing drawn yet
    pad = dialog.pad
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 100))
    for x, y in ((80, 40), (140, 110), (220, 50), (300, 90)):
        qtbot.mouseMove(pad, QPoint(x, y))
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(330, 60))
    assert ok.isEnabled()
    ok.click()


def test_inspector_fills_the_daily_inspection_with_an_abnormal_reading(qtbot: Any, ctx: AppContext,
                                                                      tmp_path: Path) -> None:
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    area = window.area("forms")
    area.open_new_record()
    dialog = area.new_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.room.count() == 2 and dialog.template.findData("SOP-06") >= 0)
    assert dialog.template.currentData() == "SOP-06" and dialog.room.currentText().startswith("LH-JF01")
    dialog.shift.setText("白班")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    view = area.view
    qtbot.waitUntil(lambda: view.data is not None and bool(view.rows), timeout=5000)
    assert view.data is not None and view.data.template.code == "SOP-06"
    assert view.findChild(type(view.title), "range_A_TEMP").text() == "18–27 | 15–18, 27–30 | <15, >30 °C"

    _fill_normal(view)
    temp = view.rows["A_TEMP"]
    hot = temp.editors["冷通道2"]
    hot.edit.setText("35")  # out of range: coloured at once, remark and incident offered
    assert hot.level == "alarm" and "#FFC9C9" in hot.styleSheet()
    assert not temp.remark.isHidden() and temp.incident is not None and not temp.incident.isHidden()
    assert "1" in view.summary.text()
    temp.remark.setText("2号精密空调停机，冷通道2温度升高")

    view.complete()  # refused: no photo, no signature — the draft is kept, the reason shown
    qtbot.waitUntil(lambda: "needs a photo" in view.message.text(), timeout=5000)
    assert "F_SIG_EXEC" in view.message.text()

    view.add_photo_bytes("A_TEMP", "冷通道2.png", png(text="35C"), "image/png")
    qtbot.waitUntil(lambda: view.data is not None and view.data.photo_counts.get("A_TEMP") == 1, timeout=5000)
    assert temp.photo is not None and "1" in temp.photo.text()
    _sign(qtbot, view, "executor")
    qtbot.waitUntil(lambda: view.rows["F_SIG_EXEC"].sign is not None and "✓" in view.rows["F_SIG_EXEC"].sign.text(),
                    timeout=5000)
    assert view.rows["A_TEMP"].editors["冷通道2"].edit.text() == "35"  # the entries survived the reloads

    view.buttons["complete"].click()
    qtbot.waitUntil(lambda: view.data is not None and view.data.record["state"] == "completed", timeout=5000)
    record = view.data.record
    with ctx.store.read() as session:
        incident = session.scalars(select(Ticket).where(Ticket.origin == "inspection")).one()
    assert incident.process == "incident" and incident.data["form_record_id"] == record["id"]
    assert "冷通道2 35 °C" in incident.title
    assert record["incidents"] == {"A_TEMP": incident.number}
    assert temp.incident is not None and temp.incident.text() == incident.number
    assert incident.number in view.status.text()

    _sign(qtbot, view, "reviewer")
    qtbot.waitUntil(lambda: bool(view.data and view.data.record["values"].get("F_SIG_REVIEW")), timeout=5000)
    view.buttons["approve"].click()
    qtbot.waitUntil(lambda: view.data is not None and view.data.record["state"] == "reviewed", timeout=5000)

    view.buttons["preview"].click()
    qtbot.waitUntil(lambda: view.preview is not None, timeout=10000)
    assert view.preview is not None and len(view.preview.images) >= 3
    pdf = tmp_path / "signed.pdf"
    pdf.write_bytes(commands.record_pdf(ctx.store, ctx.actor, record["id"]))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)  # a remark wraps inside its narrow column
    for expected in ("信息机房日常巡检记录表", record["number"], "35°C【告警】", "2号精密空调停机，冷通道2温度升高",
                     f"事件{incident.number}", "巡检人签字", "值班长签字", "已归档"):
        assert expected in flat, expected
    view.preview.close()


def test_rooms_area_duty_log_visitors_and_readings(qtbot: Any, ctx: AppContext) -> None:
    window = build_main_window(ctx)
    qtbot.addWidget(window)
    window.show()
    area = window.area("rooms")
    assert area.rooms_gate.stale and area.room_list.count() == 0  # a hidden area reads nothing
    window.show_area("rooms")
    qtbot.waitUntil(lambda: area.room_list.count() == 1 and area.room is not None and "racks" in area.room,
                    timeout=5000)
    assert "龙华信息机房" in area.summary.text() and "B" in area.summary.text()
    area.duty_text.setText("白班巡检正常")
    area.duty_handover.setText("夜班 王工")
    area.duty_button.click()
    qtbot.waitUntil(lambda: area.duty.rowCount() == 1, timeout=5000)
    assert area.duty.item(0, 3).text() == "夜班 王工"
    area.visitor.setText("张三")
    area.escort.setText("李明")
    area.purpose.setText("更换硬盘")
    area.enter_button.click()
    qtbot.waitUntil(lambda: area.access.rowCount() == 1, timeout=5000)
    assert area.access.item(0, 5).text() == "仍在机房"
    area.access.selectRow(0)
    area.leave_button.click()
    qtbot.waitUntil(lambda: area.access.item(0, 5) is not None and area.access.item(0, 5).text() != "仍在机房",
                    timeout=5000)
    area.temperature.setValue(24.5)
    area.reading_button.click()
    qtbot.waitUntil(lambda: len(area.chart.points) == 1, timeout=5000)
    assert area.chart.points[0]["temperature"] == 24.5
