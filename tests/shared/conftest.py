from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.services import org, users
from shared.services.actor import Actor
from shared.store import Store


@pytest.fixture(scope="module")
def _password_hash() -> str:
    from shared.security import hash_password

    return hash_password("password-123")


@pytest.fixture
def county(tmp_path: Path) -> Iterator[tuple[Store, Actor]]:
    """A county client store with the org path down to 龙华 and one technician."""
    store = Store.open_dir(tmp_path / "lh", create=True)
    store.init_node("client", "/HQ/GD/SZ/LH/")
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"),
                           ("/HQ/GD/SZ/LH/", "龙华")):
            org.add_org(cs, path, name)
        user = users.add_user(cs, "lh_desk", "password-123", "/HQ/GD/SZ/LH/", ["service_desk"])
    yield store, Actor(user["id"], "lh_desk", "/HQ/GD/SZ/LH/", ("service_desk",))
    store.close()
