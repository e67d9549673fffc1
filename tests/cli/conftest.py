"""Fixtures for the CLI tests: the ``itops`` command run as a subprocess, and a demo tree.

    itops        (function) ``itops(*args, env=…, input=…) -> Run``: runs ``python -m cli.main`` in the repo
    demo_tree    (session)  a pristine demo tree built once by ``itops demo``; never modify it
    county       (function) a private copy of the demo's county store (``county-lh``), free to change
    province_db  (function) a private copy of the demo's province database file
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def ok(self) -> Run:
        assert self.code == 0, f"itops {' '.join(self.args)} exited {self.code}: {self.err}"
        return self

    def user_error(self, *fragments: str) -> str:
        """Assert: exit 2, one line ``itops: error: …`` on stderr containing ``fragments``, no traceback."""
        assert self.code == 2, f"itops {' '.join(self.args)} exited {self.code}: {self.err}"
        assert "Traceback" not in self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("itops: error: "), lines[0]
        for fragment in fragments:
            assert fragment in lines[0], lines[0]
        return lines[0]


def run_itops(*args: str | Path, env: dict[str, str] | None = None, input: str | None = None) -> Run:
    argv = tuple(str(a) for a in args)
    proc = subprocess.run([sys.executable, "-m", "cli.main", *argv], cwd=REPO, capture_output=True,
                          input=input, timeout=120, env={**os.environ, **(env or {})},
                          encoding="utf-8", errors="strict")
    return Run(argv, proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def itops() -> Callable[..., Run]:
    return run_itops


@pytest.fixture(scope="session")
def demo_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "tree"
    run_itops("demo", "--dir", root).ok()
    return root


@pytest.fixture
def county(demo_tree: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo_tree / "county-lh", tmp_path / "county-lh"))


@pytest.fixture
def province_db(demo_tree: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(demo_tree / "province-gd.db", tmp_path / "province-gd.db"))
