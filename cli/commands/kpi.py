"""``itops kpi``: the KPI tree of an org unit for a period (运行 / 服务 / 安全 → L1 → L2 → L3),
rolled up over its subtree, and manual entries for figures that come from outside ITOps."""

from __future__ import annotations

import argparse
from typing import Any

from cli.errors import CliError
from cli.output import print_json, print_table
from cli.target import add_target_args, add_user_arg, opened, require_node, resolve_actor
from shared.kpi.period import current_month
from shared.services import kpi


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "kpi", help="KPI tree of an org unit for a period (运行 / 服务 / 安全)",
        description="Compute the indicator catalogue for an org unit and period: each L3 figure is summed "
                    "over the unit's subtree (numerators and denominators, never averaged percentages), "
                    "scored 0–100 against its target and rolled up by weight L3 → L2 → L1 → category. "
                    "--enter records figures of manual indicators (monitoring, telephony, scanners) first.")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--org", metavar="PATH", help="org unit path (default: the store's own)")
    p.add_argument("--period", metavar="PERIOD", help="YYYY-MM, YYYY-Qn or YYYY (default: this month)")
    p.add_argument("--json", action="store_true", help="print the whole tree as JSON (names in Chinese)")
    p.add_argument("--enter", metavar="CODE=NUM[/DEN]", action="append", default=[],
                   help="record a manual figure for --org and --period, e.g. core_system_availability="
                        "43170/43200 (minutes available / agreed); repeatable")
    p.add_argument("--note", default="", help="a note kept with the entered figures")
    p.add_argument("--no-units", action="store_true", help="leave out the per-child-unit scores")
    p.set_defaults(func=run)


def parse_entry(text: str) -> tuple[str, float, float | None]:
    code, sep, figure = text.partition("=")
    if not sep or not code.strip():
        raise CliError(f"--enter {text!r}: use CODE=NUMERATOR/DENOMINATOR or CODE=COUNT")
    num, slash, den = figure.partition("/")
    try:
        return code.strip(), float(num), (float(den) if slash else None)
    except ValueError:
        raise CliError(f"--enter {text!r}: not a number") from None


def run(args: argparse.Namespace) -> int:
    period = args.period or current_month()
    with opened(args) as store:
        org = args.org or require_node(store)["org_path"]
        if not org.endswith("/"):
            org += "/"
        actor = resolve_actor(store, args.user)
        if args.enter:
            entries = [parse_entry(e) for e in args.enter]
            with store.write(actor.user_id) as cs:
                for code, num, den in entries:
                    kpi.set_manual_entry(cs, actor, org, period, code, num, den, args.note)
        with store.read() as session:
            tree = kpi.kpi_tree(session, actor, org, period, breakdown=not args.no_units)
    if args.json:
        print_json(tree)
    else:
        print_tree(tree)
    return 0


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def print_tree(tree: dict[str, Any]) -> None:
    print(f"{tree['org_name']} {tree['org']}  {tree['period']}  总分 score {_fmt(tree['score'])}")
    rows: list[list[str]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        rows.append(["  " * depth + node["name"], "", "", _fmt(node["score"])])
        for child in node.get("children", ()):
            walk(child, depth + 1)
        for ind in node.get("indicators", ()):
            unit = "%" if ind["unit"] == "%" else " " + ind["unit"]
            target = ("≥" if ind["direction"] == "higher" else "≤") + _fmt(ind["target"]) + unit
            value = _fmt(ind["value"]) + ("" if ind["value"] is None else unit)
            if ind["manual"] and ind["numerator"] is None:
                value = "— (manual)"
            rows.append(["  " * (depth + 1) + ind["name"], value, target, _fmt(ind["score"])])

    for category in tree["categories"]:
        walk(category, 0)
    print_table(["指标 indicator", "值 value", "目标 target", "得分 score"], rows)
    if tree.get("units"):
        print()
        names = [name for name in tree["units"][0]["categories"]]
        print_table(["单位 unit", "总分", *names],
                    [[f"{u['name']} {u['org']}", _fmt(u["score"]), *(_fmt(u["categories"][n]) for n in names)]
                     for u in tree["units"]])
