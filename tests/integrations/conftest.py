"""A province server with a small org tree, people and CIs, served over HTTP on loopback.

    directory  (module)   the URL of a real slapd with a small directory (tests/integrations/slapd.py)
    province   (function) Province: the app, its store, a waitress server on 127.0.0.1 and an API key
                          for the monitoring system "prom-gd" (scope /HQ/GD/).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from shared.models.org import User
from shared.services import cmdb, events, org
from shared.services.actor import SYSTEM
from shared.store import Store
from sync_server.app import create_app
from sync_server.serve import Server, make_server

from .slapd import directory  # noqa: F401 (a fixture, offered to every module here)

ORGS = (("/HQ/", "集团总部"), ("/HQ/GD/", "广东电网"), ("/HQ/GD/SZ/", "深圳供电局"),
        ("/HQ/GD/SZ/LH/", "龙华供电局"), ("/HQ/GD/SZ/FT/", "福田供电局"))
# username, org, roles, email, phone
PEOPLE = (("gd_dispatch", "/HQ/GD/", ["dispatcher"], "gd_dispatch@gd.example.cn", "13800000009"),
          ("lh_desk", "/HQ/GD/SZ/LH/", ["service_desk"], "lh_desk@lh.example.cn", "13800000001"),
          ("lh_ops", "/HQ/GD/SZ/LH/", ["desktop_ops"], "lh_ops@lh.example.cn", "13800000002"),
          ("lh_sys", "/HQ/GD/SZ/LH/", ["sysadmin"], "lh_sys@lh.example.cn", "13800000003"),
          ("ft_desk", "/HQ/GD/SZ/FT/", ["service_desk"], "ft_desk@ft.example.cn", ""))


@dataclass
class Province:
    app: Flask
    store: Store
    server: Server
    key: str
    users: dict[str, str] = field(default_factory=dict)  # username → id
    cis: dict[str, dict[str, Any]] = field(default_factory=dict)  # name → row

    @property
    def url(self) -> str:
        return self.server.url

    def count(self, model: Any, *where: Any) -> int:
        with self.store.read() as session:
            return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def seed(store: Store) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    users: dict[str, str] = {}
    cis: dict[str, dict[str, Any]] = {}
    with store.write() as cs:
        for path, name in ORGS:
            org.add_org(cs, path, name)
        for username, path, roles, email, phone in PEOPLE:
            row = cs.create(User, path, {"username": username, "full_name": username, "org_path": path,
                                         "roles": roles, "email": email, "phone": phone, "active": True})
            users[username] = row.id
        for path, name, ip, fields in (
                ("/HQ/GD/SZ/LH/", "LH-CORE-SW01", "10.21.0.1",
                 {"attributes.criticality": "核心", "owner_id": users["lh_ops"]}),
                ("/HQ/GD/SZ/LH/", "LH-ACC-SW01", "10.21.0.11", {"attributes.criticality": "一般"}),
                ("/HQ/GD/SZ/LH/", "LH-SRV01", "10.21.1.11", {}),
                ("/HQ/GD/SZ/FT/", "FT-CORE-SW01", "10.22.0.1", {"attributes.criticality": "核心"})):
            cis[name] = cmdb.create_ci(cs, SYSTEM, "network", name, {"ip": ip, **fields}, owner_path=path)
    return users, cis


@pytest.fixture
def province(tmp_path: Path) -> Iterator[Province]:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/province.db", "ITOPS_ROLE": "province",
                      "ITOPS_ORG": "/HQ/GD/", "TESTING": True, "ITOPS_EVENTS_MAX_BYTES": 64 * 1024})
    store = Store.attach(app.extensions["itops"].engine)
    users, cis = seed(store)
    with store.write() as cs:
        key = events.create_key(cs.session, "prom-gd", "/HQ/GD/")["key"]
    server = make_server(app, "127.0.0.1", 0, threads=4)
    thread = threading.Thread(target=server.run, name="itops-events-server", daemon=True)
    thread.start()
    try:
        yield Province(app, store, server, key, users, cis)
    finally:
        server.close()
        thread.join(10)
        app.extensions["itops"].dispose()


@dataclass
class ProvinceStore:
    store: Store
    users: dict[str, str]
    cis: dict[str, dict[str, Any]]


@pytest.fixture
def province_store(tmp_path: Path) -> Iterator[ProvinceStore]:
    """The same seed in a province database, without a server."""
    store = Store(f"sqlite:///{tmp_path}/province-store.db")
    store.init_node("province", "/HQ/GD/")
    users, cis = seed(store)
    yield ProvinceStore(store, users, cis)
    store.close()
