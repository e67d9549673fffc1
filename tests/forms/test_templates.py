"""Template schema validation (file, line, reason) and range levels at their edges."""

from __future__ import annotations

import pytest

from shared.forms.engine import coerce, findings, missing
from shared.forms.ranges import ALARM, NORMAL, WARN, parse_thresholds
from shared.forms.registry import CODES, builtin, builtin_templates, parse_template
from shared.forms.yamllines import TemplateError
from shared.pdf.fonts import missing_glyphs

GOOD = """\
code: SOP-99
version: "1.0"
name: {zh: 测试表单, en: Test form}
sections:
  - code: A
    name: {zh: 环境, en: Environment}
    items:
      - code: T
        name: {zh: 温度, en: Temperature}
        type: NUM
        unit: "°C"
        normal: [18, 27]
        warn: [[15, 18], [27, 30]]
        alarm: ["<15", ">30"]
"""


def test_the_eleven_templates_load_in_order_with_reference_names() -> None:
    codes = sorted({code for code, _v in builtin_templates()})
    assert codes == list(CODES)
    names = [builtin(code).name.zh for code in CODES]  # type: ignore[union-attr]
    assert names == ["终端初始化配置", "计算机终端报废", "终端外设定期巡检", "信息系统启停", "信息系统定期维护",
                     "信息机房日常巡检", "计算机终端AD域", "信息系统数据备份", "信息系统数据恢复", "信息系统安全检查",
                     "网络布线"]
    sop06 = builtin("SOP-06")
    assert sop06 is not None
    temp = sop06.item("A_TEMP")
    assert temp.per_point and temp.unit == "°C" and temp.on_abnormal.require == ("remark", "photo")
    assert [s.code for s in sop06.sections][1:-1] == list("ABCDEFGHIJKL")


def test_every_template_string_is_covered_by_the_pdf_font() -> None:
    text = []
    for template in builtin_templates().values():
        text.append(template.name.zh)
        for section in template.sections:
            text.append(section.name.zh + (section.hint.zh if section.hint else ""))
            for item in section.items:
                text += [item.name.zh, item.unit, *(o.label.zh for o in item.options), *item.points,
                         item.hint.zh if item.hint else "", item.thresholds.text(), *item.chk_labels()[0].zh,
                         *item.chk_labels()[1].zh]
    assert missing_glyphs("".join(text)) == []


@pytest.mark.parametrize(("edit", "line", "reason"), [
    (("type: NUM", "type: NUMBER"), 10, "type must be one of"),
    (('alarm: ["<15", ">30"]', 'alarm: ["<15", "30+"]'), 14, "not a comparison"),
    (("normal: [18, 27]", "normal: [27, 18]"), 12, "low end above its high end"),
    (("    name: {zh: 环境, en: Environment}\n", "    name: {zh: 环境, en: Environment}\n    colour: red\n"), 7,
     "unknown key 'colour'"),
    (("      - code: T\n", "      - code: T\n        points: 3\n"), 9, "points must be a list"),
    (("        unit: \"°C\"\n", "        unit: \"°C\"\n        required_if: {item: NOPE, in: [x]}\n"), 8,
     "unknown item 'NOPE'"),
    (("version: \"1.0\"", "version: one"), 2, "must be numbers with dots"),
    (("    items:\n", "    items: [\n"), 8, "not valid YAML"),
])
def test_a_broken_template_is_refused_with_line_and_reason(edit: tuple[str, str], line: int, reason: str) -> None:
    text = GOOD.replace(*edit)
    assert text != GOOD
    with pytest.raises(TemplateError) as caught:
        parse_template(text, "broken.yaml")
    assert caught.value.source == "broken.yaml"
    assert caught.value.line == line, str(caught.value)
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"broken.yaml:{line}: ")


def test_a_duplicate_item_code_is_refused_at_its_line() -> None:
    text = GOOD + "      - {code: T, name: 重复, type: CHK}\n"
    with pytest.raises(TemplateError, match=r"broken.yaml:15: duplicate item code 'T'"):
        parse_template(text, "broken.yaml")


@pytest.mark.parametrize(("value", "level"), [
    (18, NORMAL), (27, NORMAL), (22.5, NORMAL), (17.9, WARN), (15, WARN), (27.01, WARN), (30, WARN),
    (30.01, ALARM), (14.99, ALARM), (-5, ALARM), (45, ALARM),
])
def test_temperature_levels_at_the_edges(value: float, level: str) -> None:
    thresholds = parse_thresholds({"normal": [18, 27], "warn": [[15, 18], [27, 30]], "alarm": ["<15", ">30"]})
    assert thresholds.level(value) == level


@pytest.mark.parametrize(("value", "level"), [(69.9, NORMAL), (70, WARN), (85, WARN), (85.1, ALARM)])
def test_open_ended_ranges(value: float, level: str) -> None:
    thresholds = parse_thresholds({"normal": "<70", "warn": [70, 85], "alarm": ">85"})
    assert thresholds.level(value) == level


def test_normal_only_range_calls_anything_outside_a_warning() -> None:
    thresholds = parse_thresholds({"normal": [187, 253]})
    assert thresholds.level(253) == NORMAL and thresholds.level(260) == WARN


def test_findings_checks_every_point_and_room_overrides_win() -> None:
    sop06 = builtin("SOP-06")
    assert sop06 is not None
    values = {"A_TEMP": {"冷通道1": 23.0, "冷通道2": 28.0, "冷通道3": 31.0}, "A_NO_WATER": "abnormal",
              "C_MODE": "旁路"}
    found = {(f.item, f.point): f.level for f in findings(sop06, values)}
    assert found == {("A_TEMP", "冷通道2"): WARN, ("A_TEMP", "冷通道3"): ALARM, ("A_NO_WATER", None): WARN,
                     ("C_MODE", None): WARN}
    a_grade = {"A_TEMP": {"normal": [22, 24], "warn": [[20, 22], [24, 26]], "alarm": ["<20", ">26"]}}
    found = {(f.item, f.point): f.level for f in findings(sop06, {"A_TEMP": {"冷通道1": 25.0}}, a_grade)}
    assert found == {("A_TEMP", "冷通道1"): WARN}


def test_required_if_and_abnormal_requirements() -> None:
    sop06 = builtin("SOP-06")
    assert sop06 is not None
    values = {"I_LAMPS": "abnormal", "A_TEMP": {"冷通道1": 35.0}}
    problems = missing(sop06, values, {}, {})
    assert "I_ABNORMAL_DEVICES 异常设备清单: required" in problems
    assert "A_TEMP 主机房温度 (冷通道/测点): abnormal, needs a photo" in problems
    assert "A_TEMP 主机房温度 (冷通道/测点): abnormal, needs a remark (异常描述)" in problems
    # the per-point item is not complete while a point has no reading
    assert "A_TEMP 主机房温度 (冷通道/测点): required" in problems
    problems = missing(sop06, values, {"A_TEMP": "空调1停机"}, {"A_TEMP": 1})
    assert not [p for p in problems if p.startswith("A_TEMP") and "abnormal" in p]


def test_coerce_refuses_bad_input_with_the_item_named() -> None:
    sop06 = builtin("SOP-06")
    assert sop06 is not None
    assert coerce(sop06.item("A_NO_WATER"), "异常") == "abnormal"
    assert coerce(sop06.item("C_MODE"), "Bypass") == "旁路"
    with pytest.raises(ValueError, match=r"C_MODE .* is one of 逆变, 旁路"):
        coerce(sop06.item("C_MODE"), "飞行")
    with pytest.raises(ValueError, match="needs a number"):
        coerce(sop06.item("A_AUX_TEMP"), "warm")


def test_a_required_photo_item_counts_attachments() -> None:
    text = GOOD.replace('        alarm: ["<15", ">30"]\n', '        alarm: ["<15", ">30"]\n'
                        '      - {code: P, name: 标签照片, type: PHOTO, required: true, photo_min: 2}\n')
    template = parse_template(text, "photo.yaml")
    assert "P 标签照片: required" in missing(template, {"T": 20}, {}, {"P": 1})
    assert not [p for p in missing(template, {"T": 20}, {}, {"P": 2}) if p.startswith("P ")]
