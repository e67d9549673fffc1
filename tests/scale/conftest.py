"""Fixtures for the scale tests.

    UCI_ZIP         the real ServiceNow incident event log (UCI), as shipped in ../shared/data
    make_province   factory: a province database (SQLite file) with /HQ/ and /HQ/GD/ and an admin user
    write_csv       factory: a small ServiceNow-shaped CSV from row dicts (missing columns filled)
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shared.services import org, users
from shared.store import Store

UCI_ZIP = Path("/work/shared/data/uci-incident-event-log/incident_event_log.zip")
HEADER = ("number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,"
          "opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,"
          "location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,"
          "assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,"
          "resolved_by,resolved_at,closed_at")
COLUMNS = HEADER.split(",")
DEFAULTS = {c: "?" for c in COLUMNS} | {
    "active": "true", "reassignment_count": "0", "reopen_count": "0", "made_sla": "true",
    "caller_id": "Caller 1", "opened_at": "1/3/2016 09:00", "contact_type": "Phone", "location": "Location 1",
    "category": "Category 1", "impact": "2 - Medium", "urgency": "2 - Medium", "priority": "3 - Moderate",
    "assignment_group": "Group 1",
}


def province_store(path: Path) -> Store:
    store = Store(f"sqlite:///{path}")
    store.init_node("province", "/HQ/GD/")
    with store.write(None) as cs:
        org.add_org(cs, "/HQ/", "总部")
        org.add_org(cs, "/HQ/GD/", "广东")
        users.add_user(cs, "gd_admin", "itops-demo-2026", "/HQ/GD/", ["admin"])
    return store


@pytest.fixture
def make_province(tmp_path: Path) -> Callable[[str], Store]:
    stores: list[Store] = []

    def make(name: str = "province.db") -> Store:
        stores.append(province_store(tmp_path / name))
        return stores[-1]

    yield make  # type: ignore[misc]
    for store in stores:
        store.close()


def csv_rows(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**DEFAULTS, **{k: str(v) for k, v in row.items()}})
    return path


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    def write(rows: list[dict[str, Any]], name: str = "export.csv") -> Path:
        return csv_rows(tmp_path / name, rows)
    return write  # type: ignore[return-value]
