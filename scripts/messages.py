"""Find the messages the core raises for people and keep shared/resources/messages/zh.yaml complete.

    python scripts/messages.py            list templates the catalogue lacks (exit 1 if any) and stale ones
    python scripts/messages.py --update   append the missing ones with an empty ``zh`` to fill in

A message is the first argument of ``raise X("…")`` or ``raise X(f"…")`` in shared/ and sync_server/ where
X is a service error (or an error the services pass on word for word, see RAISED); each ``{expression}``
of an f-string becomes a positional hole ``{0}``, ``{1}``… (see shared/messages.py).
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "shared" / "resources" / "messages" / "zh.yaml"
RAISED = {"Invalid", "Forbidden", "NotFound", "ServiceError", "DirectoryRefused", "TransitionError", "RoleError"}
# ValueErrors that reach a person unchanged (a form value that does not fit its item).
VALUE_ERRORS_IN = {"shared/forms/engine.py"}


def template_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        parts, hole = [], 0
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
            else:
                parts.append(f"{{{hole}}}")
                hole += 1
        return "".join(parts)
    return None


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


# Pieces that Actor.require_role puts into "{0} needs {1} ({2} has {3})".
PIECES = {"the role {0}": "shared/services/actor.py", "a role": "shared/services/actor.py",
          "no role": "shared/services/actor.py"}


def templates_in(path: Path) -> Iterator[tuple[str, int]]:
    relative = path.relative_to(ROOT).as_posix()
    names = RAISED | ({"ValueError"} if relative in VALUE_ERRORS_IN else set())
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        call = node.exc if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) else None
        if call is None and isinstance(node, ast.Call) and _name(node.func) == "require_role":
            call = node  # its first argument says what was refused: "changing the service catalogue"
        elif call is not None and _name(call.func) not in names:
            call = None
        if call is not None and call.args:
            text = template_of(call.args[0])
            if text is not None and text.strip("{}0123456789 :"):
                yield text, call.lineno


def code_templates() -> dict[str, str]:
    """template → where it is first raised (file:line)."""
    found: dict[str, str] = dict(PIECES)
    for path in sorted([*(ROOT / "shared").rglob("*.py"), *(ROOT / "sync_server").rglob("*.py")]):
        for text, line in templates_in(path):
            found.setdefault(text, f"{path.relative_to(ROOT)}:{line}")
    return found


def catalogue_entries() -> list[dict[str, str]]:
    return yaml.safe_load(CATALOGUE.read_text(encoding="utf-8")) or [] if CATALOGUE.exists() else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="append missing templates with an empty zh")
    args = parser.parse_args(argv)
    found = code_templates()
    known = {entry["en"]: entry for entry in catalogue_entries()}
    missing = [text for text in found if text not in known]
    untranslated = [en for en, entry in known.items() if not entry.get("zh")]
    stale = [en for en in known if en not in found]
    if args.update and missing:
        with CATALOGUE.open("a", encoding="utf-8") as out:
            for text in missing:
                out.write(f"- en: {json.dumps(text, ensure_ascii=False)}  # {found[text]}\n  zh: \"\"\n")
        print(f"added {len(missing)} templates to {CATALOGUE.relative_to(ROOT)}: fill in their zh")
        return 0
    for text in missing:
        print(f"missing: {found[text]}: {text}")
    for en in untranslated:
        print(f"untranslated: {en}")
    for en in stale:
        print(f"stale (no longer raised): {en}")
    print(f"{len(found)} templates in the code, {len(known)} in the catalogue, {len(missing)} missing, "
          f"{len(untranslated)} untranslated, {len(stale)} stale")
    return 1 if missing or untranslated else 0


if __name__ == "__main__":
    sys.exit(main())
