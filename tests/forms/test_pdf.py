"""PDFs: every template blank and filled, font embedded, Chinese text extracted equals what was filled."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from shared.forms.document import FormDocument
from shared.forms.registry import CODES, builtin
from shared.forms.schema import Template
from shared.pdf.forms import render_form, render_forms
from shared.services import forms
from shared.services.actor import Actor
from shared.store import Store
from tests.forms.conftest import completed_sop06, normal_sop06_values, png


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _check_pdf(pdf: Path, tmp_path: Path) -> str:
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows, fonts
    assert all("WenQuanYiMicroHei" in row[0] and row[-5:-2] == ["yes", "yes", "yes"] for row in rows), fonts
    prefix = tmp_path / pdf.stem
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(prefix)], check=True, capture_output=True)
    pages = sorted(tmp_path.glob(f"{pdf.stem}-*.png"))
    assert pages and all(p.stat().st_size > 1000 for p in pages)
    return _text(pdf)


def filled_values(template: Template) -> tuple[dict[str, Any], dict[str, str]]:
    """A value for every item of a template (the first point out of range when it has ranges)."""
    values: dict[str, Any] = {}
    for item in template.items():
        if item.type == "CHK":
            value: Any = "ok"
        elif item.type == "NUM":
            value = 123.5 if item.thresholds.empty else (item.thresholds.normal[0].low if
                                                         item.thresholds.normal[0].low > -1e9 else 1.0)
        elif item.type == "SEL":
            value = item.options[-1].code
        elif item.type == "MSEL":
            value = [o.code for o in item.options[:2]]
        elif item.type == "DT":
            value = "2026-11-27T08:30"
        elif item.type == "TXT":
            value = f"填写内容{item.code[:2]}：龙华机房巡检正常"
        elif item.type == "REF":
            value = "CI-LH-000042"
        else:
            continue
        values[item.code] = {p: value for p in item.points} if item.per_point else value
    return values, {}


@pytest.mark.parametrize("code", CODES)
def test_every_template_prints_blank_and_filled(code: str, tmp_path: Path) -> None:
    template = builtin(code)
    assert template is not None
    blank = tmp_path / f"{code}-blank.pdf"
    render_form(FormDocument(template=template), blank)
    text = _check_pdf(blank, tmp_path)
    flat = re.sub(r"\s+", "", text)
    assert f"{template.name.zh}" in flat and f"{code}" in flat
    for item in template.items():  # every item name is printed (wrapping may split it over lines)
        head = re.sub(r"\s+", "", item.name.zh)[:6]
        assert head in flat, f"{item.code} {item.name.zh} missing from the blank {code}"
    values, _ = filled_values(template)
    doc = FormDocument(template=template, number=f"FRM-LH-{code}", record_id="r-1", state="completed",
                       org_name="龙华供电局", values=values, remarks={template.items()[8].code: "现场发现问题已记录"},
                       signatures={"F_SIG_EXEC": png()})
    filled = tmp_path / f"{code}-filled.pdf"
    render_form(doc, filled)
    flat = re.sub(r"\s+", "", _check_pdf(filled, tmp_path))
    assert f"FRM-LH-{code}" in flat and "龙华供电局" in flat and "现场发现问题已记录" in flat
    for code_, value in values.items():
        if isinstance(value, str) and value.startswith("填写内容"):
            assert re.sub(r"\s+", "", value) in flat, code_


def test_the_signed_daily_inspection_reads_back_in_chinese(county: tuple[Store, Actor], room: dict,
                                                          tmp_path: Path) -> None:
    store, actor = county
    values = normal_sop06_values()
    values["A_TEMP"] = {"冷通道1": 23.0, "冷通道2": 31.5, "冷通道3": 24.0}
    values["L_HANDLING"] = "已通知空调厂家到场处理，临时开启备用空调"
    record = completed_sop06(store, actor, room["id"], values, {"A_TEMP": "2号精密空调压缩机故障停机"},
                             photos=("A_TEMP",))
    with store.write(actor.user_id) as cs:
        forms.sign(cs, actor, record["id"], "reviewer", png())
        forms.review_record(cs, actor, record["id"])
    with store.read() as session:
        doc = forms.document_for(session, actor, record["id"])
    assert set(doc.signatures) == {"F_SIG_EXEC", "F_SIG_REVIEW"} and len(doc.photos["A_TEMP"]) == 1
    pdf = tmp_path / "record.pdf"
    data = render_form(doc, pdf)
    assert len(data) < 150_000 + 20_000  # one photo included
    text = _check_pdf(pdf, tmp_path)
    flat = re.sub(r"\s+", "", text)
    incident = doc.incidents["A_TEMP"]
    for expected in ("信息机房日常巡检记录表", record["number"], "龙华信息机房", "31.5°C【告警】",
                     "2号精密空调压缩机故障停机", f"事件{incident}", "已通知空调厂家到场处理，临时开启备用空调",
                     "模板SOP-06版本1.0", "已归档", "现场照片", "巡检人签字", "值班长签字"):
        assert expected in flat, expected
    assert "lh_desk" in flat


def test_batch_prints_each_form_from_a_new_page(tmp_path: Path) -> None:
    template = builtin("SOP-06")
    assert template is not None
    docs = [FormDocument(template=template, number=f"FRM-{n:03d}", record_id=str(n), state="completed",
                         values={"A_NO_WATER": "ok"}) for n in range(3)]
    pdf = tmp_path / "batch.pdf"
    render_forms(docs, pdf)
    text = _text(pdf)
    pages = text.split("\f")
    firsts = [i for i, page in enumerate(pages) if "信息机房日常巡检记录表" in page and "第 1 页" in page]
    assert len(firsts) == 3 and all(f"FRM-{n:03d}" in pages[firsts[n]] for n in range(3))
