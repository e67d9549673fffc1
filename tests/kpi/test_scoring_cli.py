"""Scoring to 0–100, weighted means up the catalogue, and `itops kpi`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from shared.kpi.catalogue import load_catalogue, parse_catalogue
from shared.kpi.engine import score_tree
from shared.kpi.scoring import Figure, score, weighted_mean
from tests.kpi.dataset import FT, LH, PERIOD, build


def test_score_is_linear_between_bad_and_target() -> None:
    cat = load_catalogue()
    higher = cat.indicator("first_line_resolution")  # target 70, bad 40
    assert score(higher, 70) == 100 and score(higher, 90) == 100
    assert score(higher, 55) == pytest.approx(50)
    assert score(higher, 40) == 0 and score(higher, 10) == 0
    lower = cat.indicator("reopen_rate")  # target 3, bad 15
    assert score(lower, 3) == 100 and score(lower, 9) == pytest.approx(50) and score(lower, 20) == 0
    assert score(lower, None) is None


def test_weighted_mean_leaves_out_parts_without_a_score() -> None:
    assert weighted_mean([(30, 100.0), (70, 0.0)]) == pytest.approx(30)
    assert weighted_mean([(30, 100.0), (70, None)]) == pytest.approx(100)
    assert weighted_mean([(30, None)]) is None


def test_weights_roll_up_l3_to_category() -> None:
    cat = load_catalogue()
    figures = {i.code: Figure(available=False) for i in cat.indicators()}
    # 服务 → 用户满意 → 回访: survey_rate (w30) scores 100, satisfaction_rate (w50) scores 50
    figures["survey_rate"] = Figure(9, 10)  # 90 % ≥ target 90
    figures["satisfaction_rate"] = Figure(87.5, 100)  # half way between 80 and 95
    tree = score_tree(figures, cat)
    service = next(c for c in tree["categories"] if c["name"] == "服务")
    l1 = next(c for c in service["children"] if c["name"] == "用户满意")
    assert l1["children"][0]["score"] == pytest.approx((30 * 100 + 50 * 50) / 80, abs=0.01)
    assert service["score"] == l1["score"]  # the only L1 with data
    assert tree["score"] == service["score"]


def test_catalogue_rejects_a_target_against_the_direction() -> None:
    doc = {"categories": [{"code": "x", "name": {"zh": "运行", "en": "x"}, "weight": 1, "children": [], "indicators": [
        {"code": "a", "name": {"zh": "甲", "en": "a"}, "unit": "%", "kind": "ratio", "direction": "higher",
         "target": 50, "bad": 90, "weight": 1, "source": "s", "frequency": "monthly", "calculator": "manual",
         "formula": {"zh": "f", "en": "f"}}]}]}
    with pytest.raises(ValueError, match="contradict"):
        parse_catalogue(doc)


def test_every_catalogue_indicator_has_a_calculator() -> None:
    from shared.kpi.calculators import CALCULATORS

    cat = load_catalogue()
    assert {c.name for c in cat.categories} == {"运行", "服务", "安全"}
    assert len(cat.indicators()) >= 50
    assert all(i.calculator in CALCULATORS for i in cat.indicators())


def test_cli_kpi_json_enter_and_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = build(tmp_path / "gd")
    store.close()
    target = ["--store", str(tmp_path / "gd"), "--period", PERIOD]
    assert main(["kpi", *target, "--org", LH, "--enter", "core_system_availability=43150/43200",
                 "--enter", "weak_passwords=2", "--json"]) == 0
    lh = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in lh["categories"]] == ["运行", "服务", "安全"]
    assert main(["kpi", *target, "--org", FT, "--enter", "core_system_availability=21600/21600"]) == 0
    capsys.readouterr()
    assert main(["kpi", *target, "--org", "/HQ/GD/", "--json"]) == 0
    gd = json.loads(capsys.readouterr().out)
    ops = gd["categories"][0]
    avail = ops["children"][0]["children"][0]["indicators"][0]
    assert avail["name"] == "核心业务系统可用率"
    assert (avail["numerator"], avail["denominator"]) == (64750.0, 64800.0)
    assert [u["org"] for u in gd["units"]] == ["/HQ/GD/SZ/"]
    assert set(gd["units"][0]["categories"]) == {"运行", "服务", "安全"}
    assert main(["kpi", *target, "--org", "/HQ/GD/"]) == 0
    text = capsys.readouterr().out
    assert "核心业务系统可用率" in text and "99.92%" in text and "深圳" in text


def test_cli_kpi_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store, _ = build(tmp_path / "gd")
    store.close()
    target = ["--store", str(tmp_path / "gd"), "--period", PERIOD, "--org", LH]
    assert main(["kpi", *target, "--enter", "first_line_resolution=1/2"]) == 2
    assert "computed from the records" in capsys.readouterr().err
    assert main(["kpi", *target, "--enter", "core_system_availability=5"]) == 2
    assert "NUMERATOR/DENOMINATOR" in capsys.readouterr().err
    assert main(["kpi", "--store", str(tmp_path / "gd"), "--period", "2026-13"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("itops: error:") and "month 13" in err and len(err.splitlines()) == 1
