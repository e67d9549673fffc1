"""Wire-level constants and errors shared by the sync server and client."""

from __future__ import annotations

from typing import Any

PAGE_ROWS = 500
PUSH_BATCH_BYTES = 256 * 1024
TOKEN_DAYS = 90


class SyncError(Exception):
    """A protocol-level refusal with an HTTP status and a machine-readable code."""

    status = 400

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.status, "reason": self.code, "message": self.message, **self.extra}}


class Unauthorized(SyncError):
    status = 401


class ScopeViolation(SyncError):
    status = 403


class Conflict409(SyncError):
    status = 409


class UpgradeRequired(SyncError):
    status = 426


def parse_cursor(cursor: str | None) -> tuple[str, int]:
    if not cursor:
        return "", 0
    epoch, _, seq = cursor.partition(":")
    try:
        return epoch, int(seq)
    except ValueError:
        raise SyncError("bad_cursor", f"malformed cursor {cursor!r}") from None


def make_cursor(epoch: str, seq: int) -> str:
    return f"{epoch}:{seq}"
