"""The desktop on a real ``itops demo`` county store: sign in, list, open a ticket."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop import ops
from desktop.app import Launcher, open_store
from desktop.lang import Language
from desktop.ops import Bus
from desktop.tickets.model import COLUMNS
from desktop.tickets.queries import TicketQuery, load_page

demo = pytest.importorskip("shared.demo")


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "demo"
    demo.build_demo(root)
    return root


def test_window_on_a_demo_county_store(qtbot, demo_root: Path, language: Language) -> None:  # type: ignore[no-untyped-def]
    store = open_store(demo_root / demo.COUNTY_DIR)
    try:
        launcher = Launcher(store, language, Bus())
        qtbot.addWidget(launcher.login)
        launcher.start()
        launcher.login.username.setText("lh_desk")
        launcher.login.password.setText(demo.DEMO_PASSWORD)
        launcher.login.try_login()
        qtbot.waitUntil(lambda: launcher.window is not None, timeout=10_000)
        window = launcher.window
        assert window is not None
        qtbot.addWidget(window)
        assert "何晓丽 (lh_desk)" in window.status.user_label.text()
        assert "龙华供电局" in window.status.org_label.text()
        area = window.area("tickets")
        expected = load_page(store, launcher.login.result_session.actor, TicketQuery(), 0, 1).total
        assert expected > 0
        qtbot.waitUntil(lambda: area.model.rowCount() == min(expected, 200) and not area.model.loading)
        state = COLUMNS.index("state")
        for row in range(area.model.rowCount()):  # every state has a label in the definitions
            assert not area.model.data(area.model.index(row, state)).isascii()
        area.table.selectRow(0)
        qtbot.waitUntil(lambda: area.detail.ticket is not None)
        assert area.detail.timeline.count() >= 1
    finally:
        ops.wait_idle()
        store.close()
