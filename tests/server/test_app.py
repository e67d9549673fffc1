"""The server shell: factory, health, OpenAPI document, errors, request ids, languages."""

from __future__ import annotations

import logging
import re

import marshmallow as ma
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from shared.db.engine import make_engine
from shared.db.migrate import current_revision, head_revision
from shared.version import APP_VERSION, PROTOCOL_VERSION, SCHEMA_VERSION
from sync_server.app import create_app
from sync_server.i18n import t
from sync_server.state import ServerState

from .conftest import AppFactory

HEX32 = re.compile(r"[0-9a-f]{32}")


class ThingSchema(ma.Schema):
    name = ma.fields.String(required=True)
    size = ma.fields.Integer(load_default=1)


def add_test_routes(app: Flask) -> None:
    """Routes that only tests need, on a fresh app (before its first request)."""
    blp = Blueprint("testing", __name__, url_prefix="/api/v1/testing")

    @blp.route("/things")
    class Things(MethodView):
        @blp.arguments(ThingSchema)
        @blp.response(201, ThingSchema)
        def post(self, thing: dict) -> dict:
            return thing

    @blp.route("/conflict")
    def conflict() -> None:
        abort(409, message="already taken")

    @blp.route("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail /etc/passwd")

    app.extensions["itops"].api.register_blueprint(blp)


def assert_error(response, code: int) -> dict:
    assert response.status_code == code
    assert response.is_json, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == code
    assert isinstance(error["status"], str) and error["status"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"] == response.headers["X-Request-Id"]
    return error


# --- factory ----------------------------------------------------------------------------------------


def test_factory_makes_distinct_apps_per_config(make_app: AppFactory) -> None:
    province = make_app(ITOPS_ROLE="province")
    hq = make_app(ITOPS_ROLE="hq", ITOPS_UPSTREAM=None)
    assert province is not hq
    p_state: ServerState = province.extensions["itops"]
    h_state: ServerState = hq.extensions["itops"]
    assert (p_state.role, h_state.role) == ("province", "hq")
    assert p_state.engine is not h_state.engine
    assert p_state.engine.url != h_state.engine.url
    assert p_state.config is province.config
    assert province.config["MAX_CONTENT_LENGTH"] == 32 * 1024 * 1024
    assert province.test_client().get("/api/v1/health").get_json()["role"] == "province"
    assert hq.test_client().get("/api/v1/health").get_json()["role"] == "hq"


def test_factory_keeps_upstream(make_app: AppFactory) -> None:
    app = make_app(ITOPS_UPSTREAM="https://hq.example:8443")
    assert app.extensions["itops"].upstream == "https://hq.example:8443"


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"DATABASE_URL": "sqlite://", "ITOPS_ROLE": "county"},
        {"DATABASE_URL": "sqlite://", "ITOPS_UPSTREAM": "ftp://hq"},
    ],
)
def test_factory_rejects_bad_config(config: dict) -> None:
    with pytest.raises(ValueError):
        create_app({"MIGRATE": False, **config})


def test_factory_migrates_the_database(app: Flask) -> None:
    assert current_revision(app.extensions["itops"].engine) == head_revision()


# --- health -----------------------------------------------------------------------------------------


def test_health(client: FlaskClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.is_json
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["role"] == "province"
    assert body["version"] == APP_VERSION
    assert body["protocol"] == PROTOCOL_VERSION
    assert body["schema"] == SCHEMA_VERSION
    assert body["db"] == "ok"
    assert body["time"].endswith("+00:00")


def test_health_reports_a_dead_database(app: Flask, tmp_path) -> None:
    state: ServerState = app.extensions["itops"]
    state.engine.dispose()
    state.engine = make_engine(f"sqlite:///{tmp_path}/no/such/dir/x.db")
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["db"]) == ("degraded", "error")


# --- OpenAPI ----------------------------------------------------------------------------------------


def test_openapi_document(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"] == "3.0.3"
    assert spec["info"] == {"title": "ITOps API", "version": APP_VERSION}
    assert "/api/v1/health" in spec["paths"]
    assert {tag["name"] for tag in spec["tags"]} >= {"health", "auth", "sync", "admin"}
    # error responses are documented in our envelope, not smorest's flat shape
    assert "error" in spec["components"]["schemas"]["Error"]["properties"]
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(spec)


# --- errors -----------------------------------------------------------------------------------------


def test_unknown_url_is_json_404(client: FlaskClient) -> None:
    error = assert_error(client.get("/no/such/page"), 404)
    assert error["status"] == "Not Found"
    assert error["message"] == "未找到"  # Chinese by default
    assert "errors" not in error


def test_wrong_method_is_json_405_with_allow(client: FlaskClient) -> None:
    response = client.delete("/api/v1/health")
    error = assert_error(response, 405)
    assert error["status"] == "Method Not Allowed"
    assert "GET" in {m.strip() for m in response.headers["Allow"].split(",")}


def test_validation_error_lists_fields(make_app: AppFactory) -> None:
    app = make_app()
    add_test_routes(app)
    client = app.test_client()
    assert client.post("/api/v1/testing/things", json={"name": "x"}).get_json() == {"name": "x", "size": 1}

    error = assert_error(client.post("/api/v1/testing/things", json={"size": "big"}), 422)
    assert set(error["errors"]["json"]) == {"name", "size"}
    assert isinstance(error["errors"]["json"]["name"], list)

    error = assert_error(
        client.post("/api/v1/testing/things", data="{not json", content_type="application/json"), 400
    )
    assert error["errors"]


def test_smorest_abort_keeps_message(make_app: AppFactory) -> None:
    app = make_app()
    add_test_routes(app)
    error = assert_error(app.test_client().get("/api/v1/testing/conflict"), 409)
    assert error["message"] == "already taken"


def test_body_over_limit_is_json_413(make_app: AppFactory) -> None:
    app = make_app(MAX_CONTENT_LENGTH=1024)
    add_test_routes(app)
    client = app.test_client()
    big = {"name": "x" * 2000}
    error = assert_error(client.post("/api/v1/testing/things", json=big), 413)
    assert "1024" in error["message"]
    # also on a route that never reads the body, and on an unknown URL
    assert_error(client.get("/api/v1/health", data=b"x" * 2000), 413)
    assert_error(client.post("/nowhere", data=b"x" * 2000), 413)
    # within the limit is fine
    assert client.post("/api/v1/testing/things", json={"name": "x"}).status_code == 201


def test_unhandled_exception_is_json_500_without_traceback(
    make_app: AppFactory, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app()
    add_test_routes(app)
    with caplog.at_level(logging.ERROR, logger="sync_server"):
        response = app.test_client().get("/api/v1/testing/boom", headers={"Accept-Language": "en"})
    error = assert_error(response, 500)
    assert error["message"] == "internal error"
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "secret detail" not in text and "RuntimeError" not in text
    # ...but the server log has it, under the request id
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and error["request_id"] in logged[0].getMessage()
    assert "secret detail" in caplog.text


def test_500_even_in_debug_mode(make_app: AppFactory) -> None:
    app = make_app()
    add_test_routes(app)
    app.debug = True
    response = app.test_client().get("/api/v1/testing/boom")
    assert_error(response, 500)
    assert "Traceback" not in response.get_data(as_text=True)


# --- request id and language ------------------------------------------------------------------------


def test_request_id_echoed_when_sane(client: FlaskClient) -> None:
    response = client.get("/api/v1/health", headers={"X-Request-Id": "client-42_A"})
    assert response.headers["X-Request-Id"] == "client-42_A"
    error = assert_error(client.get("/missing", headers={"X-Request-Id": "abc-123"}), 404)
    assert error["request_id"] == "abc-123"


@pytest.mark.parametrize("given", ["x" * 65, "has space", "semi;colon", "ü-umlaut", ""])
def test_request_id_replaced_when_not_sane(client: FlaskClient, given: str) -> None:
    response = client.get("/api/v1/health", headers={"X-Request-Id": given})
    assert HEX32.fullmatch(response.headers["X-Request-Id"])


def test_request_id_generated_and_unique(client: FlaskClient) -> None:
    ids = {client.get("/api/v1/health").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3 and all(HEX32.fullmatch(i) for i in ids)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("en", "Not found"),
        ("en-US,en;q=0.9", "Not found"),
        ("zh-CN,zh;q=0.9,en;q=0.5", "未找到"),
        ("fr", "未找到"),
        (None, "未找到"),
    ],
)
def test_accept_language(client: FlaskClient, header: str | None, message: str) -> None:
    headers = {"Accept-Language": header} if header else {}
    assert assert_error(client.get("/missing", headers=headers), 404)["message"] == message


def test_translation_table() -> None:
    assert t("not_found", "en") == "Not found"
    assert t("not_found", "zh") == "未找到"
    assert t("not_found", "de") == "未找到"
    assert t("no_such_key", "en") == "no_such_key"
    assert t("payload_too_large", "en", limit=5) == "Request body too large (limit 5 bytes)"
    assert t("not_found") == "未找到"  # outside a request: the default language
