"""``itops capacity``: utilisation readings per CI, their trend, and the proposals thresholds raise."""

from __future__ import annotations

import argparse

from cli.output import local_time, print_json, print_table
from cli.parser import add_subcommands
from cli.target import opened, resolve_actor, store_command, write_as_actor
from shared.services import capacity
from shared.services.cmdb import get_ci


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("capacity", help="capacity readings, trends and proposals",
                                   description="Capacity management: utilisation readings (percent) per CI.")
    sub = add_subcommands(parser, "capacity_command")

    p = store_command(sub, "record", "record a utilisation reading", run_record)
    p.add_argument("ci", metavar="CI", help="CI id or asset tag")
    p.add_argument("metric", choices=capacity.METRICS)
    p.add_argument("value", type=float, help="percent, 0–100")
    p = store_command(sub, "trend", "readings of a CI and the projected date it fills up", run_trend)
    p.add_argument("ci", metavar="CI", help="CI id or asset tag")
    p.add_argument("metric", choices=capacity.METRICS)
    p.add_argument("--days", type=int, default=90)
    store_command(sub, "proposals", "CIs over a threshold or filling up within 30 days", run_proposals)


def run_record(args: argparse.Namespace) -> int:
    def record(cs, actor, st):  # type: ignore[no-untyped-def]
        ci = get_ci(cs.session, actor, args.ci)
        return capacity.record(cs, actor, ci["id"], args.metric, args.value)
    row = write_as_actor(args, record)
    if args.json:
        print_json(row)
    else:
        print(f"recorded {args.metric} {row['value']} % on {args.ci}")
    return 0


def run_trend(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            ci = get_ci(session, actor, args.ci)
            t = capacity.trend(session, ci["id"], args.metric, args.days)
    if args.json:
        print_json({"ci": ci["name"], "metric": t.metric, "slope_per_day": t.slope_per_day, "latest": t.latest,
                    "full_on": t.full_on.isoformat() if t.full_on else None,
                    "points": [[p.isoformat(), v] for p, v in t.points]})
        return 0
    print(f"{ci['name']} {args.metric}: latest {t.latest} %, {t.slope_per_day:+.2f} points/day, "
          f"full on {local_time(t.full_on.isoformat()) if t.full_on else 'never (not rising)'}")
    return 0


def run_proposals(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = capacity.proposals(session, actor)
    if args.json:
        print_json(rows)
    else:
        print_table(("CI", "METRIC", "VALUE %", "LEVEL", "WARN/ALARM", "FULL ON"), [
            (r["ci_name"], r["metric"], r["value"], r["level"], f"{r['warn']}/{r['alarm']}",
             local_time(r["full_on"])) for r in rows], empty="(no capacity proposals)")
    return 0
