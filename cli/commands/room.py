"""``itops room``: machine rooms (机房管理) — racks, facilities, duty log, access register, readings, calendar."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.errors import CliError
from cli.fields import add_field_arg, parse_fields
from cli.output import print_fields, print_json, print_table
from cli.parser import add_subcommands, count
from cli.target import add_owner_arg, opened, owner_for, resolve_actor, store_command, write_as_actor
from shared.processes.calendar import china_today
from shared.services import rooms

CAL_MARK = {"done": "✓", "due": "·", "overdue": "✗", "partial": "½"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("room", help="machine rooms (机房管理)",
                                   description="Machine rooms: grade, racks, facilities, duty log, access "
                                               "register, environment readings, inspection calendar. A room is "
                                               "named by id or code.")
    sub = add_subcommands(parser, "room_command")
    p = store_command(sub, "create", "create a machine room", run_create)
    p.add_argument("code")
    p.add_argument("name")
    p.add_argument("--grade", choices=rooms.GRADES, default="C")
    add_owner_arg(p)
    add_field_arg(p, what="field (address, area_m2, power_kw, cooling_kw, thresholds JSON, points JSON)")
    p = store_command(sub, "update", "change fields of a room", run_update)
    p.add_argument("room")
    add_field_arg(p, required=True, what="field (grade, address, thresholds JSON, points JSON …)")
    store_command(sub, "list", "list the rooms in scope", run_list)
    p = store_command(sub, "show", "show a room with racks and facilities", run_show)
    p.add_argument("room")
    p = store_command(sub, "rack", "add a rack", run_rack)
    p.add_argument("room")
    p.add_argument("code")
    p.add_argument("--u-total", type=count, default=42)
    p.add_argument("--u-used", type=count, default=0)
    p.add_argument("--row", default="")
    p = store_command(sub, "facility", "add a facility", run_facility)
    p.add_argument("room")
    p.add_argument("kind", choices=list(rooms.FACILITY_KINDS))
    p.add_argument("name")
    p.add_argument("--model", default="")
    p.add_argument("--vendor", default="")
    p = store_command(sub, "duty", "write a duty-log line (with --handover-to: the shift hand-over), or list the log",
             run_duty)
    p.add_argument("room")
    p.add_argument("text", nargs="?", help="the entry (omit to list the log)")
    p.add_argument("--shift", default="")
    p.add_argument("--handover-to", default="")
    p.add_argument("--open-issues", default="")
    p = store_command(sub, "visit", "register a visitor entering (or list the register)", run_visit)
    p.add_argument("room")
    p.add_argument("--visitor")
    p.add_argument("--escort")
    p.add_argument("--purpose", default="")
    p.add_argument("--company", default="")
    p = store_command(sub, "leave", "register a visitor leaving", run_leave)
    p.add_argument("entry", help="the access-register entry id")
    p = store_command(sub, "reading", "log an environment reading", run_reading)
    p.add_argument("room")
    p.add_argument("--temperature", type=float)
    p.add_argument("--humidity", type=float)
    p.add_argument("--point", default="")
    p = store_command(sub, "readings", "environment readings over time", run_readings)
    p.add_argument("room")
    p = store_command(sub, "calendar", "daily-inspection calendar of a month (✓ done · due ✗ overdue ½ partial)",
             run_calendar)
    p.add_argument("room")
    p.add_argument("--month", default=china_today().strftime("%Y-%m"))


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    fields: dict[str, Any] = dict(parse_fields(args.field))
    for key in ("thresholds", "points"):
        if key in fields:
            try:
                fields[key] = json.loads(fields[key])
            except json.JSONDecodeError as exc:
                raise CliError(f"{key} is JSON, e.g. {{\"A_TEMP\": {{\"normal\": [22, 24]}}}}: {exc}") from None
    return fields


def run_create(args: argparse.Namespace) -> int:
    fields = _fields(args)
    row = write_as_actor(args, lambda cs, actor, st: rooms.create_room(
        cs, actor, args.code, args.name, args.grade, fields, owner_for(st, actor, args.org)))
    print_json(row) if args.json else print(f"created room {row['code']} {row['name']} ({row['grade']})")
    return 0


def run_update(args: argparse.Namespace) -> int:
    fields = _fields(args)
    row = write_as_actor(args, lambda cs, actor, st: rooms.update_room(cs, actor, args.room, fields))
    print_json(row) if args.json else print(f"updated room {row['code']}")
    return 0


def _read(args: argparse.Namespace, fn: Any) -> Any:
    with opened(args) as store, store.read() as session:
        return fn(session, resolve_actor(store, args.user))


def run_list(args: argparse.Namespace) -> int:
    rows = _read(args, rooms.list_rooms)
    if args.json:
        print_json(rows)
    else:
        print_table(("CODE", "NAME", "GRADE", "ADDRESS", "ORG"),
                    [(r["code"], r["name"], r["grade"], r["address"], r["owner_path"]) for r in rows],
                    empty="(no machine rooms)")
    return 0


def run_show(args: argparse.Namespace) -> int:
    room = _read(args, lambda s, a: rooms.room_details(s, a, args.room))
    if args.json:
        print_json(room)
        return 0
    print(f"{room['code']} {room['name']}  [{room['grade']}级]")
    print_fields([("id", room["id"]), ("org", room["owner_path"]), ("address", room["address"]),
                  ("area_m2", room["area_m2"]), ("U utilisation %", room["u_utilisation"]),
                  ("thresholds", json.dumps(room["thresholds"], ensure_ascii=False) if room["thresholds"] else ""),
                  ("points", json.dumps(room["points"], ensure_ascii=False) if room["points"] else "")])
    print_table(("RACK", "ROW", "U USED", "U TOTAL"),
                [(r["code"], r["row"], r["u_used"], r["u_total"]) for r in room["racks"]], empty="(no racks)")
    print_table(("FACILITY", "KIND", "MODEL", "VENDOR"),
                [(f["name"], rooms.FACILITY_KINDS.get(f["kind"], f["kind"]), f["model"], f["vendor"])
                 for f in room["facilities"]], empty="(no facilities)")
    return 0


def run_rack(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: rooms.add_rack(cs, actor, args.room, args.code, args.u_total,
                                                                    args.u_used, row=args.row))
    print_json(row) if args.json else print(f"added rack {row['code']}")
    return 0


def run_facility(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: rooms.add_facility(cs, actor, args.room, args.kind, args.name,
                                                                        args.model, args.vendor))
    print_json(row) if args.json else print(f"added {row['kind']} {row['name']}")
    return 0


def run_duty(args: argparse.Namespace) -> int:
    if args.text:
        row = write_as_actor(args, lambda cs, actor, st: rooms.add_duty_entry(
            cs, actor, args.room, args.shift, args.text, args.handover_to, args.open_issues))
        print_json(row) if args.json else print("duty-log entry written")
        return 0
    rows = _read(args, lambda s, a: rooms.duty_log(s, a, args.room))
    if args.json:
        print_json(rows)
    else:
        print_table(("TIME", "SHIFT", "ENTRY", "HANDOVER TO", "OPEN ISSUES"),
                    [(r["created_at"][:16], r["data"].get("shift", ""), r["body"], r["data"].get("handover_to", ""),
                      r["data"].get("open_issues", "")) for r in rows], empty="(empty duty log)")
    return 0


def run_visit(args: argparse.Namespace) -> int:
    if args.visitor:
        row = write_as_actor(args, lambda cs, actor, st: rooms.register_entry(
            cs, actor, args.room, args.visitor, args.escort or "", args.purpose, args.company))
        print_json(row) if args.json else print(f"entry {row['id']} registered")
        return 0
    rows = _read(args, lambda s, a: rooms.access_register(s, a, args.room))
    if args.json:
        print_json(rows)
    else:
        print_table(("ENTRY", "VISITOR", "COMPANY", "ESCORT", "PURPOSE", "IN", "OUT"),
                    [(r["id"][:8], r["data"]["visitor"], r["data"].get("company", ""), r["data"]["escort"],
                      r["data"].get("purpose", ""), r["data"]["time_in"][:16], (r["time_out"] or "inside")[:16])
                     for r in rows], empty="(no visitors)")
    return 0


def run_leave(args: argparse.Namespace) -> int:
    write_as_actor(args, lambda cs, actor, st: rooms.register_exit(cs, actor, args.entry))
    print("exit registered")
    return 0


def run_reading(args: argparse.Namespace) -> int:
    write_as_actor(args, lambda cs, actor, st: rooms.add_reading(cs, actor, args.room, args.temperature,
                                                                 args.humidity, args.point))
    print("reading logged")
    return 0


def run_readings(args: argparse.Namespace) -> int:
    rows = _read(args, lambda s, a: rooms.readings(s, a, args.room))
    if args.json:
        print_json(rows)
    else:
        print_table(("TIME", "TEMPERATURE °C", "HUMIDITY %RH", "SOURCE"),
                    [(str(r["at"])[:16], r["temperature"], r["humidity"], r["source"]) for r in rows],
                    empty="(no readings)")
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    days = _read(args, lambda s, a: rooms.inspection_calendar(s, a, args.room, args.month))
    if args.json:
        print_json(days)
        return 0
    for day, status in sorted(days.items()):
        print(f"{day} {CAL_MARK[status]} {status}")
    if not days:
        print("(no inspections planned or done this month)")
    return 0
