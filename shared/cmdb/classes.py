"""CI classes as data: the built-in tree (shared/resources/cmdb/classes.yaml) extended by HQ-defined
rows (``CIClassDef``), and the validation of a CI's fields against its class's attribute definitions."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.cmdb import CIClassDef, ConfigItem
from shared.services.errors import Invalid
from shared.yamlio import load_yaml

TYPES = ("str", "int", "float", "bool", "date", "enum", "ip", "mac")
# Attribute codes stored in ConfigItem columns; every other attribute lives in ConfigItem.attributes.
COLUMNS = ("name", "ci_class", "asset_tag", "serial", "status", "brand", "model", "location", "owner_id",
           "ip", "description")
MAC_RE = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")


@dataclass(frozen=True)
class AttributeDef:
    code: str
    zh: str
    en: str
    type: str = "str"
    required: bool = False
    unique: bool = False
    values: tuple[str, ...] = ()

    def label(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass
class ClassDef:
    code: str
    zh: str
    en: str
    parent: str = ""
    abstract: bool = False
    own: list[AttributeDef] = field(default_factory=list)

    def label(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


def _attribute(raw: dict[str, Any]) -> AttributeDef:
    label = raw.get("label") or {}
    kind = raw.get("type", "str")
    if kind not in TYPES:
        raise Invalid(f"attribute {raw.get('code')!r}: unknown type {kind!r}; types: {', '.join(TYPES)}")
    if kind == "enum" and not raw.get("values"):
        raise Invalid(f"attribute {raw.get('code')!r}: an enum needs values")
    code = str(raw.get("code") or "").strip()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,47}", code):
        raise Invalid(f"attribute code {code!r}: use lower-case letters, digits and _")
    return AttributeDef(code=code, zh=str(label.get("zh") or code), en=str(label.get("en") or code), type=kind,
                        required=bool(raw.get("required")), unique=bool(raw.get("unique")),
                        values=tuple(str(v) for v in raw.get("values") or ()))

RESOURCES = Path(__file__).resolve().parent.parent / "resources" / "cmdb"


@lru_cache(maxsize=1)
def builtin() -> tuple[dict[str, Any], ...]:
    text = (RESOURCES / "classes.yaml").read_text(encoding="utf-8")
    return tuple(load_yaml(text)["classes"])


@lru_cache(maxsize=1)
def relation_defs() -> dict[str, dict[str, Any]]:
    text = (RESOURCES / "classes.yaml").read_text(encoding="utf-8")
    return dict(load_yaml(text)["relations"])


def impacting_relations() -> tuple[str, ...]:
    return tuple(code for code, spec in relation_defs().items() if spec.get("impacts"))


class Registry:
    """The class tree in force on this node: built-ins, then HQ rows (new classes or extra attributes)."""

    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self.classes: dict[str, ClassDef] = {}
        for raw in rows:
            self._add(raw)

    def _add(self, raw: dict[str, Any]) -> None:
        code = raw["code"]
        attrs = [_attribute(a) for a in raw.get("attributes") or ()]
        if code in self.classes:  # an HQ extension of an existing class: extra attributes only
            known = {a.code for a in self.classes[code].own}
            self.classes[code].own.extend(a for a in attrs if a.code not in known)
            return
        label = raw.get("label") or {}
        self.classes[code] = ClassDef(code=code, zh=str(label.get("zh") or code), en=str(label.get("en") or code),
                                      parent=raw.get("parent") or "", abstract=bool(raw.get("abstract")),
                                      own=attrs)

    def get(self, code: str) -> ClassDef:
        cls = self.classes.get(code)
        if cls is None:
            for candidate in self.classes.values():  # a Chinese or English label names the class too
                if code in (candidate.zh, candidate.en):
                    return candidate
            raise Invalid(f"unknown CI class {code!r}")
        return cls

    def lineage(self, code: str) -> list[ClassDef]:
        chain: list[ClassDef] = []
        cls: ClassDef | None = self.get(code)
        while cls is not None and cls not in chain:
            chain.append(cls)
            cls = self.classes.get(cls.parent) if cls.parent else None
        return chain

    def attributes(self, code: str) -> list[AttributeDef]:
        """Inherited first, then the class's own; a subclass redefining a code wins."""
        merged: dict[str, AttributeDef] = {}
        for cls in reversed(self.lineage(code)):
            for attr in cls.own:
                merged[attr.code] = attr
        return list(merged.values())

    def descendants(self, code: str) -> list[str]:
        """The class and every class below it (for 'all servers' filters)."""
        out = [code]
        for cls in self.classes.values():
            if cls.parent and cls.code not in out and code in [c.code for c in self.lineage(cls.code)]:
                out.append(cls.code)
        return out

    def children(self, code: str) -> list[ClassDef]:
        return [c for c in self.classes.values() if c.parent == code]

    def concrete(self) -> list[ClassDef]:
        return [c for c in self.classes.values() if not c.abstract]


CACHE_KEY = "itops_cmdb_registry"


def registry(session: Session | None = None) -> Registry:
    """The classes in force; cached for the session's transaction (``forget`` after defining one)."""
    if session is not None and CACHE_KEY in session.info:
        return session.info[CACHE_KEY]  # type: ignore[no-any-return]
    reg = _load_registry(session)
    if session is not None:
        session.info[CACHE_KEY] = reg
    return reg


def forget(session: Session) -> None:
    session.info.pop(CACHE_KEY, None)


def _load_registry(session: Session | None) -> Registry:
    rows: list[dict[str, Any]] = [dict(r) for r in builtin()]
    if session is not None:
        for row in session.scalars(select(CIClassDef).where(CIClassDef.deleted.is_(False))
                                   .order_by(CIClassDef.created_at, CIClassDef.id)):
            rows.append({"code": row.code, "parent": row.parent, "abstract": row.abstract,
                         "label": {"zh": row.label_zh, "en": row.label_en}, "attributes": row.attributes})
    return Registry(rows)


# -- validation --------------------------------------------------------------------------------------

def coerce(attr: AttributeDef, value: Any) -> Any:
    """The typed value of one attribute, or Invalid naming the attribute and what is wrong."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    text = str(value).strip()
    try:
        if attr.type == "int":
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return int(text)
        if attr.type == "float":
            return float(text)
        if attr.type == "bool":
            if text.lower() in ("1", "true", "yes", "是", "y"):
                return True
            if text.lower() in ("0", "false", "no", "否", "n"):
                return False
            raise ValueError(text)
        if attr.type == "date":
            return date.fromisoformat(text[:10]).isoformat()
        if attr.type == "ip":
            return str(ipaddress.ip_interface(text).ip) if "/" in text else str(ipaddress.ip_address(text))
        if attr.type == "mac":
            if not MAC_RE.match(text):
                raise ValueError(text)
            return text.upper().replace("-", ":")
    except ValueError:
        raise Invalid(f"{attr.code} ({attr.zh}): {text!r} is not a valid {attr.type}") from None
    if attr.type == "enum" and text not in attr.values:
        raise Invalid(f"{attr.code} ({attr.zh}): {text!r} is not one of {', '.join(attr.values)}")
    return text if attr.type in ("str", "enum") else value


def validate(reg: Registry, ci_class: str, fields: dict[str, Any], current: dict[str, Any] | None = None,
             ) -> tuple[str, dict[str, Any]]:
    """Check ``fields`` (column or attribute codes) against the class; returns (class code, typed fields).

    ``current`` is the CI as it stands (for updates): required attributes may already be set there.
    """
    cls = reg.get(ci_class)
    if cls.abstract:
        concrete = ", ".join(c.code for c in reg.concrete() if cls.code in [x.code for x in reg.lineage(c.code)])
        raise Invalid(f"{cls.code} ({cls.zh}) is an abstract class; use one of: {concrete}")
    defs = {a.code: a for a in reg.attributes(cls.code)}
    typed: dict[str, Any] = {}
    for name, value in fields.items():
        code = name.removeprefix("attributes.")
        attr = defs.get(code)
        typed[code] = coerce(attr, value) if attr is not None else value
    merged = {**(current or {}), **typed}
    missing = [f"{a.code} ({a.zh})" for a in defs.values() if a.required and merged.get(a.code) in (None, "")]
    if missing:
        raise Invalid(f"{cls.code} ({cls.zh}) needs {', '.join(missing)}")
    return cls.code, typed


def check_unique(session: Session, reg: Registry, ci_class: str, values: dict[str, Any],
                 ci_id: str | None = None) -> None:
    """Unique attributes (asset tag, serial …) must not repeat among this node's live CIs."""
    for attr in reg.attributes(ci_class):
        value = values.get(attr.code)
        if not attr.unique or value in (None, ""):
            continue
        if attr.code in COLUMNS:
            stmt = select(ConfigItem.id, ConfigItem.name).where(getattr(ConfigItem, attr.code) == value,
                                                                 ConfigItem.deleted.is_(False))
            if ci_id:
                stmt = stmt.where(ConfigItem.id != ci_id)
            first = session.execute(stmt.limit(1)).first()
            clash: tuple[str, str] | None = (first[0], first[1]) if first else None
        else:
            home = next(c for c in reversed(reg.lineage(ci_class)) if attr.code in {a.code for a in c.own})
            classes = reg.descendants(home.code)
            clash = next(((r.id, r.name) for r in session.execute(
                select(ConfigItem.id, ConfigItem.name, ConfigItem.attributes).where(
                    ConfigItem.ci_class.in_(classes), ConfigItem.deleted.is_(False)))
                if r.id != ci_id and (r.attributes or {}).get(attr.code) == value), None)
        if clash:
            raise Invalid(f"{attr.code} ({attr.zh}) {value} is already used by {clash[1]}")


def as_fields(row: ConfigItem) -> dict[str, Any]:
    """A CI's column and attribute values by attribute code."""
    out = {name: getattr(row, name) for name in COLUMNS}
    out.update(row.attributes or {})
    return out
