"""Canonical, JSON-safe forms of rows and values.

One encoding is used for outbox payloads, change-log snapshots, the wire and
``itops export``: sorted keys, UTF-8 kept, datetimes as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
Two replicas holding the same data therefore produce byte-identical exports and digests.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect

from shared.db.base import Synced
from shared.db.types import UTCDateTime

# Columns that merge per key: a change to data["x"] is the field "data.x".
DOC_COLUMNS = frozenset({"data", "attributes", "values"})


def dumps(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def digest(obj: Any) -> str:
    return hashlib.sha256(dumps(obj).encode("utf-8")).hexdigest()


def total_digest(per_entity: dict[str, list[Any]]) -> list[Any]:
    """One (count, 64-bit hash) over a per-entity digest map: what a no-change sync carries."""
    return [sum(int(v[0]) for v in per_entity.values()), digest(sorted(per_entity.items()))[:16]]


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return encode_dt(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def encode_dt(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def decode_dt(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _datetime_columns(cls: type) -> frozenset[str]:
    cached = getattr(cls, "_itops_dt_cols", None)
    if cached is None:
        columns: Any = sa_inspect(cls).columns
        cached = frozenset(c.key for c in columns if isinstance(c.type, UTCDateTime))
        cls._itops_dt_cols = cached  # type: ignore[attr-defined]
    return cached


def column_names(cls: type) -> list[str]:
    cached = getattr(cls, "_itops_cols", None)
    if cached is None:
        local_only: frozenset[str] = getattr(cls, "__sync_local_only__", frozenset())
        columns: Any = sa_inspect(cls).columns
        cached = [c.key for c in columns if c.key not in local_only]
        cls._itops_cols = cached  # type: ignore[attr-defined]
    return cached


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return encode_dt(value)
    return value


def row_to_dict(row: Synced) -> dict[str, Any]:
    """Every synced column of ``row`` in canonical JSON-safe form."""
    return {name: encode_value(getattr(row, name)) for name in column_names(type(row))}


def decode_values(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    """Wire values → Python values for the model's columns (unknown keys dropped)."""
    dt_cols = _datetime_columns(cls)
    known = set(column_names(cls))
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            continue  # a newer schema's column: ignored by an older node
        if key in dt_cols and isinstance(value, str):
            value = decode_dt(value)
        out[key] = value
    return out


def flatten(values: dict[str, Any]) -> dict[str, Any]:
    """{"data": {"a": 1}, "title": "x"} → {"data.a": 1, "title": "x"} for merge granularity."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        if key in DOC_COLUMNS and isinstance(value, dict):
            for sub, subvalue in value.items():
                flat[f"{key}.{sub}"] = subvalue
        else:
            flat[key] = value
    return flat


def get_field(values: dict[str, Any], field: str) -> Any:
    if "." in field:
        col, sub = field.split(".", 1)
        doc = values.get(col) or {}
        return doc.get(sub)
    return values.get(field)


def set_field(values: dict[str, Any], field: str, value: Any) -> None:
    """Set a (possibly dotted) field; a dotted None removes the key."""
    if "." in field:
        col, sub = field.split(".", 1)
        doc = dict(values.get(col) or {})
        if value is None:
            doc.pop(sub, None)
        else:
            doc[sub] = value
        values[col] = doc
    else:
        values[field] = value
