"""Password hashing (argon2id), sync tokens, and the sign-in lockout with back-off."""

from __future__ import annotations

import hashlib
import math
import os
import secrets
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from shared.db.types import utcnow
from shared.models.audit import LoginAttempt

_hasher = PasswordHasher()  # argon2id, library defaults (64 MiB, t=3)


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    return _hasher.hash(password)


@cache
def _unusable_hash() -> str:
    """A hash no password matches, made once: what an unknown account is checked against."""
    return _hasher.hash(secrets.token_urlsafe(16))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """A missing hash (an unknown or disabled account) still costs one argon2 verification, so the answer's
    timing does not tell which usernames exist."""
    if not stored_hash:
        _verify(_unusable_hash(), password)
        return False
    return _verify(stored_hash, password)


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a stolen database holds no usable token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- sign-in lockout -------------------------------------------------------------------------------
# After MAX_FAILURES wrong passwords in a row the username is locked for LOCK_SECONDS, doubling with
# every further failure up to LOCK_CAP_SECONDS. While locked even the right password is refused (and
# not checked: a guess made during the lock tells nothing). A success resets the count.
MAX_FAILURES = 5
LOCK_SECONDS = 60
LOCK_CAP_SECONDS = 3600


class LockedOut(Exception):
    """Too many wrong passwords for this username: wait ``retry_after`` seconds."""

    def __init__(self, username: str, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins for {username}; try again in {retry_after} s")
        self.username = username
        self.retry_after = retry_after


def lock_seconds(failures: int) -> int:
    if failures < MAX_FAILURES:
        return 0
    return int(min(LOCK_SECONDS * 2 ** (failures - MAX_FAILURES), LOCK_CAP_SECONDS))


def check_lockout(session: Session, username: str, now: datetime | None = None) -> None:
    """Raise :class:`LockedOut` while the username is locked."""
    attempt = session.get(LoginAttempt, attempt_key(username))
    now = now or utcnow()
    if attempt is not None and attempt.locked_until is not None and attempt.locked_until > now:
        raise LockedOut(username, max(1, math.ceil((attempt.locked_until - now).total_seconds())))


def note_failure(session: Session, username: str, now: datetime | None = None) -> int:
    """Count a wrong password; returns the lock now in force in seconds (0: none yet)."""
    now = now or utcnow()
    attempt = session.get(LoginAttempt, attempt_key(username))
    if attempt is None:
        attempt = LoginAttempt(username=attempt_key(username), failures=0)
        session.add(attempt)
    attempt.failures = int(attempt.failures or 0) + 1
    attempt.last_failure_at = now
    seconds = lock_seconds(attempt.failures)
    attempt.locked_until = now + timedelta(seconds=seconds) if seconds else None
    return seconds


def note_success(session: Session, username: str) -> None:
    attempt = session.get(LoginAttempt, attempt_key(username))
    if attempt is not None:
        session.delete(attempt)


def attempt_key(username: str) -> str:
    return username.strip().lower()[:64]


# -- the desktop's sync token in the OS keyring ------------------------------------------------------
# Windows Credential Manager, macOS Keychain or the Secret Service on a Linux desktop hold the token;
# the store keeps only "keyring:<account>". Where there is no keyring (headless Linux: keyring's "fail"
# backend) or it refuses, the token stays in the store as before. ITOPS_KEYRING=0 turns it off.
KEYRING_SERVICE = "ITOps"
KEYRING_PREFIX = "keyring:"


def _keyring() -> Any | None:
    if os.environ.get("ITOPS_KEYRING", "1") == "0":
        return None
    try:
        import keyring

        backend = keyring.get_keyring()
    except Exception:  # no keyring package, a broken backend configuration …
        return None
    # keyring's stand-ins when nothing real is there: "fail" raises NoKeyringError, "null" forgets
    if type(backend).__module__ in ("keyring.backends.fail", "keyring.backends.null"):
        return None
    return keyring


def keep_token(account: str, token: str) -> str:
    """Put ``token`` in the OS keyring; returns what the store should keep (a reference, or the token)."""
    keyring = _keyring()
    if keyring is None or not token:
        return token
    try:
        keyring.set_password(KEYRING_SERVICE, account, token)
        if keyring.get_password(KEYRING_SERVICE, account) != token:
            return token
    except Exception:  # locked, refused, no D-Bus session …: keep working without it
        return token
    return KEYRING_PREFIX + account


def token_value(stored: str | None) -> str:
    """The token behind what the store keeps ('' when the keyring no longer has it: sign in again)."""
    if not stored or not stored.startswith(KEYRING_PREFIX):
        return stored or ""
    keyring = _keyring()
    if keyring is None:
        return ""
    try:
        return str(keyring.get_password(KEYRING_SERVICE, stored[len(KEYRING_PREFIX):]) or "")
    except Exception:
        return ""
