"""This node's identity, its merge authority, and the lock that numbers server commits."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models.sync import NodeState

ROLES = ("client", "province", "hq")


def authority_of(owner_path: str) -> str:
    """Which server merges rows owned by ``owner_path``.

    ``/HQ/`` (group-wide reference data) → HQ; anything under ``/HQ/<P>/`` → that province.
    """
    parts = [p for p in owner_path.split("/") if p]
    if len(parts) <= 1:
        return "/HQ/"
    return f"/{parts[0]}/{parts[1]}/"


def in_subtree(path: str, root: str) -> bool:
    return path.startswith(root)


def org_codes(path: str) -> list[str]:
    return [p for p in path.split("/") if p]


def load_state(session: Session, lock: bool = False) -> NodeState:
    stmt = select(NodeState).where(NodeState.key == "self")
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    state = session.scalars(stmt).one_or_none()
    if state is None:
        raise RuntimeError("this store has no node identity; run `itops db upgrade` or `itops demo`")
    return state


def init_node(session: Session, role: str, org_path: str, node_code: str = "",
              node_id: str | None = None) -> NodeState:
    """Give a fresh database its node identity (idempotent)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    state = session.get(NodeState, "self")
    if state is not None:
        return state
    node_id = node_id or str(uuid.uuid4())
    codes = org_codes(org_path)[1:] or ["HQ"]
    code = node_code or node_id[:4].upper()
    state = NodeState(
        key="self", node_id=node_id, role=role, org_path=org_path,
        number_prefix="-".join([*codes, code]) if role == "client" else "-".join(codes),
        epoch=str(uuid.uuid4()) if role != "client" else "",
        authority_path=authority_of(org_path) if role != "client" else "",
        hlc_wall=0, hlc_counter=0, next_seq=1, change_seq=0,
    )
    session.add(state)
    session.flush()
    return state
