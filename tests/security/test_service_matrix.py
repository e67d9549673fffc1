"""Who may call which service: every public function of shared/services × eight people × a target owned
in their county (LH) or in another prefecture's office (GZ), from one table.

The desktop calls the services directly with an Actor, so the services themselves must refuse what a
person's roles or org scope do not allow (the HTTP matrix is tests/security/test_scope_matrix.py).
A call that is allowed must succeed; one that is not must raise Forbidden or NotFound with one line —
and a read of a record outside the caller's scope must say NotFound, so nobody can probe what exists
elsewhere. Every read's result is walked: no org path in it may lie outside what the caller sees.

Each call runs in its own transaction that is rolled back, so one module-scoped store serves them all.
A public function missing from the table fails ``test_every_public_service_function_is_in_the_table``.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import shared.search.index as search
import shared.services
from shared.cmdb import tabular
from shared.db.types import utcnow
from shared.models.org import User
from shared.models.sync import Conflict
from shared.services import (
    analysis,
    attachments,
    capacity,
    catalog,
    cmdb,
    conflicts,
    documents,
    events,
    forms,
    kpi,
    links,
    notifications,
    org,
    plans,
    references,
    reports,
    rooms,
    saved_filters,
    security_events,
    supervision,
    tasks,
    tickets,
    transitions,
    users,
)
from shared.services.actor import SYSTEM, Actor
from shared.services.errors import Forbidden, NotFound, ServiceError
from shared.store import Store
from shared.sync.node import in_subtree
from shared.sync.scope import ancestors

HQ, GD, SZ, LH, GZ = "/HQ/", "/HQ/GD/", "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/GZ/"
ORGS = {"LH": LH, "GZ": GZ}
ISSUER = {LH: SZ, GZ: GD}  # the office above each target office, which issues it tasks
PEOPLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "lh_tech": (LH, ("service_desk",)),
    "lh_inspector": (LH, ("inspector",)),
    "lh_manager": (LH, ("service_manager",)),
    "gz_tech": (GZ, ("service_desk",)),
    "sz_admin": (SZ, ("admin",)),
    "gd_admin": (GD, ("admin",)),
    "hq_admin": (HQ, ("admin",)),
    "hq_desk": (HQ, ("service_desk",)),  # sees everything, may change little: HQ alone is no licence
    "lh_nobody": (LH, ()),
}
TECH_OF = {LH: "lh_tech", GZ: "gz_tech"}
PERIOD, MONTH = "2026-10", "2026-10"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.4\n%test\n"


# -- who may: (actor, target org) → allowed ------------------------------------------------------------
Rule = Callable[[Actor, str], bool]


def _roles(*wanted: str) -> Callable[[Actor], bool]:
    return lambda a: "admin" in a.roles or (bool(set(wanted) & set(a.roles)) if wanted else bool(a.roles))


STAFF = _roles()
ANYONE: Rule = lambda a, o: a.can_see(o)  # noqa: E731 — a person without a role still reports and reads
STAFF_IN_SCOPE: Rule = lambda a, o: a.can_see(o) and STAFF(a)  # noqa: E731
CATALOGUE: Rule = lambda a, o: a.can_see(o) and _roles(*catalog.EDITORS)(a)  # noqa: E731
ADMIN_IN_SCOPE: Rule = lambda a, o: a.can_see(o) and "admin" in a.roles  # noqa: E731
HQ_ADMIN: Rule = lambda a, o: a.org_path == HQ and "admin" in a.roles  # noqa: E731
HQ_STAFF: Rule = lambda a, o: a.org_path == HQ and STAFF(a)  # noqa: E731
HQ_REVIEWER: Rule = lambda a, o: a.org_path == HQ and _roles(*forms.REVIEWERS)(a)  # noqa: E731
EVERYONE: Rule = lambda a, o: True  # noqa: E731 — HQ reference data, or the caller's own rows
STAFF_ANYWHERE: Rule = lambda a, o: STAFF(a)  # noqa: E731 — works on the caller's own subtree
ACCEPTS_INCIDENTS: Rule = lambda a, o: a.can_see(o) and _roles("service_desk", "dispatcher")(a)  # noqa: E731
ABOVE: Rule = lambda a, o: o != a.org_path and a.can_see(o) and STAFF(a)  # noqa: E731
OWNER: Rule = lambda a, o: a.username == TECH_OF[o]  # noqa: E731 — a person's own rows, not even an admin's
SELF_OR_ADMIN: Rule = lambda a, o: a.username == TECH_OF[o] or ADMIN_IN_SCOPE(a, o)  # noqa: E731
ISSUING: Rule = lambda a, o: a.can_see(ISSUER[o]) and STAFF(a)  # noqa: E731
TASK_VISIBLE: Rule = lambda a, o: (a.can_see(ISSUER[o]) or in_subtree(o, a.org_path)  # noqa: E731
                                   or in_subtree(a.org_path, o))


def visible(a: Actor, path: str) -> bool:
    """What a read may show: the caller's subtree and what the offices above publish to it."""
    return a.can_see(path) or path in ancestors(a.org_path) or path == "/"


@dataclass
class World:
    store: Store
    actors: dict[str, Actor]
    users: dict[str, str]  # username → id
    t: dict[str, dict[str, str]] = field(default_factory=dict)  # org path → target name → id


@dataclass
class Call:
    cs: Any  # the ChangeSet of a write (None for a read)
    session: Any
    actor: Actor
    org: str
    t: dict[str, str]
    world: World


@dataclass(frozen=True)
class Row:
    call: Callable[[Call], Any]
    who: Rule
    write: bool = True
    target: bool = True  # run against a target in LH and one in GZ; False: the caller's own scope
    probe: bool = False  # a read of one record: out of scope must be NotFound, not Forbidden
    gate_only: bool = False  # allowed callers may still be refused for business reasons (Invalid)
    gaps: tuple[str, ...] = ()  # callers the owning service does not refuse yet (strict xfail)
    gap_reason: str = ""


W, R = True, False
TABLE: dict[str, Row] = {
    # analysis
    "analysis.problem_proposals": Row(lambda c: analysis.problem_proposals(c.session, c.actor), EVERYONE, R, False),
    "analysis.change_calendar": Row(lambda c: analysis.change_calendar(
        c.session, c.actor, datetime(2026, 10, 1, tzinfo=utcnow().tzinfo), datetime(2026, 11, 1,
                                                                                   tzinfo=utcnow().tzinfo)),
        EVERYONE, R, False),
    "analysis.change_conflicts": Row(lambda c: analysis.change_conflicts(c.session, c.actor, c.t["change"]),
                                     ANYONE, R, probe=True),
    # attachments
    "attachments.add_attachment": Row(lambda c: attachments.add_attachment(
        c.cs, c.actor, c.org, "tickets", c.t["incident"], "photo.jpg", b"jpeg"), STAFF_IN_SCOPE),
    # capacity
    "capacity.record": Row(lambda c: capacity.record(c.cs, c.actor, c.t["ci"], "disk", 55.0), STAFF_IN_SCOPE),
    "capacity.proposals": Row(lambda c: capacity.proposals(c.session, c.actor), EVERYONE, R, False),
    "capacity.thresholds_of": Row(lambda c: capacity.thresholds_of(c.session, c.actor, c.t["ci"]), ANYONE, R,
                                  probe=True),
    # catalogue
    "catalog.create_entry": Row(lambda c: catalog.create_entry(c.cs, c.actor, "service", "NEW", "新服务",
                                                               owner_path=c.org), CATALOGUE),
    "catalog.update_entry": Row(lambda c: catalog.update_entry(c.cs, c.actor, c.t["entry"], {"name": "改名"}),
                                CATALOGUE),
    "catalog.delete_entry": Row(lambda c: catalog.delete_entry(c.cs, c.actor, c.t["entry"]), CATALOGUE),
    "catalog.list_entries": Row(lambda c: catalog.list_entries(c.session, c.actor), EVERYONE, R, False),
    "catalog.contracts_expiring": Row(lambda c: catalog.contracts_expiring(c.session, c.actor, date(2026, 12, 1)),
                                      EVERYONE, R, False),
    "catalog.satisfaction_by_business_unit": Row(lambda c: catalog.satisfaction_by_business_unit(
        c.session, c.actor), EVERYONE, R, False),
    # configuration items
    "cmdb.create_ci": Row(lambda c: cmdb.create_ci(c.cs, c.actor, "server", "NEW-SRV", owner_path=c.org),
                          STAFF_IN_SCOPE),
    "cmdb.update_ci": Row(lambda c: cmdb.update_ci(c.cs, c.actor, c.t["ci"], {"location": "3 楼"}), STAFF_IN_SCOPE),
    "cmdb.link_ci": Row(lambda c: cmdb.link_ci(c.cs, c.actor, c.t["ci"], c.t["ci2"], "runs_on"), STAFF_IN_SCOPE),
    "cmdb.unlink_ci": Row(lambda c: cmdb.unlink_ci(c.cs, c.actor, c.t["ci"], c.t["ci2"], "depends_on"),
                          STAFF_IN_SCOPE),
    "cmdb.get_ci": Row(lambda c: cmdb.get_ci(c.session, c.actor, c.t["ci"]), ANYONE, R, probe=True),
    "cmdb.list_cis": Row(lambda c: cmdb.list_cis(c.session, c.actor, limit=None), EVERYONE, R, False),
    "cmdb.count_cis": Row(lambda c: _same_count(cmdb.count_cis(c.session, c.actor),
                                                cmdb.list_cis(c.session, c.actor, limit=None)), EVERYONE, R, False),
    "cmdb.define_class": Row(lambda c: cmdb.define_class(c.cs, c.actor, "matrix_box", "ci", "测试设备"),
                             HQ_ADMIN, target=False),
    # the conflict queue
    "conflicts.list_conflicts": Row(lambda c: conflicts.list_conflicts(c.session, c.actor),
                                    lambda a, o: "admin" in a.roles, R, False),
    "conflicts.show_conflict": Row(lambda c: conflicts.show_conflict(c.session, c.actor, c.t["conflict"]),
                                   ADMIN_IN_SCOPE, R, probe=True),
    "conflicts.resolve": Row(lambda c: conflicts.resolve(c.cs, c.actor, c.t["conflict"], "keep_server"),
                             ADMIN_IN_SCOPE),
    "conflicts.resolve_many": Row(lambda c: conflicts.resolve_many(c.cs, c.actor, [c.t["conflict"]], "keep_server"),
                                  ADMIN_IN_SCOPE),
    # the library of rules and standards (HQ publishes; everyone reads and acknowledges)
    "documents.publish": Row(lambda c: documents.publish(c.cs, c.actor, "GL-99", "rule", "测试制度", "2026版",
                                                         "2026-01-01", files=[("gl.pdf", PDF)]),
                             HQ_ADMIN, target=False),
    "documents.withdraw": Row(lambda c: documents.withdraw(c.cs, c.actor, "GL-01"), HQ_ADMIN, target=False),
    "documents.seed_catalogue": Row(lambda c: documents.seed_catalogue(c.cs, c.actor), HQ_ADMIN, target=False),
    "documents.acknowledge": Row(lambda c: documents.acknowledge(c.cs, c.actor, "GL-01", owner_path=c.org), ANYONE),
    # monitoring
    "events.feed_availability": Row(lambda c: events.feed_availability(c.cs, c.actor, PERIOD), STAFF_ANYWHERE,
                                    target=False),
    "events.list_events": Row(lambda c: events.list_events(c.session, c.actor), EVERYONE, R, False),
    # SOP forms (shared/services/forms.py)
    "forms.publish_template": Row(lambda c: forms.publish_template(c.cs, c.actor, _template_text()), HQ_REVIEWER,
                                  target=False),
    "forms.retire_template": Row(lambda c: forms.retire_template(c.cs, c.actor, "SOP-09", "99.0"), HQ_REVIEWER,
                                 target=False),
    "forms.draft_template": Row(lambda c: forms.draft_template(c.cs, c.actor, _template_text()), HQ_STAFF,
                                target=False),
    "forms.submit_template": Row(lambda c: forms.submit_template(c.cs, c.actor, "SOP-07"), HQ_STAFF, target=False),
    "forms.approve_template": Row(lambda c: forms.approve_template(c.cs, c.actor, "SOP-08"), HQ_REVIEWER,
                                  target=False),
    "forms.reject_template": Row(lambda c: forms.reject_template(c.cs, c.actor, "SOP-08", "改"), HQ_REVIEWER,
                                 target=False),
    "forms.create_record": Row(lambda c: forms.create_record(c.cs, c.actor, "SOP-06", room_id=c.t["room"]),
                               STAFF_IN_SCOPE),
    "forms.fill_record": Row(lambda c: forms.fill_record(c.cs, c.actor, c.t["record"], {}), STAFF_IN_SCOPE),
    "forms.add_photo": Row(lambda c: forms.add_photo(c.cs, c.actor, c.t["record"], "A_TEMP", "p.jpg", b"jpeg"),
                           STAFF_IN_SCOPE),
    "forms.sign": Row(lambda c: forms.sign(c.cs, c.actor, c.t["record"], "executor", PNG), STAFF_IN_SCOPE),
    "forms.complete_record": Row(lambda c: forms.complete_record(c.cs, c.actor, c.t["record"]), STAFF_IN_SCOPE,
                                 gate_only=True),
    "forms.raise_incident": Row(lambda c: forms.raise_incident(c.cs, c.actor, c.t["record"], "A_TEMP"),
                                STAFF_IN_SCOPE, gate_only=True),
    "forms.review_record": Row(lambda c: forms.review_record(c.cs, c.actor, c.t["record"]), STAFF_IN_SCOPE,
                               gate_only=True),
    "forms.delete_record": Row(lambda c: forms.delete_record(c.cs, c.actor, c.t["record"]), STAFF_IN_SCOPE),
    "forms.get_record": Row(lambda c: forms.get_record(c.session, c.actor, c.t["record"]), ANYONE, R, probe=True),
    "forms.load_record": Row(lambda c: forms.load_record(c.session, c.actor, c.t["record"]).owner_path, ANYONE, R,
                             probe=True),
    "forms.document_for": Row(lambda c: forms.document_for(c.session, c.actor, c.t["record"]).number, ANYONE, R,
                              probe=True),
    "forms.list_records": Row(lambda c: forms.list_records(c.session, c.actor), EVERYONE, R, False),
    "forms.count_records": Row(lambda c: _same_count(forms.count_records(c.session, c.actor),
                                                     forms.list_records(c.session, c.actor)), EVERYONE, R, False),
    # KPIs (shared/services/kpi.py)
    "kpi.set_manual_entry": Row(lambda c: kpi.set_manual_entry(c.cs, c.actor, c.org, PERIOD,
                                                               "core_system_availability", 99.0, 100.0),
                                STAFF_IN_SCOPE),
    "kpi.list_manual_entries": Row(lambda c: kpi.list_manual_entries(c.session, c.actor, PERIOD, c.org), ANYONE, R),
    "kpi.kpi_tree": Row(lambda c: kpi.kpi_tree(c.session, c.actor, c.org, PERIOD), ANYONE, R),
    "kpi.screen_data": Row(lambda c: kpi.screen_data(c.session, c.actor, PERIOD), EVERYONE, R, False),
    # links between tickets
    "links.link": Row(lambda c: links.link(c.cs, c.actor, c.t["problem"], c.t["incident"]), STAFF_IN_SCOPE),
    "links.linked": Row(lambda c: links.linked(c.session, c.actor, c.t["incident"]), ANYONE, R, probe=True),
    # notifications
    "notifications.set_prefs": Row(lambda c: notifications.set_prefs(c.cs, c.actor, TECH_OF[c.org],
                                                                      quiet=("22:00", "07:00")), SELF_OR_ADMIN),
    "notifications.mark_read": Row(lambda c: _marks_only_own(c), EVERYONE, target=False),
    # plans (shared/services/plans.py)
    "plans.create_plan": Row(lambda c: plans.create_plan(c.cs, c.actor, "月度巡检", "SOP-06", "monthly", "2026-11-01",
                                                         room_id=c.t["room"]), STAFF_IN_SCOPE),
    "plans.update_plan": Row(lambda c: plans.update_plan(c.cs, c.actor, c.t["plan"], {"name": "改名"}),
                             STAFF_IN_SCOPE),
    "plans.get_plan": Row(lambda c: plans.get_plan(c.session, c.actor, c.t["plan"]), ANYONE, R, probe=True),
    "plans.plan_summaries": Row(lambda c: plans.plan_summaries(c.session, c.actor), EVERYONE, R, False),
    "plans.occurrences": Row(lambda c: plans.occurrences(c.session, c.actor, "2026-11"), EVERYONE, R, False),
    "plans.transition_plan": Row(lambda c: plans.transition_plan(c.cs, c.actor, c.t["plan"], "submit"),
                                 STAFF_IN_SCOPE),
    "plans.spawn_due": Row(lambda c: plans.spawn_due(c.cs, c.actor, date(2026, 11, 30)), STAFF_ANYWHERE,
                           target=False),
    "plans.pending_plans": Row(lambda c: plans.pending_plans(c.session, c.actor, date(2026, 11, 30)), EVERYONE, R,
                               False),
    "plans.load_plan": Row(lambda c: plans.load_plan(c.session, c.actor, c.t["plan"]).owner_path, ANYONE, R,
                           probe=True),
    "plans.completion": Row(lambda c: plans.completion(c.session, c.actor, c.t["plan"]), ANYONE, R, probe=True),
    "plans.list_plans": Row(lambda c: plans.list_plans(c.session, c.actor), EVERYONE, R, False),
    "plans.plan_calendar": Row(lambda c: plans.plan_calendar(c.session, c.actor, "2026-11"), EVERYONE, R, False),
    # reports
    "reports.draft_report": Row(lambda c: reports.draft_report(c.cs, c.actor, "operations", PERIOD, c.org, "new"),
                                STAFF_IN_SCOPE),
    "reports.edit_report": Row(lambda c: reports.edit_report(c.cs, c.actor, c.t["report_draft"], "分析"),
                               STAFF_IN_SCOPE),
    "reports.review_report": Row(lambda c: reports.review_report(c.cs, c.actor, c.t["report_draft"]),
                                 STAFF_IN_SCOPE),
    "reports.submit_report": Row(lambda c: reports.submit_report(c.cs, c.actor, c.t["report_reviewed"]),
                                 STAFF_IN_SCOPE),
    "reports.judge_report": Row(lambda c: reports.judge_report(c.cs, c.actor, c.t["report_submitted"], True),
                                ABOVE),
    "reports.archive_report": Row(lambda c: reports.archive_report(c.cs, c.actor, c.t["report_approved"]),
                                  STAFF_IN_SCOPE),
    "reports.get_report": Row(lambda c: reports.get_report(c.session, c.actor, c.t["report_draft"]), ANYONE, R,
                              probe=True),
    "reports.list_reports": Row(lambda c: reports.list_reports(c.session, c.actor), EVERYONE, R, False),
    # machine rooms
    "rooms.create_room": Row(lambda c: rooms.create_room(c.cs, c.actor, "NEW-ROOM", "新机房", owner_path=c.org),
                             STAFF_IN_SCOPE),
    "rooms.update_room": Row(lambda c: rooms.update_room(c.cs, c.actor, c.t["room"], {"description": "改"}),
                             STAFF_IN_SCOPE),
    "rooms.add_rack": Row(lambda c: rooms.add_rack(c.cs, c.actor, c.t["room"], "B01"), STAFF_IN_SCOPE),
    "rooms.add_facility": Row(lambda c: rooms.add_facility(c.cs, c.actor, c.t["room"], "ups", "UPS-2"),
                              STAFF_IN_SCOPE),
    "rooms.add_duty_entry": Row(lambda c: rooms.add_duty_entry(c.cs, c.actor, c.t["room"], "白班", "正常"),
                                STAFF_IN_SCOPE),
    "rooms.register_entry": Row(lambda c: rooms.register_entry(c.cs, c.actor, c.t["room"], "访客", "陪同", "维保"),
                                STAFF_IN_SCOPE),
    "rooms.register_exit": Row(lambda c: rooms.register_exit(c.cs, c.actor, c.t["access"]), STAFF_IN_SCOPE),
    "rooms.add_reading": Row(lambda c: rooms.add_reading(c.cs, c.actor, c.t["room"], 23.0, 45.0), STAFF_IN_SCOPE),
    "rooms.list_rooms": Row(lambda c: rooms.list_rooms(c.session, c.actor), EVERYONE, R, False),
    "rooms.load_room": Row(lambda c: rooms.load_room(c.session, c.actor, c.t["room"]).owner_path, ANYONE, R,
                           probe=True),
    "rooms.room_details": Row(lambda c: rooms.room_details(c.session, c.actor, c.t["room"]), ANYONE, R, probe=True),
    "rooms.duty_log": Row(lambda c: rooms.duty_log(c.session, c.actor, c.t["room"]), ANYONE, R, probe=True),
    "rooms.access_register": Row(lambda c: rooms.access_register(c.session, c.actor, c.t["room"]), ANYONE, R,
                                 probe=True),
    "rooms.readings": Row(lambda c: rooms.readings(c.session, c.actor, c.t["room"]), ANYONE, R, probe=True),
    "rooms.inspection_calendar": Row(lambda c: rooms.inspection_calendar(c.session, c.actor, c.t["room"], MONTH),
                                     ANYONE, R, probe=True),
    # a person's saved filters (shared/services/saved_filters.py)
    "saved_filters.save_filter": Row(lambda c: saved_filters.save_filter(c.cs, c.actor, "tickets", "新筛选",
                                                                         {"state": "new"}), EVERYONE, target=False),
    "saved_filters.rename_filter": Row(lambda c: saved_filters.rename_filter(c.cs, c.actor, c.t["filter"], "改名"),
                                       OWNER),
    "saved_filters.delete_filter": Row(lambda c: saved_filters.delete_filter(c.cs, c.actor, c.t["filter"]), OWNER),
    "saved_filters.get_filter": Row(lambda c: saved_filters.get_filter(c.session, c.actor, c.t["filter"]), OWNER, R,
                                    probe=True),
    "saved_filters.list_filters": Row(lambda c: _only_own_filters(c), EVERYONE, R, False),
    # security events
    "security_events.record_event": Row(lambda c: security_events.record_event(
        c.cs, c.actor, "钓鱼邮件", "malware", 4, utcnow() - timedelta(hours=1), owner_path=c.org), STAFF_IN_SCOPE),
    "security_events.report_stage": Row(lambda c: security_events.report_stage(c.cs, c.actor, c.t["sec_open"],
                                                                               "first", "首报"), STAFF_IN_SCOPE),
    "security_events.archive_event": Row(lambda c: security_events.archive_event(c.cs, c.actor, c.t["sec_final"]),
                                         STAFF_IN_SCOPE),
    "security_events.get_event": Row(lambda c: security_events.get_event(c.session, c.actor, c.t["sec_open"]),
                                     ANYONE, R, probe=True),
    "security_events.list_events": Row(lambda c: security_events.list_events(c.session, c.actor), EVERYONE, R, False),
    # supervision
    "supervision.board": Row(lambda c: supervision.board(c.session, c.actor), EVERYONE, R, False),
    "supervision.escalations": Row(lambda c: supervision.escalations(c.session, c.actor), EVERYONE, R, False),
    "supervision.supervise": Row(lambda c: supervision.supervise(c.cs, c.actor), STAFF_ANYWHERE, target=False),
    # tasks (shared/services/tasks.py)
    "tasks.issue_task": Row(lambda c: tasks.issue_task(c.cs, c.actor, "专项检查", utcnow() + timedelta(days=7),
                                                       [c.org], issuer_path=ISSUER[c.org]), ISSUING),
    "tasks.accept_task": Row(lambda c: tasks.accept_task(c.cs, c.actor, c.t["task"], c.org), STAFF_IN_SCOPE),
    "tasks.report_progress": Row(lambda c: tasks.report_progress(c.cs, c.actor, c.t["task"], 50, org_path=c.org),
                                 STAFF_IN_SCOPE),
    "tasks.submit_task": Row(lambda c: tasks.submit_task(c.cs, c.actor, c.t["task"], org_path=c.org),
                             STAFF_IN_SCOPE),
    "tasks.review_task": Row(lambda c: tasks.review_task(c.cs, c.actor, c.t["task_submitted"], c.org, True),
                             ISSUING),
    "tasks.urge_task": Row(lambda c: tasks.urge_task(c.cs, c.actor, c.t["task"]), ISSUING),
    "tasks.close_task": Row(lambda c: tasks.close_task(c.cs, c.actor, c.t["task"]), ISSUING),
    "tasks.get_task": Row(lambda c: tasks.get_task(c.session, c.actor, c.t["task"]), TASK_VISIBLE, R, probe=True),
    "tasks.list_tasks": Row(lambda c: tasks.list_tasks(c.session, c.actor), EVERYONE, R, False),
    # tickets
    "tickets.create_ticket": Row(lambda c: tickets.create_ticket(c.cs, c.actor, "incident", "新事件",
                                                                 owner_path=c.org), ANYONE),
    "tickets.update_ticket": Row(lambda c: tickets.update_ticket(c.cs, c.actor, c.t["incident"], {"urgency": 2}),
                                 STAFF_IN_SCOPE),
    "tickets.transition": Row(lambda c: tickets.transition(c.cs, c.actor, c.t["incident"], "accept"),
                              ACCEPTS_INCIDENTS),
    "tickets.delete_ticket": Row(lambda c: tickets.delete_ticket(c.cs, c.actor, c.t["incident"]), STAFF_IN_SCOPE),
    "tickets.restore_ticket": Row(lambda c: tickets.restore_ticket(c.cs, c.actor, c.t["deleted"]), STAFF_IN_SCOPE),
    "references.typed_for_ticket": Row(lambda c: references.typed_for_ticket(
        c.session, c.actor, c.t["incident"], {"urgency": 2}), ANYONE, R, probe=True),
    "tickets.get_ticket": Row(lambda c: tickets.get_ticket(c.session, c.actor, c.t["incident"]), ANYONE, R,
                              probe=True),
    "tickets.list_tickets": Row(lambda c: tickets.list_tickets(c.session, c.actor, limit=None), EVERYONE, R, False),
    "tickets.count_tickets": Row(lambda c: _same_count(tickets.count_tickets(c.session, c.actor),
                                                       tickets.list_tickets(c.session, c.actor, limit=None)),
                                 EVERYONE, R, False),
    "transitions.transition": Row(lambda c: transitions.transition(c.cs, c.actor, c.t["incident"], "accept"),
                                  ACCEPTS_INCIDENTS),
}

# Reads outside shared/services that the desktop and the CLI call with an Actor: search and export.
ELSEWHERE: dict[str, Row] = {
    "search.search_tickets": Row(lambda c: _found(c, search.search_tickets(c.session, c.actor, "打印机")),
                                 EVERYONE, R, False),
    "search.count_matches": Row(lambda c: _same_count(search.count_matches(c.session, c.actor, "打印机"),
                                                      search.search_tickets(c.session, c.actor, "打印机", limit=999)),
                                EVERYONE, R, False),
    "cmdb.tabular.export_rows": Row(lambda c: _exported(c), EVERYONE, R, False),
}

# Public functions that take no Actor, and why they need none.
NO_ACTOR: dict[str, str] = {
    "actor.actor_for": "makes the Actor (from a user id the caller authenticated)",
    "attachments.blob_id": "pure: an id from a path and a checksum",
    "attachments.list_attachments": "files of a record the caller loaded through a scoped read",
    "attachments.attachment_content": "the bytes of an attachment listed with a record read in scope",
    "capacity.trend": "the readings of a CI the caller loaded through a scoped read (get_ci, thresholds_of)",
    "catalog.kinds": "the catalogue's kinds and fields (resource file)",
    "catalog.kind_fields": "the catalogue's kinds and fields (resource file)",
    "catalog.effective": "the entry that applies at an org unit, for the process engine's guards",
    "cmdb.relation_id": "pure: a deterministic relation id",
    "documents.document_id": "pure: a deterministic id",
    "documents.read_id": "pure: a deterministic id",
    "documents.check_file": "pure: checks a file's type",
    "documents.current_edition": "the library is HQ-published reference data every person may read",
    "documents.get_document": "the library is HQ-published reference data every person may read",
    "documents.list_documents": "the library is HQ-published reference data every person may read",
    "documents.file_content": "the library is HQ-published reference data every person may read",
    "documents.catalogue": "the list of the library's documents (resource file)",
    "documents.unread_report": "`itops docs unread` by the operator of a store or server (file access)",
    "events.create_key": "`itops events key` by the server's operator; the key is the sender's identity",
    "events.list_keys": "`itops events key` by the server's operator",
    "events.revoke_key": "`itops events key` by the server's operator",
    "events.key_info": "pure: a key's public fields",
    "events.authenticate_key": "authenticates a sending system (its key is the credential)",
    "events.monitor_actor": "makes the Actor of a sending system, scoped to its key's org unit",
    "events.ingest": "runs as the key's monitor actor, scoped to the key's org unit",
    "events.match_ci": "a CI inside the org path given (the key's), for ingest",
    "events.availability": "figures of a CI the caller loaded through a scoped read",
    "forms.get_template": "SOP templates are HQ reference data every person may read",
    "forms.list_templates": "SOP templates are HQ reference data every person may read",
    "forms.blank_document": "a blank SOP form (reference data)",
    "forms.template_versions": "SOP templates are HQ reference data every person may read",
    "forms.record_id_for": "pure: a deterministic id",
    "forms.record_template": "the template of a record the caller loaded in scope",
    "forms.room_settings": "the settings of a record the caller loaded in scope",
    "forms.photo_counts": "of a record the caller loaded in scope",
    "forms.remarks_of": "of a record the caller loaded in scope",
    "forms.incidents_of": "of a record the caller loaded in scope",
    "forms.missing_for_completion": "of a record the caller loaded in scope",
    "forms.month_bounds": "pure: date arithmetic",
    "forms.local_now": "pure: the local time",
    "links.link_id": "pure: a deterministic id",
    "notifications.kinds": "configuration (resource file)",
    "notifications.config": "configuration (resource file)",
    "notifications.notification_id": "pure: a deterministic id",
    "notifications.notify": "called by the system's checks for a given person, never by a person",
    "notifications.channels_for": "delivery step of notify (server)",
    "notifications.enqueue": "delivery step of notify (server)",
    "notifications.quiet_end": "pure: time arithmetic",
    "notifications.pref_id": "pure: a deterministic id",
    "notifications.get_prefs": "the signed-in person's own preferences (their user id)",
    "notifications.list_notifications": "the signed-in person's own notifications (their user id)",
    "notifications.deliver_due": "the server's delivery worker",
    "notifications.delivery_log": "`itops notify log` by the server's operator",
    "numbering.next_number": "the node's own counter",
    "org.add_org": "`itops org add` by the operator of a store or server (file access)",
    "org.list_orgs": "the org tree is reference data every person may read",
    "org.get_org": "the org tree is reference data every person may read",
    "org.org_id": "pure: a deterministic id",
    "org.parent_of": "pure: path arithmetic",
    "plans.due_days": "pure: calendar arithmetic",
    "plans.task_id_for": "pure: a deterministic id",
    "plans.task_items": "the KPI calculators' figures of plan rows they selected by the period's scope",
    "plans.plan_fields": "of a plan the caller loaded in scope",
    "plans.nominal_days": "pure: calendar arithmetic",
    "references.resolve_references": "turns typed references into ids before a ticket write, which checks scope",
    "references.typed_for_process": "turns typed references into ids before a ticket write, which checks scope",
    "reports.due_at": "of a report the caller loaded in scope",
    "reports.report_dict": "of a report the caller loaded in scope",
    "reports.status_of": "of a report the caller loaded in scope",
    "security_events.event_dict": "of an event the caller loaded in scope",
    "supervision.escalation_id": "pure: a deterministic id",
    "tasks.parse_deadline": "pure: parses a date",
    "tasks.receiver_status": "of a task the caller loaded in scope",
    "tickets.split_fields": "pure: checks and types field values",
    "tickets.readable": "the read-scope predicate itself (tested through every ticket read)",
    "transitions.catalog_lookup": "catalogue lookups for the guards of a ticket loaded in scope",
    "transitions.check_action": "a step of transition(), on the ticket it loaded in scope",
    "transitions.action_is_arrival": "pure",
    "users.add_user": "`itops user add` by the operator of a store or server (file access)",
    "users.set_password": "`itops user passwd` by the operator of a store or server (file access)",
    "users.list_users": "`itops user list` by the operator of a store or server (file access)",
    "users.set_roles": "`itops user roles` by the operator of a server (file access)",
    "users.move_user": "`itops user move` by the operator of a server (file access)",
    "users.set_active": "`itops user disable|enable` by the operator of a server (file access)",
    "users.find_user": "looks a user up for the operator's commands",
    "users.public": "pure: a user's public fields",
    "users.authenticate": "sign-in: the password is the credential",
}


def public_functions() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(shared.services.__path__):
        module = importlib.import_module(f"shared.services.{info.name}")
        for name, fn in inspect.getmembers(module, callable):  # functions, also behind @cache
            fn = inspect.unwrap(fn)
            if inspect.isfunction(fn) and not name.startswith("_") and fn.__module__ == module.__name__:
                found.add(f"{info.name}.{name}")
    return found


def test_every_public_service_function_is_in_the_table() -> None:
    public = public_functions()
    missing = sorted(public - set(TABLE) - set(NO_ACTOR))
    assert not missing, f"add these service functions to TABLE (or NO_ACTOR with a reason): {missing}"
    gone = sorted((set(TABLE) | set(NO_ACTOR)) - public)
    assert not gone, f"the table names functions that no longer exist: {gone}"
    assert not set(TABLE) & set(NO_ACTOR)
    for name in NO_ACTOR:  # a function that takes an actor belongs in TABLE, with who may call it
        module, fn = name.split(".")
        params = inspect.signature(inspect.unwrap(getattr(importlib.import_module(f"shared.services.{module}"),
                                                          fn))).parameters
        assert "actor" not in params or name in ("transitions.check_action", "tickets.readable"), name


# -- the fixture tree -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    store = Store.open_dir(tmp_path_factory.mktemp("matrix") / "store", create=True)
    store.init_node("hq", HQ)
    search.ensure_search_index(store.engine)  # as the desktop does on opening a store
    ids: dict[str, str] = {}
    with store.write() as cs:
        for path in (HQ, GD, SZ, LH, GZ):
            org.add_org(cs, path, path.strip("/").split("/")[-1])
        for name, (path, roles) in PEOPLE.items():
            ids[name] = users.add_user(cs, name, "password-123", path, list(roles) or ["inspector"])["id"]
        ids["hq_author"] = users.add_user(cs, "hq_author", "password-123", HQ, ["admin"])["id"]
        nobody = cs.session.get(User, ids["lh_nobody"])
        assert nobody is not None
        cs.update(nobody, {"roles": []})  # as LDAP leaves a person whose groups map to no role
    actors = {name: Actor(ids[name], name, path, roles) for name, (path, roles) in PEOPLE.items()}
    w = World(store, actors, ids)
    with store.write() as cs:
        documents.publish(cs, actors["hq_admin"], "GL-01", "rule", "信息系统运维管理办法", "2026版", "2026-01-01")
        author = Actor(ids["hq_author"], "hq_author", HQ, ("admin",))  # drafts and submits; others review
        forms.draft_template(cs, author, _template_text("SOP-07"))
        forms.draft_template(cs, author, _template_text("SOP-08"))
        forms.submit_template(cs, author, "SOP-08")
        forms.publish_template(cs, author, _template_text("SOP-09"))
        for path in ORGS.values():
            w.t[path] = _targets(cs, path, ids)
        for user in cs.session.scalars(select(User)):
            notifications.notify(cs, user, next(iter(notifications.kinds())), f"给 {user.username} 的通知")
    yield w
    store.close()


def _targets(cs: Any, path: str, ids: dict[str, str]) -> dict[str, str]:
    """One of everything, owned by ``path``, made as the system."""
    a, t = SYSTEM, {}
    make = tickets.create_ticket
    t["incident"] = make(cs, a, "incident", "打印机卡纸", owner_path=path)["id"]
    t["problem"] = make(cs, a, "problem", "打印机反复卡纸", owner_path=path)["id"]
    t["deleted"] = make(cs, a, "incident", "误报", owner_path=path)["id"]
    tickets.delete_ticket(cs, a, t["deleted"])
    t["ci"] = cmdb.create_ci(cs, a, "server", f"SRV-{path[-3:-1]}", owner_path=path)["id"]
    t["ci2"] = cmdb.create_ci(cs, a, "server", f"DB-{path[-3:-1]}", owner_path=path)["id"]
    cmdb.link_ci(cs, a, t["ci"], t["ci2"], "depends_on")
    t["change"] = make(cs, a, "change", "升级数据库", {"data.planned_start": "2026-10-10T20:00:00",
                                                  "data.planned_end": "2026-10-10T23:00:00",
                                                  "ci_id": t["ci"]}, owner_path=path)["id"]
    capacity.record(cs, a, t["ci"], "disk", 91.0, utcnow() - timedelta(days=1))
    catalog.create_entry(cs, a, "capacity_threshold", "DISK", "磁盘", {"metric": "disk", "warn": 80, "alarm": 90},
                         owner_path=path)
    t["entry"] = catalog.create_entry(cs, a, "service", "YX", "营销系统", owner_path=path)["id"]
    t["room"] = rooms.create_room(cs, a, f"ROOM-{path[-3:-1]}", "机房", owner_path=path)["id"]
    t["access"] = rooms.register_entry(cs, a, t["room"], "厂商", "值班员", "巡检")["id"]
    t["record"] = forms.create_record(cs, a, "SOP-06", room_id=t["room"])["id"]
    t["plan"] = plans.create_plan(cs, a, "日常巡检", "SOP-06", "monthly", "2026-11-01", room_id=t["room"])["id"]
    for state in ("draft", "reviewed", "submitted", "approved"):
        rid = reports.draft_report(cs, a, "operations", PERIOD, path, state)["id"]
        reports.edit_report(cs, a, rid, "本月运行平稳")
        if state != "draft":
            reports.review_report(cs, a, rid)
        if state in ("submitted", "approved"):
            reports.submit_report(cs, a, rid)
        if state == "approved":
            reports.judge_report(cs, a, rid, True)
        t[f"report_{state}"] = rid
    found = utcnow() - timedelta(hours=2)
    t["sec_open"] = security_events.record_event(cs, a, "病毒告警", "malware", 4, found, owner_path=path)["id"]
    t["sec_final"] = security_events.record_event(cs, a, "端口扫描", "attack", 4, found, owner_path=path)["id"]
    for stage in ("first", "final"):
        security_events.report_stage(cs, a, t["sec_final"], stage, stage)
    deadline = utcnow() + timedelta(days=10)
    t["task"] = tasks.issue_task(cs, a, "安全检查", deadline, [path], issuer_path=ISSUER[path])["id"]
    t["task_submitted"] = tasks.issue_task(cs, a, "台账报送", deadline, [path], issuer_path=ISSUER[path])["id"]
    tasks.submit_task(cs, a, t["task_submitted"], org_path=path)
    tech = Actor(ids[TECH_OF[path]], TECH_OF[path], path, ("service_desk",))
    t["filter"] = saved_filters.save_filter(cs, tech, "tickets", "我的待办", {"state": "new"})["id"]
    t["conflict"] = cs.create(Conflict, path, {
        "kind": "field", "entity": "tickets", "row_id": t["incident"], "field": "title",
        "base_value": {"v": "卡纸"}, "server_value": {"v": "打印机卡纸"}, "client_value": {"v": "打印机坏了"},
        "status": "open"}).id
    return t


def _template_text(code: str = "SOP-06") -> str:
    """A built-in template as a new version 99.0 (what HQ drafts or publishes)."""
    source = Path(shared.services.__file__).resolve().parent.parent / "resources" / "sop" / f"{code}.yaml"
    text, count = re.subn(r'^version: .*$', 'version: "99.0"', source.read_text(encoding="utf-8"), count=1,
                          flags=re.M)
    assert count == 1
    return text


def _found(c: Call, hits: list[Any]) -> list[Any]:
    assert {h.owner_path for h in hits} == {p for p in ORGS.values() if c.actor.can_see(p)}, "search missed"
    return hits


def _exported(c: Call) -> list[dict[str, Any]]:
    columns, rows = tabular.export_rows(c.session, c.actor)
    exported = [dict(zip(columns, row, strict=True)) for row in rows]
    assert len(exported) == len(cmdb.list_cis(c.session, c.actor, limit=None))
    return exported


def _same_count(count: int, rows: list[Any]) -> list[Any]:
    assert count == len(rows), "the count differs from the list it counts"
    return rows


def _only_own_filters(c: Call) -> list[dict[str, Any]]:
    rows = saved_filters.list_filters(c.session, c.actor, "tickets")
    mine = c.actor.username in TECH_OF.values()
    assert [r["name"] for r in rows] == (["我的待办"] if mine else []), "another person's filters were listed"
    return rows


def _marks_only_own(c: Call) -> int:
    from shared.models.integrations import Notification

    marked = notifications.mark_read(c.cs, c.actor)
    left = {n.user_id for n in c.session.scalars(select(Notification).where(Notification.read_at.is_(None)))}
    everyone = set(c.session.scalars(select(User.id)))
    assert marked == 1 and left == everyone - {c.actor.user_id}
    return marked


# -- the matrix -----------------------------------------------------------------------------------------
class Rollback(Exception):
    def __init__(self, result: Any) -> None:
        self.result = result


def _paths(value: Any) -> Iterator[str]:
    """Every org path in a result (owner_path, org_path, path, target_path keys), however deep."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = vars(value)
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("owner_path", "org_path", "target_path") and isinstance(item, str):
                yield item
            else:
                yield from _paths(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _paths(item)


def _cases() -> Iterator[Any]:
    for name, row in {**TABLE, **ELSEWHERE}.items():
        for where in (ORGS if row.target else {"own": LH}):
            for who in PEOPLE:
                path, (home, _roles) = ORGS.get(where, LH), PEOPLE[who]
                with_a_role = Actor(None, who, home, ("service_desk",))  # a gap: refused for the role only
                gap = who in row.gaps and row.who(with_a_role, path)
                marks = [pytest.mark.xfail(strict=True, reason=row.gap_reason)] if gap else []
                yield pytest.param(name, where, who, marks=marks, id=f"{name}-{where}-{who}")


def _run(world: World, row: Row, actor: Actor, path: str) -> Any:
    targets = world.t.get(path, {})
    if not row.write:
        with world.store.read() as session:
            return row.call(Call(None, session, actor, path, targets, world))
    try:
        with world.store.write(actor.user_id) as cs:
            raise Rollback(row.call(Call(cs, cs.session, actor, path, targets, world)))
    except Rollback as done:
        return done.result


@pytest.mark.parametrize(("name", "where", "who"), list(_cases()))
def test_service_call(world: World, name: str, where: str, who: str) -> None:
    row, actor = {**TABLE, **ELSEWHERE}[name], world.actors[who]
    path = ORGS.get(where, actor.org_path)
    allowed = row.who(actor, path)
    try:
        result = _run(world, row, actor, path)
    except (Forbidden, NotFound) as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message, f"refusal must be one line: {message!r}"
        assert not allowed, f"{who} may call {name} on {where}, but was refused: {message}"
        if row.probe and not actor.can_see(path):
            assert isinstance(exc, NotFound), f"out of scope must read as 'not found', not: {message}"
        return
    except ServiceError as exc:
        assert allowed and row.gate_only, f"{who} → {name} on {where}: {type(exc).__name__}: {exc}"
        return
    assert allowed, f"{who} called {name} on {where} and was not refused"
    if not row.write:
        outside = sorted({p for p in _paths(result) if not visible(actor, p)})
        assert not outside, f"{name} showed {who} rows of {outside}"
