"""Display forms of stored values: UTC times shown in China time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo

from shared.sync.codec import decode_dt


def _local_zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Shanghai")
    except Exception:  # no tz database (Windows without tzdata): China has no DST
        return timezone(timedelta(hours=8), "CST")


LOCAL_ZONE = _local_zone()


def local_time(value: datetime | str | None, seconds: bool = False) -> str:
    """``2026-11-27T04:00:00.000000Z`` → ``2026-11-27 12:00`` (Asia/Shanghai)."""
    if value is None or value == "":
        return ""
    when = decode_dt(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
