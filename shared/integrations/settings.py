"""Server-side configuration of each integration, kept in the server's own database
(``integration_settings``, never synced) and set with ``itops notify config`` / ``itops ldap config`` …"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.integrations import IntegrationSetting

KEYS = ("smtp", "sms", "ldap", "syslog", "events_mapping", "notify")


def get_setting(session: Session, key: str) -> dict[str, Any]:
    row = session.get(IntegrationSetting, key)
    return dict(row.value or {}) if row is not None else {}


def set_setting(session: Session, key: str, value: dict[str, Any]) -> dict[str, Any]:
    if key not in KEYS:
        raise ValueError(f"unknown integration setting {key!r}; settings: {', '.join(KEYS)}")
    row = session.get(IntegrationSetting, key)
    if row is None:
        row = IntegrationSetting(key=key, value={})
        session.add(row)
    row.value = dict(value)
    row.updated_at = utcnow()
    return dict(row.value)


def update_setting(session: Session, key: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge ``changes`` into the stored value; a None value removes that entry."""
    value = get_setting(session, key)
    for name, new in changes.items():
        if new is None:
            value.pop(name, None)
        else:
            value[name] = new
    return set_setting(session, key, value)
