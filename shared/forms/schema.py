"""Template schema: the dataclasses a SOP template YAML becomes, and its validation.

Every refusal names the file, the line and the reason (``TemplateError``). The common header and
footer of every work form (reference §0.3) live in ``resources/sop/common.yaml`` and are added
around each template's own sections by ``build_template``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from shared.forms.ranges import Thresholds, parse_ranges, parse_thresholds
from shared.forms.yamllines import LineDict, LineList, TemplateError

TYPES = ("CHK", "NUM", "SEL", "MSEL", "TXT", "DT", "SIG", "PHOTO", "FILE", "REF")
REF_KINDS = ("ci", "user", "org", "ticket", "plan", "record", "room")
AUTO_RULES = ("abnormal_count", "minutes_between", "percent_of", "years_since", "incident_numbers")
CHK_STYLES = {"normal": (("正常", "Normal"), ("异常", "Abnormal")),
              "compliance": (("符合", "Compliant"), ("不符合", "Non-compliant")),
              "done": (("已完成", "Done"), ("未完成", "Not done")),
              "pass": (("通过", "Pass"), ("不通过", "Fail"))}
REQUIRE_ON_ABNORMAL = ("remark", "photo")
REQUIRED_BY_DEFAULT = ("CHK", "NUM", "SEL")  # a check list is filled completely unless an item says otherwise
ITEM_KEYS = {"code", "name", "type", "unit", "normal", "warn", "alarm", "per_point", "points", "options",
             "normal_options", "ref", "required", "on_abnormal", "required_if", "hint", "auto", "style",
             "photo_min", "abnormal_level"}
SECTION_KEYS = {"code", "name", "items", "hint"}
TEMPLATE_KEYS = {"code", "version", "name", "applies_to", "frequency", "roles", "sections", "signatures",
                 "description"}


@dataclass(frozen=True)
class Label:
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Option:
    code: str
    label: Label


@dataclass(frozen=True)
class OnAbnormal:
    require: tuple[str, ...] = ("remark",)
    incident: bool = True  # offer (warn) or create (alarm) a linked incident
    impact: int = 2
    urgency: int = 2


@dataclass(frozen=True)
class RequiredIf:
    item: str
    values: tuple[Any, ...] = ()
    abnormal: bool = False


@dataclass(frozen=True)
class Item:
    code: str
    name: Label
    type: str
    line: int
    unit: str = ""
    thresholds: Thresholds = field(default_factory=Thresholds)
    per_point: bool = False
    points: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    normal_options: tuple[str, ...] = ()
    ref: str = ""
    required: bool = False
    on_abnormal: OnAbnormal = field(default_factory=OnAbnormal)
    required_if: RequiredIf | None = None
    hint: Label | None = None
    auto: dict[str, Any] | None = None
    style: str = "normal"
    photo_min: int = 1
    abnormal_level: str = "warn"

    @property
    def can_be_abnormal(self) -> bool:
        return self.type == "CHK" or (self.type == "NUM" and not self.thresholds.empty) or bool(
            self.normal_options)

    def chk_labels(self) -> tuple[Label, Label]:
        ok, bad = CHK_STYLES[self.style]
        return Label(*ok), Label(*bad)


@dataclass(frozen=True)
class Section:
    code: str
    name: Label
    items: tuple[Item, ...]
    hint: Label | None = None


@dataclass(frozen=True)
class Template:
    code: str
    version: str
    name: Label
    sections: tuple[Section, ...]
    source: str = ""
    frequency: dict[str, Any] = field(default_factory=dict)
    roles: dict[str, Any] = field(default_factory=dict)
    applies_to: dict[str, Any] = field(default_factory=dict)
    signatures: dict[str, Label] = field(default_factory=dict)
    text: str = ""  # the YAML it was read from (stored when published)

    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def item(self, code: str) -> Item:
        for item in self.items():
            if item.code == code:
                return item
        raise KeyError(code)

    def version_key(self) -> tuple[int, ...]:
        return version_key(self.version)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in str(version).split("."))


class _Checker:
    """Validates one parsed YAML document, raising at the first problem with its line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, line: int, reason: str) -> TemplateError:
        return TemplateError(self.source, line, reason)

    def mapping(self, value: Any, line: int, what: str) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(getattr(value, "line", line), f"{what} must be a mapping")
        return value

    def unknown_keys(self, doc: LineDict, allowed: set[str], what: str) -> None:
        for key in doc:
            if key not in allowed:
                raise self.fail(doc.line_of(str(key)), f"unknown key {key!r} in {what}")

    def text(self, doc: LineDict, key: str, what: str, required: bool = True) -> str:
        value = doc.get(key)
        if value is None:
            if required:
                raise self.fail(doc.line, f"{what} needs {key!r}")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(doc.line_of(key), f"{what}: {key!r} must be a non-empty text")
        return str(value)

    def label(self, doc: LineDict, key: str, what: str, required: bool = True) -> Label | None:
        value = doc.get(key)
        if value is None:
            if required:
                raise self.fail(doc.line, f"{what} needs {key!r} with zh and en")
            return None
        if isinstance(value, str):
            return Label(value, value)
        label = self.mapping(value, doc.line_of(key), f"{what}: {key}")
        zh, en = label.get("zh"), label.get("en")
        if not isinstance(zh, str) or not zh.strip():
            raise self.fail(label.line, f"{what}: {key} needs a Chinese text (zh)")
        return Label(zh, en if isinstance(en, str) and en.strip() else zh)


def _option(checker: _Checker, spec: Any, line: int, what: str) -> Option:
    if isinstance(spec, str) and spec.strip():
        zh, _, en = spec.partition("|")
        return Option(zh.strip(), Label(zh.strip(), (en or zh).strip()))
    if isinstance(spec, LineDict):
        label = checker.label(spec, "name", what) if "name" in spec else Label(
            checker.text(spec, "zh", what), str(spec.get("en") or spec["zh"]))
        assert label is not None
        return Option(str(spec.get("code") or label.zh), label)
    raise checker.fail(line, f"{what}: an option is 'zh|en' text or a mapping with zh/en")


def _item(checker: _Checker, doc: Any, line: int, seen: set[str]) -> Item:
    doc = checker.mapping(doc, line, "an item")
    code = checker.text(doc, "code", "an item")
    what = f"item {code}"
    if code in seen:
        raise checker.fail(doc.line_of("code"), f"duplicate item code {code!r}")
    seen.add(code)
    checker.unknown_keys(doc, ITEM_KEYS, what)
    name = checker.label(doc, "name", what)
    kind = doc.get("type")
    if kind not in TYPES:
        raise checker.fail(doc.line_of("type") if "type" in doc else doc.line,
                           f"{what}: type must be one of {', '.join(TYPES)} (got {kind!r})")
    for key in ("normal", "warn", "alarm"):
        try:
            parse_ranges(doc.get(key))
        except ValueError as exc:
            raise checker.fail(doc.line_of(key), f"{what}: {exc}") from None
    thresholds = parse_thresholds(doc)
    if kind != "NUM" and (thresholds.normal or thresholds.warn or thresholds.alarm):
        raise checker.fail(doc.line_of("normal" if "normal" in doc else "warn"),
                           f"{what}: only NUM items have normal / warn / alarm ranges")
    if (thresholds.warn or thresholds.alarm) and not thresholds.normal:
        raise checker.fail(doc.line_of("warn" if "warn" in doc else "alarm"),
                           f"{what}: warn / alarm ranges need a normal range")
    options: tuple[Option, ...] = ()
    if kind in ("SEL", "MSEL"):
        raw = doc.get("options")
        if not isinstance(raw, LineList) or not raw:
            raise checker.fail(doc.line_of("options"), f"{what}: a {kind} item needs a list of options")
        options = tuple(_option(checker, spec, raw.line_at(i), what) for i, spec in enumerate(raw))
    elif "options" in doc:
        raise checker.fail(doc.line_of("options"), f"{what}: only SEL / MSEL items have options")
    normal_options = tuple(str(x) for x in (doc.get("normal_options") or ()))
    unknown = [x for x in normal_options if x not in {o.code for o in options}]
    if unknown:
        raise checker.fail(doc.line_of("normal_options"), f"{what}: normal option {unknown[0]!r} is not an option")
    ref = str(doc.get("ref") or "")
    if kind == "REF" and ref not in REF_KINDS:
        raise checker.fail(doc.line_of("ref") if "ref" in doc else doc.line,
                           f"{what}: a REF item needs ref: one of {', '.join(REF_KINDS)}")
    points = doc.get("points") or ()
    if points and (not isinstance(points, LineList) or not all(isinstance(p, str) for p in points)):
        raise checker.fail(doc.line_of("points"), f"{what}: points must be a list of texts")
    per_point = bool(doc.get("per_point")) or bool(points)
    if per_point and not points:
        raise checker.fail(doc.line_of("per_point"), f"{what}: a per-point item needs its default points")
    style = str(doc.get("style") or "normal")
    if style not in CHK_STYLES:
        raise checker.fail(doc.line_of("style"), f"{what}: style must be one of {', '.join(CHK_STYLES)}")
    return Item(code=code, name=name or Label(code, code), type=kind, line=doc.line,
                unit=str(doc.get("unit") or ""), thresholds=thresholds, per_point=per_point,
                points=tuple(points), options=options, normal_options=normal_options, ref=ref,
                required=_required(doc, kind), on_abnormal=_on_abnormal(checker, doc, what),
                required_if=_required_if(checker, doc, what), hint=checker.label(doc, "hint", what, False),
                auto=_auto(checker, doc, what), style=style, photo_min=int(doc.get("photo_min") or 1),
                abnormal_level=_abnormal_level(checker, doc, what))


def _required(doc: LineDict, kind: str) -> bool:
    return bool(doc.get("required", kind in REQUIRED_BY_DEFAULT and "auto" not in doc))


def _abnormal_level(checker: _Checker, doc: LineDict, what: str) -> str:
    level = str(doc.get("abnormal_level") or "warn")
    if level not in ("warn", "alarm"):
        raise checker.fail(doc.line_of("abnormal_level"), f"{what}: abnormal_level is warn or alarm")
    return level


def _on_abnormal(checker: _Checker, doc: LineDict, what: str) -> OnAbnormal:
    spec = doc.get("on_abnormal")
    if spec is None:
        return OnAbnormal()
    spec = checker.mapping(spec, doc.line_of("on_abnormal"), f"{what}: on_abnormal")
    require = tuple(spec.get("require") or ())
    bad = [r for r in require if r not in REQUIRE_ON_ABNORMAL]
    if bad:
        raise checker.fail(spec.line_of("require"), f"{what}: on_abnormal can require only remark, photo")
    incident = spec.get("create", "incident")
    if incident not in ("incident", None, "none"):
        raise checker.fail(spec.line_of("create"), f"{what}: on_abnormal create is incident or none")
    for key in ("impact", "urgency"):
        if key in spec and spec[key] not in (1, 2, 3):
            raise checker.fail(spec.line_of(key), f"{what}: {key} must be 1, 2 or 3")
    return OnAbnormal(require, incident == "incident", int(spec.get("impact", 2)), int(spec.get("urgency", 2)))


def _required_if(checker: _Checker, doc: LineDict, what: str) -> RequiredIf | None:
    spec = doc.get("required_if")
    if spec is None:
        return None
    spec = checker.mapping(spec, doc.line_of("required_if"), f"{what}: required_if")
    target = checker.text(spec, "item", f"{what}: required_if")
    values = spec.get("in") or ()
    if not values and not spec.get("abnormal"):
        raise checker.fail(spec.line, f"{what}: required_if needs 'in: [values]' or 'abnormal: true'")
    return RequiredIf(target, tuple(values), bool(spec.get("abnormal")))


def _auto(checker: _Checker, doc: LineDict, what: str) -> dict[str, Any] | None:
    spec = doc.get("auto")
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = {spec: True}
    elif not isinstance(spec, LineDict):
        raise checker.fail(doc.line_of("auto"), f"{what}: auto is a rule name or a mapping of one rule")
    rules = [k for k in spec if k in AUTO_RULES]
    if len(rules) != 1 or len(spec) != 1:
        raise checker.fail(doc.line_of("auto"), f"{what}: auto is one of {', '.join(AUTO_RULES)}")
    return dict(spec)


def _section(checker: _Checker, doc: Any, line: int, seen: set[str]) -> Section:
    doc = checker.mapping(doc, line, "a section")
    code = checker.text(doc, "code", "a section")
    checker.unknown_keys(doc, SECTION_KEYS, f"section {code}")
    items = doc.get("items")
    if not isinstance(items, LineList) or not items:
        raise checker.fail(doc.line_of("items"), f"section {code} needs a list of items")
    name = checker.label(doc, "name", f"section {code}")
    assert name is not None
    return Section(code, name, tuple(_item(checker, spec, items.line_at(i), seen) for i, spec in enumerate(items)),
                   checker.label(doc, "hint", f"section {code}", False))


def parse_sections(checker: _Checker, doc: LineDict, seen: set[str]) -> tuple[Section, ...]:
    sections = doc.get("sections")
    if not isinstance(sections, LineList) or not sections:
        raise checker.fail(doc.line_of("sections"), "a template needs a list of sections")
    return tuple(_section(checker, spec, sections.line_at(i), seen) for i, spec in enumerate(sections))


def build_template(doc: Any, source: str, text: str, common: tuple[Section, Section] | None) -> Template:
    """A validated ``Template`` from a parsed document; ``common`` = (header, footer) sections."""
    checker = _Checker(source)
    doc = checker.mapping(doc, 1, "a template")
    checker.unknown_keys(doc, TEMPLATE_KEYS, "the template")
    code = checker.text(doc, "code", "the template")
    version = checker.text(doc, "version", "the template")
    try:
        version_key(version)
    except ValueError:
        raise checker.fail(doc.line_of("version"), f"version {version!r} must be numbers with dots (1.2)") from None
    name = checker.label(doc, "name", "the template")
    assert name is not None
    seen = {item.code for section in common or () for item in section.items}
    sections = parse_sections(checker, doc, seen)
    signatures = {}
    if "signatures" in doc:
        sig = checker.mapping(doc["signatures"], doc.line_of("signatures"), "signatures")
        for role in ("executor", "reviewer"):
            label = checker.label(sig, role, "signatures", False)
            if label:
                signatures[role] = label
    if common:
        sections = (common[0], *sections, _relabel(common[1], signatures))
    _check_references(checker, sections)
    return Template(code, version, name, sections, source, dict(doc.get("frequency") or {}),
                    dict(doc.get("roles") or {}), dict(doc.get("applies_to") or {}), signatures, text)


SIGNATURE_CODES = {"executor": "F_SIG_EXEC", "reviewer": "F_SIG_REVIEW"}


def _relabel(footer: Section, signatures: dict[str, Label]) -> Section:
    """The footer with the template's own names for the two signatures (巡检人 / 值班长 …)."""
    names = {SIGNATURE_CODES[role]: label for role, label in signatures.items()}
    return replace(footer, items=tuple(replace(i, name=names.get(i.code, i.name)) for i in footer.items))


def _check_references(checker: _Checker, sections: tuple[Section, ...]) -> None:
    codes = {item.code for section in sections for item in section.items}
    for section in sections:
        for item in section.items:
            cond = item.required_if
            if cond and cond.item not in codes:
                raise checker.fail(item.line, f"item {item.code}: required_if names unknown item {cond.item!r}")
            for key in ("minutes_between", "percent_of", "years_since"):
                names = (item.auto or {}).get(key)
                if names is None:
                    continue
                for name in names if isinstance(names, list) else [names]:
                    if name not in codes:
                        raise checker.fail(item.line, f"item {item.code}: auto {key} names unknown item {name!r}")


def common_sections(doc: Any, source: str) -> tuple[Section, Section]:
    checker = _Checker(source)
    doc = checker.mapping(doc, 1, "the common sections")
    sections = parse_sections(checker, doc, set())
    if len(sections) != 2:
        raise checker.fail(doc.line, "common.yaml has exactly two sections: the header and the footer")
    return sections[0], sections[1]
