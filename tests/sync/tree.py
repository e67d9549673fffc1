"""A whole sync tree on disk for tests: HQ, provinces and county stores, talking in-process
through the real endpoint code (JSON round trip), optionally through a fault injector."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from shared.models import SYNCED
from shared.services import org, users
from shared.services.actor import SYSTEM
from shared.store import Store
from shared.sync.client import SyncClient
from shared.sync.codec import dumps, row_to_dict
from shared.sync.endpoint import LocalTransport, SyncEndpoint
from shared.sync.transport import Transport

PASSWORD = "tree-password-1"


@dataclass
class Tree:
    root: Path
    hq: Store
    provinces: dict[str, Store] = field(default_factory=dict)
    counties: dict[str, Store] = field(default_factory=dict)
    upstream_of: dict[str, str] = field(default_factory=dict)  # store name → server name
    endpoints: dict[str, SyncEndpoint] = field(default_factory=dict)
    wrap: Any = None  # callable(transport, name) → transport, for fault injection

    def store(self, name: str) -> Store:
        if name == "hq":
            return self.hq
        return self.provinces.get(name) or self.counties[name]

    def transport(self, name: str) -> Transport:
        server = self.upstream_of[name]
        t: Transport = LocalTransport(self.endpoints[server])
        return self.wrap(t, name) if self.wrap else t

    def client(self, name: str) -> SyncClient:
        return SyncClient(self.store(name), self.transport(name))

    def sync(self, name: str) -> Any:
        return self.client(name).sync()

    def drain(self, rounds: int = 4) -> None:
        """Counties → provinces → HQ and back down until everything has settled."""
        for _ in range(rounds):
            for c in self.counties:
                self.sync(c)
            for p in self.provinces:
                self.sync(p)
        for c in self.counties:
            self.sync(c)


def make_tree(root: Path, provinces: dict[str, dict[str, list[str]]]) -> Tree:
    """``provinces``: {"GD": {"SZ": ["LH", "FT"]}} — creates one county store per county."""
    root.mkdir(parents=True, exist_ok=True)
    hq = Store.open_dir(root / "hq", create=True)
    hq.init_node("hq", "/HQ/")
    tree = Tree(root=root, hq=hq)
    tree.endpoints["hq"] = SyncEndpoint(hq)
    with hq.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        for p in provinces:
            org.add_org(cs, f"/HQ/{p}/", f"省{p}")
            users.add_user(cs, f"{p.lower()}_relay", PASSWORD, f"/HQ/{p}/", ["admin"])
    for p, prefectures in provinces.items():
        name = p.lower()
        store = Store.open_dir(root / name, create=True)
        store.init_node("province", f"/HQ/{p}/")
        tree.provinces[name] = store
        tree.endpoints[name] = SyncEndpoint(store)
        tree.upstream_of[name] = "hq"
        SyncClient(store, tree.transport(name)).login("local://hq", f"{p.lower()}_relay", PASSWORD)
        tree.sync(name)
        with store.write() as cs:
            for pref, counties in prefectures.items():
                org.add_org(cs, f"/HQ/{p}/{pref}/", f"市{pref}")
                for c in counties:
                    org.add_org(cs, f"/HQ/{p}/{pref}/{c}/", f"县{c}")
                    users.add_user(cs, f"{c.lower()}_tech", PASSWORD, f"/HQ/{p}/{pref}/{c}/",
                                   ["service_desk", "desktop_ops"])
            users.add_user(cs, f"{p.lower()}_admin", PASSWORD, f"/HQ/{p}/", ["admin"])
        tree.sync(name)
    return tree


def add_county_store(tree: Tree, name: str, province: str, username: str) -> Store:
    store = Store.open_dir(tree.root / name, create=True)
    path = _user_org(tree.provinces[province], username)
    store.init_node("client", path)
    tree.counties[name] = store
    tree.upstream_of[name] = province
    client = tree.client(name)
    client.login(f"local://{province}", username, PASSWORD)
    client.sync()
    return store


def _user_org(store: Store, username: str) -> str:
    from shared.models.org import User

    with store.read() as s:
        return s.scalar(select(User.org_path).where(User.username == username))  # type: ignore[return-value]


def actor(store: Store, username: str) -> Any:
    from shared.models.org import User
    from shared.services.actor import Actor

    with store.read() as s:
        u = s.scalar(select(User).where(User.username == username))
        assert u is not None, username
        return Actor(u.id, u.username, u.org_path, tuple(u.roles))


def export(store: Store, predicate: Any = None) -> str:
    """Canonical dump of the synced rows (like ``itops export``), optionally filtered."""
    lines = []
    with store.read() as s:
        for name, cls in SYNCED.items():
            for row in s.scalars(select(cls).order_by(cls.id)):
                if row.version == 0:
                    continue
                if predicate is None or predicate(name, row):
                    lines.append(dumps({"table": name, **row_to_dict(row)}))
    return "\n".join(lines)


__all__ = ["PASSWORD", "SYSTEM", "Tree", "actor", "add_county_store", "export", "make_tree"]
