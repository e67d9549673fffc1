"""``itops pdf``: print SOP work forms as PDF (blank to fill by hand, a filled record, a month's batch)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.errors import CliError
from cli.parser import add_subcommands
from cli.paths import default_store_dir
from cli.target import add_target_args, add_user_arg, opened, resolve_actor
from shared.pdf.forms import render_form, render_forms
from shared.services import forms, rooms
from shared.store import STORE_FILE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("pdf", help="print work forms as PDF",
                                   description="Print SOP work forms as A4 PDF with the embedded Chinese font.")
    sub = add_subcommands(parser, "pdf_command")
    p = sub.add_parser("form", help="a template, blank, to fill by hand",
                       description="A template as a blank form (boxes, ranges, signature lines).")
    p.add_argument("code", metavar="CODE", help="SOP-01 … SOP-11")
    p.add_argument("--blank", action="store_true", required=True, help="print the blank form")
    p.add_argument("--version", help="a given template version (default: the current one)")
    _target(p)
    p.set_defaults(func=run_form)
    p = sub.add_parser("record", help="a filled record", description="A filled record: values, abnormal items "
                       "highlighted, photos, signatures, template version, number and QR code.")
    p.add_argument("id", metavar="ID", help="record id or number")
    _target(p)
    p.set_defaults(func=run_record)
    p = sub.add_parser("batch", help="a month of a room's inspections in one PDF",
                       description="Every record of a room in a month (by planned time) in one PDF.")
    p.add_argument("--room", required=True, help="machine room id or code")
    p.add_argument("--month", required=True, help="2026-11")
    p.add_argument("--template", default="SOP-06", help="template code (default SOP-06)")
    p.add_argument("--all-states", action="store_true", help="also planned and in-progress records")
    _target(p)
    p.set_defaults(func=run_batch)


def _target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, required=True, help="the PDF file to write")
    add_target_args(parser)
    add_user_arg(parser)


def run_form(args: argparse.Namespace) -> int:
    if args.store is None and args.db is None and not (default_store_dir() / STORE_FILE).exists():
        doc = forms.blank_document(None, args.code, args.version)  # no store here: the built-in templates
    else:
        with opened(args) as store, store.read() as session:
            doc = forms.blank_document(session, args.code, args.version)
    render_form(doc, args.output)
    print(f"wrote {args.output} ({doc.template.code} v{doc.template.version}, blank)")
    return 0


def run_record(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        doc = forms.document_for(session, resolve_actor(store, args.user), args.id)
    render_form(doc, args.output)
    print(f"wrote {args.output} ({doc.number})")
    return 0


def run_batch(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        actor = resolve_actor(store, args.user)
        room = rooms.load_room(session, actor, args.room)
        rows = forms.list_records(session, actor, args.template, room.id, None, args.month, limit=None)
        rows = [r for r in rows if args.all_states or r["state"] in ("completed", "reviewed")]
        rows.sort(key=lambda r: (r["planned_at"] or "", r["number"]))
        if not rows:
            raise CliError(f"no {args.template} records of {room.name} in {args.month}")
        docs = (forms.document_for(session, actor, r["id"]) for r in rows)
        render_forms(docs, args.output, f"{room.name} {args.month} {args.template}")
    print(f"wrote {args.output} ({len(rows)} records of {room.name}, {args.month})")
    return 0
