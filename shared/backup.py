"""Backups and restores of a desktop store or a server database.

* SQLite (stores and small servers): SQLite's online backup API copies a consistent snapshot while the
  application keeps working; the copy is integrity-checked before it replaces anything.
* PostgreSQL: ``pg_dump --format=custom`` / ``pg_restore --clean``.

After a restore a SERVER gets a new epoch, so every client resyncs and re-pushes what the restore lost
(design/sync.md, invariant 7). A restored DESKTOP store takes a new node identity with its unsent changes
renumbered (``shared.integrity.reidentify``): the server has already seen the old identity's later
sequence numbers, and an old number with a new payload would be refused.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from shared.db.engine import normalise_url


class BackupError(RuntimeError):
    """One clear line for the person running the backup or restore."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    kind: str  # sqlite | pg_dump


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S")


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(normalise_url(url))
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def check_sqlite_file(path: Path, thorough: bool = True) -> str:
    """'' when ``path`` is a sound SQLite database with an ITOps schema, else what is wrong.

    ``thorough``: SQLite's full ``integrity_check`` (every page; minutes on a store of gigabytes). Without it:
    the header, the length the header promises (a truncated file), the schema, and the first page of every
    table and index — what a torn write at the end of the file or in a table's root would break."""
    try:
        if not thorough:
            problem = _header_problem(path)
            if problem:
                return problem
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if thorough:
                result = conn.execute("PRAGMA integrity_check").fetchall()
                if result != [("ok",)]:
                    return "integrity check failed: " + "; ".join(str(r[0]) for r in result[:3])
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "node_state" not in tables or "alembic_version" not in tables:
                return "not an ITOps database (no node_state / alembic_version table)"
            if not thorough:
                for table in sorted(tables):  # the first rows of each table: its root and first leaves
                    conn.execute(f'SELECT * FROM "{table}" LIMIT 64').fetchall()  # names from the schema itself
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"not a readable SQLite database ({exc})"
    return ""


def _header_problem(path: Path) -> str:
    """The file's header, and its length against the page count the header records (when that is valid)."""
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return "not a readable SQLite database (no SQLite header)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid_for, changes = header[92:96], header[24:28]
    wal = path.with_name(path.name + "-wal")
    settled = pages and valid_for == changes and not (wal.exists() and wal.stat().st_size)
    if settled and path.stat().st_size < pages * page_size:
        return f"the file is truncated ({path.stat().st_size} of {pages * page_size} bytes)"
    return ""


def backup_sqlite(source: Path, target: Path) -> BackupResult:
    """Online backup of a live SQLite file to ``target`` (written beside it, then renamed)."""
    if not source.exists():
        raise BackupError(f"no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)
        finally:
            dst.close()
            src.close()
    except sqlite3.DatabaseError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot back up {source}: {exc}") from None
    problem = check_sqlite_file(partial)
    if problem:
        partial.unlink(missing_ok=True)
        raise BackupError(f"the backup of {source} is not sound ({problem}); the store itself may be damaged")
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, "sqlite")


def restore_sqlite(backup: Path, target: Path) -> Path | None:
    """Put ``backup`` in place of ``target``; the current file is moved aside (never deleted).

    Returns where the previous database went (None if there was none)."""
    problem = check_sqlite_file(backup)
    if problem:
        raise BackupError(f"{backup} cannot be restored: {problem}")
    aside = None
    if target.exists():
        aside = target.with_name(f"{target.name}.before-restore-{stamp()}")
        move_aside(target, aside)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(backup, staged)
    staged.replace(target)
    return aside


def move_aside(path: Path, aside: Path) -> None:
    """Move a SQLite file and its WAL/SHM companions to ``aside`` (kept for inspection)."""
    path.replace(aside)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(aside.with_name(aside.name + suffix))


# -- PostgreSQL ------------------------------------------------------------------------------------
def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"{name} was not found: install the PostgreSQL client tools (Debian: postgresql-client)")


def _libpq_url(url: str) -> str:
    """pg_dump takes libpq URLs: drop SQLAlchemy's '+driver'."""
    return make_url(normalise_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


def backup_postgres(url: str, target: Path) -> BackupResult:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    run = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={partial}",
                          f"--dbname={_libpq_url(url)}"], capture_output=True, text=True)
    if run.returncode != 0:
        partial.unlink(missing_ok=True)
        raise BackupError("pg_dump failed: " + (run.stderr.strip().splitlines() or ["?"])[-1])
    partial.replace(target)
    return BackupResult(target, target.stat().st_size, "pg_dump")


def restore_postgres(backup: Path, url: str) -> None:
    if not backup.exists():
        raise BackupError(f"no backup at {backup}")
    run = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                          f"--dbname={_libpq_url(url)}", str(backup)], capture_output=True, text=True)
    if run.returncode != 0:
        raise BackupError("pg_restore failed: " + (run.stderr.strip().splitlines() or ["?"])[-1])
