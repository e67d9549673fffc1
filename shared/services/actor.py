"""Who is acting, and what they may touch (their org subtree)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from shared.models.org import User
from shared.services.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    user_id: str | None
    username: str
    org_path: str
    roles: tuple[str, ...] = field(default_factory=tuple)

    def can_see(self, owner_path: str) -> bool:
        return owner_path.startswith(self.org_path)

    def require_scope(self, owner_path: str) -> None:
        if not self.can_see(owner_path):
            raise Forbidden(f"{owner_path} is outside your scope {self.org_path}")

    def require_role(self, doing: str, *roles: str) -> None:
        """An administrator may do everything inside their scope; otherwise one of ``roles`` is needed,
        or, with none named, any role at all (a person without a role reports tickets and reads)."""
        mine = set(self.roles)
        if "admin" in mine or (mine & set(roles) if roles else mine):
            return
        wanted = f"the role {' or '.join(('admin', *roles))}" if roles else "a role"
        raise Forbidden(f"{doing} needs {wanted} ({self.username} has {', '.join(self.roles) or 'no role'})")


SYSTEM = Actor(user_id=None, username="system", org_path="/", roles=("admin",))


def actor_for(session: Session, user_id: str) -> Actor:
    user = session.get(User, user_id)
    if user is None or user.deleted or not user.active:
        raise Forbidden("unknown or disabled user")
    return Actor(user.id, user.username, user.org_path, tuple(user.roles or ()))
