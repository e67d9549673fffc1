"""Messages for people in their language: the services refuse in English (the CLI's and the log's language);
the desktop and the server show the refusal in Chinese by this catalogue.

``resources/messages/zh.yaml`` holds one entry per message the code raises, as a template with positional
holes — ``en: "{0} already has its final report"`` / ``zh: "{0} 已有终报"``. The English text of an error is
matched against the templates (literal parts exact, holes any text) and the Chinese one is filled with the
same values. A message no template matches is shown as it is. ``scripts/messages.py`` finds the templates
in the code (every ``raise Invalid(f"…")`` and its kin) and lists those the catalogue lacks; a test keeps
the catalogue complete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from shared.yamlio import load_yaml

LANGUAGES = ("zh", "en")
_HOLE = re.compile(r"\{(\d+)\}")


@dataclass(frozen=True)
class Template:
    en: str
    zh: str
    pattern: re.Pattern[str]
    literal: int  # characters of fixed text: the most specific template wins
    roles: frozenset[int] = frozenset()  # holes that hold role codes ("admin or approver"): given by name

    def fill(self, match: re.Match[str], depth: int) -> str:
        values = [(i in self.roles and role_names(v)) or _line(v, depth + 1)  # a hole may hold a message too
                  for i, v in enumerate(match.groups())]
        return _HOLE.sub(lambda m: values[int(m.group(1))] if int(m.group(1)) < len(values) else m.group(0),
                         self.zh.replace("{{", "\0").replace("}}", "\1")).replace("\0", "{").replace("\1", "}")


def compile_template(en: str) -> tuple[re.Pattern[str], int]:
    """``"{0} is closed"`` → ``^(?P<h0>.+?) is closed$``; literal braces are written ``{{`` and ``}}``."""
    parts, literal, pos = [], 0, 0
    text = en.replace("{{", "\0").replace("}}", "\1")
    for hole in _HOLE.finditer(text):
        fixed = text[pos:hole.start()].replace("\0", "{").replace("\1", "}")
        parts.append(re.escape(fixed))
        literal += len(fixed)
        parts.append("(.+?)")
        pos = hole.end()
    fixed = text[pos:].replace("\0", "{").replace("\1", "}")
    parts.append(re.escape(fixed))
    literal += len(fixed)
    return re.compile("^" + "".join(parts) + "$", re.DOTALL), literal


def load_catalogue(text: str) -> list[Template]:
    entries: list[dict[str, Any]] = load_yaml(text) or []
    templates = []
    for entry in entries:
        en, zh = str(entry.get("en", "")), str(entry.get("zh") or "")
        if not zh:
            continue
        pattern, literal = compile_template(en)
        if literal:  # a template of holes only would match anything
            templates.append(Template(en, zh, pattern, literal, frozenset(int(i) for i in entry.get("roles") or ())))
    return sorted(templates, key=lambda t: -t.literal)


_ROLE_LIST = re.compile(r"[a-z_]+(?:(?: or |, )[a-z_]+)*")
_JOINERS = {" or ": "或", ", ": "、"}


def role_names(value: str) -> str | None:
    """``"admin or approver"`` → ``"管理员或审批人"``; None for a value that is not a list of role codes."""
    from shared.models.org import ROLES  # the models import this module's users; imported when first needed

    if not _ROLE_LIST.fullmatch(value):
        return None
    parts = re.split(r"( or |, )", value)
    if not all(code in ROLES for code in parts[::2]):
        return None
    return "".join(ROLES[p][0] if i % 2 == 0 else _JOINERS[p] for i, p in enumerate(parts))


@cache
def catalogue() -> tuple[Template, ...]:
    text = resources.files("shared").joinpath("resources/messages/zh.yaml").read_text(encoding="utf-8")
    return tuple(load_catalogue(text))


def localize(message: str, language: str) -> str:
    """``message`` in ``language`` ("zh" or "en"); unchanged when English is asked for or nothing matches.
    Multi-line messages are translated line by line."""
    if language != "zh" or not message:
        return message
    return "\n".join(_line(line) for line in message.split("\n"))


def _line(line: str, depth: int = 0) -> str:
    if depth > 2:
        return line
    for template in catalogue():
        match = template.pattern.match(line)
        if match:
            return template.fill(match, depth)
    return line
