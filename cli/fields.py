"""``--field name=value`` options and password files."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from cli.errors import CliError

FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?$")


def add_field_arg(parser: argparse.ArgumentParser, required: bool = False, what: str = "field") -> None:
    parser.add_argument(
        "--field", metavar="NAME=VALUE", action="append", default=[], required=required,
        help=f"set a {what} (repeatable); a name that is not a column goes into the document "
             "(data.* for tickets, attributes.* for CIs), e.g. --field impact=2 "
             "--field data.pending_reason=待备件")


def parse_fields(items: list[str] | None) -> dict[str, str]:
    """``["impact=2", "data.reason=x=y"]`` → ``{"impact": "2", "data.reason": "x=y"}`` (last one wins)."""
    fields: dict[str, str] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not FIELD_NAME.match(name):
            raise CliError(f"bad --field {item!r}: expected NAME=VALUE, e.g. impact=2 or "
                           "data.solution=重启服务")
        fields[name] = value
    return fields


def read_password_file(path: str) -> str:
    """The first line of ``path`` (``-``: standard input), stripped; an empty password is an error."""
    try:
        text = sys.stdin.readline() if path == "-" else Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"password file {path} does not exist") from None
    except UnicodeDecodeError:
        raise CliError(f"password file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise CliError(f"cannot read password file {path}: {exc.strerror or exc}") from None
    lines = text.splitlines()
    password = lines[0].strip() if lines else ""
    if not password:
        raise CliError(f"password file {path} is empty (the password is its first line)")
    return password
