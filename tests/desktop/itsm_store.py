"""A real county store for the process tests of the desktop (tickets area, dispatcher board): three
support-line teams (the third a province vendor team), people with the roles of §7, two CIs, catalogue
entries and a published knowledge article. Built once per session, copied per test.

Helpers drive the real widgets: click an action button, fill the typed dialog it opens, press OK.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from desktop import ops
from desktop.context import AppContext, SignedIn
from desktop.lang import Language
from desktop.ops import Bus
from desktop.tickets.area import TicketsArea
from desktop.tickets.dialogs import FieldsDialog, NewTicketDialog
from desktop.tickets.editors import CiPicker, ComboEditor, DateEditor, FieldEditor
from shared.models.org import Team
from shared.models.tickets import Ticket
from shared.services import catalog, cmdb, org, tickets, users
from shared.services.actor import Actor
from shared.store import Store
from shared.sync.codec import row_to_dict

LH = "/HQ/GD/SZ/LH/"
GD = "/HQ/GD/"
PEOPLE = {  # username → (full name, org, roles)
    "desk": ("王服务台", LH, ("service_desk", "dispatcher")),
    "lead": ("赵值班长", LH, ("duty_lead", "approver", "change_manager")),
    "eng": ("孙工程师", LH, ("desktop_ops", "sysadmin")),
    "chief": ("钱主管", LH, ("service_desk", "dispatcher", "desktop_ops", "sysadmin", "duty_lead", "approver",
                             "change_manager", "service_manager")),
}
TEAMS = {"line1": ("龙华服务台", 1, LH), "line2": ("龙华桌面运维组", 2, LH), "vendor": ("华为厂商工程师组", 3, GD)}
ARTICLE_TITLE = "打印机卡纸的处理方法"


@dataclass(frozen=True)
class World:
    path: Path
    people: dict[str, SignedIn]
    teams: dict[str, str]  # key → team id
    cis: dict[str, str]  # asset tag → CI id
    article_id: str


def build(path: Path) -> World:
    store = Store.open_dir(path, create=True)
    store.init_node("client", LH)
    with store.write() as cs:
        for p, name in (("/HQ/", "集团总部"), (GD, "广东"), ("/HQ/GD/SZ/", "深圳"), (LH, "龙华")):
            org.add_org(cs, p, name)
        made = {u: users.add_user(cs, u, "password-123", where, list(roles), full_name=full)
                for u, (full, where, roles) in PEOPLE.items()}
        teams = {key: cs.create(Team, owner, {"name": name, "line": line}).id
                 for key, (name, line, owner) in TEAMS.items()}
    people = {u: SignedIn(Actor(made[u]["id"], u, PEOPLE[u][1], PEOPLE[u][2]), made[u]) for u in PEOPLE}
    chief = people["chief"].actor
    with store.write(chief.user_id) as cs:
        made_cis = (("LH-PC-001", "terminal", "财务室电脑"), ("LH-SRV-001", "server", "营销数据库服务器"))
        cis = {tag: cmdb.create_ci(cs, chief, cls, name, {"asset_tag": tag})["id"] for tag, cls, name in made_cis}
        catalog.create_entry(cs, chief, "service", "mail", "邮件系统")
        catalog.create_entry(cs, chief, "business_unit", "marketing", "营销部")
        catalog.create_entry(cs, chief, "catalog_item", "new_pc", "申请新电脑",
                             {"approval_required": True, "fulfilment_minutes": 900})
        article = tickets.create_ticket(cs, chief, "knowledge", ARTICLE_TITLE,
                                        {"data.symptom": "打印机频繁卡纸", "data.steps": "清理搓纸轮"})
        tickets.transition(cs, chief, article["id"], "submit")
        tickets.transition(cs, chief, article["id"], "publish")
    store.close()
    return World(path, people, teams, cis, article["id"])


@pytest.fixture(autouse=True)
def collect_qt_garbage() -> Iterator[None]:
    """Collect Python garbage between tests, at a safe point: collected in the middle of a later test,
    the cycles a closed main window leaves (an event filter on it, parentless panels) crash Qt."""
    gc.collect()
    yield
    ops.wait_idle()
    gc.collect()


_TEMPLATE: list[World] = []  # one build per test run, although each test module imports the fixture


@pytest.fixture(scope="session")
def itsm_template(tmp_path_factory: pytest.TempPathFactory) -> World:
    if not _TEMPLATE:
        _TEMPLATE.append(build(tmp_path_factory.mktemp("itsm") / "store"))
    return _TEMPLATE[0]


@pytest.fixture
def itsm(itsm_template: World, tmp_path: Path) -> World:
    path = tmp_path / "store"
    shutil.copytree(itsm_template.path, path)
    return World(path, itsm_template.people, itsm_template.teams, itsm_template.cis, itsm_template.article_id)


@pytest.fixture
def itsm_store(itsm: World) -> Iterator[Store]:
    store = Store.open_dir(itsm.path)
    yield store
    ops.wait_idle()
    store.close()


@pytest.fixture
def zh(qapp: QApplication) -> Iterator[Language]:
    language = Language()
    language.apply("zh")
    yield language
    language.uninstall()
    language.deleteLater()


def context(store: Store, language: Language, itsm: World, username: str) -> AppContext:
    return AppContext(store=store, bus=Bus(), language=language, signed_in=itsm.people[username])


def tickets_area(qtbot: Any, ctx: AppContext) -> TicketsArea:
    area = TicketsArea(ctx)
    qtbot.addWidget(area)
    area.resize(1200, 800)
    area.show()
    qtbot.waitUntil(lambda: not area.model.loading and area.options.loaded)
    return area


def stored(store: Store, ticket_id: str) -> dict[str, Any]:
    with store.read() as session:
        row = session.get(Ticket, ticket_id)
        assert row is not None
        return row_to_dict(row)


def by_title(store: Store, title: str) -> dict[str, Any]:
    with store.read() as session:
        return row_to_dict(session.scalars(select(Ticket).where(Ticket.title == title)).one())


def fill(qtbot: Any, editors: dict[str, FieldEditor], values: dict[str, Any]) -> None:
    """Set each editor as a person would: pick the combo entry, tick the box, type the text (setText:
    Chinese never goes through keyClicks), search the CI picker and double-click the hit."""
    for name, value in values.items():
        editor = editors[name]
        if isinstance(editor, ComboEditor):
            index = editor.edit.findData(str(value))
            assert index >= 0, f"{name}: {value!r} is not offered ({editor.keys()})"
            editor.edit.setCurrentIndex(index)
        elif isinstance(editor, CiPicker):
            for tag in value if isinstance(value, list) else [value]:
                editor.search.setText(tag)
                qtbot.waitUntil(lambda ed=editor: ed.results.count() == 1)
                item = editor.results.item(0)
                editor.results.itemDoubleClicked.emit(item)
        elif isinstance(editor, DateEditor):
            editor.set_value(value)
        else:
            editor.set_value(value)


def create(qtbot: Any, area: TicketsArea, process: str, values: dict[str, Any]) -> dict[str, Any]:
    """“New ticket”, choose the process, fill the form built from its create_fields, press Create."""
    area.new_button.click()
    dialog = area.new_dialog
    assert isinstance(dialog, NewTicketDialog) and dialog.isVisible()
    dialog.process.setCurrentIndex(dialog.process.findData(process))
    fill(qtbot, dialog.edits, values)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: dialog.created is not None)
    created = dialog.created
    assert created is not None
    qtbot.waitUntil(lambda: area.detail.ticket is not None and area.detail.ticket["id"] == created["id"])
    return created


def act(qtbot: Any, area: TicketsArea, action: str, values: dict[str, Any] | None = None,
        expect_state: str | None = None, inspect: Callable[[FieldsDialog], None] | None = None) -> None:
    """Click the action's button; if it opens its dialog, ``inspect`` it, fill it and press OK; wait for
    the new state."""
    detail = area.detail
    qtbot.waitUntil(lambda: action in detail.action_buttons and detail.action_buttons[action].isEnabled())
    count = len(detail.ticket["entries"]) if detail.ticket else 0
    detail.action_buttons[action].click()
    dialog = detail.fields_dialog
    if values is not None:
        assert isinstance(dialog, FieldsDialog), f"{action} opened no dialog"
        assert set(dialog.edits) == set(values), f"{action} asks for {sorted(dialog.edits)}"
        if inspect is not None:
            inspect(dialog)
        fill(qtbot, dialog.edits, values)
        dialog.ok_button().click()
    else:
        assert dialog is None, f"{action} unexpectedly asked for {sorted(dialog.edits)}"  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: detail.ticket is not None and len(detail.ticket["entries"]) > count
                    and (expect_state is None or detail.ticket["state"] == expect_state))
