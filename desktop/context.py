"""What every area widget needs, handed down from the composition root (desktop.app)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from desktop.lang import Language
from desktop.ops import Bus
from shared.services.actor import Actor
from shared.store import Store


@dataclass(frozen=True)
class SignedIn:
    """The result of a login: plain data only, safe to pass between threads."""

    actor: Actor
    user: dict[str, Any]
    org: dict[str, Any] = field(default_factory=dict)

    @property
    def display_name(self) -> str:
        return f"{self.user.get('full_name') or self.actor.username} ({self.actor.username})"


@dataclass(frozen=True)
class AppContext:
    store: Store
    bus: Bus
    language: Language
    signed_in: SignedIn

    @property
    def actor(self) -> Actor:
        return self.signed_in.actor

    @property
    def lang(self) -> str:
        return self.language.code
