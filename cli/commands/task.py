"""``itops task``: 任务管理 — tasks issued down the org tree, progress and results reported back up."""

from __future__ import annotations

import argparse
from typing import Any

from cli.errors import CliError
from cli.output import local_time, print_fields, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_target_args, add_user_arg, opened, resolve_actor, write_as_actor
from shared.services import tasks

ACTOR_NOTE = ("The acting user is --user, else the store's top administrator in scope, else the first "
              "user of the store's own org unit.")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("task", help="tasks issued down the tree (任务管理 / 督办)",
                                   description="Tasks a unit issues to the units below it; receivers report "
                                               "progress and submit results, which flow up by sync. " + ACTOR_NOTE)
    sub = add_subcommands(parser, "task_command")
    p = _sub(sub, "issue", "issue a task to units below the acting user's")
    p.add_argument("--title", required=True)
    p.add_argument("--to", metavar="PATH", action="append", required=True, help="a receiving unit (repeatable)")
    p.add_argument("--deadline", required=True, help="YYYY-MM-DD (end of that day) or YYYY-MM-DDTHH:MM, China time")
    p.add_argument("--content", default="", help="what is to be done")
    p.add_argument("--source", default="special", choices=sorted(tasks.SOURCES), help="任务来源 (default special)")
    p.add_argument("--deliverable", metavar="NAME", action="append", default=[],
                   help="a required deliverable every receiver must submit (repeatable)")
    p.add_argument("--parent", metavar="TASK", help="decompose this received task (the acting unit must be one "
                                                    "of its receivers)")
    p.add_argument("--org", metavar="PATH", help="the issuing unit (default: the acting user's)")
    p.set_defaults(func=run_issue)

    p = _sub(sub, "list", "list tasks issued by or to the acting user's unit")
    p.add_argument("--role", choices=("all", "issued", "received"), default="all")
    p.add_argument("--open", action="store_true", help="leave out closed tasks")
    p.set_defaults(func=run_list)

    p = _sub(sub, "show", "a task with each receiver's progress, sub-tasks and history")
    p.add_argument("id", metavar="TASK", help="task id or number (TSK-…)")
    p.set_defaults(func=run_show)

    for name, help_text, func in (("accept", "accept a task (接收)", run_accept),
                                  ("report", "report progress on a task", run_report),
                                  ("submit", "submit the results of a task (反馈)", run_submit)):
        p = _sub(sub, name, help_text)
        p.add_argument("id", metavar="TASK", help="task id or number (TSK-…)")
        p.add_argument("--org", metavar="PATH", help="the receiving unit (default: the acting user's)")
        if name != "accept":
            p.add_argument("--note", default="", help="a note for the issuer")
            p.add_argument("--result", metavar="NAME=TEXT", action="append", default=[],
                           help="what was delivered for a required deliverable (repeatable)")
        if name == "report":
            p.add_argument("--progress", type=int, required=True, help="percent done, 0–100")
        p.set_defaults(func=func)

    p = _sub(sub, "review", "approve or return a receiver's submission (issuer)")
    p.add_argument("id", metavar="TASK")
    p.add_argument("--org", metavar="PATH", required=True, help="the receiver whose submission is reviewed")
    verdict = p.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true")
    verdict.add_argument("--return", dest="return_", action="store_true", help="send back (needs --comment)")
    p.add_argument("--comment", default="")
    p.set_defaults(func=run_review)

    p = _sub(sub, "urge", "remind receivers that have not submitted (催办)")
    p.add_argument("id", metavar="TASK")
    p.add_argument("--org", metavar="PATH", action="append", help="only these receivers (repeatable)")
    p.add_argument("--note", default="")
    p.set_defaults(func=run_urge)

    p = _sub(sub, "close", "close a task (issuer)")
    p.add_argument("id", metavar="TASK")
    p.set_defaults(func=run_close)


def _sub(sub: argparse._SubParsersAction, name: str, help_text: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ". " + ACTOR_NOTE)
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    return p


def _results(items: list[str]) -> dict[str, str]:
    found = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise CliError(f"bad --result {item!r}: expected NAME=TEXT")
        found[name.strip()] = text
    return found


def _path(path: str | None) -> str | None:
    return None if path is None else (path if path.endswith("/") else path + "/")


def run_issue(args: argparse.Namespace) -> int:
    deadline = tasks.parse_deadline(args.deadline)
    row = write_as_actor(args, lambda cs, actor, st: tasks.issue_task(
        cs, actor, args.title, deadline, [p for p in (_path(t) for t in args.to) if p], args.content,
        args.source, args.deliverable, args.parent, _path(args.org)))
    if args.json:
        print_json(row)
    else:
        print(f"issued {row['number']} to {', '.join(row['targets'])}, due {local_time(row['deadline'])}")
    return 0


def run_accept(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: tasks.accept_task(cs, actor, args.id, _path(args.org)))
    return _done(args, row, f"accepted by {row['owner_path']}")


def run_report(args: argparse.Namespace) -> int:
    results = _results(args.result)
    row = write_as_actor(args, lambda cs, actor, st: tasks.report_progress(
        cs, actor, args.id, args.progress, args.note, results, _path(args.org)))
    return _done(args, row, f"{row['owner_path']}: {row['progress']}%")


def run_submit(args: argparse.Namespace) -> int:
    results = _results(args.result)
    row = write_as_actor(args, lambda cs, actor, st: tasks.submit_task(
        cs, actor, args.id, args.note, results, _path(args.org)))
    return _done(args, row, f"submitted by {row['owner_path']}")


def run_review(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: tasks.review_task(
        cs, actor, args.id, _path(args.org) or "", args.approve, args.comment))
    return _done(args, row, f"{row['org']}: {row['state_zh']} ({row['state']})")


def run_urge(args: argparse.Namespace) -> int:
    urged = write_as_actor(args, lambda cs, actor, st: tasks.urge_task(
        cs, actor, args.id, [p for p in (_path(o) for o in args.org or []) if p] or None, args.note))
    return _done(args, urged, "urged " + (", ".join(urged) if urged else "nobody (every receiver has submitted)"))


def run_close(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: tasks.close_task(cs, actor, args.id))
    return _done(args, row, f"closed {row['number']}")


def _done(args: argparse.Namespace, row: Any, text: str) -> int:
    if args.json:
        print_json(row)
    else:
        print(text)
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = tasks.list_tasks(session, actor, args.role, include_closed=not args.open)
    if args.json:
        print_json(rows)
        return 0
    print_table(("NUMBER", "ROLE", "DEADLINE", "DONE", "OVERDUE", "STATE", "TITLE"),
                [(r["number"], r["role"], local_time(r["deadline"]), f"{r['done']}/{r['total']}",
                  r["overdue"] or "", r["state"], r["title"]) for r in rows], empty="(no tasks)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = tasks.get_task(session, actor, args.id)
    if args.json:
        print_json(row)
        return 0
    print_fields([("任务 task", f"{row['number']} {row['title']}"), ("下达单位 issuer", row["owner_path"]),
                  ("来源 source", tasks.SOURCES[row["source"]][0]), ("要求完成 deadline", local_time(row["deadline"])),
                  ("状态 state", row["state"]), ("内容 content", row["content"]),
                  ("交付物 deliverables", ", ".join(row["deliverables"])),
                  ("完成 completion", f"{row['done']}/{row['total']} ({row['completion']}%)")])
    print()
    lines: list[tuple[str, ...]] = []

    def add(receivers: list[dict[str, Any]], depth: int) -> None:
        for r in receivers:
            progress = "" if r["progress"] is None else f"{r['progress']}%"
            lines.append(("  " * depth + f"{r['name']} {r['org']}", r["state_zh"], progress,
                          "逾期 overdue" if r["overdue"] else "", str(r["urges"] or ""), local_time(r["submitted_at"])))
            for sub in r["subtasks"]:
                lines.append(("  " * (depth + 1) + f"↳ {sub['number']} {sub['done']}/{sub['total']}", "", "",
                              f"{sub['overdue']} overdue" if sub["overdue"] else "", "", ""))
                add(sub["receivers"], depth + 2)

    add(row["receivers"], 0)
    print_table(("单位 unit", "状态 state", "进度", "逾期", "催办", "反馈时间 submitted"), lines)
    return 0
