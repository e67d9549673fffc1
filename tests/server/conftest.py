"""Fixtures: a fresh server app per test, on a SQLite file in the test's tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sync_server.app import create_app

AppFactory = Callable[..., Flask]


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[AppFactory]:
    """``make_app(**config)``: a new app on its own database file; engines are disposed afterwards."""
    apps: list[Flask] = []

    def factory(**config: Any) -> Flask:
        settings: dict[str, Any] = {
            "DATABASE_URL": f"sqlite:///{tmp_path}/s{len(apps)}.db",
            "TESTING": True,
            "MIGRATE": True,
            "ITOPS_ORG": "/HQ/GD/",
        }
        settings.update(config)
        app = create_app(settings)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.extensions["itops"].dispose()


@pytest.fixture
def app(make_app: AppFactory) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
