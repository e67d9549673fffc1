"""Security-event grades I–IV and their reporting deadlines, read from resources/reports/security.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

SECURITY_FILE = Path(__file__).resolve().parent.parent / "resources" / "reports" / "security.yaml"


@cache
def security_rules() -> dict[str, Any]:
    with open(SECURITY_FILE, encoding="utf-8") as fh:
        doc: dict[str, Any] = yaml.safe_load(fh)
    doc["grades"] = {int(k): v for k, v in doc["grades"].items()}
    return doc


def grade_info(grade: int) -> dict[str, Any]:
    try:
        return dict(security_rules()["grades"][int(grade)])
    except (KeyError, ValueError, TypeError):
        raise ValueError(f"grade must be 1–4 (Ⅰ–Ⅳ), not {grade!r}") from None


def grade_label(grade: int) -> str:
    info = grade_info(grade)
    return f"{info['zh']}({info['roman']}级)"


def categories() -> dict[str, dict[str, str]]:
    return dict(security_rules()["categories"])


def first_report_deadline(grade: int, discovered_at: datetime) -> datetime:
    return discovered_at + timedelta(minutes=int(grade_info(grade)["first_report_minutes"]))


def final_report_deadline(grade: int, discovered_at: datetime) -> datetime:
    return discovered_at + timedelta(days=int(grade_info(grade)["final_report_days"]))


@dataclass(frozen=True)
class ReportClock:
    """The clock of one reporting duty (first or final report) of an event."""

    stage: str
    deadline: datetime
    done_at: datetime | None
    status: str  # running | met | breached
    minutes_left: float

    def as_dict(self) -> dict[str, Any]:
        return {"stage": self.stage, "deadline": self.deadline.isoformat(),
                "done_at": self.done_at.isoformat() if self.done_at else None,
                "status": self.status, "minutes_left": round(self.minutes_left, 1)}


def _clock(stage: str, deadline: datetime, done_at: datetime | None, now: datetime) -> ReportClock:
    if done_at is not None:
        status = "met" if done_at <= deadline else "breached"
        left = (deadline - done_at).total_seconds() / 60
    else:
        status = "running" if now <= deadline else "breached"
        left = (deadline - now).total_seconds() / 60
    return ReportClock(stage, deadline, done_at, status, left)


def report_clocks(grade: int, discovered_at: datetime, first_report_at: datetime | None,
                  final_report_at: datetime | None, now: datetime) -> list[ReportClock]:
    return [_clock("first", first_report_deadline(grade, discovered_at), first_report_at, now),
            _clock("final", final_report_deadline(grade, discovered_at), final_report_at, now)]
