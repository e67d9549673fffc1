"""Users, roles and sign-in against a store."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.models.org import ROLES, User
from shared.security import hash_password, verify_password
from shared.services.actor import Actor
from shared.services.errors import Forbidden, Invalid, NotFound
from shared.services.org import get_org
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict
from shared.sync.node import authority_of

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


def public(user: User) -> dict:
    data = row_to_dict(user)
    data.pop("password_hash", None)
    return data


def _check_roles(roles: list[str]) -> list[str]:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise Invalid(f"unknown role {', '.join(unknown) or '(none)'}; roles: {', '.join(ROLES)}")
    return sorted(set(roles))


def add_user(cs: ChangeSet, username: str, password: str, org_path: str, roles: list[str],
             full_name: str = "", phone: str = "", email: str = "") -> dict:
    if not USERNAME_RE.match(username):
        raise Invalid("username: 2–64 letters, digits, '_', '.', '-'")
    roles = _check_roles(roles)
    if get_org(cs.session, org_path) is None:
        raise Invalid(f"org {org_path} does not exist")
    if cs.session.scalar(select(User).where(User.username == username)) is not None:
        raise Invalid(f"user {username} already exists")
    try:
        pw_hash = hash_password(password)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    row = cs.create(User, org_path, {
        "username": username, "full_name": full_name or username, "org_path": org_path,
        "roles": sorted(set(roles)), "phone": phone, "email": email, "active": True,
    })
    row.password_hash = pw_hash
    audit.record(cs, None, "user_created", username, {"org_path": org_path, "roles": sorted(set(roles))})
    return public(row)


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username, User.deleted.is_(False)))
    if user is None:
        raise NotFound(f"no user {username}")
    return user


def set_password(cs: ChangeSet, username: str, password: str) -> None:
    user = find_user(cs.session, username)
    try:
        cs.update(user, {"password_hash": hash_password(password)})
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    audit.record(cs, None, "password_changed", username)


def _editable(cs: ChangeSet, username: str) -> User:
    """The user, if this database may change their record: a province server changes the users its
    province keeps (an edit of another's would be a push its relay may not make); HQ changes any
    (its edits of a province's users reach that province in its next pull)."""
    user = find_user(cs.session, username)
    if cs.state.role == "province" and not cs.is_authority(user.owner_path):
        raise Invalid(f"user {username} is kept by the server of {authority_of(user.owner_path)}; change them there")
    return user


def set_roles(cs: ChangeSet, username: str, roles: list[str], by: str | None = None) -> dict:
    """Replace a user's roles (at least one, all known). Audited as ``role_changed`` with before/after,
    by ``by`` (the operator, e.g. ``cli:root``; default: the ChangeSet's user or "system")."""
    user = _editable(cs, username)
    wanted = _check_roles(roles)
    before = sorted(user.roles or ())
    if wanted != before:
        cs.update(user, {"roles": wanted})
        audit.record(cs, by, "role_changed", username, {"before": before, "after": wanted})
    return public(user)


def move_user(cs: ChangeSet, username: str, org_path: str, by: str | None = None) -> dict:
    """Move a user to another org unit of the same province (or of HQ, for HQ's own users).

    The user's record stays with the server that keeps it, so a move across provinces is refused
    (disable the user here and add them there). The user's stores keep their old scope and stop
    syncing (``shared.sync.server.authenticate``): the user signs in on a new store. Audited as
    ``user_moved`` with before/after."""
    user = _editable(cs, username)
    if get_org(cs.session, org_path) is None:
        raise Invalid(f"org {org_path} does not exist")
    keeper = authority_of(user.owner_path)
    if authority_of(org_path) != keeper:
        raise Invalid(f"{org_path} is outside {keeper}, the province that keeps user {username}; "
                      "disable them here and add them there")
    before = user.org_path
    if org_path != before:
        cs.update(user, {"org_path": org_path})
        audit.record(cs, by, "user_moved", username, {"before": before, "after": org_path})
    return public(user)


def set_active(cs: ChangeSet, username: str, active: bool, by: str | None = None) -> dict:
    """Disable or enable a user. A disabled user cannot sign in, and their stores stop syncing while
    disabled (their tokens are refused, not revoked: enabling them again restores their stores).
    Audited as ``user_disabled`` / ``user_enabled`` with before/after."""
    user = _editable(cs, username)
    before = bool(user.active)
    if before != active:
        cs.update(user, {"active": active})
        audit.record(cs, by, "user_enabled" if active else "user_disabled", username,
                     {"before": before, "after": active})
    return public(user)


def list_users(session: Session, org_path: str = "/") -> list[dict]:
    rows = session.scalars(select(User).where(User.deleted.is_(False), User.org_path.startswith(org_path))
                           .order_by(User.org_path, User.username))
    return [public(u) for u in rows]


def authenticate(session: Session, username: str, password: str) -> Actor:
    """One message for every failure, so a caller cannot probe which usernames exist."""
    user = session.scalar(select(User).where(User.username == username, User.deleted.is_(False)))
    stored = user.password_hash if user is not None and user.active else None
    if not verify_password(stored, password) or user is None:  # unknown names cost the same time
        raise Forbidden("wrong username or password")
    return Actor(user.id, user.username, user.org_path, tuple(user.roles or ()))
