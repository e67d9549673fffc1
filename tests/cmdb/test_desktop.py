"""pytest-qt: the CMDB area over a real store — CI browser (SQL paging, class and location filters),
detail, impact graph, lifecycle action through its form, 履历 and the record file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from desktop import ops
from desktop.cmdb.area import CmdbArea
from desktop.cmdb.graph import NodeItem
from desktop.cmdb.model import COLUMNS
from desktop.cmdb.queries import PAGE_SIZE
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.login import sign_in
from desktop.ops import Bus
from shared.cmdb import racks
from shared.services import cmdb, org, users
from shared.services.actor import Actor
from shared.store import Store

LH = "/HQ/GD/SZ/LH/"
TERMINALS = 450


def build(path: Path) -> None:
    store = Store.open_dir(path, create=True)
    store.init_node("client", LH)
    with store.write() as cs:
        for p, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"), (LH, "龙华")):
            org.add_org(cs, p, name)
        user = users.add_user(cs, "lh_tech", "password-123", LH, ["desktop_ops"])
    who = Actor(user["id"], "lh_tech", LH, ("desktop_ops",))
    with store.write(who.user_id) as cs:
        room = cmdb.create_ci(cs, who, "machine_room", "龙华机房", {"asset_tag": "ROOM"})
        rack = cmdb.create_ci(cs, who, "rack", "A01", {"asset_tag": "RACK"})
        cmdb.link_ci(cs, who, rack["id"], room["id"], "located_in")
        sw = cmdb.create_ci(cs, who, "network", "LH-SW01", {"asset_tag": "SW1"})
        racks.place(cs, who, sw["id"], rack["id"], 40)
        system = cmdb.create_ci(cs, who, "business_system", "营销系统", {"asset_tag": "BS", "redundancy": 1})
        for n in (1, 2):
            srv = cmdb.create_ci(cs, who, "server", f"LH-SRV0{n}", {"asset_tag": f"S{n}", "status": "库存"})
            cmdb.link_ci(cs, who, srv["id"], sw["id"], "connected_to")
            cmdb.link_ci(cs, who, system["id"], srv["id"], "runs_on")
        for i in range(TERMINALS):
            cmdb.create_ci(cs, who, "terminal", f"LH-PC-{i:04d}", {"asset_tag": f"PC{i:04d}",
                                                                  "location": f"综合楼{i % 3 + 1}楼"})
    store.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SignedIn]:
    path = tmp_path_factory.mktemp("cmdb-desktop") / "store"
    build(path)
    store = Store.open_dir(path)
    try:
        return path, sign_in(store, "lh_tech", "password-123")
    finally:
        store.close()


@pytest.fixture
def area(qtbot, qapp: QApplication, template: tuple[Path, SignedIn], tmp_path: Path  # type: ignore[no-untyped-def]
         ) -> Iterator[CmdbArea]:
    import shutil

    path = Path(shutil.copytree(template[0], tmp_path / "store"))
    store = Store.open_dir(path)
    language = Language()
    language.apply("zh")
    ctx = AppContext(store=store, bus=Bus(), language=language, signed_in=template[1])
    widget = CmdbArea(ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.model.total > 0 and widget.class_filter.count() > 1)
    yield widget
    ops.wait_idle()
    store.close()
    language.uninstall()


def names(area: CmdbArea) -> list[str]:
    col = COLUMNS.index("name")
    return [area.model.data(area.model.index(r, col)) for r in range(area.model.rowCount())]


def select(qtbot, area: CmdbArea, name: str) -> None:  # type: ignore[no-untyped-def]
    area.table.selectRow(names(area).index(name))
    qtbot.waitUntil(lambda: area.detail.ci is not None and area.detail.ci["name"] == name)


def test_browser_pages_in_sql_and_filters_by_class_and_location(qtbot, area: CmdbArea) -> None:  # type: ignore[no-untyped-def]
    total = TERMINALS + 6
    assert area.model.total == total and area.model.rowCount() == PAGE_SIZE  # one page, not the CMDB
    area.model.fetchMore()
    qtbot.waitUntil(lambda: area.model.rowCount() == 2 * PAGE_SIZE)
    area.class_filter.setCurrentIndex(area.class_filter.findData("compute"))  # servers and subclasses
    qtbot.waitUntil(lambda: area.model.total == 2)
    assert names(area) == ["LH-SRV01", "LH-SRV02"] and "2" in area.count_label.text()
    assert area.model.data(area.model.index(0, COLUMNS.index("ci_class"))) == "物理服务器"
    area.class_filter.setCurrentIndex(area.class_filter.findData("terminal"))
    area.location.setText("综合楼2楼")
    area.apply_filter()
    qtbot.waitUntil(lambda: area.model.total == TERMINALS // 3)
    assert all(n.startswith("LH-PC-") for n in names(area))


def test_detail_impact_graph_and_redundancy(qtbot, area: CmdbArea) -> None:  # type: ignore[no-untyped-def]
    area.class_filter.setCurrentIndex(area.class_filter.findData("network"))
    qtbot.waitUntil(lambda: names(area) == ["LH-SW01"])
    with qtbot.waitSignal(area.detail.impact_loaded, timeout=5000) as blocker:
        select(qtbot, area, "LH-SW01")
    graph = area.detail.graph
    assert {n.name for n in graph.nodes.values()} == {"LH-SW01", "LH-SRV01", "LH-SRV02", "营销系统"}
    assert len(graph.edges) == 4 and blocker.args[0]["spared"] == 0
    attrs = area.detail.attributes
    assert [attrs.item(r, 1).text() for r in range(attrs.rowCount())
            if attrs.item(r, 0).text() == "位置"] == ["龙华机房 A01 U40"]
    srv = next(i for i in graph.nodes.values() if i.name == "LH-SRV01")
    assert isinstance(srv, NodeItem)
    with qtbot.waitSignal(area.detail.impact_loaded, timeout=5000) as blocker:  # only one server fails
        area.show_ci(srv.ci_id)
    assert [n["name"] for n in blocker.args[0]["nodes"]] == ["LH-SRV01"] and blocker.args[0]["spared"] == 1
    assert "冗余" in area.detail.impact_summary.text()
    area.detail.direction.setCurrentIndex(1)  # what it depends on
    with qtbot.waitSignal(area.detail.impact_loaded, timeout=5000) as blocker:
        area.detail.analyse_button.click()
    assert [n["name"] for n in blocker.args[0]["nodes"]] == ["LH-SRV01", "LH-SW01"]


def test_lifecycle_action_through_its_form(qtbot, area: CmdbArea) -> None:  # type: ignore[no-untyped-def]
    area.class_filter.setCurrentIndex(area.class_filter.findData("server"))
    qtbot.waitUntil(lambda: area.model.total == 2)
    select(qtbot, area, "LH-SRV01")
    assert set(area.detail.action_buttons) == {"commission_start", "move"}
    dialog = area.detail.open_action("commission_start")
    dialog.inputs["reason"].setPlainText("扩容")
    dialog.submitted.emit()  # responsible missing: refused, the dialog stays with the message
    qtbot.waitUntil(lambda: "责任人" in dialog.message.text())
    assert dialog.isVisible()
    dialog.inputs["responsible"].setText("张工")
    with qtbot.waitSignal(area.detail.action_done, timeout=5000):
        dialog.submitted.emit()
    qtbot.waitUntil(lambda: area.detail.ci is not None and area.detail.ci["status"] == "投运中")
    assert "commission" in area.detail.action_buttons and not shiboken6.isValid(dialog)  # closed on success
    history = area.detail.history
    qtbot.waitUntil(lambda: history.rowCount() == 2)
    assert history.item(1, 1).text().startswith("投运申请 CIR-")
    assert area.detail.files.rowCount() == 1 and area.detail.files.item(0, 0).text().endswith("投运申请.pdf")
    dialog = area.detail.open_action("commission")
    dialog.tick_all()
    dialog.inputs["responsible"].setText("张工")
    with qtbot.waitSignal(area.detail.action_done, timeout=5000):
        dialog.submitted.emit()
    qtbot.waitUntil(lambda: area.detail.ci is not None and area.detail.ci["status"] == "在运")
    qtbot.waitUntil(lambda: area.model.data(area.model.index(0, COLUMNS.index("status"))) == "在运")
