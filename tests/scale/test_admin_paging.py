"""Admin lists of the server API are paged: limit/offset with next_offset, validated and documented."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from shared.models.sync import Conflict, SyncNode
from shared.services import org, users
from shared.store import Store
from shared.version import PROTOCOL_VERSION
from sync_server.app import create_app

PW = "paging-password-1"


@pytest.fixture
def admin_app(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/gd.db", "TESTING": True, "ITOPS_ORG": "/HQ/GD/",
                      "ITOPS_RATE_LIMITS": False})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        org.add_org(cs, "/HQ/GD/", "广东")
        users.add_user(cs, "gd_admin", PW, "/HQ/GD/", ["admin"])
        for n in range(7):
            row = cs.create(Conflict, "/HQ/GD/", {"kind": "rejected", "entity": "tickets",
                                                  "row_id": str(uuid.uuid4()), "reason": f"conflict {n}"})
            assert row.status == "open"
        for n in range(4):
            cs.session.add(SyncNode(node_id=str(uuid.uuid4()), kind="client", name=f"county-{n}",
                                    org_path="/HQ/GD/", token_hash="x"))
    answer = app.test_client().post("/api/v1/auth/login", json={
        "username": "gd_admin", "password": PW, "node_id": str(uuid.uuid4()), "protocol": PROTOCOL_VERSION})
    assert answer.status_code == 200, answer.get_json()
    yield app, answer.get_json()["token"]
    app.extensions["itops"].dispose()


def walk(app: Flask, token: str, path: str, key: str, limit: int) -> list[list[str]]:
    pages, offset = [], 0
    while offset is not None:
        answer = app.test_client().get(f"{path}?limit={limit}&offset={offset}",
                                       headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        pages.append([row.get("id") or row.get("node_id") for row in body[key]])
        offset = body["next_offset"]
    return pages


def test_conflicts_and_nodes_come_in_pages(admin_app: tuple[Flask, str]) -> None:
    app, token = admin_app
    pages = walk(app, token, "/api/v1/admin/conflicts", "conflicts", 3)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len({i for p in pages for i in p}) == 7  # no row twice, none left out
    node_pages = walk(app, token, "/api/v1/admin/nodes", "nodes", 2)
    assert [len(p) for p in node_pages] == [2, 2, 1]  # four counties and the admin's own node
    assert len({i for p in node_pages for i in p}) == 5


def test_paging_arguments_are_validated_and_documented(admin_app: tuple[Flask, str]) -> None:
    app, token = admin_app
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/admin/conflicts?limit=0", headers=headers).status_code == 422
    assert client.get("/api/v1/admin/nodes?offset=-1", headers=headers).status_code == 422
    assert client.get("/api/v1/admin/conflicts?limit=abc", headers=headers).status_code == 422
    assert client.get("/api/v1/admin/conflicts?status=all&limit=2", headers=headers).get_json()["next_offset"] == 2
    doc = client.get("/api/openapi.json").get_json()
    params = {p["name"] for p in doc["paths"]["/api/v1/admin/conflicts"]["get"]["parameters"]}
    assert {"limit", "offset"} <= params
