"""Org units: the HQ → province → prefecture → county tree."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.org import LEVELS, OrgUnit
from shared.services.errors import Invalid
from shared.sync.capture import ChangeSet
from shared.sync.codec import row_to_dict

PATH_RE = re.compile(r"^/(?:[A-Z0-9]{1,16}/)+$")
ORG_NAMESPACE = uuid.UUID("6f1d8a52-4a5e-4b8e-9d3c-2f0c7e0b1a01")


def org_id(path: str) -> str:
    """Deterministic: the same path made on two nodes is one row."""
    return str(uuid.uuid5(ORG_NAMESPACE, path))


def parent_of(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    return "/" + "/".join(parts[:-1]) + "/" if len(parts) > 1 else None


def add_org(cs: ChangeSet, path: str, name: str, name_en: str = "", sort_order: int = 0) -> dict:
    if not PATH_RE.match(path):
        raise Invalid(f"org path must look like /HQ/GD/SZ/ (upper-case codes), got {path!r}")
    depth = len([p for p in path.split("/") if p])
    if depth > len(LEVELS):
        raise Invalid(f"org tree has {len(LEVELS)} levels at most (hq, province, prefecture, county)")
    parent = parent_of(path)
    session = cs.session
    if parent and session.scalar(select(OrgUnit).where(OrgUnit.path == parent)) is None:
        raise Invalid(f"parent org {parent} does not exist")
    if session.scalar(select(OrgUnit).where(OrgUnit.path == path)) is not None:
        raise Invalid(f"org {path} already exists")
    owner = parent or path  # a unit is owned by its parent (the root by itself)
    row = cs.create(OrgUnit, owner, {
        "path": path, "code": path.strip("/").split("/")[-1], "name": name, "name_en": name_en,
        "level": LEVELS[depth - 1], "parent_path": parent, "sort_order": sort_order,
    }, row_id=org_id(path))
    return row_to_dict(row)


def list_orgs(session: Session) -> list[dict]:
    rows = session.scalars(select(OrgUnit).where(OrgUnit.deleted.is_(False)).order_by(OrgUnit.path))
    return [row_to_dict(r) for r in rows]


def get_org(session: Session, path: str) -> OrgUnit | None:
    return session.scalar(select(OrgUnit).where(OrgUnit.path == path, OrgUnit.deleted.is_(False)))
