"""``itops report``: operations, security and service reports (drafted from the data, reviewed, submitted
upward, approved or returned, printed to PDF) and security events graded I–IV with their reporting clocks."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cli.output import local_time, print_fields, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_target_args, add_user_arg, opened, resolve_actor, write_as_actor
from shared.kpi.period import CHINA, current_month
from shared.models.org import User
from shared.pdf.reports import render_report
from shared.reports.drafting import KINDS
from shared.reports.grading import categories
from shared.services import reports, security_events

ACTOR_NOTE = ("The acting user is --user, else the store's top administrator in scope, else the first "
              "user of the store's own org unit.")


def _sub(sub: argparse._SubParsersAction, name: str, help_text: str, with_id: bool = True) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ". " + ACTOR_NOTE)
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    if with_id:
        p.add_argument("id", metavar="ID", help="id or number (RPT-… / SEC-…)")
    return p


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="operations / security / service reports and security events",
                                   description="Reports drafted from the data, reviewed at the unit, submitted "
                                               "upward and approved or returned by the level above. " + ACTOR_NOTE)
    sub = add_subcommands(parser, "report_command")
    p = _sub(sub, "draft", "draft (or redraft) a report from the data", with_id=False)
    p.add_argument("--kind", choices=sorted(KINDS), default="operations")
    p.add_argument("--period", help="YYYY-MM, YYYY-Qn or YYYY (default: this month)")
    p.add_argument("--org", metavar="PATH", help="the reporting unit (default: the acting user's)")
    p.add_argument("--service", default="", help="service code (service reports of one service)")
    p.set_defaults(func=run_draft)
    p = _sub(sub, "list", "list reports in scope", with_id=False)
    p.add_argument("--kind", choices=sorted(KINDS))
    p.add_argument("--period")
    p.set_defaults(func=run_list)
    _sub(sub, "show", "show a report with its sections").set_defaults(func=run_show)
    p = _sub(sub, "edit", "write the analysis and suggestions of a draft")
    p.add_argument("--analysis")
    p.add_argument("--suggestions")
    p.add_argument("--title")
    p.set_defaults(func=run_edit)
    p = _sub(sub, "review", "本级审核: review the draft at its own level")
    p.add_argument("--comment", default="")
    p.set_defaults(func=run_review)
    _sub(sub, "submit", "上报: submit a reviewed report to the level above").set_defaults(func=run_submit)
    for name, approve in (("approve", True), ("return", False)):
        p = _sub(sub, name, f"{name} a submitted report (the level above)")
        p.add_argument("--comment", default="")
        p.set_defaults(func=run_judge, approve=approve)
    _sub(sub, "archive", "archive an approved report").set_defaults(func=run_archive)
    p = _sub(sub, "pdf", "print a report to PDF (A4)")
    p.add_argument("-o", "--output", type=Path, required=True, help="the PDF file to write")
    p.set_defaults(func=run_pdf)
    _register_events(sub)


def _register_events(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("event", help="security events graded I–IV (GB/T 20986-2023)",
                            description="Security events: record, report in stages against the grade's deadlines.")
    esub = add_subcommands(parser, "event_command")
    p = _sub(esub, "record", "record a security event", with_id=False)
    p.add_argument("--title", required=True)
    p.add_argument("--category", required=True, choices=sorted(categories()))
    p.add_argument("--grade", type=int, required=True, choices=(1, 2, 3, 4), help="1 特别重大 … 4 一般")
    p.add_argument("--discovered", help="when it was found, YYYY-MM-DDTHH:MM China time (default: now)")
    p.add_argument("--system", action="append", default=[], help="an affected system (repeatable)")
    p.add_argument("--measures", default="")
    p.add_argument("--org", metavar="PATH")
    p.set_defaults(func=run_event_record)
    p = _sub(esub, "report", "send a 首报 / 续报 / 终报 upward")
    p.add_argument("--stage", choices=("first", "follow_up", "final"), required=True)
    p.add_argument("--text", required=True)
    p.add_argument("--grade", type=int, choices=(1, 2, 3, 4), help="regrade the event")
    p.set_defaults(func=run_event_report)
    p = _sub(esub, "list", "list security events with their reporting clocks", with_id=False)
    p.add_argument("--period", help="only events found in this period")
    p.set_defaults(func=run_event_list)
    _sub(esub, "show", "a security event and its reports").set_defaults(func=run_event_show)


def _out(args: argparse.Namespace, row: dict[str, Any], text: str) -> int:
    if args.json:
        print_json(row)
    else:
        print(text)
    return 0


def _line(row: dict[str, Any]) -> str:
    return f"{row['number']} [{row['status_zh']}] {row['title']}"


def run_draft(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: reports.draft_report(
        cs, actor, args.kind, args.period or current_month(), args.org, args.service))
    return _out(args, row, "drafted " + _line(row))


def run_edit(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: reports.edit_report(
        cs, actor, args.id, args.analysis, args.suggestions, args.title))
    return _out(args, row, "edited " + _line(row))


def run_review(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: reports.review_report(cs, actor, args.id, args.comment))
    return _out(args, row, _line(row))


def run_submit(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: reports.submit_report(cs, actor, args.id))
    return _out(args, row, _line(row))


def run_judge(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: reports.judge_report(
        cs, actor, args.id, args.approve, args.comment))
    return _out(args, row, _line(row))


def run_archive(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: reports.archive_report(cs, actor, args.id))
    return _out(args, row, _line(row))


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = reports.list_reports(session, actor, args.kind, args.period)
    if args.json:
        print_json(rows)
        return 0
    print_table(("NUMBER", "KIND", "PERIOD", "UNIT", "STATUS", "SUBMITTED"),
                [(r["number"], r["kind_zh"], r["period"], r["org_name"], r["status_zh"], local_time(r["submitted_at"]))
                 for r in rows], empty="(no reports)")
    return 0


def _load(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, str]]:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = reports.get_report(session, actor, args.id)
            people = {}
            for entry in row["entries"]:
                user = session.get(User, entry["author_id"]) if entry["author_id"] else None
                name = user.full_name or user.username if user else ""
                people[{"reviewed": "reviewer", "approve": "approver"}.get(entry["kind"], "")] = name
            author = session.get(User, row["author_id"]) if row["author_id"] else None
            people["author"] = (author.full_name or author.username) if author else ""
    return row, people


def run_show(args: argparse.Namespace) -> int:
    row, _ = _load(args)
    if args.json:
        print_json(row)
        return 0
    print_fields([("报告 report", f"{row['number']} {row['title']}"), ("状态 status", row["status_zh"]),
                  ("单位 unit", f"{row['org_name']} {row['owner_path']}"), ("周期 period", row["period"]),
                  ("截止 due", local_time(row["due_at"])), ("上报 submitted", local_time(row["submitted_at"]))])
    for section in row["sections"]:
        print(f"\n== {section['title']} ==")
        for text in section["paragraphs"]:
            if text:
                print(text)
        for table in section["tables"]:
            print(f"-- {table['title']}")
            print_table(table["columns"], table["rows"])
    for title, text in (("分析结论", row["analysis"]), ("改进建议", row["suggestions"])):
        print(f"\n== {title} ==\n{text or '(未填写)'}")
    return 0


def run_pdf(args: argparse.Namespace) -> int:
    row, people = _load(args)
    render_report(row, args.output, people)
    print(f"wrote {args.output}")
    return 0


# -- security events ------------------------------------------------------------------------------------------

def _discovered(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(text)
    return (moment if moment.tzinfo else moment.replace(tzinfo=CHINA)).astimezone(UTC)


def _event_line(row: dict[str, Any]) -> str:
    first = row["clocks"][0]
    return (f"{row['number']} {row['grade_label']} [{row['state_zh']}] {row['title']} — 首报 {first['status']}, "
            f"due {local_time(first['deadline'])}")


def run_event_record(args: argparse.Namespace) -> int:
    found = _discovered(args.discovered)
    row = write_as_actor(args, lambda cs, actor, st: security_events.event_dict(cs.session, _record(
        cs, actor, args, found)))
    return _out(args, row, "recorded " + _event_line(row))


def _record(cs: Any, actor: Any, args: argparse.Namespace, found: datetime) -> Any:
    from shared.models.work import SecurityEvent

    created = security_events.record_event(cs, actor, args.title, args.category, args.grade, found, args.system,
                                           args.measures, owner_path=args.org)
    return cs.session.get(SecurityEvent, created["id"])


def run_event_report(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: security_events.report_stage(
        cs, actor, args.id, args.stage, args.text, grade=args.grade))
    return _out(args, row, _event_line(row))


def run_event_list(args: argparse.Namespace) -> int:
    from shared.kpi.period import parse_period

    period = parse_period(args.period) if args.period else None
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = security_events.list_events(session, actor, period.start if period else None,
                                               period.end if period else None)
    if args.json:
        print_json(rows)
        return 0
    print_table(("NUMBER", "GRADE", "CATEGORY", "FOUND", "STATE", "首报", "终报", "TITLE"),
                [(r["number"], r["grade_label"], r["category_zh"], local_time(r["discovered_at"]), r["state_zh"],
                  r["clocks"][0]["status"], r["clocks"][1]["status"], r["title"]) for r in rows],
                empty="(no security events)")
    return 0


def run_event_show(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = security_events.get_event(session, actor, args.id)
    if args.json:
        print_json(row)
        return 0
    print(_event_line(row))
    for entry in row["reports"]:
        print(f"  {local_time(entry['at'])} {entry['kind']}: {entry['body']}")
    return 0
