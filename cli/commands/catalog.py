"""``itops catalog``: the reference data of the service processes — services, catalogue items, SLA targets,
calendars, suppliers, contracts, business units, capacity thresholds (kinds in resources/catalog.yaml)."""

from __future__ import annotations

import argparse

from cli.fields import add_field_arg, parse_fields
from cli.output import print_fields, print_json, print_table
from cli.parser import add_subcommands
from cli.target import add_owner_arg, opened, owner_for, resolve_actor, store_command, write_as_actor
from shared.processes.calendar import china_today
from shared.services import catalog


def register(subparsers: argparse._SubParsersAction) -> None:
    kinds = ", ".join(catalog.kinds())
    parser = subparsers.add_parser("catalog", help="service catalogue, SLAs, suppliers, business units …",
                                   description=f"Reference data of the service processes. Kinds: {kinds}.")
    sub = add_subcommands(parser, "catalog_command")

    p = store_command(sub, "list", "entries that apply to the acting user and those they manage", run_list)
    p.add_argument("kind", nargs="?", help=f"one kind ({kinds})")
    p = store_command(sub, "fields", "the fields of a kind", run_fields)
    p.add_argument("kind")
    p = store_command(sub, "add", "add an entry", run_add)
    p.add_argument("kind")
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--name-en", default="")
    add_owner_arg(p)
    add_field_arg(p)
    p = store_command(sub, "update", "change an entry's name, active flag or fields", run_update)
    p.add_argument("id", metavar="ID")
    add_field_arg(p, required=True)
    p = store_command(sub, "delete", "delete an entry", run_delete)
    p.add_argument("id", metavar="ID")
    p = store_command(sub, "expiring", "contracts expiring within --days (90)", run_expiring)
    p.add_argument("--days", type=int, default=90)
    store_command(sub, "satisfaction", "follow-up survey results per business unit", run_satisfaction)


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = catalog.list_entries(session, actor, args.kind)
    if args.json:
        print_json(rows)
    else:
        print_table(("KIND", "CODE", "NAME", "OWNER", "FIELDS"), [
            (r["kind"], r["code"], r["name"], r["owner_path"],
             " ".join(f"{k}={v}" for k, v in sorted((r["data"] or {}).items()))) for r in rows], empty="(none)")
    return 0


def run_fields(args: argparse.Namespace) -> int:
    fields = catalog.kind_fields(args.kind)
    if args.json:
        print_json(fields)
    else:
        print_table(("FIELD", "TYPE", "LABEL", "CHOICES"), [
            (name, f["type"], f"{f['zh']} / {f['en']}", " ".join(f.get("choices", {})))
            for name, f in fields.items()])
    return 0


def run_add(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: catalog.create_entry(
        cs, actor, args.kind, args.code, args.name, fields, owner_for(st, actor, args.org), args.name_en))
    return _print(args, row, "added")


def run_update(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: catalog.update_entry(cs, actor, args.id, fields))
    return _print(args, row, "updated")


def run_delete(args: argparse.Namespace) -> int:
    write_as_actor(args, lambda cs, actor, st: catalog.delete_entry(cs, actor, args.id))
    print(f"deleted {args.id}")
    return 0


def _print(args: argparse.Namespace, row: dict, verb: str) -> int:
    if args.json:
        print_json(row)
    else:
        print(f"{verb} {row['kind']} {row['code']} ({row['id']})")
        print_fields([(k, v) for k, v in sorted((row["data"] or {}).items())])
    return 0


def run_expiring(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = catalog.contracts_expiring(session, actor, china_today(), args.days)
    if args.json:
        print_json(rows)
    else:
        print_table(("CONTRACT", "NAME", "SUPPLIER", "EXPIRES", "DAYS LEFT"), [
            (r["code"], r["name"], r["data"].get("supplier", ""), r["data"].get("end", ""), r["days_left"])
            for r in rows], empty="(no contract expires soon)")
    return 0


def run_satisfaction(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = catalog.satisfaction_by_business_unit(session, actor)
    if args.json:
        print_json(rows)
    else:
        print_table(("UNIT", "NAME", "SURVEYS", "AVERAGE (1 best)", "SATISFIED %"), [
            (r["business_unit"], r["name"], r["surveys"], r["average"], r["satisfied_percent"]) for r in rows],
            empty="(no surveys yet)")
    return 0
