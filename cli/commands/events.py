"""``itops events``: monitoring systems that send alerts to this server, and the alerts they sent."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from cli.errors import CliError
from cli.output import local_time, print_json, print_table
from cli.parser import add_subcommands, count
from cli.target import (
    add_db_arg,
    add_target_args,
    add_user_arg,
    opened,
    require_server,
    resolve_actor,
    write_as_actor,
)
from shared.integrations.mapping import RECOVERY_MODES, MappingError, default_document, parse_mapping
from shared.integrations.settings import get_setting, set_setting
from shared.models.cmdb import ConfigItem
from shared.services import events


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("events", help="monitoring alerts → incidents",
                                   description="API keys of the monitoring systems that POST alerts to "
                                               "/api/v1/events, the event log per CI, availability, and the "
                                               "severity × criticality table.")
    sub = add_subcommands(parser, "events_command")

    keys = sub.add_parser("key", help="API keys of sending systems", description="API keys of sending systems.")
    key_sub = add_subcommands(keys, "key_command")
    p = key_sub.add_parser("add", help="make a key (shown once)",
                           description="Make an API key for one monitoring system; it is printed once and "
                                       "stored only as a SHA-256 digest.")
    add_db_arg(p)
    p.add_argument("--name", required=True, help="the sending system, e.g. prom-gd, zabbix-sz")
    p.add_argument("--org", required=True, metavar="PATH", help="events may only reach CIs in this subtree")
    p.add_argument("--on-recovery", choices=RECOVERY_MODES,
                   help="what a resolved alert does (default: the mapping table's on_recovery)")
    p.set_defaults(func=run_key_add)
    p = key_sub.add_parser("list", help="list keys", description="List the API keys (never the keys themselves).")
    add_db_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_key_list)
    p = key_sub.add_parser("revoke", help="revoke a key", description="Revoke a sending system's key.")
    add_db_arg(p)
    p.add_argument("name")
    p.set_defaults(func=run_key_revoke)

    p = sub.add_parser("list", help="the event log", description="Received alerts and what became of them, "
                                                                  "newest first.")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--ci", metavar="NAME|ID", help="only this CI (name, id or asset tag)")
    p.add_argument("--limit", type=count, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_list)

    p = sub.add_parser("availability", help="availability of a CI from its alerts",
                       description="Share of a period without a critical or major alert firing on the CI.")
    add_target_args(p)
    p.add_argument("ci", metavar="NAME|ID")
    p.add_argument("--days", type=count, default=30, help="the last N days (default 30)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_availability)

    p = sub.add_parser("kpi", help="feed the availability indicators of a period",
                       description="Write the monitoring-based availability KPI entries (server, database, "
                                   "link, core system) of a month or quarter per org unit, from the event log.")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--period", required=True, help="2026-11 or 2026-Q4")
    p.set_defaults(func=run_kpi)

    p = sub.add_parser("mapping", help="show or replace the severity × criticality table",
                       description="Print the table in use (YAML), or store a checked copy with --file; "
                                   "--reset goes back to the shipped default.")
    add_db_arg(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--file", type=Path, help="a YAML table like shared/resources/integrations/events.yaml")
    group.add_argument("--reset", action="store_true")
    p.set_defaults(func=run_mapping)


def run_key_add(args: argparse.Namespace) -> int:
    with opened(args) as store:
        require_server(store, "event API keys")
        with store.write() as cs:
            info = events.create_key(cs.session, args.name, args.org, args.on_recovery)
    print(f"API key for {info['name']} (scope {info['org_path']}); shown once, keep it in the sender's config:")
    print(info["key"])
    return 0


def run_key_list(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        rows = events.list_keys(session)
    if args.json:
        print_json(rows)
    else:
        print_table(("NAME", "SCOPE", "ON RECOVERY", "LAST USED", "REVOKED"),
                    [(r["name"], r["org_path"], r["settings"].get("on_recovery", "(table)"),
                      local_time(r["last_used_at"]), "yes" if r["revoked"] else "") for r in rows])
    return 0


def run_key_revoke(args: argparse.Namespace) -> int:
    with opened(args) as store, store.write() as cs:
        events.revoke_key(cs.session, args.name)
    print(f"revoked the key of {args.name}")
    return 0


def _ci_id(session: object, ref: str) -> str:
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    row = session.scalar(select(ConfigItem).where(
        (ConfigItem.id == ref) | (ConfigItem.asset_tag == ref) | (ConfigItem.name == ref),
        ConfigItem.deleted.is_(False)).limit(1))
    if row is None:
        raise CliError(f"no configuration item {ref}")
    return row.id


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            ci_id = _ci_id(session, args.ci) if args.ci else None
            rows = events.list_events(session, actor, ci_id=ci_id, limit=args.limit)
    if args.json:
        print_json(rows)
        return 0
    print_table(("RECEIVED", "SOURCE", "STATUS", "SEVERITY", "HOST", "OUTCOME", "TITLE"),
                [(local_time(r["received_at"]), r["source"], r["status"], r["severity"], r["host"] or r["ip"],
                  r["outcome"], r["title"]) for r in rows], empty="(no events)")
    return 0


def run_availability(args: argparse.Namespace) -> int:
    end = datetime.now(UTC)
    with opened(args) as store, store.read() as session:
        figures = events.availability(session, _ci_id(session, args.ci), end - timedelta(days=args.days), end)
    if args.json:
        print_json(figures)
    else:
        print(f"{args.ci}: {figures['availability']:.3f} % over {args.days} days "
              f"({figures['outages']} outages, {figures['down_seconds'] / 60:.0f} minutes down)")
    return 0


def run_kpi(args: argparse.Namespace) -> int:
    rows = write_as_actor(args, lambda cs, actor, _st: events.feed_availability(cs, actor, args.period))
    print_table(("ORG", "INDICATOR", "AVAILABLE MIN", "PERIOD MIN", "%"),
                [(r["owner_path"], r["indicator"], f"{r['numerator']:g}", f"{r['denominator']:g}",
                  f"{100 * r['numerator'] / r['denominator']:.3f}") for r in rows], empty="(no monitored CIs)")
    return 0


def run_mapping(args: argparse.Namespace) -> int:
    with opened(args) as store:
        require_server(store, "the alert mapping")
        with store.write() as cs:
            if args.reset:
                set_setting(cs.session, "events_mapping", {})
                print("the shipped default table is in use again")
                return 0
            if args.file:
                try:
                    doc = yaml.safe_load(args.file.read_text(encoding="utf-8"))
                    parse_mapping(doc)
                except (yaml.YAMLError, MappingError) as exc:
                    raise CliError(f"{args.file}: {exc}") from None
                set_setting(cs.session, "events_mapping", doc)
                print(f"stored the table from {args.file}")
                return 0
            doc = get_setting(cs.session, "events_mapping") or default_document()
    print(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), end="")
    return 0
