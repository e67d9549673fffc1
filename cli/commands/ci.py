"""``itops ci``: configuration items and their relations (the CMDB)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cli.fields import add_field_arg, parse_fields
from cli.output import print_fields, print_json, print_table
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
from shared.cmdb import history, impact, lifecycle, racks
from shared.cmdb.classes import registry
from shared.cmdb.states import state_label
from shared.models.cmdb import RELATION_TYPES, ConfigItem
from shared.services import cmdb
from shared.services.attachments import attachment_content

ACTOR_NOTE = ("The acting user is --user, else the store's top administrator in scope, else the first "
              "user of the store's own org unit. A CI is named by its id or its asset tag.")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ci", help="configuration items (CMDB)",
                                   description="Configuration items and relations. " + ACTOR_NOTE)
    sub = add_subcommands(parser, "ci_command")

    p = sub.add_parser("create", help="create a CI", description="Create a configuration item. " + ACTOR_NOTE)
    _common(p)
    p.add_argument("--class", dest="ci_class", required=True, help="e.g. server, terminal, printer, network")
    p.add_argument("--name", required=True)
    add_owner_arg(p)
    add_field_arg(p, what="column (asset_tag, ip, brand …) or attribute")
    p.set_defaults(func=run_create)

    p = sub.add_parser("update", help="change fields of a CI",
                       description="Change fields of a CI. " + ACTOR_NOTE)
    _common(p)
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    add_field_arg(p, required=True, what="column or attribute")
    p.set_defaults(func=run_update)

    types = ", ".join(f"{k} ({zh})" for k, (zh, _en) in RELATION_TYPES.items())
    for name, func, verb in (("link", run_link, "relate"), ("unlink", run_unlink, "remove the relation")):
        p = sub.add_parser(name, help=f"{verb} SRC → DST",
                           description=f"{verb.capitalize()} SRC → DST of a type: {types}.")
        _common(p, "print the relation as JSON")
        p.add_argument("source", metavar="SRC", help="CI id or asset tag")
        p.add_argument("target", metavar="DST", help="CI id or asset tag")
        p.add_argument("--type", dest="rel_type", required=True, choices=list(RELATION_TYPES))
        p.set_defaults(func=func)

    p = sub.add_parser("show", help="show a CI and its relations", description="Show a CI and its relations.")
    _common(p)
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    p.set_defaults(func=run_show)

    p = sub.add_parser("list", help="list CIs", description="List CIs in the acting user's scope by class "
                       "and name: a page of --limit (50) or everything with --all.")
    _common(p, "print a JSON array")
    p.add_argument("--class", dest="ci_class", help="only this class")
    p.add_argument("--all", action="store_true", help="every CI, not one page")
    p.add_argument("--limit", type=count, default=50, help="page size (default 50)")
    p.add_argument("--offset", type=count, default=0, help="skip this many CIs")
    p.add_argument("--location", help="only CIs whose location contains this text")
    p.set_defaults(func=run_list)

    _register_cmdb(sub)


def _common(parser: argparse.ArgumentParser, json_help: str = "print the CI as JSON") -> None:
    add_target_args(parser)
    add_user_arg(parser)
    parser.add_argument("--json", action="store_true", help=json_help)


def run_create(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: cmdb.create_ci(
        cs, actor, args.ci_class, args.name, fields, owner_path=owner_for(st, actor, args.org)))
    return _print_row(args, row, "created")


def run_update(args: argparse.Namespace) -> int:
    fields = parse_fields(args.field)
    row = write_as_actor(args, lambda cs, actor, st: cmdb.update_ci(cs, actor, args.id, fields))
    return _print_row(args, row, "updated")


def run_link(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: cmdb.link_ci(cs, actor, args.source, args.target,
                                                                   args.rel_type))
    if args.json:
        print_json(row)
    else:
        print(f"linked {args.source} —{args.rel_type}→ {args.target}")
    return 0


def run_unlink(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.write(actor.user_id) as cs:
            cmdb.unlink_ci(cs, actor, args.source, args.target, args.rel_type)
    if args.json:
        print_json({"source": args.source, "target": args.target, "rel_type": args.rel_type, "deleted": True})
    else:
        print(f"unlinked {args.source} —{args.rel_type}→ {args.target}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = cmdb.get_ci(session, actor, args.id)
            names = _names(session, [r[k] for r in row["relations"] for k in ("source_id", "target_id")])
    if args.json:
        print_json(row)
    else:
        _print_ci(row, names)
    return 0


def _names(session: Session, ids: list[str]) -> dict[str, str]:
    """id → "asset tag name" of the CIs at the other end of the relations (those in this store)."""
    if not ids:
        return {}
    rows = session.scalars(select(ConfigItem).where(ConfigItem.id.in_(set(ids))))
    return {r.id: f"{r.asset_tag or r.id} {r.name}" for r in rows}


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = cmdb.list_cis(session, actor, args.ci_class, limit=None if args.all else args.limit,
                                 offset=args.offset, location=args.location)
    if args.json:
        print_json(rows)
    else:
        print_table(("ASSET TAG", "CLASS", "NAME", "STATUS", "IP", "ORG"),
                    [(r["asset_tag"] or r["id"][:8], r["ci_class"], r["name"], r["status"], r["ip"],
                      r["owner_path"]) for r in rows], empty="(no configuration items)")
    return 0


def _print_row(args: argparse.Namespace, row: dict[str, Any], verb: str) -> int:
    if args.json:
        print_json(row)
    else:
        print(f"{verb} {row['ci_class']} {row['asset_tag'] or row['id']} {row['name']}")
    return 0


def _print_ci(row: dict[str, Any], names: dict[str, str]) -> None:
    print(f"{row['name']}  [{row['ci_class']}]")
    print_fields([
        ("id", row["id"]), ("asset_tag", row["asset_tag"]), ("status", row["status"]),
        ("org", row["owner_path"]), ("brand", row["brand"]), ("model", row["model"]),
        ("serial", row["serial"]), ("ip", row["ip"]), ("location", row["location"]),
        ("owner_id", row["owner_id"]), ("description", row["description"]),
        *((f"attributes.{k}", v) for k, v in sorted((row["attributes"] or {}).items())),
    ])
    print("relations")
    for rel in row["relations"]:
        outgoing = rel["source_id"] == row["id"]
        other = rel["target_id"] if outgoing else rel["source_id"]
        zh = RELATION_TYPES.get(rel["rel_type"], (rel["rel_type"],))[0]
        arrow = f"—{rel['rel_type']} ({zh})→" if outgoing else f"←{rel['rel_type']} ({zh})—"
        print(f"  {arrow} {names.get(other, other)}")
    if not row["relations"]:
        print("  (none)")


# -- impact, lifecycle, 履历, racks, classes ---------------------------------------------------------------

def _register_cmdb(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("impact", help="impact analysis of CIs failing (or what they depend on)",
                       description="Down: what breaks if these CIs fail (redundancy honoured). Up: what they "
                                   "depend on. Stops at --cap CIs with a warning.")
    _common(p, "print the result as JSON")
    p.add_argument("ids", metavar="ID", nargs="+", help="CI id or asset tag")
    p.add_argument("--up", action="store_true", help="what these CIs depend on (default: what depends on them)")
    p.add_argument("--depth", type=count, default=3, help="relation hops to follow (default 3)")
    p.add_argument("--cap", type=count, default=50, help="list at most this many CIs (default 50)")
    p.set_defaults(func=run_impact)

    names = ", ".join(f"{a.code} ({a.zh})" for a in lifecycle.actions().values())
    p = sub.add_parser("lifecycle", help="lifecycle action: commission, decommission, handover …",
                       description=f"Run a lifecycle action on a CI, with its form as --field NAME=VALUE "
                                   f"(checklists: comma-separated items, or 'all'). Each action writes a PDF "
                                   f"record attached to the CI. Without ACTION: the actions allowed now and "
                                   f"their forms. Actions: {names}. " + ACTOR_NOTE)
    _common(p, "print the record as JSON")
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    p.add_argument("action", metavar="ACTION", nargs="?", help="the action code")
    add_field_arg(p, what="form field")
    p.add_argument("--pdf", type=Path, metavar="FILE", help="also save the PDF record to FILE")
    p.set_defaults(func=run_lifecycle)

    p = sub.add_parser("history", help="the CI's 履历 (service history)",
                       description="Every commissioning, change, incident, inspection, move and "
                                   "decommissioning of a CI, read from the records themselves.")
    _common(p, "print the timeline as JSON")
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    p.set_defaults(func=run_history)

    p = sub.add_parser("place", help="put a CI into a rack at a U position",
                       description="Put a CI into a rack at U (its lowest U) for its height (attribute "
                                   "u_height, or --height). A U already taken is refused.")
    _common(p, "print the placement as JSON")
    p.add_argument("id", metavar="ID", help="CI id or asset tag")
    p.add_argument("rack", metavar="RACK", help="rack id or asset tag")
    p.add_argument("u", metavar="U", type=int, help="lowest U")
    p.add_argument("--height", type=int, help="units (default: the CI's u_height, else 1)")
    p.set_defaults(func=run_place)

    p = sub.add_parser("classes", help="the CI class tree and attributes",
                       description="The CI classes in force on this node (built-in and HQ-defined).")
    _common(p, "print the classes as JSON")
    p.add_argument("--class", dest="ci_class", help="show one class with its inherited attributes")
    p.set_defaults(func=run_classes)

    p = sub.add_parser("define-class", help="(HQ admin) add a CI class or attributes to one",
                       description="Define a CI class, or add attributes to an existing one; the definition "
                                   "is owned by /HQ/ and reaches every node. --attr CODE:TYPE[:required]"
                                   "[:unique][:label] (enum: CODE:enum=A|B|C).")
    _common(p, "print the definition as JSON")
    p.add_argument("code", metavar="CODE")
    p.add_argument("--parent", default="ci", help="parent class (default ci)")
    p.add_argument("--zh", default="", help="Chinese label")
    p.add_argument("--en", default="", help="English label")
    p.add_argument("--attr", action="append", default=[], metavar="SPEC", help="an attribute (repeatable)")
    p.set_defaults(func=run_define_class)


def run_impact(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            ids = [cmdb.get_ci(session, actor, ref)["id"] for ref in args.ids]
            result = impact.analyse(session, ids, "up" if args.up else "down", args.depth, args.cap)
            names = _names(session, ids)
    if args.json:
        print_json({"direction": result.direction, "truncated": result.truncated, "warning": result.warning,
                    "spared": result.spared,
                    "items": [{"id": i.ci_id, "name": i.name, "class": i.ci_class, "depth": i.depth,
                               "path": list(i.path), "status": i.status} for i in result.items]})
        return 0
    what = "it depends on" if args.up else "impacted"
    print(f"{', '.join(names.get(i, i) for i in ids)}: {len(result.items)} CIs {what} (depth {args.depth})")
    print_table(("DEPTH", "CLASS", "NAME", "STATUS"),
                [(i.depth, i.ci_class, i.name, i.status) for i in result.items], empty="(none)")
    if result.spared:
        print(f"kept up by redundancy: {len(result.spared)}")
    if result.warning:
        print(f"warning: {result.warning}")
    return 0


def run_lifecycle(args: argparse.Namespace) -> int:
    if not args.action:
        with opened(args) as store:
            actor = resolve_actor(store, args.user)
            with store.read() as session:
                row = cmdb.get_ci(session, actor, args.id)
        print(f"{row['name']}: {state_label(row['status'])}")
        for act in lifecycle.available(row):
            form = ", ".join(f"{f.code}{'*' if f.required else ''}" + (
                f"[{'|'.join(i[0] for i in f.items)}]" if f.items else "") for f in act.form)
            print(f"  {act.code} ({act.zh}) → {state_label(act.target or row['status'])}: {form}")
        return 0
    values = parse_fields(args.field)
    record = write_as_actor(args, lambda cs, actor, st: lifecycle.perform(cs, actor, args.id, args.action, values))
    if args.pdf:
        with opened(args) as store, store.read() as session:
            args.pdf.write_bytes(attachment_content(session, record["attachment_id"]))
    if args.json:
        print_json(record)
    else:
        print(f"{record['number']} {lifecycle.action(args.action).zh}: "
              f"{state_label(record['from_state'])} → {state_label(record['to_state'])}"
              + (f" (PDF saved to {args.pdf})" if args.pdf else ""))
    return 0


def run_history(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            row = cmdb.get_ci(session, actor, args.id)
            entries = [e.as_dict() for e in history.timeline(session, row["id"])]
    if args.json:
        print_json(entries)
        return 0
    print(f"履历 {row['name']} ({row['asset_tag'] or row['id']})")
    print_table(("WHEN", "WHAT", "DETAIL"), [(e["at"][:16].replace("T", " "), e["title"], e["detail"])
                                             for e in entries])
    return 0


def run_place(args: argparse.Namespace) -> int:
    placed = write_as_actor(args, lambda cs, actor, st: racks.place(cs, actor, args.id, args.rack, args.u,
                                                                     args.height))
    if args.json:
        print_json(placed)
    else:
        print(f"placed {args.id} at {placed['location']}")
    return 0


def run_classes(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        reg = registry(session)
    chosen = [reg.get(args.ci_class)] if args.ci_class else list(reg.classes.values())
    if args.json:
        print_json([{"code": c.code, "parent": c.parent, "zh": c.zh, "en": c.en, "abstract": c.abstract,
                     "attributes": [a.__dict__ for a in reg.attributes(c.code)]} for c in chosen])
        return 0
    if args.ci_class:
        print_table(("ATTRIBUTE", "LABEL", "TYPE", "RULES"),
                    [(a.code, a.zh, a.type, " ".join(filter(None, ("required" if a.required else "", "unique" if
                      a.unique else "", "|".join(a.values))))) for a in reg.attributes(chosen[0].code)])
        return 0
    for c in chosen:
        depth = len(reg.lineage(c.code)) - 1
        print(f"{'  ' * depth}{c.code} {c.zh} / {c.en}{' (abstract)' if c.abstract else ''}")
    return 0


def _attr_spec(spec: str) -> dict[str, Any]:
    parts = spec.split(":")
    code, kind = parts[0], (parts[1] if len(parts) > 1 else "str")
    out: dict[str, Any] = {"code": code, "type": kind}
    if kind.startswith("enum="):
        out["type"], out["values"] = "enum", kind[5:].split("|")
    for flag in parts[2:]:
        if flag in ("required", "unique"):
            out[flag] = True
        elif flag:
            out["label"] = {"zh": flag, "en": code}
    return out


def run_define_class(args: argparse.Namespace) -> int:
    attrs = [_attr_spec(s) for s in args.attr]
    row = write_as_actor(args, lambda cs, actor, st: cmdb.define_class(cs, actor, args.code, args.parent,
                                                                        args.zh, args.en, attrs))
    if args.json:
        print_json(row)
    else:
        print(f"defined {row['code']} ({row['label_zh']}) with {len(row['attributes'])} own attributes")
    return 0
