"""Hostile input: schemathesis drives every operation of /api/openapi.json with generated valid and
invalid requests, anonymously and with an administrator's sync token. Zero server errors, and every
response conforms to the document (status code, content type, headers, body schema); invalid input
(unknown fields included) is refused with a 4xx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from shared.services import org, users
from shared.store import Store
from shared.version import PROTOCOL_VERSION
from sync_server.app import create_app

PW = "password-123"
EXAMPLES = 30
NODE_ID = "5a1f3c9e-2b7d-4e8a-9c01-6f2d8b3a4e55"
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_headers_conformance, checks.response_schema_conformance,
          checks.negative_data_rejection]


@pytest.fixture(scope="module")
def api_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root: Path = tmp_path_factory.mktemp("schemathesis")
    app = create_app({"DATABASE_URL": f"sqlite:///{root}/gd.db", "TESTING": True, "ITOPS_ORG": "/HQ/GD/",
                      "ITOPS_RATE_LIMITS": False, "ITOPS_SNAPSHOT_DIR": str(root / "snapshots")})
    store = Store.attach(app.extensions["itops"].engine)
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华")):
            org.add_org(cs, path, name)
        users.add_user(cs, "gd_admin", PW, "/HQ/GD/", ["admin"])
    answer = app.test_client().post("/api/v1/auth/login", json={
        "username": "gd_admin", "password": PW, "node_id": NODE_ID, "protocol": PROTOCOL_VERSION})
    assert answer.status_code == 200, answer.get_json()
    app.config["TEST_TOKEN"] = answer.get_json()["token"]
    yield app
    app.extensions["itops"].dispose()


def _failures(case: schemathesis.Case, token: str) -> list[str]:
    found = []
    # identity: the in-process WSGI client does not gunzip (gzip itself is tested in test_sync_http)
    for headers in ({"Accept-Encoding": "identity"},
                    {"Accept-Encoding": "identity", "Authorization": f"Bearer {token}"}):
        try:
            case.call_and_validate(checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as exc:  # a group of check failures
            for failure in getattr(exc, "exceptions", [exc]):
                lines = [line for line in str(failure).splitlines() if line.strip()]
                found.append(f"{case.operation.label} ({'admin' if 'Authorization' in headers else 'anonymous'}): "
                             + " / ".join(lines[:6]))
    return found


def test_api_conforms_to_its_document(api_app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    token = api_app.config["TEST_TOKEN"]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the document itself is valid
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            failures.extend(_failures(case, token))

        run()
    assert operations >= 10  # every documented operation was driven
    assert not failures, "\n".join(sorted(set(failures))[:20])


def test_query_parameters_are_declared_and_checked(api_app: Flask) -> None:
    """The query parameters the routes read are in the document (so the run above fuzzes them), and a
    value outside the declared ones is refused with 422, never a server error."""
    client = api_app.test_client()
    paths = client.get("/api/openapi.json").get_json()["paths"]

    def declared(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["get"].get("parameters", []) if p["in"] == "query"}

    assert declared("/api/v1/sync/pull") == {"cursor", "limit", "ack", "entity", "protocol", "digest"}
    assert declared("/api/v1/sync/snapshot") == {"force"}
    assert declared("/api/v1/admin/conflicts") == {"limit", "offset", "status"}
    auth = {"Authorization": f"Bearer {api_app.config['TEST_TOKEN']}"}
    for url in ("/api/v1/admin/conflicts?status=bogus", "/api/v1/sync/snapshot?force=maybe",
                f"/api/v1/sync/pull?ack={2**64}", "/api/v1/sync/pull?digest=half", "/api/v1/sync/pull?cursor=x"):
        answer = client.get(url, headers=auth)
        assert answer.status_code == 422, (url, answer.get_json())
    assert client.get("/api/v1/admin/conflicts?status=all", headers=auth).get_json()["conflicts"] == []
    assert client.get("/api/v1/sync/snapshot?force=false", headers=auth).get_json()["snapshot"] is None
    assert client.get("/api/v1/sync/snapshot?force=true", headers=auth).get_json()["snapshot"]["rows"] >= 1
