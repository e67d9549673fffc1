"""``itops desktop``: the Qt desktop app (imported only when run, so the CLI works without Qt)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from cli.errors import CliError
from cli.paths import default_store_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("desktop", help="start the desktop app",
                                   description="Start the desktop app on a local store. Options it does "
                                               "not know go to Qt (e.g. -platform offscreen).")
    parser.add_argument("--store", type=Path, metavar="DIR",
                        help=f"the local store folder (default: {default_store_dir()})")
    parser.add_argument("--lang", choices=["zh", "en"], help="interface language (default: zh)")
    parser.set_defaults(func=run)


def desktop_argv(args: argparse.Namespace) -> list[str]:
    """The desktop's own argv: our options, then whatever we did not know (Qt's, e.g. -platform)."""
    argv: list[str] = []
    if args.store is not None:
        argv += ["--store", str(args.store)]
    if args.lang:
        argv += ["--lang", args.lang]
    return argv + list(getattr(args, "extra", []))


def check_display(argv: list[str]) -> None:
    """On Linux without X or Wayland Qt aborts the process; say so in one line instead."""
    if not sys.platform.startswith("linux") or "-platform" in argv:
        return
    if not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        raise CliError("no display: DISPLAY and WAYLAND_DISPLAY are not set (run it in a desktop session, "
                       "or use `make run`, which starts Xvfb)")


def run(args: argparse.Namespace) -> int:
    argv = desktop_argv(args)
    check_display(argv)
    try:
        from desktop.app import main as desktop_main
    except ImportError as exc:
        raise CliError(f"the desktop app is not available here ({exc})") from None
    return int(desktop_main(argv) or 0)
