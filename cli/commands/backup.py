"""``itops backup`` / ``itops restore``: a desktop store or a server database (SQLite or PostgreSQL)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.errors import CliError
from cli.paths import default_store_dir
from cli.target import add_target_args, display_url, operator
from shared import audit
from shared.backup import (
    BackupError,
    backup_postgres,
    backup_sqlite,
    restore_postgres,
    restore_sqlite,
    sqlite_path,
    stamp,
)
from shared.integrity import reidentify
from shared.store import STORE_FILE, Store, store_url
from shared.sync.server import bump_epoch


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser(
        "backup", help="back up a desktop store or a server database",
        description="Back up while ITOps keeps running: SQLite's online backup (checked before it is kept), "
                    "pg_dump --format=custom for PostgreSQL.")
    add_target_args(backup)
    backup.add_argument("--out", metavar="FILE", type=Path,
                        help="where to write (default: itops-backup-<time>.db / .dump in the current folder)")
    backup.set_defaults(func=run_backup)

    restore = subparsers.add_parser(
        "restore", help="restore a backup (stop the server or close the desktop first)",
        description="Restore a backup. The current SQLite file is moved aside, never deleted. A restored "
                    "server gets a new epoch, so every client resyncs and re-sends what the backup lacks; "
                    "a restored desktop store gets a new node identity and asks for a sign-in.")
    add_target_args(restore)
    restore.add_argument("backup_file", metavar="FILE", type=Path, help="a file made by itops backup")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(func=run_restore)


def _target(args: argparse.Namespace) -> tuple[str, Path | None]:
    """(database URL, SQLite file or None)."""
    if args.db:
        return args.db, sqlite_path(args.db)
    directory = Path(args.store or default_store_dir())
    return store_url(directory), directory / STORE_FILE


def run_backup(args: argparse.Namespace) -> int:
    url, file = _target(args)
    try:
        if file is not None:
            out = args.out or Path(f"itops-backup-{stamp()}.db")
            result = backup_sqlite(file, out)
        else:
            out = args.out or Path(f"itops-backup-{stamp()}.dump")
            result = backup_postgres(url, out)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    _audit(url, "backup", str(result.path), {"bytes": result.bytes, "kind": result.kind})
    print(f"backed up {display_url(url)} to {result.path} ({result.bytes:,} bytes, {result.kind})")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    url, file = _target(args)
    if not args.backup_file.exists():
        raise CliError(f"no backup file {args.backup_file}")
    if not args.yes:
        answer = input(f"Replace {display_url(url)} with {args.backup_file}? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            raise CliError("restore cancelled")
    aside = None
    try:
        if file is not None:
            aside = restore_sqlite(args.backup_file, file)
        else:
            restore_postgres(args.backup_file, url)
    except BackupError as exc:
        raise CliError(str(exc)) from None
    store = Store(url)
    try:
        with store.write() as cs:
            role = cs.state.role
            if role == "client":
                what = "new node identity " + reidentify(cs.session)
            else:
                what = "new epoch " + bump_epoch(cs.session)
        with store.write() as cs:  # a new transaction: its clock must carry the new identity
            audit.record(cs, operator(), "restore", str(args.backup_file), {"role": role})
    finally:
        store.close()
    print(f"restored {args.backup_file} into {display_url(url)}; {what}")
    if aside is not None:
        print(f"the previous database was kept as {aside}")
    print("clients resync on their next sync" if role != "client" else "sign in again (itops login) to sync")
    return 0


def _audit(url: str, event: str, target: str, detail: dict) -> None:
    store = Store(url)
    try:
        with store.write() as cs:
            audit.record(cs, operator(), event, target, detail)
    finally:
        store.close()
