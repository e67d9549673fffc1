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

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


def public(user: User) -> dict:
    data = row_to_dict(user)
    data.pop("password_hash", None)
    return data


def add_user(cs: ChangeSet, username: str, password: str, org_path: str, roles: list[str],
             full_name: str = "", phone: str = "", email: str = "") -> dict:
    if not USERNAME_RE.match(username):
        raise Invalid("username: 2–64 letters, digits, '_', '.', '-'")
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise Invalid(f"unknown role {', '.join(unknown) or '(none)'}; roles: {', '.join(ROLES)}")
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
