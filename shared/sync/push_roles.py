"""Which roles a pushing node's user must hold for the synced rows that the services guard by role.

The services check roles (``Actor.require_role``) before they write, but a pushed mutation was written on
the pushing store by whatever program runs there: the server checks again. Scope (``shared.sync.scope``)
says where a node may write; these rules say what its user may write there. A mutation a rule covers is
rejected unless the user the node signed in as (``SyncNode.user_id``, their roles as they are now) holds
one of the rule's roles — ``admin`` always counts, as in the services. The refusal is the protocol's
ordinary per-mutation rejection: recorded as a ``rejected`` conflict, answered as ``rejected``, never
blocking the queue; a transaction group with a refused mutation is rejected whole.

Nodes without a user (a province's record of HQ, whose forwarded edits HQ's services checked) are not
checked. Rows a province relays (``rows`` of a push) are that province's merged data, not mutations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from shared.models.org import User
from shared.models.sync import SyncNode

ADMIN = "admin"
# the services' role lists (shared/services/catalog.py EDITORS, forms.py REVIEWERS, plans.py APPROVERS);
# tests/sync/test_push_roles.py checks these stay the same as the services'
CATALOGUE_EDITORS = ("service_manager",)
TEMPLATE_REVIEWERS = ("approver",)
PLAN_APPROVERS = ("approver", "duty_lead")


def _always(_m: dict[str, Any]) -> bool:
    return True


def _state_change(*moves: tuple[str | None, str], unless: tuple[str, ...] = ()) -> Callable[[dict[str, Any]], bool]:
    """Covers a mutation that moves the row's ``state`` from → to (from None: from any state, or a
    create), except from a state in ``unless``."""
    def covers(m: dict[str, Any]) -> bool:
        change = (m.get("changes") or {}).get("state")
        if not change:
            return False
        old, new = change[0], change[1]
        return old not in unless and any(new == to and source in (None, old) for source, to in moves)
    return covers


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]  # one of these (or admin) is needed; () = admin only
    doing: str  # what the mutation does, for the rejection's reason
    covers: Callable[[dict[str, Any]], bool] = _always


# entity → its rules (each that covers a mutation must be met)
RULES: dict[str, tuple[Rule, ...]] = {
    # catalog.create_entry / update_entry: services, catalogue items, SLA targets, calendars, suppliers …
    "catalog_entries": (Rule(CATALOGUE_EDITORS, "changing the service catalogue"),),
    # cmdb.define_class: CI classes are defined by an HQ administrator
    "ci_class_defs": (Rule((), "defining CI classes"),),
    # documents.publish: rules and standards are published by an HQ administrator
    "documents": (Rule((), "publishing rules and standards"),),
    # forms.approve_template / reject_template / publish_template / retire_template: a reviewer
    "form_templates": (Rule(TEMPLATE_REVIEWERS, "publishing, rejecting or retiring a form template",
                            _state_change((None, "published"), (None, "retired"), ("review", "draft"))),),
    # plans.transition_plan approve / reject: four eyes on the schedule
    # (a plan becomes published only by approval; published → active is its first spawn, anyone's)
    "plans": (Rule(PLAN_APPROVERS, "approving or rejecting a plan",
                   _state_change((None, "published"), (None, "active"), ("review", "draft"),
                                 unless=("published", "active"))),),
    # conflicts.resolve: the conflict queue is the administrators'
    "conflicts": (Rule((), "the conflict queue"),),
    # `itops org` / `itops user`: a server's administration (never accepted from a desktop at all)
    "org_units": (Rule((), "changing the org tree"),),
    "users": (Rule((), "changing users"),),
}


def _needs(rule: Rule) -> str:
    return " or ".join((ADMIN, *rule.roles))


def push_refusal(session: Session, node: SyncNode, group: list[dict[str, Any]]) -> str:
    """Why this transaction group may not be taken from ``node`` ('' when its user may make every
    mutation of it). Reads the node's user only when a rule covers some mutation of the group."""
    if node.user_id is None:
        return ""
    covered = [(m, rule) for m in group for rule in RULES.get(str(m.get("entity")), ()) if rule.covers(m)]
    if not covered:
        return ""
    user = session.get(User, node.user_id)
    roles = set(user.roles or ()) if user is not None else set()
    if ADMIN in roles:
        return ""
    for m, rule in covered:
        if not roles & set(rule.roles):
            who = user.username if user is not None else "this node's user"
            return (f"{m['entity']} {m['id']}: {rule.doing} needs the role {_needs(rule)} "
                    f"({who} has {', '.join(sorted(roles)) or 'no role'})")
    return ""
