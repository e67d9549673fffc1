"""``itops import KIND FILE …``: bring data in from other systems. Each kind lives in its own module,
which exposes ``register_import(subparsers)``; list it in ``IMPORTERS``."""

from __future__ import annotations

import argparse
from types import ModuleType

from cli.commands import cmdb_io, import_servicenow
from cli.parser import add_subcommands

IMPORTERS: tuple[ModuleType, ...] = (cmdb_io, import_servicenow)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="import data from files of other systems",
                                   description="Import data from files of other systems.")
    kinds = add_subcommands(parser, "kind")
    for module in IMPORTERS:
        module.register_import(kinds)
