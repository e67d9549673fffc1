"""A county store with a team, a CI and catalogue items, and an administrator to walk every path."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shared.models.org import Team
from shared.services import catalog, cmdb, org, users
from shared.services.actor import SYSTEM, Actor
from shared.store import Store

LH = "/HQ/GD/SZ/LH/"


@dataclass
class Office:
    store: Store
    admin: Actor
    desk: Actor
    team_id: str
    ci_id: str


@pytest.fixture
def office(tmp_path: Path) -> Iterator[Office]:
    store = Store.open_dir(tmp_path / "lh", create=True)
    store.init_node("client", LH)
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"), (LH, "龙华")):
            org.add_org(cs, path, name)
        admin = users.add_user(cs, "lh_admin", "password-123", LH, ["admin"])
        desk = users.add_user(cs, "lh_desk", "password-123", LH, ["service_desk"])
        team = cs.create(Team, LH, {"name": "桌面运维组", "line": 2})
    admin_actor = Actor(admin["id"], "lh_admin", LH, ("admin",))
    with store.write(admin["id"]) as cs:
        ci = cmdb.create_ci(cs, admin_actor, "server", "LH-SRV01")
        catalog.create_entry(cs, SYSTEM, "catalog_item", "APPROVE", "需审批的条目",
                             {"approval_required": True, "fulfilment_minutes": 450}, owner_path="/HQ/GD/")
        catalog.create_entry(cs, SYSTEM, "catalog_item", "PASSWORD", "口令重置",
                             {"fulfilment_minutes": 30}, owner_path="/HQ/GD/")
    yield Office(store, admin_actor, Actor(desk["id"], "lh_desk", LH, ("service_desk",)), team.id, ci["id"])
    store.close()
