"""Fault injection and other test support for the sync property tests.

* ``Faults`` / ``FaultyTransport``: a seeded wrapper around any transport that loses the
  request (nothing reaches the server), loses the response (the server committed, the client
  never heard: the key idempotency case), or delivers twice (the client sees the second
  answer). ``Faults.enabled`` turns it all off for the final drain; ``Faults.force`` schedules
  a given fault for given call numbers (deterministic drops for the bytes test).
* ``AckLog`` / ``RecordingTransport``: what each client was told about its pushes, recorded on
  the client side of the faults, so only acknowledgements the client really received count.
* ``SkewClock`` / ``skew_store``: a store whose HLC reads a clock that is hours off or jumps
  back (``Store.write(now_ms=…)``).
* ``seeded_uuids``: uuid4 from a seeded generator, so two runs of one scenario make the same ids.
* ``tree_snapshot`` / ``clone_tree``: the sign-in of a whole tree costs seconds of argon2, so
  it is built once per test process and every test or Hypothesis example works on a copy.
* ``settle``: drain until nothing moves, with a bound on the rounds (invariant 15).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from shared.models.sync import OutboxEntry, SyncPeer
from shared.store import Store, store_url
from shared.sync.endpoint import SyncEndpoint
from shared.sync.transport import Response, Transport, TransportError
from tests.sync.tree import Tree, add_county_store, make_tree

LOSE_REQUEST = "lose_request"
LOSE_RESPONSE = "lose_response"
DUPLICATE = "duplicate"
FAULT_KINDS = (LOSE_REQUEST, LOSE_RESPONSE, DUPLICATE)


# -- faults --------------------------------------------------------------------------------------
@dataclass
class Faults:
    """One seeded source of faults shared by every transport of a tree."""

    seed: int = 0
    p_lose_request: float = 0.1
    p_lose_response: float = 0.1
    p_duplicate: float = 0.1
    enabled: bool = True
    calls: int = 0
    injected: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FAULT_KINDS, 0))
    forced: dict[int, str] = field(default_factory=dict)  # call number → fault kind
    only_paths: tuple[str, ...] = ()  # restrict random faults to these paths ('' = all)
    # called as during(store name, path) after the server answered and before the client
    # hears it: a user editing while a sync is in flight
    during: Callable[[str, str], None] | None = None

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def force(self, call_numbers: list[int], kind: str) -> None:
        for n in call_numbers:
            self.forced[n] = kind

    def choose(self, path: str) -> str | None:
        """The fault for the next call (None: deliver normally). Always draws from the rng
        so the fault sequence does not depend on which calls are exempt."""
        self.calls += 1
        roll = self.rng.random()
        if self.calls in self.forced:
            return self.forced[self.calls]
        if not self.enabled or (self.only_paths and path not in self.only_paths):
            return None
        if roll < self.p_lose_request:
            return LOSE_REQUEST
        if roll < self.p_lose_request + self.p_lose_response:
            return LOSE_RESPONSE
        if roll < self.p_lose_request + self.p_lose_response + self.p_duplicate:
            return DUPLICATE
        return None

    def wrap(self, transport: Transport, name: str = "") -> FaultyTransport:
        return FaultyTransport(transport, self, name)


class FaultyTransport:
    def __init__(self, inner: Transport, faults: Faults, name: str = "") -> None:
        self.inner = inner
        self.faults = faults
        self.name = name

    @property
    def bytes_sent(self) -> int:
        return int(getattr(self.inner, "bytes_sent", 0))

    @property
    def bytes_received(self) -> int:
        return int(getattr(self.inner, "bytes_received", 0))

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response:
        fault = self.faults.choose(path)
        if fault is not None:
            self.faults.injected[fault] += 1
        if fault == LOSE_REQUEST:
            raise TransportError(f"{self.name}: request lost ({method} {path})")
        resp = self.inner.call(method, path, body=body, params=params, token=token)
        if self.faults.during is not None:
            self.faults.during(self.name, path)
        if fault == LOSE_RESPONSE:
            raise TransportError(f"{self.name}: response lost ({method} {path})")
        if fault == DUPLICATE:
            resp = self.inner.call(method, path, body=body, params=params, token=token)
        return resp


# -- acknowledgements ------------------------------------------------------------------------------
@dataclass
class Acked:
    store: str
    node_id: str
    mutation: dict[str, Any]  # the wire form the client pushed
    result: dict[str, Any]  # what the server answered for it
    order: int  # when the client heard it


class AckLog:
    """Every mutation a client was told is stored, keyed by (node, seq)."""

    def __init__(self) -> None:
        self.acked: dict[tuple[str, int], Acked] = {}
        self.pushes: list[tuple[str, dict[str, Any], int, dict[str, Any]]] = []  # raw bodies
        self._n = 0

    def without(self, store: str) -> AckLog:
        """The same log without one store's acknowledgements."""
        other = AckLog()
        other.acked = {k: a for k, a in self.acked.items() if a.store != store}
        other.pushes = [p for p in self.pushes if p[0] != store]
        return other

    def wrap(self, transport: Transport, name: str, node_id: str) -> RecordingTransport:
        return RecordingTransport(transport, self, name, node_id)

    def record(self, name: str, node_id: str, body: dict[str, Any], resp: Response) -> None:
        self.pushes.append((name, body, resp.status, resp.body))
        if resp.status != 200:
            return
        last = int(resp.body.get("last_seq", 0))
        results = {int(r["seq"]): r for r in resp.body.get("results", [])}
        for m in body.get("mutations") or []:
            seq = int(m["seq"])
            if seq <= last and seq in results and (node_id, seq) not in self.acked:
                self._n += 1
                self.acked[(node_id, seq)] = Acked(name, node_id, m, results[seq], self._n)


class RecordingTransport:
    def __init__(self, inner: Transport, log: AckLog, name: str, node_id: str) -> None:
        self.inner, self.log, self.name, self.node_id = inner, log, name, node_id

    @property
    def bytes_sent(self) -> int:
        return int(getattr(self.inner, "bytes_sent", 0))

    @property
    def bytes_received(self) -> int:
        return int(getattr(self.inner, "bytes_received", 0))

    def call(self, method: str, path: str, body: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None, token: str | None = None) -> Response:
        resp = self.inner.call(method, path, body=body, params=params, token=token)
        if path == "/api/v1/sync/push" and body is not None:
            self.log.record(self.name, self.node_id, body, resp)
        return resp


# -- clocks and ids ------------------------------------------------------------------------------------
class SkewClock:
    """Wall clock in ms with an adjustable offset (``set``) and backward jumps (``jump``)."""

    def __init__(self, offset_ms: int = 0) -> None:
        self.offset_ms = offset_ms

    def __call__(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    def set(self, offset_ms: int) -> None:
        self.offset_ms = offset_ms

    def jump(self, delta_ms: int) -> None:
        self.offset_ms += delta_ms


HOUR_MS = 3600 * 1000


def skew_store(store: Store, clock: Callable[[], int]) -> None:
    """Every transaction of ``store`` (its own edits and its sync bookkeeping) reads ``clock``."""
    unbound = type(store).write

    def write(user_id: str | None = None, now_ms: Callable[[], int] | None = None) -> Any:
        return unbound(store, user_id, now_ms or clock)

    store.write = write  # type: ignore[method-assign]


@contextlib.contextmanager
def seeded_uuids(seed: int) -> Iterator[random.Random]:
    rng = random.Random(seed)
    original = uuid.uuid4

    def fake() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    uuid.uuid4 = fake  # type: ignore[assignment]
    try:
        yield rng
    finally:
        uuid.uuid4 = original  # type: ignore[assignment]


# -- the shared tree -----------------------------------------------------------------------------------
LAYOUT = {"GD": {"SZ": ["LH", "FT"]}, "SC": {"CD": ["JJ", "WH"]}}
# (store, province, username): lh_a, lh_b and lh_c are three PCs of one county, one user.
STORES = (("lh_a", "gd", "lh_tech"), ("lh_b", "gd", "lh_tech"), ("lh_c", "gd", "lh_tech"),
          ("ft", "gd", "ft_tech"), ("jj", "sc", "jj_tech"), ("wh", "sc", "wh_tech"))
PROVINCE_PATH = {"gd": "/HQ/GD/", "sc": "/HQ/SC/"}


def close_tree(tree: Tree) -> None:
    for store in [tree.hq, *tree.provinces.values(), *tree.counties.values()]:
        store.close()


def scratch_root() -> str:
    """RAM-backed /dev/shm when there is one (SQLite's fsyncs halve the run time), else tmp;
    ITOPS_TEST_TMP overrides both."""
    if os.environ.get("ITOPS_TEST_TMP"):
        return os.environ["ITOPS_TEST_TMP"]
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return str(shm)
    return tempfile.gettempdir()


@contextlib.contextmanager
def scratch_dir(prefix: str = "itops-test-") -> Iterator[Path]:
    """A fresh folder in scratch_root(), removed afterwards (tests wrap it as a fixture)."""
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=scratch_root()))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@functools.cache
def tree_snapshot() -> Path:
    """Build, sign in and drain the standard tree once per process; returns its folder."""
    root = Path(tempfile.mkdtemp(prefix="itops-tree-", dir=scratch_root()))
    atexit.register(shutil.rmtree, root, True)
    tree = make_tree(root / "tree", LAYOUT)
    for name, province, username in STORES:
        add_county_store(tree, name, province, username)
    tree.drain()
    close_tree(tree)
    return root / "tree"


def clone_tree(dest: Path, counties: tuple[str, ...] | None = None, source: Path | None = None) -> Tree:
    """A private copy of the standard tree (optionally with only some county stores), or of
    another closed tree folder ``source`` of the same layout."""
    shutil.copytree(source or tree_snapshot(), dest)
    return open_tree(dest, counties)


def open_tree(root: Path, counties: tuple[str, ...] | None = None) -> Tree:
    def store(name: str) -> Store:
        return Store(store_url(root / name), migrate=False)

    tree = Tree(root=root, hq=store("hq"))
    tree.endpoints["hq"] = SyncEndpoint(tree.hq)
    for p in PROVINCE_PATH:
        tree.provinces[p] = store(p)
        tree.endpoints[p] = SyncEndpoint(tree.provinces[p])
        tree.upstream_of[p] = "hq"
    for name, province, _user in STORES:
        if counties is None or name in counties:
            tree.counties[name] = store(name)
            tree.upstream_of[name] = province
    return tree


def replace_store(tree: Tree, name: str, store: Store) -> None:
    """Swap a node's database (a restore): its endpoint serves the new one from now on."""
    if name == "hq":
        tree.hq = store
    elif name in tree.provinces:
        tree.provinces[name] = store
    else:
        tree.counties[name] = store
    if name in tree.endpoints:
        tree.endpoints[name] = SyncEndpoint(store)


# -- draining ------------------------------------------------------------------------------------------
def unacked(store: Store) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxEntry)
                            .where(OutboxEntry.acked.is_(False))) or 0)


def cursor(store: Store) -> tuple[str, int]:
    with store.read() as s:
        peer = s.get(SyncPeer, "upstream")
        return (peer.cursor_epoch, int(peer.cursor_seq)) if peer is not None else ("", 0)


def settle(tree: Tree, max_rounds: int = 6, on_sync: Callable[[str, Any], None] | None = None) -> int:
    """Counties, provinces, counties … until a whole round moves nothing and every outbox is
    empty; returns the rounds that moved something. Fails if that takes over ``max_rounds``."""
    activity: list[str] = []
    for rounds in range(1, max_rounds + 1):
        activity = []
        for name in [*tree.counties, *tree.provinces, *tree.counties]:
            report = tree.sync(name)
            if on_sync is not None:
                on_sync(name, report)
            if report.pushed or report.pulled or report.relayed or report.repaired:
                activity.append(f"{name}: pushed {report.pushed} pulled {report.pulled} relayed {report.relayed}"
                                f" repaired {report.repaired}")
        backlog = {n: unacked(tree.store(n)) for n in [*tree.counties, *tree.provinces, "hq"]}
        if not activity and not any(backlog.values()):
            return rounds - 1
    raise AssertionError(f"sync did not settle in {max_rounds} rounds (invariant 15); last round: "
                         f"{activity}, unacknowledged: {backlog}")
