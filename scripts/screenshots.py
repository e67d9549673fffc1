"""Take the screenshots of the user and administrator guides (docs/guide/img/*.png), in Chinese and English.

    .venv/bin/python scripts/screenshots.py [--out docs/guide/img] [--lang zh --lang en] [--keep]

What it does, with real parts only:

1. ``itops demo`` into a temporary folder; the demo HQ and province servers started with ``itops server``
   on free loopback ports; the demo county store signed in to that province again (as ``lh_desk``), and a
   second store signed in as the county administrator ``lh_admin``.
2. One sync conflict made as in the administrator's guide: the county changes a ticket's assignee
   offline while the province changes it too, then the county syncs.
3. The desktop (``desktop.app.build_main_window``) under ``QT_QPA_PLATFORM=offscreen``, signed in as a demo
   user; each area and dialog the guides show is opened through its widgets and grabbed with
   ``QWidget.grab()`` (an offscreen grab is reproducible: no window manager, no desktop behind).
4. Each PNG is reduced to a 256-colour palette (Pillow) so that it stays well under 150 KB.

The servers are stopped and the folder deleted at the end (``--keep`` keeps the folder).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ITOPS_KEYRING", "0")  # never touch the developer's keyring

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
ITOPS = Path(sys.executable).with_name("itops")
PASSWORD = "itops-demo-2026"
WINDOW = (1280, 800)
CONFLICT_TICKET = "INC-GD-000007"  # 打印机卡纸, in 二线处理中 in the demo: its assignee is edited on both sides
TICKET = "INC-GD-000007"
KEEP: list[Any] = []


# --- the demo tree and its servers ------------------------------------------------------------------------


def itops(*args: str, stdin: str | None = None) -> str:
    done = subprocess.run([str(ITOPS), *args], capture_output=True, text=True, input=stdin, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"screenshots: itops {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"screenshots: the server for {url} stopped ({process.returncode})")
        try:
            with urllib.request.urlopen(url + "/api/v1/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"screenshots: {url} did not answer in {timeout:.0f} s")


@contextmanager
def demo_tree(folder: Path) -> Iterator[dict[str, Path]]:
    """The demo built in ``folder``, HQ and province serving, the stores signed in; servers stopped after."""
    itops("demo", "--dir", str(folder))
    hq_port, gd_port = free_port(), free_port()
    hq_url, gd_url = f"http://127.0.0.1:{hq_port}", f"http://127.0.0.1:{gd_port}"
    servers: list[subprocess.Popen[bytes]] = []
    try:
        servers.append(subprocess.Popen([str(ITOPS), "server", "--db", str(folder / "hq.db"), "--role", "hq",
                                         "--port", str(hq_port)], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL))
        wait_healthy(hq_url, servers[-1])
        servers.append(subprocess.Popen([str(ITOPS), "server", "--db", str(folder / "province-gd.db"),
                                         "--role", "province", "--port", str(gd_port), "--upstream", hq_url],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_healthy(gd_url, servers[-1])
        county, admin = folder / "county-lh", folder / "county-lh-admin"
        password = folder / "password.txt"
        password.write_text(PASSWORD + "\n", encoding="utf-8")
        itops("login", "--store", str(county), "--server", gd_url, "--user", "lh_desk",
              "--password-file", str(password))
        make_conflict(folder, county)
        itops("login", "--store", str(admin), "--server", gd_url, "--user", "lh_admin",
              "--password-file", str(password))
        yield {"county": county, "admin": admin, "province": folder / "province-gd.db"}
    finally:
        for server in reversed(servers):
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def make_conflict(folder: Path, county: Path) -> None:
    """The administrator's guide's example: one assignee changed on both sides → one open conflict."""
    province = str(folder / "province-gd.db")
    ids = {u["username"]: u["id"] for u in json.loads(itops("user", "list", "--db", province, "--json"))}
    itops("ticket", "update", "--store", str(county), "--user", "lh_desk", CONFLICT_TICKET,
          "--field", f"assignee_id={ids['lh_ops']}")
    itops("ticket", "update", "--db", province, "--user", "gd_admin", CONFLICT_TICKET,
          "--field", f"assignee_id={ids['lh_sys']}")
    itops("sync", "--store", str(county), "--quiet")


# --- Qt ---------------------------------------------------------------------------------------------------


def settle(ms: int = 600, until: Callable[[], bool] | None = None, timeout_ms: int = 15_000) -> None:
    """Run the event loop for ``ms`` (and until ``until()`` holds and no background op is running).

    Never ``processEvents()`` in a loop: in PySide6 6.12 on Python 3.11 each call drops one reference
    to None, and a few thousand calls abort the interpreter ("none_dealloc")."""
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer

    start = time.monotonic()
    while True:
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        elapsed = (time.monotonic() - start) * 1000
        ready = (until is None or until()) and QThreadPool.globalInstance().activeThreadCount() == 0
        if (elapsed >= ms and ready) or elapsed > timeout_ms:
            if not ready:
                print(f"screenshots: warning: not ready after {timeout_ms} ms", file=sys.stderr)
            return


class Shooter:
    def __init__(self, out: Path, lang: str) -> None:
        self.out = out
        self.lang = lang
        self.saved: list[Path] = []

    def __call__(self, widget: Any, name: str) -> None:
        from PIL import Image

        settle(200)
        path = self.out / f"{name}.{self.lang}.png"
        widget.grab().save(str(path), "PNG")
        with Image.open(path) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)
        self.saved.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")


def desktop_context(store_dir: Path, username: str, language: Any) -> Any:
    from desktop.context import AppContext
    from desktop.login import sign_in
    from desktop.ops import Bus
    from shared.store import Store

    store = Store.open_dir(store_dir)
    return AppContext(store=store, bus=Bus(), language=language, signed_in=sign_in(store, username, PASSWORD))


def main_window(ctx: Any) -> tuple[Any, Any]:
    from desktop.app import build_main_window
    from desktop.sync.controller import SyncController

    sync = SyncController(ctx)
    window = build_main_window(ctx, sync)
    window.resize(*WINDOW)
    window.show()
    sync.start()  # a real first sync: the status bar shows the province's answer
    settle(1500)
    return window, sync


def ticket_id(store: Any, number: str) -> str:
    from sqlalchemy import select

    from shared.models.tickets import Ticket

    with store.read() as session:
        found = session.scalar(select(Ticket.id).where(Ticket.number == number))
    if found is None:
        raise SystemExit(f"screenshots: no ticket {number} in the demo")
    return str(found)


def shoot_login(shot: Shooter, store_dir: Path) -> None:
    from desktop.login import LoginDialog
    from shared.store import Store

    store = Store.open_dir(store_dir)
    dialog = LoginDialog(store)
    dialog.username.setText("lh_desk")
    dialog.password.setText(PASSWORD)
    dialog.show()
    shot(dialog, "login")
    dialog.hide()
    KEEP.append((dialog, store))  # kept alive to the end: deleting Qt wrappers mid-run crashed PySide


def shoot_tickets(shot: Shooter, window: Any, ctx: Any) -> None:
    area = window.area("tickets")
    window.show_area("tickets")
    settle(500, lambda: area.model.rowCount() > 0)
    area.open_ticket(ticket_id(ctx.store, TICKET))
    settle(800, lambda: area.detail.ticket is not None and bool(area.detail.action_buttons))
    area.detail.tabs.setCurrentWidget(area.detail.clocks)
    shot(window, "tickets")
    area.detail.action_buttons["resolve"].click()
    settle(500, lambda: area.detail.fields_dialog is not None)
    dialog = area.detail.fields_dialog
    fill_resolution(dialog, shot.lang)
    shot(dialog, "resolve")
    dialog.reject()
    area.fulltext_button.setChecked(True)
    settle(800, lambda: area.fulltext is not None and area.fulltext.ready)
    area.fulltext.box.setText("打印机")
    area.fulltext.search_now()
    settle(800, lambda: area.fulltext.model.rowCount() > 0)
    shot(window, "search")
    area.fulltext_button.setChecked(False)


def fill_resolution(dialog: Any, lang: str) -> None:
    from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QTextEdit

    for editor in dialog.edits.values():
        widget = getattr(editor, "edit", editor)
        if isinstance(widget, QComboBox) and widget.count() > 1:
            found = widget.findData("hardware")  # 硬件维修: the demo ticket is a jammed printer
            widget.setCurrentIndex(found if found >= 0 else 1)
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            widget.setPlainText("清理搓纸轮并更换分页器，试打印 20 张正常" if lang == "zh"
                                else "Cleaned the pick-up roller, replaced the separation pad; 20 test pages OK")


def shoot_areas(shot: Shooter, window: Any) -> None:
    for key in ("board", "service", "rooms", "tasks", "reports", "sync"):
        window.show_area(key)
        settle(1200)
        shot(window, key)


def shoot_cmdb(shot: Shooter, window: Any) -> None:
    area = window.area("cmdb")
    window.show_area("cmdb")
    settle(600, lambda: area.model.rowCount() > 0)
    area.search.setText("LH-PRN-05")
    area.apply_filter()
    settle(800, lambda: area.model.rowCount() == 1)
    area.table.selectRow(0)
    settle(1200)
    shot(window, "cmdb")


def shoot_inspection(shot: Shooter, window: Any) -> None:
    """SOP-06, the daily machine-room inspection: normal values, one hot cold aisle, its remark; signed."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.forms.signature import SignatureDialog

    area = window.area("forms")
    window.show_area("forms")
    settle(600)
    area.open_new_record()
    dialog = area.new_dialog
    settle(600, lambda: dialog.template.findData("SOP-06") >= 0 and dialog.room.count() > 1)
    dialog.template.setCurrentIndex(dialog.template.findData("SOP-06"))
    dialog.room.setCurrentIndex(1)
    dialog.shift.setText("白班" if shot.lang == "zh" else "Day shift")
    shot(dialog, "form-new")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    view = area.view
    settle(800, lambda: view.data is not None and bool(view.rows))
    fill_normal(view)
    temp = view.rows["A_TEMP"]
    editor = next(e for label, e in temp.editors.items() if label and "2" in str(label))
    editor.edit.setText("35")
    temp.remark.setText("2号精密空调停机，冷通道2温度升高" if shot.lang == "zh"
                        else "CRAC unit 2 stopped; cold aisle 2 warming up")
    settle(400)
    scroll_to(view, temp.remark)
    shot(window, "form")
    view.buttons["sign_executor"].click()
    settle(300)
    sign = view.findChild(SignatureDialog, "signature_dialog_executor")
    pad = sign.pad
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, pos=QPoint(30, 100))
    for x, y in ((60, 60), (90, 40), (120, 90), (150, 110), (190, 60), (230, 45), (270, 80), (300, 95)):
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=QPoint(330, 60))
    shot(sign, "signature")
    sign.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    settle(800)
    view.buttons["preview"].click()
    settle(1500, lambda: view.preview is not None)
    if view.preview is not None:
        view.preview.resize(900, 760)
        settle(600)
        shot(view.preview, "form-pdf")
        view.preview.close()


def scroll_to(view: Any, widget: Any) -> None:
    from PySide6.QtWidgets import QScrollArea

    for scroll in view.findChildren(QScrollArea):
        if scroll.isAncestorOf(widget):
            scroll.ensureWidgetVisible(widget, 50, 200)


def fill_normal(view: Any) -> None:
    """Every required reading with a normal value, through the widgets (as an inspector would)."""
    for row in view.rows.values():
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


def shoot_admin(shot: Shooter, window: Any) -> None:
    area = window.area("admin")
    window.show_area("admin")
    settle(1500, lambda: area.model.rowCount() > 0)
    area.table.selectRow(0)
    settle(800)
    shot(window, "admin")


def take(out: Path, langs: list[str], stores: dict[str, Path]) -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from desktop.app import make_application
    from desktop.fonts import ensure_cjk_font
    from desktop.lang import Language

    app = make_application([])
    ensure_cjk_font(app)
    assert isinstance(app, QApplication)
    saved: list[Path] = []
    for lang in langs:
        print(f"screenshots: {lang}")
        language = Language(app)
        language.apply(lang)
        shot = Shooter(out, lang)
        shoot_login(shot, stores["county"])
        ctx = desktop_context(stores["county"], "lh_desk", language)
        window, _sync = main_window(ctx)
        shoot_tickets(shot, window, ctx)
        shoot_areas(shot, window)
        shoot_cmdb(shot, window)
        inspector = desktop_context(stores["county"], "lh_inspect", language)
        inspector_window, _inspector_sync = main_window(inspector)
        shoot_inspection(shot, inspector_window)
        admin = desktop_context(stores["admin"], "lh_admin", language)
        admin_window, _admin_sync = main_window(admin)
        shoot_admin(shot, admin_window)
        for w in (window, inspector_window, admin_window):
            w.hide()
        KEEP.extend((window, inspector_window, admin_window, _sync, _inspector_sync, _admin_sync,
                     ctx, inspector, admin, language))
        settle(300)
        language.uninstall()
        saved += shot.saved
    return saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Screenshots of the user and administrator guides.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "guide" / "img")
    parser.add_argument("--lang", action="append", choices=("zh", "en"), help="default: both")
    parser.add_argument("--keep", action="store_true", help="keep the demo folder (its path is printed)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="itops-shots-"))
    try:
        with demo_tree(folder) as stores:
            saved = take(args.out, args.lang or ["zh", "en"], stores)
            settle(500)
        too_big = [p for p in saved if p.stat().st_size > 150 * 1024]
        print(f"screenshots: {len(saved)} images in {args.out}" + (f"; over 150 KB: {too_big}" if too_big else ""))
    finally:
        if args.keep:
            print(f"screenshots: demo kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # leave without tearing down the Qt wrappers one by one (PySide's finalization crash)


if __name__ == "__main__":
    main()
