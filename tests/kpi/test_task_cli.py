"""`itops task issue|list|show|report|submit|review|urge` on a province database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from tests.kpi.dataset import FT, LH, build


def test_task_cli_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(tmp_path / "gd")[0].close()
    st = ["--store", str(tmp_path / "gd")]
    assert main(["task", "issue", *st, "--title", "补丁核查", "--to", LH, "--to", FT.rstrip("/"),
                 "--deadline", "2099-12-10", "--deliverable", "核查表", "--json"]) == 0
    task = json.loads(capsys.readouterr().out)
    assert task["targets"] == [FT, LH] and task["number"].startswith("TSK-")
    assert main(["task", "report", *st, task["number"], "--org", LH, "--progress", "50", "--note", "半数完成"]) == 0
    assert "50%" in capsys.readouterr().out
    assert main(["task", "submit", *st, task["number"], "--org", LH]) == 2
    assert "核查表" in capsys.readouterr().err
    assert main(["task", "submit", *st, task["number"], "--org", LH, "--result", "核查表=已附"]) == 0
    assert main(["task", "urge", *st, task["number"]]) == 0
    assert FT in capsys.readouterr().out.splitlines()[-1]
    assert main(["task", "show", *st, task["number"]]) == 0
    shown = capsys.readouterr().out
    assert "补丁核查" in shown and "已反馈" in shown and "未接收" in shown and "1/2 (50.0%)" in shown
    assert main(["task", "review", *st, task["number"], "--org", LH, "--return"]) == 2
    assert "comment" in capsys.readouterr().err
    assert main(["task", "review", *st, task["number"], "--org", LH, "--approve"]) == 0
    assert "审核通过" in capsys.readouterr().out
    assert main(["task", "list", *st, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["done"], listed["total"], listed["role"]) == (1, 2, "issued")
    assert main(["task", "issue", *st, "--title", "x", "--to", LH, "--deadline", "tomorrow"]) == 2
    assert "bad deadline" in capsys.readouterr().err
