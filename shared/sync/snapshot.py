"""A compressed snapshot of a node's whole scope at one change-log seq, for a large first sync.

The server writes the current row of every entity in scope (one consistent read) as gzip
JSON lines; the client downloads it resumably (HTTP Range), checks its SHA-256, applies it in
chunks, and only then sets its cursor to the snapshot's seq — so an interrupted first sync
resumes the download instead of starting over (cht-core #7528).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.models import SYNCED
from shared.models.sync import SyncNode
from shared.sync.codec import dumps, row_to_dict
from shared.sync.node import load_state
from shared.sync.scope import row_filter

SNAPSHOT_MIN_ROWS = 20_000
CHUNK_ROWS = 5_000


def count_in_scope(session: Session, node: SyncNode) -> int:
    return sum(int(session.scalar(select(func.count()).select_from(cls).where(
        row_filter(cls, name, node.kind, node.org_path))) or 0) for name, cls in SYNCED.items())


def snapshot_id(epoch: str, node: SyncNode, seq: int) -> str:
    return hashlib.sha256(f"{epoch}|{node.kind}|{node.org_path}|{seq}".encode()).hexdigest()[:32]


def build(session: Session, node: SyncNode, directory: Path) -> dict[str, Any]:
    """Write (or reuse) the snapshot of ``node``'s scope at the current seq; returns its metadata."""
    state = load_state(session)
    seq = int(state.change_seq)
    sid = snapshot_id(state.epoch, node, seq)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{sid}.jsonl.gz"
    meta_path = directory / f"{sid}.json"
    if meta_path.exists() and path.exists():
        return dict(json.loads(meta_path.read_text()))
    tmp = path.with_suffix(".tmp")
    rows = 0
    digest = hashlib.sha256()
    with open(tmp, "wb") as raw:
        writer = _HashingWriter(raw, digest)
        with gzip.GzipFile(fileobj=writer, mode="wb", compresslevel=6, mtime=0) as gz:
            for name, cls in SYNCED.items():
                stmt = select(cls).where(row_filter(cls, name, node.kind, node.org_path)).order_by(cls.id)
                for row in session.scalars(stmt.execution_options(yield_per=2000)):
                    gz.write(dumps({"e": name, "d": row_to_dict(row)}).encode("utf-8") + b"\n")
                    rows += 1
    os.replace(tmp, path)
    meta = {"id": sid, "epoch": state.epoch, "seq": seq, "rows": rows, "size": path.stat().st_size,
            "sha256": digest.hexdigest()}
    meta_path.write_text(json.dumps(meta))
    return meta


class _HashingWriter:
    def __init__(self, raw: Any, digest: Any) -> None:
        self.raw, self.digest = raw, digest

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        return int(self.raw.write(data))

    def flush(self) -> None:
        self.raw.flush()


def file_for(directory: Path, sid: str) -> Path | None:
    if not sid.isalnum() or len(sid) != 32:
        return None
    path = directory / f"{sid}.jsonl.gz"
    return path if path.exists() else None


def read_chunks(path: Path, size: int = CHUNK_ROWS) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    with gzip.open(path, "rb") as gz:
        for line in gz:
            chunk.append(json.loads(line))
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
