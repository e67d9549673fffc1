"""``itops export``: canonical JSON lines, byte-identical across replicas holding the same data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from shared.models import SYNCED
from tests.cli.conftest import Run


def test_export_is_stable_and_changes_with_the_data(county: Path, tmp_path: Path,
                                                    itops: Callable[..., Run]) -> None:
    first = itops("export", "--store", county, "--format", "jsonl").ok().out
    itops("export", "--store", county, "-o", tmp_path / "second.jsonl").ok()
    assert (tmp_path / "second.jsonl").read_bytes() == first.encode("utf-8")

    rows = [json.loads(line) for line in first.splitlines()]
    tables = [r["table"] for r in rows]
    assert tables == sorted(tables, key=list(SYNCED).index)
    for table in set(tables):
        ids = [r["id"] for r in rows if r["table"] == table]
        assert ids == sorted(ids)
    assert not any("password_hash" in r for r in rows)
    assert "龙华供电局" in first  # UTF-8 kept, not \\u escapes

    itops("ticket", "create", "--store", county, "--title", "显示器黑屏").ok()
    assert itops("export", "--store", county).ok().out != first


def test_province_and_hq_replicas_export_the_same_gd_data(demo_tree: Path, itops: Callable[..., Run]) -> None:
    province = itops("export", "--db", demo_tree / "province-gd.db").ok().out.splitlines(keepends=True)
    hq = itops("export", "--db", demo_tree / "hq.db").ok().out.splitlines(keepends=True)

    def gd(lines: list[str]) -> str:
        return "".join(line for line in lines if json.loads(line)["owner_path"].startswith("/HQ/GD/"))

    assert gd(province) == gd(hq) and len(gd(hq)) > 100_000
    assert set(province) <= set(hq)  # HQ holds the union: Guangdong, plus its own rows
