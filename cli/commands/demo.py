"""``itops demo``: a whole demo tree (HQ + province + county stores) on this machine."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.paths import default_demo_dir

if TYPE_CHECKING:
    from shared.demo import DemoResult


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="build demo data: HQ, province and county stores",
        description="Build a seeded demo tree in DIR: hq.db (HQ server, /HQ/), province-gd.db "
                    "(province server, /HQ/GD/) and county-lh/ (desktop store of 龙华供电局, "
                    "/HQ/GD/SZ/LH/), with org units, users, teams, machine rooms, CIs and tickets.")
    parser.add_argument("--dir", type=Path, default=None, metavar="DIR",
                        help=f"where to build it (default: {default_demo_dir()})")
    parser.add_argument("--force", action="store_true", help="replace demo databases already in DIR")
    parser.add_argument("--size", choices=["standard", "large"], default="standard",
                        help="large: add three years of a province (200,000 tickets, 50,000 CIs, 100,000 form "
                             "records) for the scale benchmarks; takes several minutes")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from shared.demo import build_demo  # imported when run: the other commands start faster without it

    root = args.dir or default_demo_dir()
    say = lambda msg: print(f"itops demo: {msg}", file=sys.stderr)  # noqa: E731
    if getattr(args, "size", "standard") == "large":
        from shared.demo_large import build_large_demo

        result = build_large_demo(root, force=args.force, progress=say)
    else:
        result = build_demo(root, force=args.force, progress=say)
    print_summary(result)
    return 0


def print_summary(result: DemoResult) -> None:
    counts = result.counts
    print(f"ITOps demo data in {result.root}")
    print(f"  {result.hq.name:<16} HQ server database (role hq, /HQ/)")
    print(f"  {result.province.name:<16} province server database (role province, /HQ/GD/)")
    print(f"  {result.county.name + '/':<16} desktop store of 龙华供电局 (role client, /HQ/GD/SZ/LH/)")
    print(f"  {counts['org_units']} org units, {counts['users']} users, {counts['config_items']} CIs, "
          f"{counts['ci_relations']} relations, {counts['tickets']} tickets")
    print()
    print(f"Every demo user's password: {result.password}")
    print("How to log in:")
    for username, where, role in result.logins:
        print(f"  {username:<10} on {where:<16} {role}")
    print()
    print("Next:")
    print(f"  desktop, as lh_desk:         itops desktop --store {result.county}")
    print(f"  province server, gd_admin:   itops server --db {result.province} --role province "
          "--upstream http://127.0.0.1:8751")
    print(f"  HQ server, hq_admin:         itops server --db {result.hq} --role hq --port 8751")
    print(f"  the county's tickets:        itops ticket list --store {result.county}")
    print(f"  sync the county (server up): itops sync --store {result.county}")
    print("  the county store is signed in to the province at 127.0.0.1:8750, the province to HQ at "
          "127.0.0.1:8751")
