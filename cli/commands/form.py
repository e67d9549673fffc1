"""``itops form``: SOP work-form templates and records, filled headless (the desktop does the same)."""

from __future__ import annotations

import argparse
import mimetypes
import re
from pathlib import Path
from typing import Any

from cli.errors import CliError
from cli.output import print_fields, print_json, print_table
from cli.parser import add_subcommands, count
from cli.target import add_target_args, add_user_arg, opened, resolve_actor, write_as_actor
from shared.forms.registry import parse_template
from shared.forms.yamllines import TemplateError
from shared.services import forms, rooms

VALUE = re.compile(r"^(?P<code>[A-Za-z][A-Za-z0-9_]*)(?:\[(?P<point>[^\]]+)\])?=(?P<value>.*)$", re.S)
NOTE = "A record is named by its id or number (FRM-…)."


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("form", help="SOP work forms (templates and records)",
                                   description="SOP work forms: templates SOP-01 … SOP-11 and their records. " + NOTE)
    sub = add_subcommands(parser, "form_command")

    p = _cmd(sub, "templates", "list the templates and their current versions", run_templates)
    p = _cmd(sub, "template", "show a template's sections and items", run_template)
    p.add_argument("code", metavar="CODE", help="SOP-01 … SOP-11")
    p.add_argument("--version", help="a given version (default: the current one)")
    p = sub.add_parser("validate", help="check a template file (file:line: reason when refused)",
                       description="Check a template YAML file; a broken one is refused with file, line and reason.")
    p.add_argument("file", type=Path)
    p.set_defaults(func=run_validate)
    p = _cmd(sub, "publish", "publish a template version (HQ; reaches every node by sync)", run_publish)
    p.add_argument("file", type=Path)

    p = _cmd(sub, "retire", "retire a published template version (HQ; records keep it)", run_retire)
    p.add_argument("code", metavar="CODE")
    p.add_argument("version", metavar="VERSION")
    p = _cmd(sub, "draft", "start a template version as a draft, or replace the open draft (HQ)", run_draft)
    p.add_argument("file", type=Path)
    p = _cmd(sub, "submit", "send a template's draft to review (HQ)", run_review_step)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--version", help="the draft's version (default: the open draft)")
    p = _cmd(sub, "approve", "publish the version under review (HQ reviewer: approver or admin)", run_review_step)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--version", help="the version under review (default: the one there is)")
    p.add_argument("--comment", default="")
    p = _cmd(sub, "reject", "send the version under review back to draft, with a comment (HQ reviewer)",
             run_review_step)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--version", help="the version under review (default: the one there is)")
    p.add_argument("--comment", required=True, help="what to change")
    p = _cmd(sub, "versions", "list the template versions HQ drafted or published, with their review trail",
             run_versions)
    p.add_argument("code", metavar="CODE", nargs="?")

    p = _cmd(sub, "new", "start a new record of a template", run_new)
    p.add_argument("code", metavar="CODE")
    p.add_argument("--room", help="machine room id or code")
    p.add_argument("--ci", help="CI id of the object")
    p.add_argument("--shift", default="")
    p = _cmd(sub, "fill", "enter values and remarks", run_fill,
             "ITEM=VALUE, per point ITEM[POINT]=VALUE; CHK values ok / abnormal / na (正常 / 异常 / 不适用)")
    p.add_argument("id", metavar="ID")
    p.add_argument("values", metavar="ITEM=VALUE", nargs="*")
    p.add_argument("--remark", metavar="ITEM=TEXT", action="append", default=[], help="异常描述 of an item")
    p = _cmd(sub, "photo", "attach a photo or file to an item", run_photo)
    p.add_argument("id", metavar="ID")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("file", type=Path)
    p = _cmd(sub, "sign", "sign with a signature image (PNG)", run_sign)
    p.add_argument("id", metavar="ID")
    p.add_argument("--role", choices=("executor", "reviewer"), default="executor")
    p.add_argument("--image", type=Path, required=True, help="the signature as a PNG file")
    p = _cmd(sub, "complete", "complete a record (alarms raise their incidents)", run_complete)
    p.add_argument("id", metavar="ID")
    p = _cmd(sub, "review", "approve a completed record (or --return it with a --note)", run_review)
    p.add_argument("id", metavar="ID")
    p.add_argument("--return", dest="send_back", action="store_true", help="send it back to the executor")
    p.add_argument("--note", default="")
    p = _cmd(sub, "raise", "raise the incident of an abnormal item", run_raise)
    p.add_argument("id", metavar="ID")
    p.add_argument("item", metavar="ITEM")
    p = _cmd(sub, "show", "show a record", run_show)
    p.add_argument("id", metavar="ID")
    p = _cmd(sub, "list", "list records", run_list)
    p.add_argument("--template", help="SOP-06 …")
    p.add_argument("--room", help="machine room id or code")
    p.add_argument("--state", choices=forms.STATES)
    p.add_argument("--month", help="2026-11")
    p.add_argument("--limit", type=count, default=50)
    p.add_argument("--offset", type=count, default=0)


def _cmd(sub: argparse._SubParsersAction, name: str, help_text: str, func: Any,
         extra: str = "") -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description=f"{help_text[0].upper()}{help_text[1:]}. {extra} {NOTE}")
    add_target_args(p)
    add_user_arg(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=func)
    return p


def run_templates(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        rows = forms.list_templates(session)
    if args.json:
        print_json(rows)
    else:
        print_table(("CODE", "VERSION", "NAME", "ITEMS", "SOURCE"),
                    [(r["code"], r["version"], r["name_zh"], r["items"], r["source"]) for r in rows])
    return 0


def run_template(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        template = forms.get_template(session, args.code, args.version)
    if args.json:
        print(template.text)
        return 0
    print(f"{template.code} {template.name.zh} ({template.name.en}) version {template.version}")
    for section in template.sections:
        print(f"[{section.code}] {section.name.zh}")
        for item in section.items:
            extra = [item.type + (f"({item.ref})" if item.ref else "")]
            if item.unit:
                extra.append(item.unit)
            if not item.thresholds.empty:
                extra.append(item.thresholds.text())
            if item.options:
                extra.append("/".join(o.code for o in item.options))
            if item.points:
                extra.append("points: " + ", ".join(item.points))
            if item.required:
                extra.append("required")
            print(f"  {item.code:<18} {item.name.zh}  [{'; '.join(extra)}]")
    return 0


def run_validate(args: argparse.Namespace) -> int:
    try:
        template = parse_template(args.file.read_text(encoding="utf-8"), str(args.file))
    except TemplateError as exc:
        raise CliError(str(exc)) from None
    print(f"{args.file}: {template.code} version {template.version}, {len(template.items())} items: ok")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    text = args.file.read_text(encoding="utf-8")
    row = write_as_actor(args, lambda cs, actor, st: forms.publish_template(cs, actor, text, str(args.file)))
    print_json(row) if args.json else print(f"published {row['code']} version {row['template_version']}")
    return 0


def run_retire(args: argparse.Namespace) -> int:
    write_as_actor(args, lambda cs, actor, st: forms.retire_template(cs, actor, args.code, args.version))
    print(f"retired {args.code} version {args.version}")
    return 0


def run_draft(args: argparse.Namespace) -> int:
    text = args.file.read_text(encoding="utf-8")
    row = write_as_actor(args, lambda cs, actor, st: forms.draft_template(cs, actor, text, str(args.file)))
    print_json(row) if args.json else print(f"{row['code']} version {row['template_version']} is a draft")
    return 0


def run_review_step(args: argparse.Namespace) -> int:
    step = args.form_command

    def action(cs: Any, actor: Any, store: Any) -> dict[str, Any]:
        if step == "submit":
            return forms.submit_template(cs, actor, args.code, args.version)
        if step == "approve":
            return forms.approve_template(cs, actor, args.code, args.version, args.comment)
        return forms.reject_template(cs, actor, args.code, args.comment, args.version)

    row = write_as_actor(args, action)
    print_json(row) if args.json else print(f"{row['code']} version {row['template_version']} is {row['state']}")
    return 0


def run_versions(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        rows = forms.template_versions(session, args.code)
    if args.json:
        print_json(rows)
        return 0
    table = []
    for row in rows:
        last = row["reviews"][-1] if row["reviews"] else {}
        note = f"{last.get('action', '')} by {last.get('by', '')} {last.get('at', '')[:16]}" if last else ""
        table.append((row["code"], row["version"], row["name"], row["state"], note, last.get("comment", "")))
    print_table(("CODE", "VERSION", "NAME", "STATE", "LAST STEP", "COMMENT"), table,
                empty="(no versions drafted or published: the built-in templates are in use)")
    return 0


def _room_id(store: Any, actor: Any, room: str | None) -> str | None:
    if not room:
        return None
    with store.read() as session:
        return rooms.load_room(session, actor, room).id


def run_new(args: argparse.Namespace) -> int:
    def action(cs: Any, actor: Any, store: Any) -> dict[str, Any]:
        room_id = rooms.load_room(cs.session, actor, args.room).id if args.room else None
        return forms.create_record(cs, actor, args.code, room_id=room_id, ci_id=args.ci, shift=args.shift)

    row = write_as_actor(args, action)
    print_json(row) if args.json else print(f"created {row['number']} ({row['template_code']} "
                                             f"v{row['template_version']})")
    return 0


def parse_values(items: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for text in items:
        match = VALUE.match(text)
        if not match:
            raise CliError(f"bad value {text!r}: expected ITEM=VALUE or ITEM[POINT]=VALUE")
        code, point, value = match.group("code"), match.group("point"), match.group("value")
        if point:
            values.setdefault(code, {})[point] = value
        else:
            values[code] = value
    return values


def run_fill(args: argparse.Namespace) -> int:
    values = parse_values(args.values)
    remarks = {}
    for text in args.remark:
        code, sep, remark = text.partition("=")
        if not sep:
            raise CliError(f"bad --remark {text!r}: expected ITEM=TEXT")
        remarks[code.strip()] = remark
    row = write_as_actor(args, lambda cs, actor, st: forms.fill_record(cs, actor, args.id, values, remarks))
    return _summary(args, row)


def run_photo(args: argparse.Namespace) -> int:
    content = args.file.read_bytes()
    mime = mimetypes.guess_type(args.file.name)[0] or "application/octet-stream"
    row = write_as_actor(args, lambda cs, actor, st: forms.add_photo(cs, actor, args.id, args.item, args.file.name,
                                                                     content, mime))
    print_json(row) if args.json else print(f"attached {args.file.name} to {args.item}")
    return 0


def run_sign(args: argparse.Namespace) -> int:
    content = args.image.read_bytes()
    write_as_actor(args, lambda cs, actor, st: forms.sign(cs, actor, args.id, args.role, content))
    print(f"signed as {args.role}")
    return 0


def run_complete(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: forms.complete_record(cs, actor, args.id))
    return _summary(args, row)


def run_review(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: forms.review_record(cs, actor, args.id, not args.send_back,
                                                                         args.note))
    return _summary(args, row)


def run_raise(args: argparse.Namespace) -> int:
    row = write_as_actor(args, lambda cs, actor, st: forms.raise_incident(cs, actor, args.id, args.item))
    print_json(row) if args.json else print(f"incident {row['number']} {row['priority']}: {row['title']}")
    return 0


def _summary(args: argparse.Namespace, row: dict[str, Any]) -> int:
    if args.json:
        print_json(row)
        return 0
    with opened(args) as store, store.read() as session:
        shown = forms.get_record(session, resolve_actor(store, args.user), row["id"])
    print(f"{shown['number']} {shown['template_name']}: {shown['state']}")
    for finding in shown["findings"]:
        point = f"[{finding['point']}]" if finding["point"] else ""
        print(f"  {finding['level'].upper():<6} {finding['item']}{point} = {finding['value']}")
    for item, number in shown["incidents"].items():
        print(f"  incident {number} ({item})")
    if shown["missing"]:
        print(f"  still missing ({len(shown['missing'])}): " + "; ".join(shown["missing"][:5]))
    return 0


def run_show(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        actor = resolve_actor(store, args.user)
        shown = forms.get_record(session, actor, args.id)
        template = forms.record_template(session, forms.load_record(session, actor, args.id))
    if args.json:
        print_json(shown)
        return 0
    print(f"{shown['number']} {shown['template_name']} ({shown['template_code']} v{shown['template_version']})")
    print_fields([("id", shown["id"]), ("state", shown["state"]), ("org", shown["owner_path"]),
                  ("shift", shown["shift"]), ("planned_at", shown["planned_at"]),
                  ("completed_at", shown["completed_at"]), ("abnormal", shown["abnormal_count"])])
    levels = {(f["item"], f["point"]): f["level"] for f in shown["findings"]}
    for item in template.items():
        value = shown["values"].get(item.code)
        if value is None:
            continue
        points = value.items() if isinstance(value, dict) else [(None, value)]
        for point, reading in points:
            flag = levels.get((item.code, point), "")
            label = f"{item.code}[{point}]" if point else item.code
            print(f"  {label:<22} {reading} {item.unit} {flag.upper()}".rstrip())
    return _summary(args, shown) if shown["incidents"] or shown["missing"] else 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as store, store.read() as session:
        actor = resolve_actor(store, args.user)
        room_id = rooms.load_room(session, actor, args.room).id if args.room else None
        rows = forms.list_records(session, actor, args.template, room_id, args.state, args.month, args.limit,
                                  args.offset)
    if args.json:
        print_json(rows)
    else:
        print_table(("NUMBER", "TEMPLATE", "STATE", "PLANNED", "SHIFT", "ABNORMAL", "ORG"),
                    [(r["number"], f"{r['template_code']} v{r['template_version']}", r["state"],
                      (r["planned_at"] or "")[:16], r["shift"], r["abnormal_count"], r["owner_path"]) for r in rows],
                    empty="(no form records)")
    return 0
