"""The built-in templates (``resources/sop/*.yaml``): loaded once, validated, by (code, version)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from shared.forms.schema import Section, Template, build_template, common_sections
from shared.forms.yamllines import TemplateError, load_yaml

SOP_DIR = Path(__file__).resolve().parent.parent / "resources" / "sop"
COMMON_FILE = "common.yaml"
CODES = tuple(f"SOP-{n:02d}" for n in range(1, 12))


@cache
def common() -> tuple[Section, Section]:
    path = SOP_DIR / COMMON_FILE
    return common_sections(load_yaml(path.read_text(encoding="utf-8"), path.name), path.name)


def parse_template(text: str, source: str = "<template>") -> Template:
    """Validate a template text; ``TemplateError`` (file:line: reason) when it is refused."""
    doc = load_yaml(text, source)
    if doc is None:
        raise TemplateError(source, 1, "the template is empty")
    return build_template(doc, source, text, common())


def load_file(path: Path) -> Template:
    return parse_template(path.read_text(encoding="utf-8"), path.name)


@cache
def builtin_templates() -> dict[tuple[str, str], Template]:
    found: dict[tuple[str, str], Template] = {}
    for path in sorted(SOP_DIR.glob("*.yaml")):
        if path.name == COMMON_FILE:
            continue
        template = load_file(path)
        key = (template.code, template.version)
        if key in found:
            raise TemplateError(path.name, 1, f"{template.code} version {template.version} is defined twice")
        found[key] = template
    return found


def builtin(code: str, version: str | None = None) -> Template | None:
    """A built-in template: the given version, or the highest one."""
    candidates = [t for (c, _v), t in builtin_templates().items() if c == code]
    if version is not None:
        candidates = [t for t in candidates if t.version == version]
    return max(candidates, key=Template.version_key, default=None)
