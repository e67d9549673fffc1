"""A province database with the NetBox demo imported for a county (once per module: it takes ~2 s)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.cmdb.netbox import NetboxReport, import_netbox
from shared.services import org, users
from shared.services.actor import Actor
from shared.store import Store

NETBOX = Path("/work/shared/data/netbox-demo/netbox-demo-v3.6.json")
if not NETBOX.exists():  # the checkout's copy of the shared data
    NETBOX = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "netbox-demo" / "netbox-demo-v3.6.json"
COUNTY = "/HQ/GD/SZ/LH/"


def make_province(root: Path) -> tuple[Store, Actor]:
    store = Store.open_dir(root, create=True)
    store.init_node("province", "/HQ/GD/")
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"), (COUNTY, "龙华")):
            org.add_org(cs, path, name)
        user = users.add_user(cs, "gd_admin", "password-123", "/HQ/GD/", ["admin"])
    return store, Actor(user["id"], "gd_admin", "/HQ/GD/", ("admin",))


@pytest.fixture(scope="module")
def netbox_province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Actor, NetboxReport]]:
    store, admin = make_province(tmp_path_factory.mktemp("gd"))
    with store.write(admin.user_id) as cs:
        report = import_netbox(cs, admin, NETBOX, COUNTY)
    yield store, admin, report
    store.close()
