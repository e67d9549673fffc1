"""The Administration area: the province's conflict queue over real HTTP, resolved from the desktop.

The acceptance test of sync conflicts: two stores of one county change a ticket's assignee (a queue
field) offline; the province admin resolves the conflict in the desktop; both counties — and HQ,
through the province's relay — end with the resolved value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel
from sqlalchemy import select, update

from desktop.admin.conflicts import AdminArea
from desktop.admin.model import COLUMNS
from desktop.main_window import MainWindow
from shared.models.org import User
from shared.models.sync import SyncPeer
from shared.models.tickets import Ticket
from shared.services import tickets
from shared.store import Store
from shared.sync.merge import value_rank
from tests.desktop import sync_helpers as base
from tests.desktop.sync_helpers import Desk, Server, hq_server, new_ticket, province_server, relay_to_hq

desks = base.desks  # the fixtures, shared
province = base.province
Tree = tuple[Server, Server]


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tree]:
    """HQ and the Guangdong province server, signed in to HQ as its relay, both on loopback."""
    hq = hq_server(tmp_path_factory.mktemp("hq"))
    gd = province_server(tmp_path_factory.mktemp("gd"), hq)
    yield hq, gd
    gd.stop()
    hq.stop()


def user_id(store: Store, username: str) -> str:
    with store.read() as s:
        found = s.scalar(select(User.id).where(User.username == username))
        assert found is not None
        return found


def assignee(store: Store, ticket_id: str) -> str | None:
    with store.read() as s:
        ticket = s.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket.assignee_id


def assign(desk: Desk, ticket_id: str, username: str) -> None:
    """An offline edit in one desktop store (no sync in between)."""
    with desk.store.write(desk.ctx.actor.user_id) as cs:
        tickets.update_ticket(cs, desk.ctx.actor, ticket_id, {"assignee_id": user_id(desk.store, username)})


def conflicting_tickets(qtbot: Any, a: Desk, b: Desk, titles: list[str],
                        users: tuple[str, str] = ("lh_wang", "lh_zhao")) -> list[str]:
    """Tickets both stores have, then assigned to users[0] in A and users[1] in B: one open conflict each."""
    ids = [new_ticket(a, title)["id"] for title in titles]
    assert a.sync_and_wait(qtbot).failure == ""
    assert b.sync_and_wait(qtbot).failure == ""
    for ticket_id in ids:
        assign(a, ticket_id, users[0])
        assign(b, ticket_id, users[1])
    assert a.sync_and_wait(qtbot).report["conflicts"] == 0
    outcome = b.sync_and_wait(qtbot)
    assert outcome.report["conflicts"] == len(ids)
    assert f"{len(ids)} 个冲突待管理员处理" in b.window.statusBar().currentMessage()
    return ids


def open_admin(qtbot: Any, desk: Desk, ticket_ids: list[str]) -> tuple[AdminArea, list[int]]:
    area = desk.window.area("admin")
    assert isinstance(area, AdminArea)
    desk.window.show_area("admin")
    qtbot.waitUntil(lambda: {c["row_id"] for c in area.model.rows} >= set(ticket_ids), timeout=10_000)
    rows = [r for r, c in enumerate(area.model.rows) if c["row_id"] in ticket_ids]
    return area, rows


def cell(area: AdminArea, row: int, column: str) -> str:
    return area.model.data(area.model.index(row, COLUMNS.index(column)))


def test_admin_resolves_a_conflict_and_every_node_gets_it(qtbot, tmp_path: Path, tree: Tree,  # type: ignore[no-untyped-def]
                                                          desks: Callable[..., Desk]) -> None:
    hq, gd = tree
    a = desks(tmp_path / "a", gd.url, "lh_tech")
    b = desks(tmp_path / "b", gd.url, "lh_tech")
    [ticket_id] = conflicting_tickets(qtbot, a, b, ["交换机端口故障"])
    admin = desks(tmp_path / "admin", gd.url, "gd_admin", "/HQ/GD/")
    area, [row] = open_admin(qtbot, admin, [ticket_id])
    assert cell(area, row, "kind") == "字段冲突" and cell(area, row, "field") == "处理人"
    assert cell(area, row, "server_value").startswith("王工 (lh_wang)")  # A synced first
    assert cell(area, row, "client_value").startswith("赵工 (lh_zhao)")
    assert cell(area, row, "client_author").startswith("lh_tech@/HQ/GD/SZ/LH/ [")
    assert cell(area, row, "status") == "待处理" and "交换机端口故障" in cell(area, row, "record")
    area.table.selectRow(row)
    detail = area.detail.values
    assert detail["server_value"].text().startswith("王工") and detail["client_value"].text().startswith("赵工")
    a_node, b_node = a.store.node()["node_id"], b.store.node()["node_id"]
    assert detail["server_author"].text().endswith(f"[{a_node[:8]}]")  # both authors, by node
    assert detail["client_author"].text().endswith(f"[{b_node[:8]}]")
    assert detail["base_value"].text() == "（空）" and detail["reason"].text().startswith("暂以")
    enabled = {key: button.isEnabled() for key, button in area.buttons.items()}
    assert enabled == {"keep_server": True, "take_client": True, "edit": True, "merge_duplicates": False,
                       "restore": False}
    dialog = area.open_edit()
    assert dialog is not None and dialog.select(user_id(admin.store, "lh_qian"))
    with qtbot.waitSignal(admin.sync.finished, timeout=20_000):
        dialog.accept()  # "Change to…" 钱工: resolved on the server, then a sync brings it down
    qtbot.waitUntil(lambda: ticket_id not in {c["row_id"] for c in area.model.rows}, timeout=10_000)
    assert "已处理 1 个" in area.info.text()
    qian = user_id(gd.store, "lh_qian")
    assert assignee(gd.store, ticket_id) == qian and assignee(admin.store, ticket_id) == qian
    for county in (a, b):
        assert county.sync_and_wait(qtbot).failure == ""
        assert assignee(county.store, ticket_id) == qian
    relay_to_hq(gd.store, hq)
    assert assignee(hq.store, ticket_id) == qian
    area.status_filter.setCurrentIndex(area.status_filter.findData("all"))
    qtbot.waitUntil(lambda: ticket_id in {c["row_id"] for c in area.model.rows}, timeout=10_000)
    [row] = [r for r, c in enumerate(area.model.rows) if c["row_id"] == ticket_id]
    assert cell(area, row, "status") == "已解决 · 手工修改"


def test_bulk_keep_server_values(qtbot, tmp_path: Path, tree: Tree,  # type: ignore[no-untyped-def]
                                 desks: Callable[..., Desk]) -> None:
    _hq, gd = tree
    a = desks(tmp_path / "a", gd.url, "lh_tech")
    b = desks(tmp_path / "b", gd.url, "lh_tech")
    # the pair whose client value is the provisional winner (the greater content hash) on the server
    pair = sorted(("lh_wang", "lh_zhao"), key=lambda u: value_rank(user_id(gd.store, u)))
    server_user, client_user = pair[0], pair[1]
    ids = conflicting_tickets(qtbot, a, b, ["打印机卡纸", "显示器黑屏"], (server_user, client_user))
    assert [assignee(gd.store, t) for t in ids] == [user_id(gd.store, client_user)] * 2
    admin = desks(tmp_path / "admin", gd.url, "gd_admin", "/HQ/GD/")
    area, rows = open_admin(qtbot, admin, ids)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        area.table.selectionModel().select(area.model.index(row, 0), flags)
    assert area.selection_label.text() == "已选 2 项"
    assert area.buttons["keep_server"].isEnabled() and not area.buttons["edit"].isEnabled()
    with qtbot.waitSignal(admin.sync.finished, timeout=20_000):
        area.buttons["keep_server"].click()
    qtbot.waitUntil(lambda: not set(ids) & {c["row_id"] for c in area.model.rows}, timeout=10_000)
    kept = user_id(gd.store, server_user)  # what the button says, though the client's value was in place
    for county in (a, b):
        assert county.sync_and_wait(qtbot).failure == ""
        assert [assignee(county.store, t) for t in ids] == [kept, kept]


def test_non_admin_sees_only_administrators_page(window: MainWindow) -> None:
    area = window.area("admin")
    assert isinstance(area, AdminArea)
    window.show_area("admin")
    assert area.pages.currentWidget() is area.not_admin
    assert "只有管理员可以打开此区域" in area.not_admin.text() and "lh_desk" in area.not_admin.text()
    assert not area.loaded  # no request was made for a non-admin


def test_offline_and_not_signed_in_are_clear_messages(qtbot, tmp_path: Path, province: Server,  # type: ignore[no-untyped-def]
                                                      desks: Callable[..., Desk]) -> None:
    admin = desks(tmp_path / "admin", province.url, "gd_admin", "/HQ/GD/")
    area, _rows = open_admin(qtbot, admin, [])
    qtbot.waitUntil(lambda: "共 0 个冲突" in area.info.text())
    province.stop()
    area.load()
    qtbot.waitUntil(lambda: "无法连接省级服务器" in area.info.text(), timeout=10_000)
    with admin.store.write() as cs:
        cs.session.execute(update(SyncPeer).values(token=""))
    area.load()
    qtbot.waitUntil(lambda: "尚未登录服务器" in area.info.text())
