"""``itops ticket sla|board|supervise|link|links|proposals|calendar``: supervision and cross-ticket views,
so every step of the three-line flow can be driven and checked headless."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta
from typing import Any

from cli.errors import CliError
from cli.output import local_time, print_json, print_table
from cli.target import opened, resolve_actor, store_command, write_as_actor
from shared.db.types import utcnow
from shared.processes.calendar import CHINA
from shared.processes.sla import ticket_clocks
from shared.services import analysis, links, supervision, tickets

COLUMN_TITLES = {"line1": "一线 Tier 1", "dispatch": "待派工 Awaiting dispatch", "line2": "二线 Tier 2",
                 "line3": "三线 Tier 3", "pending": "挂起 Pending"}


def register_into(sub: argparse._SubParsersAction) -> None:
    def command(name: str, help_text: str, func: Any, with_id: bool = False) -> argparse.ArgumentParser:
        p = store_command(sub, name, help_text, func)
        if with_id:
            p.add_argument("id", metavar="ID", help="ticket id or number")
        return p

    command("sla", "the SLA clocks of a ticket (computed from its history)", run_sla, with_id=True)
    p = command("board", "the dispatcher's board: open incidents and requests by support line", run_board)
    p.add_argument("--team", help="only this team (id)")
    command("supervise", "write the SLA warnings (75 %%) and escalations (100 %%) that are due", run_supervise)
    p = command("link", "link two tickets (problem ↔ incident, change ↔ problem, release ↔ change …)", run_link,
                with_id=True)
    p.add_argument("other", metavar="OTHER", help="the other ticket's id or number")
    command("links", "the tickets linked to a ticket", run_links, with_id=True)
    command("proposals", "problem proposals: the same CI or category with 3+ incidents in 30 days", run_proposals)
    p = command("calendar", "the change calendar with conflicting changes", run_calendar)
    p.add_argument("--from", dest="start", help="first day (default today)")
    p.add_argument("--days", type=int, default=14, help="how many days (default 14)")


def run_sla(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = tickets.get_ticket(session, actor, args.id)
            clocks = [c.as_dict() for c in ticket_clocks(session, row["id"])]
    if args.json:
        print_json({"number": row["number"], "priority": row["priority"], "clocks": clocks})
        return 0
    print(f"{row['number']}  {row['priority']}  {row['title']}")
    print_table(("CLOCK", "STATUS", "ELAPSED", "TARGET", "%", "DEADLINE"), [
        (f"{c['label']['zh']} {c['name']}", c["status"] + (" ⚠" if c["warning"] else ""),
         _minutes(c["elapsed_minutes"]), _minutes(c["target_minutes"]), c["percent"] if c["percent"] is not None
         else "", local_time(c["deadline"])) for c in clocks], empty="(this process has no SLA clocks)")
    return 0


def _minutes(value: float | None) -> str:
    if value is None:
        return ""
    hours, minutes = divmod(round(value), 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def run_board(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            board = supervision.board(session, actor, team_id=args.team)
    if args.json:
        print_json({col: [{"number": c.ticket["number"], "title": c.ticket["title"], "priority": c.ticket["priority"],
                           "state": c.ticket["state"], "team": c.team_name, "sla": c.worst}
                          for c in cards] for col, cards in board.columns.items()})
        return 0
    for col, cards in board.columns.items():
        print(f"== {COLUMN_TITLES[col]} ({len(cards)})")
        for c in cards:
            flag = {"breached": "✖ 超时", "warning": "⚠ 预警", "ok": ""}[c.worst]
            print(f"  {c.ticket['number']:<26} {c.ticket['priority']}  {c.team_name:<14} {c.ticket['title']}  {flag}")
    return 0


def run_supervise(args: argparse.Namespace) -> int:
    written = write_as_actor(args, lambda cs, actor, st: supervision.supervise(cs, actor))
    if args.json:
        print_json(written)
    else:
        for w in written:
            print(f"{w['level']:<10} {w['text']}")
        print(f"{len(written)} notice(s) written")
    return 0


def run_link(args: argparse.Namespace) -> int:
    result = write_as_actor(args, lambda cs, actor, st: links.link(cs, actor, args.id, args.other))
    if args.json:
        print_json(result)
    else:
        print(f"linked {result['from']} ↔ {result['to']}")
    return 0


def run_links(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = links.linked(session, actor, args.id)
    if args.json:
        print_json(rows)
    else:
        print_table(("NUMBER", "PROCESS", "STATE", "TITLE"),
                    [(r["number"], r["process"], r["state"], r["title"]) for r in rows], empty="(no links)")
    return 0


def run_proposals(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = analysis.problem_proposals(session, actor)
    if args.json:
        print_json(rows)
    else:
        print_table(("BY", "VALUE", "COUNT", "INCIDENTS"),
                    [(r["by"], r["value"], r["count"], " ".join(r["incidents"])) for r in rows],
                    empty="(no proposals)")
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    try:
        start = datetime.fromisoformat(args.start) if args.start else utcnow().replace(
            hour=0, minute=0, second=0, microsecond=0)
    except ValueError:
        raise CliError(f"--from must be a date like 2026-12-01, not {args.start!r}") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=CHINA)  # a day typed in is a China-time day
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = analysis.change_calendar(session, actor, start, start + timedelta(days=args.days))
    if args.json:
        print_json(rows)
    else:
        print_table(("START", "END", "NUMBER", "STATE", "TITLE", "CONFLICTS"),
                    [(local_time(r["window"][0]), local_time(r["window"][1]), r["number"], r["state"], r["title"],
                      ("⚠ " + " ".join(r["conflicts"])) if r["conflicts"] else "") for r in rows],
                    empty="(no changes planned)")
    return 0
