"""Who may call what: every HTTP operation × (anonymous, county technician, another county's technician,
prefecture admin, province admin), and an administrator never sees or touches nodes outside their subtree."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from shared.services import org, users
from shared.store import Store
from shared.version import PROTOCOL_VERSION, SCHEMA_VERSION
from sync_server.app import create_app

PW = "password-123"
NODES = {  # username → (org, roles, node id)
    "lh_tech": ("/HQ/GD/SZ/LH/", ["service_desk"], "1d8c6a30-0000-4000-8000-00000000000a"),
    "gz_tech": ("/HQ/GD/GZ/", ["service_desk"], "1d8c6a30-0000-4000-8000-00000000000b"),
    "sz_admin": ("/HQ/GD/SZ/", ["admin"], "1d8c6a30-0000-4000-8000-00000000000c"),
    "gd_admin": ("/HQ/GD/", ["admin"], "1d8c6a30-0000-4000-8000-00000000000d"),
}
MISSING = "1d8c6a30-0000-4000-8000-0000000000ff"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, dict[str, str]]]:
    root: Path = tmp_path_factory.mktemp("matrix")
    app = create_app({"DATABASE_URL": f"sqlite:///{root}/gd.db", "TESTING": True, "ITOPS_ORG": "/HQ/GD/",
                      "ITOPS_RATE_LIMITS": False})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        for path in ("/HQ/", "/HQ/GD/", "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/GZ/"):
            org.add_org(cs, path, path.strip("/").split("/")[-1])
        for name, (path, roles, _node) in NODES.items():
            users.add_user(cs, name, PW, path, roles)
    client = app.test_client()
    found = {}
    for name, (_path, _roles, node) in NODES.items():
        answer = client.post("/api/v1/auth/login", json={"username": name, "password": PW, "node_id": node,
                                                         "protocol": PROTOCOL_VERSION})
        assert answer.status_code == 200, answer.get_json()
        found[name] = answer.get_json()["token"]
    yield app, found
    app.extensions["itops"].dispose()


PUSH = {"protocol": PROTOCOL_VERSION, "schema": SCHEMA_VERSION, "mutations": []}
OPERATIONS: list[tuple[str, str, Any]] = [
    ("GET", "/api/v1/sync/pull", None),
    ("POST", "/api/v1/sync/push", PUSH),
    ("GET", "/api/v1/sync/snapshot", None),
    ("GET", "/api/v1/admin/conflicts", None),
    ("GET", f"/api/v1/admin/conflicts/{MISSING}", None),
    ("POST", f"/api/v1/admin/conflicts/{MISSING}/resolve", {"resolution": "keep_server"}),
    ("GET", "/api/v1/admin/nodes", None),
    ("POST", f"/api/v1/admin/nodes/{NODES['gz_tech'][2]}/revoke", None),
]
# expected status per caller, in the order of OPERATIONS
EXPECTED = {
    None:       [401, 401, 401, 401, 401, 401, 401, 401],
    "lh_tech":  [200, 200, 200, 403, 403, 403, 403, 403],
    "gz_tech":  [200, 200, 200, 403, 403, 403, 403, 403],
    "sz_admin": [200, 200, 200, 200, 404, 404, 200, 404],  # GZ is outside the SZ subtree: "no node"
    "gd_admin": [200, 200, 200, 200, 404, 404, 200, 200],
}


@pytest.mark.parametrize("caller", list(EXPECTED), ids=lambda c: c or "anonymous")
def test_every_operation_for_every_caller(tokens: tuple[Flask, dict[str, str]], caller: str | None) -> None:
    app, found = tokens
    client = app.test_client()
    headers = {"Authorization": f"Bearer {found[caller]}"} if caller else {}
    got = []
    for method, path, body in OPERATIONS:
        if caller == "gd_admin" and path.endswith("/revoke"):
            continue  # revoking would change the other rows' answers: checked last, below
        answer = client.open(path, method=method, json=body, headers=headers)
        assert answer.is_json and (answer.status_code < 400 or "error" in answer.get_json())
        got.append(answer.status_code)
    expected = [code for (_m, path, _b), code in zip(OPERATIONS, EXPECTED[caller], strict=True)
                if not (caller == "gd_admin" and path.endswith("/revoke"))]
    assert got == expected


def test_admins_see_only_their_subtree(tokens: tuple[Flask, dict[str, str]]) -> None:
    app, found = tokens
    client = app.test_client()

    def orgs(who: str) -> set[str]:
        answer = client.get("/api/v1/admin/nodes", headers={"Authorization": f"Bearer {found[who]}"})
        return {n["org_path"] for n in answer.get_json()["nodes"]}

    assert orgs("sz_admin") == {"/HQ/GD/SZ/", "/HQ/GD/SZ/LH/"}
    assert {"/HQ/GD/", "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/GZ/"} <= orgs("gd_admin")
    # a second PC of GZ, revoked by the province admin (its own node: the other tests keep theirs)
    spare = "1d8c6a30-0000-4000-8000-0000000000ee"
    token = client.post("/api/v1/auth/login", json={"username": "gz_tech", "password": PW, "node_id": spare,
                                                    "protocol": PROTOCOL_VERSION}).get_json()["token"]
    assert client.post(f"/api/v1/admin/nodes/{spare}/revoke",
                       headers={"Authorization": f"Bearer {found['sz_admin']}"}).status_code == 404
    assert client.post(f"/api/v1/admin/nodes/{spare}/revoke",
                       headers={"Authorization": f"Bearer {found['gd_admin']}"}).status_code == 200
    assert client.get("/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/sync/pull",
                      headers={"Authorization": f"Bearer {found['gz_tech']}"}).status_code == 200
