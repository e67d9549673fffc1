"""CMDB data in and out: ``itops import cis`` (CSV/XLSX with a column mapping and a dry run),
``itops import netbox``, ``itops export cis`` (CSV/XLSX of any CI list) and ``itops collect``
(auto-collection of this computer into its terminal CI)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.errors import CliError
from cli.output import print_json, print_table
from cli.target import add_owner_arg, add_target_args, add_user_arg, opened, owner_for, resolve_actor, write_as_actor
from shared.cmdb import collect, netbox, tabular
from shared.services.errors import Invalid


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("collect", help="auto-collect this computer into its terminal CI (自动采集)",
                              description="Read this computer (host name, OS, CPU, memory, disks, network "
                                          "interfaces with IP and MAC, serial where readable) and create its "
                                          "terminal CI, or compare with it: differences are shown to be "
                                          "confirmed (--confirm) or reported as an unauthorised change "
                                          "(--report opens an incident).")
    _common(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--confirm", action="store_true", help="write the differences (an authorised change)")
    group.add_argument("--report", action="store_true", help="open an incident for the differences")
    p.set_defaults(func=run_collect)


def register_import(kinds: argparse._SubParsersAction) -> None:
    p = kinds.add_parser("cis", help="CIs from a CSV or XLSX file",
                         description="Import CIs from a .csv or .xlsx file (first sheet, first row = headers). "
                                     "Headers are matched to fields by code or label (类别/class, 名称/name, "
                                     "资产编号/asset_tag …); --map HEADER=FIELD maps the others. Rows with an "
                                     "existing asset tag update that CI. Every row is checked first; if any "
                                     "row is rejected nothing is imported. --dry-run only reports.")
    _common(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD", help="column mapping")
    p.add_argument("--dry-run", action="store_true", help="report what would be created, updated, rejected")
    p.set_defaults(func=run_import_cis)

    p = kinds.add_parser("netbox", help="a NetBox dump (dumpdata JSON): sites, racks, devices, cables, VMs",
                         description="Import a NetBox dumpdata JSON file: sites → machine rooms, racks, "
                                     "devices placed at their U, cables → relations, clusters and VMs. "
                                     "Importing again updates the same CIs.")
    _common(p)
    p.add_argument("file", type=Path, metavar="FILE")
    add_owner_arg(p)
    p.set_defaults(func=run_import_netbox)


def register_export(kinds: argparse._SubParsersAction) -> None:
    p = kinds.add_parser("cis", help="CIs to a CSV or XLSX file",
                         description="Export the CIs in the acting user's scope (optionally one class and its "
                                     "subclasses, or a location) to FILE (.csv or .xlsx); the file imports "
                                     "back with `itops import cis`.")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--class", dest="ci_class", help="only this class (and its subclasses)")
    p.add_argument("--location", help="only CIs whose location contains this text")
    p.set_defaults(func=run_export_cis)


def _common(parser: argparse.ArgumentParser) -> None:
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def _mapping(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        header, sep, target = item.partition("=")
        if not sep or not header.strip() or not target.strip():
            raise CliError(f"bad --map {item!r}: expected HEADER=FIELD, e.g. 设备名称=name")
        out[header.strip()] = target.strip()
    return out


def run_import_cis(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"no file {args.file}")
    mapping = _mapping(args.map)
    headers, rows = tabular.read_table(args.file)
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            plan = tabular.plan(session, actor, headers, rows, mapping)
        if plan.ok and not args.dry_run:
            with store.write(actor.user_id) as cs:
                tabular.apply(cs, actor, plan)
    _print_plan(args, plan)
    if not plan.ok and not args.dry_run:
        first = plan.of("reject")[0]
        raise Invalid(f"{len(plan.of('reject'))} rows rejected (first: row {first.row}: {first.reason}); "
                      f"nothing imported")
    return 0


def _print_plan(args: argparse.Namespace, plan: tabular.ImportPlan) -> None:
    summary = plan.summary()
    if args.json:
        print_json({"dry_run": args.dry_run, "imported": plan.ok and not args.dry_run, **summary,
                    "mapping": plan.mapping, "ignored": plan.ignored,
                    "rows": [{"row": r.row, "action": r.action, "name": r.name, "class": r.ci_class,
                              "reason": r.reason} for r in plan.rows]})
        return
    verb = "would be" if args.dry_run or not plan.ok else "were"
    print(f"{summary['create']} CIs {verb} created, {summary['update']} updated, {summary['unchanged']} "
          f"unchanged, {summary['reject']} rejected")
    if plan.ignored:
        print(f"ignored columns: {', '.join(plan.ignored)}")
    rejected = plan.of("reject")
    if rejected:
        print_table(("ROW", "NAME", "REASON"), [(r.row, r.name, r.reason) for r in rejected])


def run_import_netbox(args: argparse.Namespace) -> int:
    if not args.file.is_file():
        raise CliError(f"no file {args.file}")
    try:
        report = write_as_actor(args, lambda cs, actor, st: netbox.import_netbox(
            cs, actor, args.file, owner_for(st, actor, args.org)))
    except (ValueError, KeyError) as exc:
        raise CliError(f"{args.file} is not a NetBox dumpdata file ({exc})") from None
    if args.json:
        print_json(report.as_dict())
        return 0
    created = ", ".join(f"{n} {c}" for c, n in sorted(report.created.items())) or "none"
    updated = sum(report.updated.values())
    relations = ", ".join(f"{n} {r}" for r, n in sorted(report.relations.items())) or "none"
    print(f"created: {created}; updated: {updated}; relations: {relations}; placed in racks: {report.placed}")
    if report.skipped:
        print(f"skipped {len(report.skipped)} links (circuits, open cable ends, peer links)")
    return 0


def run_export_cis(args: argparse.Namespace) -> int:
    with opened(args) as store:
        count = tabular.export_cis(store, resolve_actor(store, args.user), args.file, args.ci_class, args.location)
    print(f"exported {count} CIs to {args.file}")
    return 0


def run_collect(args: argparse.Namespace) -> int:
    facts = collect.collect_facts()
    result = write_as_actor(args, lambda cs, actor, st: collect.record(cs, actor, facts, args.confirm,
                                                                        args.report))
    if args.json:
        print_json({**result.__dict__, "facts": facts})
        return 0
    if result.created:
        print(f"created terminal CI {result.name} ({facts['os']}, {facts['memory_gb']} GB, {facts['ip'] or 'no IP'})")
    elif not result.differences:
        print(f"{result.name}: matches the CMDB")
    else:
        print(f"{result.name}: {len(result.differences)} differences from the CMDB")
        rows: list[tuple[Any, ...]] = [(k, old or "—", new) for k, (old, new) in sorted(result.differences.items())]
        print_table(("FIELD", "CMDB", "COLLECTED"), rows)
        if result.applied:
            print("confirmed: the CMDB now holds the collected values")
        elif result.incident:
            print(f"reported as an unauthorised change: {result.incident}")
        else:
            print("confirm with --confirm (authorised change) or --report (unauthorised change)")
    return 0
