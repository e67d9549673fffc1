"""``itops plan``: plans (计划管理) that spawn form records or tasks on their due days, offline too."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from cli.errors import CliError
from cli.output import print_fields, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_owner_arg, opened, owner_for, resolve_actor, store_command, write_as_actor
from shared.processes.calendar import china_today
from shared.services import plans, rooms, tasks
from shared.services.errors import ServiceError

# option → create_plan field, for create and edit
FIELDS = {"template": "template_code", "rule": "rule", "start": "start_on", "end": "end_on", "day": "day",
          "shift": "shifts", "ci": "ci_id", "plan_type": "plan_type", "category": "category",
          "working_days": "working_days_only", "title": "title", "content": "description", "to": "targets",
          "deadline_days": "deadline_days", "deliverable": "deliverables", "source": "source"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("plan", help="plans that schedule work (计划管理)",
                                   description="Plans schedule recurring work: a form plan spawns SOP form records, "
                                               "a task plan spawns a task to its target units when due. A plan is "
                                               "named by its id or number (PLN-…).")
    sub = add_subcommands(parser, "plan_command")
    p = store_command(sub, "create", "create a plan (state draft)", run_create)
    p.add_argument("name")
    p.add_argument("--kind", choices=plans.KINDS, default="form", help="form (SOP records) or task (default form)")
    _plan_options(p, creating=True)
    add_owner_arg(p)
    p = store_command(sub, "edit", "change a draft plan (only the options given)", run_edit)
    p.add_argument("id", metavar="ID")
    p.add_argument("--name")
    _plan_options(p, creating=False)
    for action in plans.TRANSITIONS:
        p = store_command(sub, action, f"{action} a plan", run_transition)
        p.add_argument("id", metavar="ID")
        p.set_defaults(action=action)
    p = store_command(sub, "list", "list plans with their completion rate", run_list)
    p.add_argument("--until", help="rate up to this day (default today, China time)")
    p = store_command(sub, "show", "show a plan, its completion rate and its next due days", run_show)
    p.add_argument("id", metavar="ID")
    p.add_argument("--until", help="rate up to this day (default today, China time)")
    p = store_command(sub, "spawn", "create the form records and tasks that are due (published plans)", run_spawn)
    p.add_argument("--until", default=china_today().isoformat(),
                   help="spawn up to this day (default today, China time)")
    p.add_argument("--plan", help="only this plan")
    p.description = ("Create the form records and tasks that are due (published plans). Each plan spawns in its own "
                     "transaction: a plan that cannot (its template retired, its machine room or a target unit "
                     "gone) is listed with the reason and the others still spawn. Spawning again creates nothing "
                     "twice.")
    p.epilog = "Exit status: 0 when every plan with work due spawned it, 1 when some plan could not (see the list)."
    p = store_command(sub, "rate", "completion rate of a plan (KPI 计划完成率)", run_rate)
    p.add_argument("id", metavar="ID")
    p.add_argument("--until", help="up to this day (default today, China time)")
    p = store_command(sub, "calendar", "every plan's occurrences in a month (done / due / overdue)", run_calendar)
    p.add_argument("--month", default=china_today().strftime("%Y-%m"))


def _plan_options(p: argparse.ArgumentParser, creating: bool) -> None:
    default = (lambda value: value) if creating else (lambda _value: None)
    p.add_argument("--template", help="SOP-06 … (form plans)")
    p.add_argument("--rule", choices=plans.RULES, required=creating)
    p.add_argument("--start", required=creating, help="first day, 2026-11-01")
    p.add_argument("--end", help="last day")
    p.add_argument("--day", type=int, default=default(1), help="weekday 1–7 (weekly) or day of month 1–31")
    p.add_argument("--shift", action="append", default=default([]),
                   help="NAME@HH:MM, repeatable (form plans: one record per shift)")
    p.add_argument("--room", help="machine room id or code (form plans)")
    p.add_argument("--ci", help="CI id")
    p.add_argument("--type", dest="plan_type", choices=plans.PLAN_TYPES, default=default("monthly"))
    p.add_argument("--category", default=default("inspection"))
    p.add_argument("--working-days", action=argparse.BooleanOptionalAction, default=default(False),
                   help="move due days off holidays and weekends")
    p.add_argument("--title", help="task title (task plans; default the plan name)")
    p.add_argument("--content", help="what the task asks for (task plans)")
    p.add_argument("--to", action="append", default=default([]), metavar="PATH",
                   help="target org unit, repeatable (task plans; default the plan's own unit)")
    p.add_argument("--deadline-days", type=int, default=default(0),
                   help="days after the due day to finish (task plans; default 0: the due day)")
    p.add_argument("--deliverable", action="append", default=default([]), metavar="NAME",
                   help="a required deliverable, repeatable (task plans)")
    p.add_argument("--source", choices=tuple(tasks.SOURCES), default=default("special"))


def _fields(args: argparse.Namespace, cs: Any, actor: Any) -> dict[str, Any]:
    fields = {field: getattr(args, option) for option, field in FIELDS.items()
              if getattr(args, option) is not None and getattr(args, option) != []}
    if args.room:
        fields["room_id"] = rooms.load_room(cs.session, actor, args.room).id
    if getattr(args, "name", None):
        fields["name"] = args.name
    return fields


def run_create(args: argparse.Namespace) -> int:
    def action(cs: Any, actor: Any, store: Any) -> dict[str, Any]:
        fields = _fields(args, cs, actor)
        fields.pop("name", None)
        owner = None if fields.get("room_id") else owner_for(store, actor, args.org)
        return plans.create_plan(cs, actor, args.name, fields.pop("template_code", None), fields.pop("rule"),
                                 fields.pop("start_on"), kind=args.kind, owner_path=owner, **fields)

    row = write_as_actor(args, action)
    print_json(row) if args.json else print(f"created plan {row['number']} {row['name']} ({row['state']})")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    def action(cs: Any, actor: Any, store: Any) -> dict[str, Any]:
        fields = _fields(args, cs, actor)
        if not fields:
            raise CliError("nothing to change: give the options to change")
        return plans.update_plan(cs, actor, args.id, fields)

    row = write_as_actor(args, action)
    print_json(row) if args.json else print(f"plan {row['number']} {row['name']} changed ({row['state']})")
    return 0


def run_transition(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: plans.transition_plan(cs, actor, args.id, args.action))
    print_json(row) if args.json else print(f"plan {row['number']} is {row['state']}")
    return 0


def _read(args: argparse.Namespace, fn: Any) -> Any:
    with opened(args) as store, store.read() as session:
        return fn(session, resolve_actor(store, args.user))


def _until(args: argparse.Namespace) -> date | None:
    try:
        return date.fromisoformat(args.until) if args.until else None
    except ValueError:
        raise CliError(f"--until is a day like 2026-11-30 (got {args.until!r})") from None


def _rate(rate: dict[str, Any]) -> str:
    return "—" if rate["rate"] is None else f"{rate['rate']}% ({rate['on_time']}/{rate['due']})"


def _what(row: dict[str, Any]) -> str:
    if row["kind"] == "form":
        return row["template_code"]
    return "task → " + ",".join(t.rstrip("/").rsplit("/", 1)[-1] for t in row["targets"])


def run_list(args: argparse.Namespace) -> int:
    until = _until(args)
    rows = _read(args, lambda s, a: plans.plan_summaries(s, a, until))
    if args.json:
        print_json(rows)
    else:
        print_table(("NUMBER", "NAME", "WORK", "RULE", "START", "END", "STATE", "ON TIME"),
                    [(r["number"], r["name"], _what(r), r["rule"], r["start_on"], r["end_on"] or "", r["state"],
                      _rate(r["completion"])) for r in rows], empty="(no plans)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    until = _until(args)
    shown = _read(args, lambda s, a: plans.get_plan(s, a, args.id, until))
    if args.json:
        print_json(shown)
        return 0
    fields, rate = shown["fields"], shown["completion"]
    print(f"{shown['number']} {shown['name']} ({shown['kind']} plan, {shown['state']})")
    rows = [("org", shown["owner_path"]), ("rule", f"{shown['rule']} day {shown['day']}"),
            ("period", f"{shown['start_on']} – {shown['end_on'] or ''}"),
            ("working days only", "yes" if shown["working_days_only"] else "no")]
    if shown["kind"] == "form":
        rows += [("template", shown["template_code"]), ("room", shown["room_id"] or ""),
                 ("shifts", ", ".join(f"{s['name'] or '-'}@{s['at']}" for s in shown["shifts"]))]
    else:
        rows += [("task title", fields["title"]), ("content", fields["description"]),
                 ("targets", ", ".join(shown["targets"])), ("deadline", f"due day + {fields['deadline_days']} days"),
                 ("deliverables", ", ".join(fields["deliverables"]))]
    rows += [("on time", _rate(rate)), ("done", f"{rate['done']} of {rate['due']} due"),
             ("next due days", ", ".join(shown["next_days"]))]
    print_fields(rows)
    return 0


def _to_spawn(store: Any, actor: Any, until: date, plan: str | None) -> list[dict[str, Any]]:
    with store.read() as session:
        if plan:
            row = plans.load_plan(session, actor, plan)
            return [{"id": row.id, "number": row.number, "name": row.name}]
        return plans.pending_plans(session, actor, until)


def spawn_each(store: Any, actor: Any, until: date, plan: str | None = None
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Spawn each plan with work due in its own transaction, so one broken plan (its template retired,
    its room or a target unit gone) does not stop the others: (rows made, plans that failed and why)."""
    actor.require_role("spawning planned work")
    made: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for row in _to_spawn(store, actor, until, plan):
        try:
            with store.write(actor.user_id) as cs:
                made.extend(plans.spawn_due(cs, actor, until, row["id"]))
        except ServiceError as exc:
            failed.append({"plan": row["number"], "id": row["id"], "name": row["name"], "reason": str(exc)})
    return made, failed


def run_spawn(args: argparse.Namespace) -> int:
    until = _until(args) or china_today()
    with opened(args) as store:
        made, failed = spawn_each(store, resolve_actor(store, args.user), until, args.plan)
    if args.json:
        print_json({"spawned": made, "failed": failed})
        return 1 if failed else 0
    records = [r for r in made if r["kind"] == "form"]
    issued = [r for r in made if r["kind"] == "task"]
    print(f"spawned {len(records)} form record(s)" + (f" and {len(issued)} task(s)" if issued else ""))
    for row in records[:20]:
        print(f"  {row['number']} {row['template_code']} {(row['planned_at'] or '')[:16]} {row['shift']}")
    for row in issued[:20]:
        print(f"  {row['number']} {row['title']} deadline {row['deadline'][:16]} → {', '.join(row['targets'])}")
    if failed:
        print(f"{len(failed)} plan(s) could not spawn:")
        for failure in failed:
            print(f"  plan {failure['plan']}: {failure['reason']}")
    return 1 if failed else 0


def run_rate(args: argparse.Namespace) -> int:
    until = _until(args)
    rate = _read(args, lambda s, a: plans.completion(s, a, args.id, until))
    if args.json:
        print_json(rate)
    else:
        shown = "—" if rate["rate"] is None else f"{rate['rate']}%"
        items = "records" if rate["kind"] == "form" else "task receivers"
        print(f"{rate['plan']}: {rate['on_time']} of {rate['due']} due {items} done on time ({shown}); "
              f"{rate['done']} done in all")
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    found = _read(args, lambda s, a: plans.occurrences(s, a, args.month))
    if args.json:
        print_json(found)
        return 0
    rows = [(o["day"], o["plan_number"], o["plan"], o["shift"], o["number"] or "(not spawned)",
             f"{o['done']}/{o['total']}", o["status"]) for o in found]
    print_table(("DAY", "PLAN", "NAME", "SHIFT", "WORK", "DONE", "STATUS"), rows, empty="(nothing planned)")
    return 0
