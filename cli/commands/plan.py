"""``itops plan``: plans (计划管理) that spawn form records on their due days, offline too."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from cli.output import print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_owner_arg, opened, owner_for, resolve_actor, store_command, write_as_actor
from shared.services import plans, rooms


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("plan", help="plans that schedule work (计划管理)",
                                   description="Plans schedule recurring work and spawn form records when due. "
                                               "A plan is named by its id or number (PLN-…).")
    sub = add_subcommands(parser, "plan_command")
    p = store_command(sub, "create", "create a plan (state draft)", run_create)
    p.add_argument("name")
    p.add_argument("--template", required=True, help="SOP-06 …")
    p.add_argument("--rule", choices=plans.RULES, required=True)
    p.add_argument("--start", required=True, help="first day, 2026-11-01")
    p.add_argument("--end", help="last day")
    p.add_argument("--day", type=int, default=1, help="weekday 1–7 (weekly) or day of month 1–31")
    p.add_argument("--shift", action="append", default=[], help="NAME@HH:MM, repeatable (per-shift records)")
    p.add_argument("--room", help="machine room id or code")
    p.add_argument("--ci", help="CI id")
    p.add_argument("--type", dest="plan_type", choices=plans.PLAN_TYPES, default="monthly")
    p.add_argument("--category", default="inspection")
    p.add_argument("--working-days", action="store_true", help="move due days off holidays and weekends")
    add_owner_arg(p)
    for action in plans.TRANSITIONS:
        p = store_command(sub, action, f"{action} a plan", run_transition)
        p.add_argument("id", metavar="ID")
        p.set_defaults(action=action)
    store_command(sub, "list", "list plans", run_list)
    p = store_command(sub, "spawn", "create the form records that are due (published plans)", run_spawn)
    p.add_argument("--until", default=date.today().isoformat(), help="spawn up to this day (default today)")
    p.add_argument("--plan", help="only this plan")
    p = store_command(sub, "rate", "completion rate of a plan (KPI 计划完成率)", run_rate)
    p.add_argument("id", metavar="ID")
    p = store_command(sub, "calendar", "the records of every plan in a month", run_calendar)
    p.add_argument("--month", default=date.today().strftime("%Y-%m"))


def run_create(args: argparse.Namespace) -> int:
    def action(cs: Any, actor: Any, store: Any) -> dict[str, Any]:
        room_id = rooms.load_room(cs.session, actor, args.room).id if args.room else None
        return plans.create_plan(cs, actor, args.name, args.template, args.rule, args.start, day=args.day,
                                 shifts=args.shift or None, end_on=args.end, room_id=room_id, ci_id=args.ci,
                                 plan_type=args.plan_type, category=args.category,
                                 working_days_only=args.working_days,
                                 owner_path=None if room_id else owner_for(store, actor, args.org))

    row = write_as_actor(args, action)
    print_json(row) if args.json else print(f"created plan {row['number']} {row['name']} ({row['state']})")
    return 0


def run_transition(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: plans.transition_plan(cs, actor, args.id, args.action))
    print_json(row) if args.json else print(f"plan {row['number']} is {row['state']}")
    return 0


def _read(args: argparse.Namespace, fn: Any) -> Any:
    with opened(args) as store, store.read() as session:
        return fn(session, resolve_actor(store, args.user))


def run_list(args: argparse.Namespace) -> int:
    rows = _read(args, plans.list_plans)
    if args.json:
        print_json(rows)
    else:
        print_table(("NUMBER", "NAME", "TEMPLATE", "RULE", "SHIFTS", "START", "END", "STATE"),
                    [(r["number"], r["name"], r["template_code"], r["rule"],
                      ",".join(s["name"] or s["at"] for s in r["shifts"]), r["start_on"], r["end_on"] or "",
                      r["state"]) for r in rows], empty="(no plans)")
    return 0


def run_spawn(args: argparse.Namespace) -> int:
    until = date.fromisoformat(args.until)
    made = write_as_actor(args, lambda cs, actor, st: plans.spawn_due(cs, actor, until, args.plan))
    if args.json:
        print_json(made)
    else:
        print(f"spawned {len(made)} form record(s)")
        for row in made[:20]:
            print(f"  {row['number']} {row['template_code']} {(row['planned_at'] or '')[:16]} {row['shift']}")
    return 0


def run_rate(args: argparse.Namespace) -> int:
    rate = _read(args, lambda s, a: plans.completion(s, a, args.id))
    if args.json:
        print_json(rate)
    else:
        shown = "—" if rate["rate"] is None else f"{rate['rate']}%"
        print(f"{rate['plan']}: {rate['on_time']} of {rate['due']} due records done on time ({shown}); "
              f"{rate['done']} done in all")
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    days = _read(args, lambda s, a: plans.plan_calendar(s, a, args.month))
    if args.json:
        print_json(days)
        return 0
    rows = [(day, r["number"], r["template_code"], r["plan"], r["shift"], r["status"])
            for day, records in sorted(days.items()) for r in records]
    print_table(("DAY", "RECORD", "TEMPLATE", "PLAN", "SHIFT", "STATUS"), rows, empty="(nothing planned)")
    return 0
