"""An ``ArgumentParser`` whose usage errors are one line, like every other CLI error."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_USAGE = 2


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"itops: error: {message} (see '{self.prog} --help')\n")
        sys.exit(EXIT_USAGE)


def add_subcommands(parser: argparse.ArgumentParser, dest: str) -> argparse._SubParsersAction:
    """Sub-commands of a command group; the group alone is a usage error."""
    return parser.add_subparsers(dest=dest, required=True, metavar="COMMAND")


def count(text: str) -> int:
    """An ``int`` option that must be 0 or more (page sizes, offsets)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value
