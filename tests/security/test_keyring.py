"""The desktop's sync token lives in the OS keyring where one exists, and in the store where none does
(headless Linux): sync works either way, and a lost keyring entry asks for a sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from sqlalchemy import select

from shared.models.sync import SyncPeer
from shared.security import KEYRING_PREFIX, KEYRING_SERVICE
from shared.sync.client import AuthRequired
from tests.sync.tree import add_county_store, make_tree


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps secrets in this process (the OS ones need a desktop session)."""

    # below keyring's "fail" backend: never picked on its own (subclasses register themselves), only
    # when a test sets it
    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture
def restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


def _stored_token(store) -> str:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return s.scalar(select(SyncPeer.token))  # type: ignore[no-any-return]


def test_token_goes_to_the_keyring_and_sync_uses_it(tmp_path: Path, restore_keyring: None) -> None:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")  # signs in and syncs
    stored = _stored_token(lh)
    assert stored.startswith(KEYRING_PREFIX)  # the store holds no usable token
    (service, account), token = next(iter(backend.secrets.items()))
    assert service == KEYRING_SERVICE and stored == KEYRING_PREFIX + account and len(token) >= 32
    assert tree.sync("lh").rounds >= 1
    # the province relay is a service: its token stays in its database
    assert not _stored_token(tree.provinces["gd"]).startswith(KEYRING_PREFIX)
    backend.secrets.clear()  # the keyring lost it (another PC profile, a reset …)
    with pytest.raises(AuthRequired, match="sign in again"):
        tree.sync("lh")


def test_headless_linux_without_a_keyring_keeps_the_token_in_the_store(tmp_path: Path,
                                                                        restore_keyring: None) -> None:
    keyring.set_keyring(fail.Keyring())
    tree = make_tree(tmp_path, {"GD": {"SZ": ["LH"]}})
    lh = add_county_store(tree, "lh", "gd", "lh_tech")
    stored = _stored_token(lh)
    assert stored and not stored.startswith(KEYRING_PREFIX)
    assert tree.sync("lh").rounds >= 1
