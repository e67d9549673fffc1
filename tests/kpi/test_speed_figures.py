"""Correctness guard of the fast KPI evaluation (issue 8): on a seeded random province — every process, pending
and resumed incidents, reopenings, re-routing after dispatch, rolled-back releases, reviewed changes and the
incidents they caused, SLA and calendar catalogue entries, forms, readings, security events, manual entries,
deleted rows — the tree of the province and of a prefecture are exactly those of the engine before the change
(``GOLDEN``: numerator, denominator, value, score and a digest of the records of every indicator, and the
scores of every unit, captured from the row-by-row engine of commit e16bd73). A deliberate change of what an
indicator means changes its GOLDEN entry: print ``digest(evaluate(...))`` for the four cases and paste it."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.kpi.engine import evaluate, flat_indicators
from shared.models import CatalogEntry, FormRecord, KpiEntry, Measurement, SecurityEvent, Ticket, TicketEntry
from shared.models.work import kpi_entry_id
from shared.services import org, users
from shared.store import Store
from shared.sync.capture import ChangeSet

GD = "/HQ/GD/"
UNITS = (GD, "/HQ/GD/SZ/", "/HQ/GD/SZ/LH/", "/HQ/GD/SZ/FT/", "/HQ/GD/GZ/", "/HQ/GD/GZ/TH/", "/HQ/GD/GZ/PY/")
NAMES = ("广东", "深圳", "龙华", "福田", "广州", "天河", "番禺")
START = datetime(2026, 9, 20, tzinfo=UTC)  # late September to early November: month edges matter, all in the past
SPAN_DAYS = 48
INCIDENT_STATES = ("new", "line1", "dispatched", "line2", "line3")


def _entry(cs: ChangeSet, owner: str, ticket: Ticket, body: str, detail: dict[str, Any], when: datetime) -> None:
    cs.append(TicketEntry, owner, {"ticket_id": ticket.id, "kind": "history", "body": body,
                                   "data": {"detail": detail, "at": when.isoformat()}})


class RandomProvince:
    """Tickets of every process with random but plausible histories, written through ChangeSets."""

    def __init__(self, cs: ChangeSet, rng: random.Random) -> None:
        self.cs, self.rng = cs, rng
        self.counter = 0
        self.changes: list[Ticket] = []

    def moment(self) -> datetime:
        return START + timedelta(minutes=self.rng.randrange(SPAN_DAYS * 24 * 60))

    def later(self, when: datetime, scale: float = 300) -> datetime:
        return when + timedelta(minutes=self.rng.expovariate(1 / scale))

    def ticket(self, process: str, owner: str, values: dict[str, Any]) -> Ticket:
        self.counter += 1
        prefix = process[:3].upper()
        values.setdefault("title", f"{prefix} {self.counter}")
        return self.cs.create(Ticket, owner, {"process": process, "number": f"{prefix}-{self.counter:05d}",
                                              **values})

    def incident(self, owner: str) -> None:
        rng, opened = self.rng, self.moment()
        data: dict[str, Any] = {}
        if rng.random() < 0.5:
            data["satisfaction"] = rng.choice([1, 2, 3, 4, "", "x"])
        if rng.random() < 0.3:
            data["knowledge_id"] = "KB-1"
        if rng.random() < 0.05:
            data["reopen_count"] = 1
        if rng.random() < 0.1 and self.changes:
            data["caused_by_change"] = rng.choice(self.changes).number
        if rng.random() < 0.2:
            data["onsite_required"] = True
        steps: list[tuple[str, dict[str, Any], datetime]] = [("created", {"state": "new"}, opened)]
        state, when = "new", opened
        for _ in range(rng.randrange(0, 7)):
            when = self.later(when)
            action = rng.choice(("accept", "dispatch", "updated", "pend", "resolve", "reopen", "escalate", "arrive"))
            if action == "updated":
                steps.append(("updated", {"team_id": f"team-{rng.randrange(3)}"}, when))
                continue
            if action == "arrive":
                steps.append(("arrive", {}, when))
                continue
            target = {"accept": "line1", "dispatch": "line2", "escalate": "line3", "resolve": "resolved",
                      "reopen": "line2"}.get(action, "pending")
            if action == "pend" and state == "pending":
                action, target = "resume", "line2"
            steps.append((action, {"from": state, "to": target}, when))
            state = target
        resolved = next((w for a, d, w in reversed(steps) if d.get("to") == "resolved"), None)
        if state == "resolved" and rng.random() < 0.5:
            state = rng.choice(("surveyed", "closed"))
        parent = rng.choice(self.changes).id if self.changes and rng.random() < 0.05 else None
        row = self.ticket("incident", owner, {
            "state": state, "priority": rng.choice(("P1", "P2", "P3", "P4")),
            "category": rng.choice(("hardware", "software", "network", "硬件")),
            "ci_id": rng.choice((None, "ci-1", "ci-2", "ci-3")), "parent_id": parent, "opened_at": opened,
            "resolved_at": resolved if state in ("resolved", "surveyed", "closed") else None, "data": data})
        for body, detail, when in steps:
            _entry(self.cs, owner, row, body, detail, when)

    def request(self, owner: str) -> None:
        rng, opened = self.rng, self.moment()
        path = [("submit_approval", "waiting_approval"), ("approve", "approved"), ("assign", "assigned"),
                ("pend", "pending"), ("resume", "assigned"), ("resolve", "resolved")]
        steps = path[:rng.randrange(len(path) + 1)]
        item = rng.choice((None, "laptop", "vpn"))
        row = self.ticket("request", owner, {
            "state": steps[-1][1] if steps else "new", "priority": rng.choice(("P2", "P3", "P4")),
            "opened_at": opened, "data": {"catalog_item": item} if item else {}})
        _entry(self.cs, owner, row, "created", {"state": "new"}, opened)
        state, when = "new", opened
        for action, target in steps:
            when = self.later(when, 600)
            _entry(self.cs, owner, row, action, {"from": state, "to": target}, when)
            state = target
        if state == "resolved":
            self.cs.update(row, {"resolved_at": when})

    def problem(self, owner: str) -> None:
        rng, opened = self.rng, self.moment()
        row = self.ticket("problem", owner, {"state": "new", "priority": rng.choice(("P2", "P3")),
                                              "opened_at": opened})
        _entry(self.cs, owner, row, "created", {"state": "new"}, opened)
        if rng.random() < 0.7:
            closed = self.later(opened, 20000)
            _entry(self.cs, owner, row, "close", {"from": "new", "to": "closed"}, closed)
            self.cs.update(row, {"state": "closed", "closed_at": closed})

    def change(self, owner: str) -> None:
        rng, opened = self.rng, self.moment()
        outcome = rng.choice((None, "success", "partial", "failed", "aborted"))
        row = self.ticket("change", owner, {
            "state": "implement", "opened_at": opened,
            "data": {"change_type": rng.choice(("normal", "standard", "emergency")),
                     **({"outcome": outcome} if outcome else {})}})
        self.changes.append(row)
        when = opened
        for _ in range(rng.randrange(0, 3)):
            when = self.later(when, 3000)
            _entry(self.cs, owner, row, "review", {"from": "implement", "to": "review"}, when)
            self.cs.update(row, {"state": "review"})
        if row.state == "review" and rng.random() < 0.5:
            when = self.later(when, 3000)
            _entry(self.cs, owner, row, "close", {"from": "review", "to": "closed"}, when)
            self.cs.update(row, {"state": "closed", "closed_at": when})
        elif rng.random() < 0.2:
            self.cs.update(row, {"state": "closed", "closed_at": self.later(when, 3000)})

    def release(self, owner: str) -> None:
        rng, opened = self.rng, self.moment()
        row = self.ticket("release", owner, {"state": "closed", "opened_at": opened,
                                              "closed_at": self.later(opened, 5000)})
        if rng.random() < 0.3:
            _entry(self.cs, owner, row, "rollback", {"from": "deploy", "to": "build"}, self.later(opened))


def _others(cs: ChangeSet, rng: random.Random) -> None:
    for n in range(60):
        owner = rng.choice(UNITS)
        planned = START + timedelta(hours=rng.randrange(SPAN_DAYS * 24))
        done = rng.random() < 0.7
        form = cs.create(FormRecord, owner, {
            "number": f"F-{n:04d}", "template_code": rng.choice(("SOP-03", "SOP-06", "SOP-08", "SOP-09")),
            "state": rng.choice(("completed", "reviewed")) if done else rng.choice(("planned", "started")),
            "planned_at": planned, "completed_at": planned + timedelta(hours=rng.randrange(1, 40)) if done else None,
            "conclusion": rng.choice(("正常", "有异常", "")) if done else ""})
        if rng.random() < 0.05:
            cs.delete(form)
    for _ in range(80):
        cs.append(Measurement, rng.choice(UNITS), {
            "ci_id": f"ci-{rng.randrange(5)}", "metric": rng.choice(("cpu", "memory", "disk", "bandwidth")),
            "value": float(rng.randrange(40, 100)), "measured_at": START + timedelta(hours=rng.randrange(900))})
    for n in range(15):
        found = START + timedelta(hours=rng.randrange(SPAN_DAYS * 24))
        cs.create(SecurityEvent, rng.choice(UNITS), {
            "number": f"SEC-{n:03d}", "title": f"SEC-{n}", "category": "attack", "grade": rng.randrange(1, 5),
            "discovered_at": found,
            "first_report_at": found + timedelta(hours=rng.randrange(1, 48)) if rng.random() < 0.8 else None})
    for owner in UNITS[2:]:
        for code, num, den in (("core_system_availability", 43000.0 + rng.randrange(200), 43200.0),
                               ("weak_passwords", float(rng.randrange(5)), None)):
            cs.create(KpiEntry, owner, {"indicator": code, "period": "2026-10", "numerator": num,
                                        "denominator": den}, row_id=kpi_entry_id(code, "2026-10", owner))
    cs.create(CatalogEntry, "/HQ/GD/SZ/", {"kind": "sla", "code": "sla-inc-p3", "name": "P3 深圳",
                                           "data": {"process": "incident", "priority": "P3", "response": 60,
                                                    "resolution": 600, "calendar": "SZ-CAL"}})
    cs.create(CatalogEntry, "/HQ/GD/SZ/", {"kind": "calendar", "code": "SZ-CAL", "name": "深圳日历",
                                           "data": {"base": "CN", "holidays": ["2026-10-12"],
                                                    "business_hours": ["09:00-12:00", "14:00-18:00"]}})
    cs.create(CatalogEntry, GD, {"kind": "catalog_item", "code": "laptop", "name": "笔记本",
                                 "data": {"fulfilment_minutes": 600, "response_minutes": 30}})


def build_random_province(store: Store, seed: int, tickets: int = 500) -> Store:
    """Fill an empty store (SQLite or PostgreSQL) with the random province of ``seed``."""
    store.init_node("province", GD)
    with store.write() as cs:
        org.add_org(cs, "/HQ/", "集团总部")
        for path, name in zip(UNITS, NAMES, strict=True):
            org.add_org(cs, path, name)
        admin = users.add_user(cs, "gd_admin", "password-123", GD, ["admin"])
    rng = random.Random(seed)
    with store.write(admin["id"]) as cs:
        world = RandomProvince(cs, rng)
        for _ in range(tickets // 20):
            world.change(rng.choice(UNITS))
        for _ in range(tickets):
            kind = rng.choices(("incident", "request", "problem", "release"), weights=(70, 18, 6, 6))[0]
            getattr(world, kind)(rng.choice(UNITS))
        _others(cs, rng)
        gone = world.ticket("incident", "/HQ/GD/SZ/LH/", {"state": "new", "priority": "P1",
                                                           "opened_at": datetime(2026, 10, 3, tzinfo=UTC)})
        cs.delete(gone)
    return store


def digest(tree: dict[str, Any], sort_records: bool = False) -> dict[str, Any]:
    """What must not change: per indicator (numerator, denominator, value, score, records digest), the
    category scores and the units' scores. ``sort_records``: digest the records as a set (rows that tie in
    the order of a query come in any order on PostgreSQL)."""
    found: dict[str, Any] = {"score": tree["score"],
                             "categories": [c["score"] for c in tree["categories"]],
                             "units": [(u["org"], u["score"]) for u in tree.get("units", [])]}
    for code, ind in sorted(flat_indicators(tree).items()):
        shown = sorted(ind["records"]) if sort_records else ind["records"]
        records = hashlib.sha1("|".join(shown).encode()).hexdigest()[:12]
        found[code] = [ind["numerator"], ind["denominator"], ind["value"], ind["score"], len(ind["records"]),
                       records]
    return found


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = build_random_province(Store.open_dir(tmp_path_factory.mktemp("kpi-speed") / "gd", create=True), seed=8)
    yield store
    store.close()


@pytest.mark.parametrize("org_path, period", [(GD, "2026-10"), ("/HQ/GD/SZ/", "2026-10"), (GD, "2026-09"),
                                                    (GD, "2026-Q3")])
def test_tree_equals_the_row_by_row_engine(province: Store, org_path: str, period: str) -> None:
    with province.read() as session:
        got = digest(evaluate(session, org_path, period))
    assert got == GOLDEN[(org_path, period)]


GOLDEN: dict[tuple[str, str], dict[str, Any]] = {('/HQ/GD/', '2026-10'): {'score': 13.29,
                              'categories': [22.59, 10.64, 0.0],
                              'units': [('/HQ/GD/GZ/', 13.81), ('/HQ/GD/SZ/', 19.29)],
                              'alarm_handling_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'answer_20s_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'antivirus_installed': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'backup_policy_coverage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'backup_success': [0.0, 10.0, 0.0, 0.0, 10, 'd6ffdbabbc29'],
                              'baseline_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'call_connect_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'change_caused_incidents': [3.0, 4.0, 75.0, 0.0, 4, '0d814872b0fa'],
                              'change_success': [1.0, 4.0, 25.0, 0.0, 4, '0d814872b0fa'],
                              'check_rectification': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'cmdb_accuracy': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'complaint_reply_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'core_system_availability': [215513.0, 216000.0, 99.7745, 86.06, 5, '7e68932de807'],
                              'database_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'emergency_change_ratio': [5.0, 16.0, 31.25, 0.0, 16, '49ea280aae25'],
                              'endpoint_registration': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'environment_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'first_line_resolution': [8.0, 26.0, 30.7692, 0.0, 26, '565abd7a5a34'],
                              'grading_assessment_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'hardware_failures': [102.0, None, 102.0, 0.0, 102, 'af8b72f1e52d'],
                              'high_vuln_fix_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'idle_account_cleanup': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'inspection_completion': [7.0, 25.0, 28.0, 0.0, 25, '2a876614d58c'],
                              'knowledge_use_rate': [8.0, 26.0, 30.7692, 100.0, 26, '565abd7a5a34'],
                              'link_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'link_peak_utilisation': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'major_security_events': [6.0, None, 6.0, 0.0, 6, 'b33ebbf65a20'],
                              'mean_resolution_hours': [477.4012082733334, 26.0, 18.3616, 74.1, 26, '565abd7a5a34'],
                              'misroute_rate': [27.0, 215.0, 12.5581, 49.61, 200, 'f376aa9c0326'],
                              'patch_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'plan_completion': [9.0, 39.0, 23.0769, 0.0, 39, 'b48208405ea7'],
                              'policy_violations': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'problem_on_time': [0.0, 0.0, None, None, 0, 'da39a3ee5e6b'],
                              'recovery_drill_completion': [0.0, 4.0, 0.0, 0.0, 4, '5f07cc1efc5a'],
                              'release_first_time_success': [10.0, 14.0, 71.4286, 0.0, 14, '1635c4256a18'],
                              'reopen_rate': [11.0, 26.0, 42.3077, 0.0, 26, '565abd7a5a34'],
                              'repeat_incident_rate': [132.0, 215.0, 61.3953, 0.0, 132, '181708434409'],
                              'request_on_time': [11.0, 14.0, 78.5714, 0.0, 14, 'b57291168d53'],
                              'resolution_on_time': [17.0, 26.0, 65.3846, 0.0, 26, '565abd7a5a34'],
                              'resource_over_threshold': [11.0, 46.0, 23.913, 0.0, 11, 'dde4104b2c90'],
                              'response_on_time': [82.0, 214.0, 38.3178, 0.0, 200, '0e088c86fbb7'],
                              'restore_test_success': [2.0, 4.0, 50.0, 0.0, 4, '5f07cc1efc5a'],
                              'satisfaction_rate': [6.0, 15.0, 40.0, 0.0, 15, '9c729cc95089'],
                              'security_device_online': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'security_report_on_time': [1.0, 9.0, 11.1111, 0.0, 9, 'c3a4a8e957eb'],
                              'server_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'storage_usage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'survey_rate': [15.0, 26.0, 57.6923, 0.0, 26, '565abd7a5a34'],
                              'tablespace_over_threshold': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'transaction_response_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'unplanned_outages': [54.0, None, 54.0, 0.0, 54, 'a37a3216ce48'],
                              'vuln_mean_fix_days': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'weak_passwords': [15.0, None, 15.0, 0.0, 5, '7e68932de807']},
     ('/HQ/GD/SZ/', '2026-10'): {'score': 19.51,
                                 'categories': [23.46, 17.5, 15.62],
                                 'units': [('/HQ/GD/SZ/FT/', 31.89), ('/HQ/GD/SZ/LH/', 31.7)],
                                 'alarm_handling_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'answer_20s_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'antivirus_installed': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'backup_policy_coverage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'backup_success': [0.0, 3.0, 0.0, 0.0, 3, '583664f84a1b'],
                                 'baseline_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'call_connect_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'change_caused_incidents': [0.0, 0.0, None, None, 0, 'da39a3ee5e6b'],
                                 'change_success': [0.0, 0.0, None, None, 0, 'da39a3ee5e6b'],
                                 'check_rectification': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'cmdb_accuracy': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'complaint_reply_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'core_system_availability': [86157.0, 86400.0, 99.7188, 79.86, 2, '5339126eb636'],
                                 'database_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'emergency_change_ratio': [2.0, 8.0, 25.0, 25.0, 8, 'e0755a2a13c6'],
                                 'endpoint_registration': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'environment_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'first_line_resolution': [3.0, 10.0, 30.0, 0.0, 10, 'f2877218f90e'],
                                 'grading_assessment_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'hardware_failures': [42.0, None, 42.0, 0.0, 42, 'db31c82e71f9'],
                                 'high_vuln_fix_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'idle_account_cleanup': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'inspection_completion': [1.0, 12.0, 8.3333, 0.0, 12, '55264f91d789'],
                                 'knowledge_use_rate': [2.0, 10.0, 20.0, 60.0, 10, 'f2877218f90e'],
                                 'link_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'link_peak_utilisation': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'major_security_events': [3.0, None, 3.0, 0.0, 3, '92937c3c9892'],
                                 'mean_resolution_hours': [210.48575083444445, 10.0, 21.0486, 67.38, 10, 'f2877218f90e'],  # noqa: E501
                                 'misroute_rate': [9.0, 85.0, 10.5882, 62.75, 85, '9a8ace548624'],
                                 'patch_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'plan_completion': [1.0, 17.0, 5.8824, 0.0, 17, 'f114b7abb932'],
                                 'policy_violations': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'problem_on_time': [0.0, 0.0, None, None, 0, 'da39a3ee5e6b'],
                                 'recovery_drill_completion': [0.0, 2.0, 0.0, 0.0, 2, '246c73783418'],
                                 'release_first_time_success': [3.0, 5.0, 60.0, 0.0, 5, 'cc593cabcb7e'],
                                 'reopen_rate': [6.0, 10.0, 60.0, 0.0, 10, 'f2877218f90e'],
                                 'repeat_incident_rate': [33.0, 85.0, 38.8235, 0.0, 33, 'd342846c46b8'],
                                 'request_on_time': [6.0, 7.0, 85.7143, 38.1, 7, '89cccef767ac'],
                                 'resolution_on_time': [6.0, 10.0, 60.0, 0.0, 10, 'f2877218f90e'],
                                 'resource_over_threshold': [4.0, 24.0, 16.6667, 22.22, 4, '6f4b3e064033'],
                                 'response_on_time': [37.0, 84.0, 44.0476, 0.0, 84, '19d633438bbd'],
                                 'restore_test_success': [1.0, 2.0, 50.0, 0.0, 2, '246c73783418'],
                                 'satisfaction_rate': [2.0, 7.0, 28.5714, 0.0, 7, 'acdbd5d53474'],
                                 'security_device_online': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'security_report_on_time': [1.0, 5.0, 20.0, 0.0, 5, '03334c639a4c'],
                                 'server_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'storage_usage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'survey_rate': [7.0, 10.0, 70.0, 33.33, 10, 'f2877218f90e'],
                                 'tablespace_over_threshold': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'transaction_response_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'unplanned_outages': [20.0, None, 20.0, 0.0, 20, 'b9a113a7ea71'],
                                 'vuln_mean_fix_days': [None, None, None, None, 0, 'da39a3ee5e6b'],
                                 'weak_passwords': [5.0, None, 5.0, 50.0, 2, '5339126eb636']},
     ('/HQ/GD/', '2026-09'): {'score': 13.63,
                              'categories': [12.5, 21.58, 0.0],
                              'units': [('/HQ/GD/GZ/', 24.11), ('/HQ/GD/SZ/', 14.34)],
                              'alarm_handling_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'answer_20s_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'antivirus_installed': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'backup_policy_coverage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'backup_success': [1.0, 1.0, 100.0, 100.0, 1, '4c2a31b11018'],
                              'baseline_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'call_connect_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'change_caused_incidents': [1.0, 1.0, 100.0, 0.0, 1, '94e72679fa1f'],
                              'change_success': [0.0, 1.0, 0.0, 0.0, 1, '94e72679fa1f'],
                              'check_rectification': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'cmdb_accuracy': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'complaint_reply_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'core_system_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'database_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'emergency_change_ratio': [2.0, 3.0, 66.6667, 0.0, 3, '69ae25e0d6b4'],
                              'endpoint_registration': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'environment_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'first_line_resolution': [4.0, 11.0, 36.3636, 0.0, 11, 'ebc5a113ac26'],
                              'grading_assessment_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'hardware_failures': [42.0, None, 42.0, 0.0, 42, '1f8755a30511'],
                              'high_vuln_fix_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'idle_account_cleanup': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'inspection_completion': [1.0, 9.0, 11.1111, 0.0, 9, '3dcbd5b303c7'],
                              'knowledge_use_rate': [3.0, 11.0, 27.2727, 89.09, 11, 'ebc5a113ac26'],
                              'link_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'link_peak_utilisation': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'major_security_events': [2.0, None, 2.0, 0.0, 2, '6ee50cab8d4e'],
                              'mean_resolution_hours': [139.95509632388888, 11.0, 12.7232, 88.19, 11, 'ebc5a113ac26'],
                              'misroute_rate': [8.0, 79.0, 10.1266, 65.82, 79, 'ec1322491c7a'],
                              'patch_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'plan_completion': [3.0, 15.0, 20.0, 0.0, 15, '7fa9c0c77bd6'],
                              'policy_violations': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'problem_on_time': [0.0, 0.0, None, None, 0, 'da39a3ee5e6b'],
                              'recovery_drill_completion': [1.0, 5.0, 20.0, 0.0, 5, 'eb2202d187ac'],
                              'release_first_time_success': [4.0, 5.0, 80.0, 0.0, 5, 'fe79a995cb7d'],
                              'reopen_rate': [4.0, 11.0, 36.3636, 0.0, 11, 'ebc5a113ac26'],
                              'repeat_incident_rate': [27.0, 79.0, 34.1772, 0.0, 27, '29823af32377'],
                              'request_on_time': [1.0, 1.0, 100.0, 100.0, 1, 'a5acdb256ddf'],
                              'resolution_on_time': [8.0, 11.0, 72.7273, 0.0, 11, 'ebc5a113ac26'],
                              'resource_over_threshold': [3.0, 11.0, 27.2727, 0.0, 3, '52e65a320758'],
                              'response_on_time': [27.0, 79.0, 34.1772, 0.0, 79, 'ec1322491c7a'],
                              'restore_test_success': [1.0, 5.0, 20.0, 0.0, 5, 'eb2202d187ac'],
                              'satisfaction_rate': [0.0, 4.0, 0.0, 0.0, 4, '22ea5bb8eeba'],
                              'security_device_online': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'security_report_on_time': [0.0, 3.0, 0.0, 0.0, 3, '6dcb941a9578'],
                              'server_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'storage_usage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'survey_rate': [4.0, 11.0, 36.3636, 0.0, 11, 'ebc5a113ac26'],
                              'tablespace_over_threshold': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'transaction_response_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'unplanned_outages': [21.0, None, 21.0, 0.0, 21, '85b94f539e91'],
                              'vuln_mean_fix_days': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'weak_passwords': [None, None, None, None, 0, 'da39a3ee5e6b']},
     ('/HQ/GD/', '2026-Q3'): {'score': 13.63,
                              'categories': [12.5, 21.58, 0.0],
                              'units': [('/HQ/GD/GZ/', 24.11), ('/HQ/GD/SZ/', 14.34)],
                              'alarm_handling_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'answer_20s_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'antivirus_installed': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'backup_policy_coverage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'backup_success': [1.0, 1.0, 100.0, 100.0, 1, '4c2a31b11018'],
                              'baseline_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'call_connect_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'change_caused_incidents': [1.0, 1.0, 100.0, 0.0, 1, '94e72679fa1f'],
                              'change_success': [0.0, 1.0, 0.0, 0.0, 1, '94e72679fa1f'],
                              'check_rectification': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'cmdb_accuracy': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'complaint_reply_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'core_system_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'database_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'emergency_change_ratio': [2.0, 3.0, 66.6667, 0.0, 3, '69ae25e0d6b4'],
                              'endpoint_registration': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'environment_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'first_line_resolution': [4.0, 11.0, 36.3636, 0.0, 11, 'ebc5a113ac26'],
                              'grading_assessment_on_time': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'hardware_failures': [42.0, None, 42.0, 0.0, 42, '1f8755a30511'],
                              'high_vuln_fix_rate': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'idle_account_cleanup': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'inspection_completion': [1.0, 9.0, 11.1111, 0.0, 9, '3dcbd5b303c7'],
                              'knowledge_use_rate': [3.0, 11.0, 27.2727, 89.09, 11, 'ebc5a113ac26'],
                              'link_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'link_peak_utilisation': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'major_security_events': [2.0, None, 2.0, 0.0, 2, '6ee50cab8d4e'],
                              'mean_resolution_hours': [139.95509632388888, 11.0, 12.7232, 88.19, 11, 'ebc5a113ac26'],
                              'misroute_rate': [8.0, 79.0, 10.1266, 65.82, 79, 'ec1322491c7a'],
                              'patch_compliance': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'plan_completion': [3.0, 15.0, 20.0, 0.0, 15, '7fa9c0c77bd6'],
                              'policy_violations': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'problem_on_time': [0.0, 0.0, None, None, 0, 'da39a3ee5e6b'],
                              'recovery_drill_completion': [1.0, 5.0, 20.0, 0.0, 5, 'eb2202d187ac'],
                              'release_first_time_success': [4.0, 5.0, 80.0, 0.0, 5, 'fe79a995cb7d'],
                              'reopen_rate': [4.0, 11.0, 36.3636, 0.0, 11, 'ebc5a113ac26'],
                              'repeat_incident_rate': [27.0, 79.0, 34.1772, 0.0, 27, '29823af32377'],
                              'request_on_time': [1.0, 1.0, 100.0, 100.0, 1, 'a5acdb256ddf'],
                              'resolution_on_time': [8.0, 11.0, 72.7273, 0.0, 11, 'ebc5a113ac26'],
                              'resource_over_threshold': [3.0, 11.0, 27.2727, 0.0, 3, '52e65a320758'],
                              'response_on_time': [27.0, 79.0, 34.1772, 0.0, 79, 'ec1322491c7a'],
                              'restore_test_success': [1.0, 5.0, 20.0, 0.0, 5, 'eb2202d187ac'],
                              'satisfaction_rate': [0.0, 4.0, 0.0, 0.0, 4, '22ea5bb8eeba'],
                              'security_device_online': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'security_report_on_time': [0.0, 3.0, 0.0, 0.0, 3, '6dcb941a9578'],
                              'server_availability': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'storage_usage': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'survey_rate': [4.0, 11.0, 36.3636, 0.0, 11, 'ebc5a113ac26'],
                              'tablespace_over_threshold': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'transaction_response_ok': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'unplanned_outages': [21.0, None, 21.0, 0.0, 21, '85b94f539e91'],
                              'vuln_mean_fix_days': [None, None, None, None, 0, 'da39a3ee5e6b'],
                              'weak_passwords': [None, None, None, None, 0, 'da39a3ee5e6b']}}
