"""Human numbers made offline: ``INC-GD-SZ-LH-N1-000123``.

The prefix is the node's (org codes below HQ plus the node's own code), so two stores —
even two of the same county — never hand out the same number without asking a server.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.models.sync import NumberCounter
from shared.sync.node import load_state


def next_number(session: Session, kind: str) -> str:
    state = load_state(session)
    prefix = f"{kind}-{state.number_prefix}"
    counter = session.get(NumberCounter, prefix)
    if counter is None:
        counter = NumberCounter(prefix=prefix, last=0)
        session.add(counter)
    counter.last = int(counter.last) + 1
    return f"{prefix}-{counter.last:06d}"
