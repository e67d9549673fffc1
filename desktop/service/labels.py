"""Labels and display forms of catalogue data. Kind, field and choice names come from
resources/catalog.yaml ({zh, en}); the few words that are ours go through Qt's translator."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from shared.services.catalog import kind_fields, kinds

# The columns the entry list shows per kind, after code, name and owner (the form shows every field).
KEY_FIELDS: dict[str, tuple[str, ...]] = {
    "service": ("criticality", "hours", "availability_target"),
    "catalog_item": ("service", "fulfilment_minutes", "approval_required"),
    "sla": ("process", "priority", "service", "resolution"),
    "calendar": ("base", "replaces", "holidays"),
    "supplier": ("rating", "contact", "phone", "team"),
    "contract": ("supplier", "end", "amount"),
    "business_unit": ("liaison", "phone", "services"),
    "capacity_threshold": ("ci_class", "ci_id", "metric", "warn", "alarm"),
}


def label(doc: dict[str, Any] | None, lang: str, fallback: str) -> str:
    """``{zh: 服务, en: Service}`` in the current language."""
    if not doc:
        return fallback
    return str(doc.get(lang) or doc.get("en") or fallback)


def kind_name(kind: str, lang: str) -> str:
    return label(kinds().get(kind, {}).get("name"), lang, kind)


def field_label(spec: dict[str, Any], lang: str) -> str:
    return label(spec, lang, str(spec.get("name", "")))


def choice_label(spec: dict[str, Any], value: Any, lang: str) -> str:
    return label((spec.get("choices") or {}).get(str(value)), lang, str(value))


def key_fields(kind: str) -> tuple[str, ...]:
    names = kind_fields(kind)
    return tuple(n for n in KEY_FIELDS.get(kind, tuple(names)[:3]) if n in names)


def org_label(orgs: dict[str, dict[str, Any]], path: str, lang: str) -> str:
    org = orgs.get(path)
    if org is None:
        return path
    return str((org.get("name_en") if lang == "en" else None) or org.get("name") or path)


def entry_label(entry: dict[str, Any], lang: str) -> str:
    """An entry's name in the current language (``name_en`` when set, else the Chinese name)."""
    return str((entry.get("name_en") if lang == "en" else None) or entry.get("name") or entry.get("code"))


def minutes_text(minutes: Any) -> str:
    """``15`` → 15 min, ``240`` → 4 h, ``900`` → 15 h: targets as people say them."""
    if minutes in (None, ""):
        return "—"
    value = float(minutes)
    if value < 60:
        return QCoreApplication.translate("ServiceLabels", "{n} min").format(n=f"{value:g}")
    return QCoreApplication.translate("ServiceLabels", "{n} h").format(n=f"{value / 60:.4g}")


def calendar_text(code: Any) -> str:
    if code in (None, ""):
        return "—"
    if code == "24x7":
        return QCoreApplication.translate("ServiceLabels", "7×24")
    return QCoreApplication.translate("ServiceLabels", "Business hours ({code})").format(code=code)


def format_value(spec: dict[str, Any], value: Any, lang: str, options: dict[str, Any]) -> str:
    """A stored field value for a list cell or a read-only view."""
    if value in (None, "", []):
        return ""
    kind = spec.get("type")
    if kind == "choice":
        return choice_label(spec, value, lang)
    if kind == "bool":
        if value:
            return QCoreApplication.translate("ServiceLabels", "Yes")
        return QCoreApplication.translate("ServiceLabels", "No")
    if kind == "team":
        return str(options.get("teams", {}).get(value, {}).get("name") or value)
    if kind == "ci":
        return str(options.get("cis", {}).get(value, {}).get("name") or value)
    if kind == "cis":
        cis = options.get("cis", {})
        return ", ".join(str(cis.get(v, {}).get("name") or v) for v in value)
    if kind == "catalog":
        entries = options.get("entries", {}).get(spec.get("kind"), {})
        entry = entries.get(value)
        return entry_label(entry, lang) if entry else str(value)
    if kind == "list":
        return ", ".join("-".join(map(str, v)) if isinstance(v, list) else str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)
