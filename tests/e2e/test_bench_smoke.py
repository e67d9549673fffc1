"""``python -m bench --quick --only a,b,c,d`` runs the sync benchmarks end to end and prints each figure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

FIGURES = (
    "[a] client apply of a 5,000-row initial pull:",
    "[a] bare sqlite3 executemany of the same rows:",
    "[a] client / bare = 1/",
    "[b] SQLite: province merge of 500 pushed single-field updates:",
    "[b] PostgreSQL:",  # a figure, or "skipped (why)" where PostgreSQL is not installed
    "[c] single-field ticket update in a batch of 100 (gzip):",
    "[c] no-change sync:",
    "[d] a day of county work (60 changes",
    "[d] with a cut every 4 s: completed",
    "[d] re-sent",
)


def test_bench_quick_prints_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "a,b,c,d", "--json", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=280, stdin=subprocess.DEVNULL,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for figure in FIGURES:
        assert any(line.startswith(figure) for line in proc.stdout.splitlines()), \
            f"missing figure {figure!r} in:\n{proc.stdout}"
    assert "Traceback" not in proc.stderr
    assert out.exists() and '"a"' in out.read_text(encoding="utf-8")
