"""``itops export``: every synced row, canonically encoded, so replicas can be compared byte for byte."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.commands import cmdb_io
from cli.target import add_target_args, opened
from shared.models import SYNCED
from shared.sync.codec import dumps, row_to_dict

BATCH = 500


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="export every synced row (JSON lines)",
        description="Export every synced row of every table (tables in sync order, rows by id), one JSON "
                    "object per line: {\"table\": …, <columns>}. Local-only columns (password hashes) and "
                    "local bookkeeping (outbox, node identity) are not exported, so two replicas holding "
                    "the same data export byte-identical files.")
    add_target_args(parser)
    parser.add_argument("--format", default="jsonl", choices=["jsonl"], help="output format (jsonl)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: stdout)")
    parser.set_defaults(func=run)
    # `itops export cis FILE`: CIs as CSV/XLSX (cli/commands/cmdb_io.py); plain `itops export` is unchanged.
    cmdb_io.register_export(parser.add_subparsers(dest="export_kind", metavar="KIND", required=False))


def export_lines(session: Session) -> Iterator[str]:
    """The export, line by line (each ends with a newline)."""
    for name, cls in SYNCED.items():
        stmt = select(cls).order_by(cls.id).execution_options(yield_per=BATCH)
        for row in session.scalars(stmt):
            yield dumps({"table": name, **row_to_dict(row)}) + "\n"


def run(args: argparse.Namespace) -> int:
    with opened(args, need_node=False) as store, store.read() as session:
        if args.output is None:
            sys.stdout.flush()
            count = _write(session, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with open(args.output, "wb") as out:
                count = _write(session, out)
            print(f"exported {count} rows to {args.output}", file=sys.stderr)
    return 0


def _write(session: Session, out: BinaryIO) -> int:
    count = 0
    for line in export_lines(session):
        out.write(line.encode("utf-8"))
        count += 1
    return count
