"""``itops``: the one entry point. Each command group lives in ``cli/commands/<group>.py``.

Error policy: a problem with the user's input or environment (``CliError``, a service's
``ServiceError``, ``StoreError``, ``ValueError``, ``OSError``) prints one line,
``itops: error: <message>``, and exits with status 2. Anything else is a bug: one line
``itops: internal error: <type>: <message>`` and status 1. Never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys

from cli.commands import MODULES
from cli.errors import CliError
from cli.parser import EXIT_USAGE, Parser, add_subcommands
from shared.services.errors import ServiceError
from shared.store import StoreError
from shared.version import APP_VERSION, PROTOCOL_VERSION, SCHEMA_VERSION

EXIT_INTERNAL = 1
USER_ERRORS = (CliError, ServiceError, StoreError, ValueError, OSError)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="itops", description="ITOps — integrated IT operations service management "
                                              "(一体化IT运维服务体系).")
    parser.add_argument("--version", action="version",
                        version=f"itops {APP_VERSION} (protocol {PROTOCOL_VERSION}, schema {SCHEMA_VERSION})")
    subparsers = add_subcommands(parser, "command")
    for module in MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_output()
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "desktop":  # only the desktop passes unknown options on (to Qt)
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `itops export | head`: stop quietly
        _silence_stdout()
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        sys.stderr.write("itops: interrupted\n")
        return 130
    except USER_ERRORS as exc:
        sys.stderr.write(f"itops: error: {_one_line(exc)}\n")
        return EXIT_USAGE
    except Exception as exc:
        sys.stderr.write(f"itops: internal error: {type(exc).__name__}: {_one_line(exc)}\n")
        return EXIT_INTERNAL


def desktop_main() -> int:
    """The ``itops-desktop`` GUI script: the same as ``itops desktop ARGS``."""
    return main(["desktop", *sys.argv[1:]])


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        text = f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    else:
        text = str(exc)
    return " ".join(text.split()) or type(exc).__name__


def _utf8_output() -> None:
    """Chinese text and JSON go out as UTF-8 even when a pipe's locale says otherwise."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not stream.isatty():
            reconfigure(encoding="utf-8", errors="replace")


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
