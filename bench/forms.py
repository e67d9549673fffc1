"""(f) Work-form PDFs: a filled daily inspection (time per form, size without photos) and a batch print
of 1,000 records of a room (the month print: read from the store and rendered into one PDF)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import Stopwatch, county_actor, figure, make_client, verdict
from shared.pdf.forms import render_form, render_forms
from shared.services import forms, org, rooms

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PER_FORM_MS, BATCH_S, SIZE_KB = 200, 60, 150


def _seed(store: Any, count: int) -> tuple[Any, str]:
    from tests.forms.conftest import normal_sop06_values, png

    actor = county_actor()
    with store.write() as cs:
        for path, name in (("/HQ/", "集团总部"), ("/HQ/GD/", "广东"), ("/HQ/GD/SZ/", "深圳"), (actor.org_path, "龙华")):
            org.add_org(cs, path, name)
    signature = png()
    values = normal_sop06_values()
    start = datetime(2026, 11, 1, 8, 30, tzinfo=UTC)
    with store.write(actor.user_id) as cs:
        room = rooms.create_room(cs, actor, "LH-JF01", "龙华信息机房", "B")
        for n in range(count):
            record = forms.create_record(cs, actor, "SOP-06", room_id=room["id"], shift="白班",
                                         planned_at=start + timedelta(minutes=n))
            reading = dict(values, A_TEMP={"冷通道1": 23.0, "冷通道2": 24.5 + (n % 3), "冷通道3": 22.0})
            forms.fill_record(cs, actor, record["id"], reading, {"A_TEMP": "冷通道2偏高"} if n % 3 == 2 else {})
            forms.sign(cs, actor, record["id"], "executor", signature)
            forms.complete_record(cs, actor, record["id"])
    return actor, room["id"]


def run(quick: bool) -> dict[str, Any]:
    count = 50 if quick else 1000
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="itops-bench-f-") as tmp:
        store = make_client(Path(tmp) / "county")
        with Stopwatch() as seeding:
            actor, room_id = _seed(store, count)
        figure("f", f"seeded {count} completed daily inspections in {seeding.seconds:.1f} s")
        with store.read() as session:
            first = forms.list_records(session, actor, "SOP-06", room_id, None, "2026-11", limit=1)[0]
            doc = forms.document_for(session, actor, first["id"])
        render_form(doc)  # font registration and subsetting set-up happen once per process
        times = []
        for _ in range(5 if quick else 20):
            t = time.perf_counter()
            data = render_form(doc)
            times.append((time.perf_counter() - t) * 1000)
        per_form = statistics.median(times)
        size_kb = len(data) / 1024
        figure("f", f"filled daily-inspection PDF: {per_form:.0f} ms per form (median, target < {PER_FORM_MS} ms: "
                    f"{verdict(per_form < PER_FORM_MS)}); {size_kb:.0f} KB without photos (target < {SIZE_KB} KB: "
                    f"{verdict(size_kb < SIZE_KB)})")
        out = Path(tmp) / "batch.pdf"
        with Stopwatch() as batch, store.read() as session:
            rows = forms.list_records(session, actor, "SOP-06", room_id, None, "2026-11", limit=None)
            render_forms((forms.document_for(session, actor, r["id"]) for r in rows), out)
        figure("f", f"batch print of {len(rows)} records: {batch.seconds:.1f} s, {out.stat().st_size / 1e6:.1f} MB "
                    f"(target for 1,000 < {BATCH_S} s: "
                    f"{verdict(batch.seconds / max(1, len(rows)) * 1000 < BATCH_S)})")
        result.update(per_form_ms=round(per_form, 1), size_kb=round(size_kb, 1), batch_records=len(rows),
                      batch_s=round(batch.seconds, 2), batch_mb=round(out.stat().st_size / 1e6, 2))
        store.close()
    return result
