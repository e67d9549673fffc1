"""The PDF record of one lifecycle transition (投运记录, 退运记录, 移交单 …): the CI, the transition,
the form with drawn check boxes, and signature lines. reportlab with the embedded CJK font."""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from shared.cmdb.states import state_label
from shared.pdf.fonts import register_cjk_font

if TYPE_CHECKING:
    from shared.cmdb.lifecycle import Action

MARGIN = 18 * mm
LINE = 6.2 * mm
CI_FIELDS = (("name", "设备名称"), ("asset_tag", "资产编号"), ("ci_class", "类别"), ("serial", "序列号"),
             ("brand", "品牌"), ("model", "型号"), ("ip", "IP地址"), ("location", "位置"), ("owner_path", "所属单位"))
OUTCOME_LABELS = {"location": "新位置", "relations_ended": "已结束的关系", "rack_freed": "已释放的机柜位置",
                  "receiver": "接收方", "refused_request": "被驳回的移交申请"}


class _Writer:
    def __init__(self, canvas: Canvas, font: str) -> None:
        self.c, self.font = canvas, font
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def need(self, lines: int = 1) -> None:
        if self.y - lines * LINE < MARGIN:
            self.c.showPage()
            self.y = self.height - MARGIN

    def text(self, text: str, size: float = 10.5, x: float = MARGIN, bold: bool = False) -> None:
        for chunk in _wrap(text, int((self.width - x - MARGIN) / (size * 0.98))):
            self.need()
            self.c.setFont(self.font, size)
            self.c.drawString(x, self.y, chunk)
            if bold:  # the font has no bold face: overdraw slightly offset
                self.c.drawString(x + 0.3, self.y, chunk)
            self.y -= LINE * size / 10.5

    def pair(self, label: str, value: str) -> None:
        self.need()
        self.c.setFont(self.font, 10.5)
        self.c.drawString(MARGIN, self.y, label)
        self.text(value or "—", x=MARGIN + 38 * mm)

    def box(self, label: str, ticked: bool, x: float = MARGIN + 6 * mm) -> None:
        self.need()
        size = 3.4 * mm
        self.c.rect(x, self.y - 0.6 * mm, size, size)
        if ticked:  # a drawn tick: the font has no ☑
            p = self.c.beginPath()
            p.moveTo(x + 0.6 * mm, self.y + 1.0 * mm)
            p.lineTo(x + 1.5 * mm, self.y)
            p.lineTo(x + 3.0 * mm, self.y + 2.6 * mm)
            self.c.drawPath(p)
        self.c.setFont(self.font, 10.5)
        self.c.drawString(x + size + 2 * mm, self.y, label)
        self.y -= LINE

    def rule(self) -> None:
        self.need()
        self.c.line(MARGIN, self.y + 2 * mm, self.width - MARGIN, self.y + 2 * mm)
        self.y -= 2 * mm


def _wrap(text: str, per_line: int) -> list[str]:
    out: list[str] = []
    for para in str(text).splitlines() or [""]:
        while len(para) > per_line:
            out.append(para[:per_line])
            para = para[per_line:]
        out.append(para)
    return out


def render_record(ci: dict[str, Any], act: Action, record: dict[str, Any], actor_name: str,
                  when: datetime) -> bytes:
    """The record as PDF bytes (A4, Chinese, font embedded)."""
    buf = io.BytesIO()
    font = register_cjk_font()
    canvas = Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=font, initialFontSize=10.5)
    canvas.setTitle(f"{act.zh}记录 {record['number']}")
    w = _Writer(canvas, font)
    w.text(f"信息设备{act.zh}记录", size=16, x=MARGIN + 55 * mm, bold=True)
    w.text(f"编号：{record['number']}    日期：{when:%Y-%m-%d %H:%M} UTC", size=9.5)
    w.rule()
    w.text("一、设备信息", bold=True)
    for key, label in CI_FIELDS:
        w.pair(label, str(ci.get(key) or ""))
    w.text("二、状态变化", bold=True)
    w.pair("操作", f"{act.zh}（{act.en}）")
    w.pair("状态", f"{state_label(record['from_state'])} → {state_label(record['to_state'])}")
    w.text("三、表单内容", bold=True)
    values = record.get("values") or {}
    for f in act.form:
        if f.type == "checklist":
            w.text(f.zh)
            ticked = values.get(f.code) or {}
            for code, zh, _en in f.items:
                w.box(zh, bool(ticked.get(code)))
        else:
            w.pair(f.zh, str(values.get(f.code) or ""))
    outcome = record.get("outcome") or {}
    if outcome:
        w.text("四、系统自动处理", bold=True)
        for key, value in outcome.items():
            shown = "、".join(value) if isinstance(value, list) else (
                value.get("receiver", "") if isinstance(value, dict) else str(value))
            w.pair(OUTCOME_LABELS.get(key, key), shown or "无")
    w.y -= LINE
    w.rule()
    w.pair("经办人", actor_name)
    w.need(3)
    canvas.setFont(w.font, 10.5)
    for i, label in enumerate(("经办人签字：", "审核人签字：", "见证人签字：")):
        canvas.drawString(MARGIN + i * 58 * mm, w.y - LINE, label)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()
