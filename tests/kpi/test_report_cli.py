"""`itops report …` and `itops report event …` on a province store, as a user would run them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cli.main import main
from tests.kpi.dataset import LH, PERIOD, build


def test_report_cli_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(tmp_path / "gd")[0].close()
    st = ["--store", str(tmp_path / "gd")]
    assert main(["report", "draft", *st, "--kind", "operations", "--period", PERIOD, "--json"]) == 0
    number = json.loads(capsys.readouterr().out)["number"]
    assert main(["report", "submit", *st, number]) == 2
    assert "本级审核" in capsys.readouterr().err
    assert main(["report", "review", *st, number]) == 2
    assert "analysis" in capsys.readouterr().err
    assert main(["report", "edit", *st, number, "--analysis", "本月 P1 事件 2 件，均已处置。",
                 "--suggestions", "加强一线响应。"]) == 0
    assert main(["report", "review", *st, number]) == 0
    assert main(["report", "submit", *st, number]) == 0
    assert "已上报" in capsys.readouterr().out.splitlines()[-1]
    assert main(["report", "show", *st, number]) == 0
    shown = capsys.readouterr().out
    assert "== 事件处理情况 ==" in shown and "本月 P1 事件 2 件" in shown
    pdf = tmp_path / "ops.pdf"
    assert main(["report", "pdf", *st, number, "-o", str(pdf)]) == 0
    assert capsys.readouterr().out.startswith("wrote ")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "广东 2026-11 运维报告" in text and "本月 P1 事件 2 件" in text and "编制: gd_admin" in text
    assert main(["report", "list", *st, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)
    assert (listed["number"], listed["status"]) == (number, "submitted")


def test_security_event_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(tmp_path / "gd")[0].close()
    st = ["--store", str(tmp_path / "gd")]
    assert main(["report", "event", "record", *st, "--title", "门户网站被篡改", "--category", "attack",
                 "--grade", "2", "--org", LH, "--system", "门户网站", "--json"]) == 0
    event = json.loads(capsys.readouterr().out)
    assert event["grade_label"] == "重大(Ⅱ级)" and event["clocks"][0]["status"] == "running"
    assert main(["report", "event", "report", *st, event["number"], "--stage", "final", "--text", "x"]) == 2
    assert "首报" in capsys.readouterr().err
    assert main(["report", "event", "report", *st, event["number"], "--stage", "first",
                 "--text", "已断开互联网出口"]) == 0
    assert "已上报" in capsys.readouterr().out
    assert main(["report", "event", "list", *st, "--period", PERIOD, "--json"]) == 0
    numbers = [e["number"] for e in json.loads(capsys.readouterr().out)]
    assert {"SEC-1", "SEC-2", "SEC-3"} <= set(numbers)
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "event", "record", *st, "--title", "x", "--category", "nonsense", "--grade", "2"])
    assert exit_info.value.code == 2 and "invalid choice" in capsys.readouterr().err
