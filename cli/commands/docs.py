"""``itops docs``: the rules-and-standards library (制度与标准库)."""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.errors import CliError
from cli.output import local_time, print_fields, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_target_args, add_user_arg, opened, resolve_actor, write_as_actor
from shared.services import documents

KIND_NOTE = ", ".join(f"{k} ({zh})" for k, (zh, _en) in documents.KINDS.items())


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("docs", help="rules, standards and work instructions (制度与标准库)",
                                   description="The library HQ publishes to every store: management rules, "
                                               "technical standards and work instructions, with read "
                                               "acknowledgements.")
    sub = add_subcommands(parser, "docs_command")

    p = sub.add_parser("publish", help="publish an edition (HQ administrators)",
                       description=f"Publish a document edition with PDF/DOCX files. Kinds: {KIND_NOTE}. "
                                   "The code's earlier current edition becomes superseded.")
    _common(p)
    p.add_argument("--code", required=True, help="e.g. GL-07")
    p.add_argument("--kind", required=True, choices=list(documents.KINDS))
    p.add_argument("--title", required=True)
    p.add_argument("--edition", required=True, help="e.g. 2026版")
    p.add_argument("--effective", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--unit", default="", help="issuing unit")
    p.add_argument("--summary", default="")
    p.add_argument("--file", action="append", default=[], type=Path, help="a PDF or DOCX file (repeatable)")
    p.set_defaults(func=run_publish)

    p = sub.add_parser("seed", help="publish the catalogue's 30 records",
                       description="Publish every entry of shared/resources/integrations/library.yaml not yet "
                                   "in the library (13 rules, 6 standards, 11 work instructions).")
    _common(p)
    p.set_defaults(func=run_seed)

    p = sub.add_parser("list", help="list the library", description="Current editions (and --all older ones).")
    _common(p)
    p.add_argument("--kind", choices=list(documents.KINDS))
    p.add_argument("--all", action="store_true", help="superseded and withdrawn editions too")
    p.set_defaults(func=run_list)

    p = sub.add_parser("show", help="one document", description="A document's current edition (or an id).")
    _common(p)
    p.add_argument("ref", metavar="CODE|ID")
    p.add_argument("--save", type=Path, metavar="DIR", help="write its files into DIR")
    p.set_defaults(func=run_show)

    p = sub.add_parser("read", help="acknowledge reading", description="Record that the acting user has read "
                                                                     "the current edition.")
    _common(p)
    p.add_argument("ref", metavar="CODE|ID")
    p.set_defaults(func=run_read)

    p = sub.add_parser("unread", help="who has not read it", description="Who under --org has (not) read the "
                                                                        "current edition.")
    _common(p)
    p.add_argument("ref", metavar="CODE|ID")
    p.add_argument("--org", required=True, metavar="PATH")
    p.set_defaults(func=run_unread)


def _common(parser: argparse.ArgumentParser) -> None:
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--json", action="store_true", help="print JSON")


def run_publish(args: argparse.Namespace) -> int:
    files = []
    for path in args.file:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise CliError(f"cannot read {path}: {exc.strerror}") from None
    row = write_as_actor(args, lambda cs, actor, _st: documents.publish(
        cs, actor, args.code, args.kind, args.title, args.edition, args.effective, args.unit, args.summary, files))
    if args.json:
        print_json(row)
    else:
        print(f"published {row['code']} {row['edition']} {row['title']} ({len(row['files'])} files)")
    return 0


def run_seed(args: argparse.Namespace) -> int:
    made = write_as_actor(args, lambda cs, actor, _st: documents.seed_catalogue(cs, actor))
    print(f"published {made} catalogue records")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = documents.list_documents(session, args.kind, args.all, actor.user_id)
    if args.json:
        print_json(rows)
    else:
        print_table(("CODE", "KIND", "EDITION", "EFFECTIVE", "STATUS", "READ", "TITLE"),
                    [(r["code"], documents.KINDS[r["kind"]][0], r["edition"], r["effective_date"], r["status"],
                      "yes" if r.get("read") else "", r["title"]) for r in rows], empty="(the library is empty)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        doc = documents.get_document(session, args.ref)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            for f in doc["files"]:
                (args.save / Path(f["name"]).name).write_bytes(documents.file_content(session, f["id"]))
    if args.json:
        print_json(doc)
        return 0
    print_fields([("code", doc["code"]), ("title", doc["title"]), ("kind", documents.KINDS[doc["kind"]][0]),
                  ("edition", doc["edition"]), ("effective", doc["effective_date"]), ("status", doc["status"]),
                  ("issued by", doc["issuing_unit"]), ("summary", doc["summary"]),
                  ("files", ", ".join(f"{f['name']} ({f['size']} B)" for f in doc["files"])),
                  ("editions", ", ".join(f"{e['edition']} ({e['status']})" for e in doc["editions"]))])
    if args.save:
        print(f"saved {len(doc['files'])} files to {args.save}")
    return 0


def run_read(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, _st: documents.acknowledge(cs, actor, args.ref))
    print(f"read acknowledged at {local_time(row['read_at'])}")
    return 0


def run_unread(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        report = documents.unread_report(session, args.ref, args.org)
    if args.json:
        print_json(report)
        return 0
    print(f"{report['code']} {report['edition']} {report['title']} — {args.org}: "
          f"{len(report['read'])} read, {len(report['unread'])} not yet")
    print_table(("NOT READ", "NAME", "ORG"), [(p["username"], p["full_name"], p["org_path"])
                                            for p in report["unread"]], empty="(everyone has read it)")
    return 0
