"""``itops ticket``: tickets of every process (incident, request, problem, change, release, knowledge)."""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from cli.commands import ticket_ops
from cli.fields import add_field_arg, parse_fields
from cli.output import local_time, print_fields, print_json, print_table
from cli.parser import add_subcommands, count
from cli.target import (
    add_owner_arg,
    add_target_args,
    add_user_arg,
    opened,
    owner_for,
    resolve_actor,
    write_as_actor,
)
from shared.models import ConfigItem, Team, User
from shared.processes.engine import process
from shared.services import references, tickets

PROCESS_HELP = "a process code: incident, request, problem, change, release, knowledge"
ACTOR_NOTE = ("The acting user is --user, else the store's top administrator in scope, else the first "
              "user of the store's own org unit.")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ticket", help="tickets (incident, request, problem, change …)",
                                   description="Tickets of every process. " + ACTOR_NOTE)
    sub = add_subcommands(parser, "ticket_command")
    _register_create(sub)
    _register_update(sub)
    _register_transition(sub)
    _register_show(sub)
    _register_list(sub)
    _register_delete_restore(sub)
    ticket_ops.register_into(sub)


def _common(parser: argparse.ArgumentParser, json_help: str = "print the ticket as JSON") -> None:
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--json", action="store_true", help=json_help)


def _register_create(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("create", help="create a ticket", description="Create a ticket. Priority follows "
                       "from impact × urgency (1 high … 3 low) and cannot be set. " + ACTOR_NOTE)
    _common(p)
    p.add_argument("--process", default="incident", help=PROCESS_HELP + " (default: incident)")
    p.add_argument("--title", required=True)
    add_owner_arg(p)
    add_field_arg(p)
    p.set_defaults(func=run_create)


def _register_update(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("update", help="change fields of a ticket",
                       description="Change fields of a ticket (state and priority change through "
                                   "transitions and impact/urgency). " + ACTOR_NOTE)
    _common(p)
    p.add_argument("id", metavar="ID", help="ticket id or number (INC-…)")
    add_field_arg(p, required=True)
    p.set_defaults(func=run_update)


def _register_transition(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transition", help="run a workflow action (accept, dispatch, resolve …)",
                       description="Run a workflow action; `itops ticket show ID` lists the actions allowed "
                                   "now, and --field supplies the fields an action needs. " + ACTOR_NOTE)
    _common(p)
    p.add_argument("id", metavar="ID", help="ticket id or number (INC-…)")
    p.add_argument("action", metavar="ACTION", help="e.g. accept, dispatch, resolve, close")
    add_field_arg(p)
    p.set_defaults(func=run_transition)


def _register_delete_restore(sub: argparse._SubParsersAction) -> None:
    for name, help_text, func in (
            ("delete", "delete a ticket (a tombstone that syncs; it can be restored)", run_delete),
            ("restore", "bring a deleted ticket back", run_restore)):
        p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ". "
                           + ACTOR_NOTE)
        _common(p)
        p.add_argument("id", metavar="ID", help="ticket id or number (INC-…)")
        p.set_defaults(func=func)


def _register_show(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="show a ticket with its history",
                       description="Show a ticket, its history and the actions allowed now.")
    _common(p)
    p.add_argument("id", metavar="ID", help="ticket id or number (INC-…)")
    p.set_defaults(func=run_show)


def _register_list(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list tickets, newest first",
                       description="List tickets in the acting user's scope, newest first: "
                                   "a page of --limit (50) or everything with --all.")
    _common(p, "print a JSON array")
    p.add_argument("--process", help=PROCESS_HELP)
    p.add_argument("--state", help="a state code, e.g. line1, pending, resolved")
    p.add_argument("--all", action="store_true", help="every ticket, not one page")
    p.add_argument("--limit", type=count, default=50, help="page size (default 50)")
    p.add_argument("--offset", type=count, default=0, help="skip this many tickets")
    p.set_defaults(func=run_list)


def run_create(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: tickets.create_ticket(
        cs, actor, args.process, args.title, references.typed_for_process(cs.session, args.process, fields),
        owner_path=owner_for(st, actor, args.org)))
    return _print_row(args, row, "created")


def run_update(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: tickets.update_ticket(
        cs, actor, args.id, references.typed_for_ticket(cs.session, actor, args.id, fields)))
    return _print_row(args, row, "updated")


def run_transition(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: tickets.transition(
        cs, actor, args.id, args.action, references.typed_for_ticket(cs.session, actor, args.id, fields)))
    return _print_row(args, row, args.action)


def run_delete(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.write(actor.user_id) as cs:
            tickets.delete_ticket(cs, actor, args.id)
    print(f"deleted {args.id}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: tickets.restore_ticket(cs, actor, args.id))
    return _print_row(args, row, "restored")


def run_show(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = tickets.get_ticket(session, actor, args.id)
            names = _names(session, row)
    if args.json:
        print_json(row)
    else:
        _print_ticket(row, names)
    return 0


def _names(session: Session, row: dict[str, Any]) -> dict[str, str]:
    """Readable names for the ids a ticket refers to (those present in this store)."""
    names: dict[str, str] = {}
    for key, cls, label in (("caller_id", User, "full_name"), ("assignee_id", User, "full_name"),
                            ("team_id", Team, "name"), ("ci_id", ConfigItem, "name")):
        ref = row.get(key)
        target = session.get(cls, ref) if ref else None
        if target is not None:
            names[key] = f"{getattr(target, label)} ({ref})"
    return names


def run_list(args: argparse.Namespace) -> int:
    if args.process:
        process(args.process)  # an unknown code is an error, not an empty list
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = tickets.list_tickets(session, actor, args.process, args.state,
                                        limit=None if args.all else args.limit, offset=args.offset)
    if args.json:
        print_json(rows)
    else:
        print_table(("NUMBER", "PRI", "STATE", "OPENED", "TITLE"),
                    [(r["number"], r["priority"], state_label(r), local_time(r["opened_at"]), r["title"])
                     for r in rows], empty="(no tickets)")
    return 0


def state_label(row: dict[str, Any]) -> str:
    return process(row["process"]).state_label(row["state"])


def _print_row(args: argparse.Namespace, row: dict[str, Any], verb: str) -> int:
    if args.json:
        print_json(row)
    else:
        print(f"{verb} {row['number']} [{state_label(row)}] {row['title']}")
    return 0


def _print_ticket(row: dict[str, Any], names: dict[str, str]) -> None:
    proc = process(row["process"])
    labels = {t.action: t.label.get("zh", t.action) for t in proc.transitions}
    actions = ", ".join(f"{a} ({labels.get(a, a)})" for a in row["actions"])
    print(f"{row['number']}  {row['title']}")
    print_fields([
        ("id", row["id"]), ("process", f"{proc.name.get('zh', proc.code)} ({proc.code})"),
        ("state", f"{proc.state_label(row['state'])} ({row['state']})"),
        ("actions", actions or "(none: final state)"),
        ("priority", f"{row['priority']} (impact {row['impact']} × urgency {row['urgency']})"),
        ("org", row["owner_path"]), ("category", row["category"]), ("origin", row["origin"]),
        ("opened", local_time(row["opened_at"])), ("resolved", local_time(row["resolved_at"])),
        ("closed", local_time(row["closed_at"])),
        *((key, names.get(key, row[key])) for key in ("caller_id", "team_id", "assignee_id", "ci_id")),
        ("description", row["description"]),
        *((f"data.{k}", v) for k, v in sorted((row["data"] or {}).items())),
    ])
    print("history")
    for entry in row["entries"]:
        print(f"  {local_time(entry['created_at'])}  {entry['body']:<16} {_detail(entry)}")


def _detail(entry: dict[str, Any]) -> str:
    detail = (entry.get("data") or {}).get("detail") or {}
    if "from" in detail and "to" in detail:
        return f"{detail['from']} → {detail['to']}"
    return ", ".join(f"{k}={v}" for k, v in sorted(detail.items()))
