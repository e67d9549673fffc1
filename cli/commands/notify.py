"""``itops notify``: email / SMS settings of a server, the worker that sends, the delivery log,
preferences and the in-app list."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.errors import CliError
from cli.output import local_time, print_json, print_table
from cli.parser import add_subcommands, count
from cli.target import add_db_arg, add_target_args, add_user_arg, opened, require_server, resolve_actor
from shared.integrations.settings import get_setting, update_setting
from shared.integrations.worker import run_forever, run_once
from shared.services import notifications


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("notify", help="notifications by email and SMS",
                                   description="Notifications: channel settings, the sending worker, the "
                                               "delivery log, per-person preferences and the in-app list.")
    sub = add_subcommands(parser, "notify_command")

    p = sub.add_parser("config", help="show or set SMTP / SMS gateway / syslog settings",
                       description="Show (no options) or change one integration's settings, stored in this "
                                   "server database. The SMS gateway is an HTTP template: see docs/integrations.md.")
    add_db_arg(p)
    p.add_argument("channel", choices=("smtp", "sms", "syslog"))
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="a setting (repeatable); VALUE may be JSON (numbers, lists, objects); empty removes it")
    p.set_defaults(func=run_config)

    p = sub.add_parser("run", help="run the worker", description="Checks (SLA 75 %/100 %, assignments, "
                       "escalations), sends due email/SMS with retries, exports audit entries to syslog. "
                       "Loops every --interval seconds; --once does one pass.")
    add_db_arg(p)
    p.add_argument("--once", action="store_true")
    p.add_argument("--interval", type=float, default=30.0, metavar="SECONDS")
    p.set_defaults(func=run_worker)

    p = sub.add_parser("log", help="the delivery log", description="Every email and SMS with its attempts.")
    add_db_arg(p)
    p.add_argument("--status", choices=("pending", "deferred", "sent", "failed"))
    p.add_argument("--limit", type=count, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_log)

    p = sub.add_parser("prefs", help="show or set a person's preferences",
                       description="Channels per kind and quiet hours (non-P1 messages wait until they end).")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--for", dest="username", required=True, metavar="USERNAME")
    p.add_argument("--channels", action="append", default=[], metavar="KIND=email,sms",
                   help=f"kinds: {', '.join(notifications.kinds())}; an empty list means in-app only")
    p.add_argument("--quiet", metavar="HH:MM-HH:MM", help="quiet hours, e.g. 22:00-07:00; '-' for none")
    p.add_argument("--timezone", metavar="ZONE", help="e.g. Asia/Shanghai")
    p.set_defaults(func=run_prefs)

    p = sub.add_parser("list", help="a person's in-app notifications", description="In-app notifications.")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--unread", action="store_true")
    p.add_argument("--mark-read", action="store_true", help="mark them read afterwards")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_list)


def _value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def run_config(args: argparse.Namespace) -> int:
    with opened(args) as store:
        require_server(store, "notification channels")
        with store.write() as cs:
            changes: dict[str, Any] = {}
            for item in args.set:
                name, sep, value = item.partition("=")
                if not sep or not name:
                    raise CliError(f"--set wants NAME=VALUE, not {item!r}")
                changes[name] = _value(value) if value != "" else None
            value = update_setting(cs.session, args.channel, changes) if changes else \
                get_setting(cs.session, args.channel)
    shown = {k: ("********" if k in ("password",) and v else v) for k, v in value.items()}
    print_json(shown)
    return 0


def run_worker(args: argparse.Namespace) -> int:
    with opened(args) as store:
        require_server(store, "notifications")
        if args.once:
            print_json(run_once(store))
            return 0
        print(f"notification worker: a pass every {args.interval:g} s (Ctrl+C stops)", flush=True)
        run_forever(store, args.interval, lambda line: print(line, flush=True))
    return 0


def run_log(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        rows = notifications.delivery_log(session, args.status, args.limit)
    if args.json:
        print_json(rows)
    else:
        print_table(("CHANNEL", "TO", "STATUS", "TRIES", "NEXT/SENT", "TITLE", "LAST ERROR"),
                    [(r["channel"], r["address"], r["status"], r["attempts"],
                      local_time(r["sent_at"] or r["next_attempt_at"]), r["title"], r["last_error"][:60])
                     for r in rows], empty="(nothing queued or sent)")
    return 0


def run_prefs(args: argparse.Namespace) -> int:
    chosen: dict[str, list[str]] | None = None
    if args.channels:
        chosen = {}
        for item in args.channels:
            kind, sep, names = item.partition("=")
            if not sep:
                raise CliError(f"--channels wants KIND=email,sms, not {item!r}")
            chosen[kind] = [n for n in names.split(",") if n]
    quiet = None
    if args.quiet:
        quiet = ("", "") if args.quiet == "-" else tuple(args.quiet.split("-", 1))  # type: ignore[assignment]
        if len(quiet) != 2:  # type: ignore[arg-type]
            raise CliError("--quiet wants HH:MM-HH:MM")
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        if chosen is not None or quiet is not None or args.timezone:
            with store.write(actor.user_id) as cs:
                notifications.set_prefs(cs, actor, args.username, chosen, quiet, args.timezone)
        with store.read() as session:
            from shared.services.users import find_user

            prefs = notifications.get_prefs(session, find_user(session, args.username).id)
    print_json({k: prefs[k] for k in ("effective", "quiet_start", "quiet_end", "timezone")})
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store:
        actor = resolve_actor(store, args.user)
        with store.read() as session:
            rows = notifications.list_notifications(session, str(actor.user_id), unread_only=args.unread)
        if args.mark_read and rows:
            with store.write(actor.user_id) as cs:
                notifications.mark_read(cs, actor, [r["id"] for r in rows])
    if args.json:
        print_json(rows)
    else:
        print_table(("TIME", "KIND", "READ", "TITLE"),
                    [(local_time(r["created_at"]), r["kind"], "yes" if r["read_at"] else "", r["title"])
                     for r in rows], empty="(no notifications)")
    return 0
