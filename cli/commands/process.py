"""``itops process``: the process definitions — states, actions, who may run them, required fields, SLA."""

from __future__ import annotations

import argparse

from cli.output import print_json, print_table
from cli.parser import add_subcommands
from shared.processes.engine import process, processes


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("process", help="process definitions (states, actions, roles)",
                                   description="The workflow definitions read from resources/processes.")
    sub = add_subcommands(parser, "process_command")
    p = sub.add_parser("list", help="every process", description="Every process.")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_list)
    p = sub.add_parser("show", help="a process's states and actions", description="A process's states and actions.")
    p.add_argument("code")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run_show)


def run_list(args: argparse.Namespace) -> int:
    rows = [(p.code, p.prefix, p.name["zh"], p.name["en"], len(p.states), len(p.transitions))
            for p in processes().values()]
    if args.json:
        print_json([{"code": r[0], "prefix": r[1], "name": {"zh": r[2], "en": r[3]}} for r in rows])
    else:
        print_table(("CODE", "PREFIX", "名称", "NAME", "STATES", "ACTIONS"), rows)
    return 0


def run_show(args: argparse.Namespace) -> int:
    proc = process(args.code)
    lang = args.lang
    if args.json:
        print_json({"code": proc.code, "states": {s.code: {"label": s.label, "phase": s.phase, "line": s.line}
                                                  for s in proc.states.values()},
                    "actions": [{"action": t.action, "from": t.sources, "to": t.target, "label": t.label,
                                 "roles": t.roles, "require": t.required, "when": t.when} for t in proc.transitions],
                    "sla": proc.sla})
        return 0
    print(f"{proc.name[lang]} ({proc.code}), numbers {proc.prefix}-…")
    print_table(("STATE", "LABEL", "PHASE", "LINE"),
                [(s.code, s.label[lang], s.phase, s.line or "") for s in proc.states.values()])
    print_table(("ACTION", "LABEL", "FROM", "TO", "ROLES", "REQUIRES"), [
        (t.action, t.label[lang], ",".join(t.sources), t.target, ",".join(t.roles) or "any",
         ",".join(r.removeprefix("data.") for r in t.required)) for t in proc.transitions])
    if proc.sla:
        clocks = list(proc.clocks)
        print_table(("PRIORITY", "CALENDAR", *(c.upper() + " (min)" for c in clocks)), [
            (p, t.get("calendar", ""), *(t.get(c, "") for c in clocks)) for p, t in proc.sla.items()])
    return 0
