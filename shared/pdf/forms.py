"""Work forms as PDF: blank (to fill by hand: boxes, ranges, signature lines) and filled (values,
abnormal items highlighted, photos, signatures, template version, form number and a QR code).

A4 portrait, drawn straight on a reportlab canvas (a table layout of our own: fast enough for a
batch of a thousand forms), Chinese in the embedded WenQuanYi Micro Hei subset. The font has no
☐/☑ glyphs: check boxes are drawn as shapes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.lib.colors import Color, HexColor, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from shared.forms.document import FormDocument
from shared.forms.engine import CHK_VALUES, level_of, thresholds_for
from shared.forms.schema import Item, Section
from shared.pdf.fonts import register_cjk_font

PAGE_W, PAGE_H = A4
MARGIN = 14 * mm
WIDTH = PAGE_W - 2 * MARGIN
# code | item | standard / range | result | remark
COLUMNS = (10 * mm, 66 * mm, 34 * mm, 44 * mm, WIDTH - 154 * mm)
SIZE, SMALL, LEADING, PAD = 8.2, 6.8, 10.5, 2.2
LEVEL_FILL = {"warn": HexColor("#FFF1B8"), "alarm": HexColor("#FFC9C9")}
LEVEL_TEXT = {"warn": "预警", "alarm": "告警"}
SECTION_FILL = HexColor("#DCE6F2")
GRID = HexColor("#8A8A8A")
MUTED = HexColor("#555555")
ALARM_TEXT = HexColor("#B00000")
STATE_ZH = {"planned": "待执行", "in_progress": "执行中", "completed": "待审核", "reviewed": "已归档"}


@dataclass
class _Cell:
    lines: list[str]
    size: float = SIZE
    color: Color = black


_WIDTHS: dict[tuple[str, float], float] = {}


def char_width(ch: str, size: float) -> float:
    key = (ch, size)
    width = _WIDTHS.get(key)
    if width is None:
        width = _WIDTHS[key] = stringWidth(ch, register_cjk_font(), size)
    return width


def wrap(text: str, width: float, size: float = SIZE) -> list[str]:
    """Break text (Chinese or not) into lines no wider than ``width`` points."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line, used = "", 0.0
        for ch in paragraph:
            w = char_width(ch, size)
            if line and used + w > width:
                lines.append(line)
                line, used = ch, w
            else:
                line += ch
                used += w
        lines.append(line)
    return lines or [""]


def text_width(text: str, size: float = SIZE) -> float:
    return sum(char_width(ch, size) for ch in text)


class FormPainter:
    """Draws one or more form documents on a canvas, each starting on a new page."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self.font = register_cjk_font()
        self.doc: FormDocument | None = None
        self.y = 0.0
        self.page = 0

    # -- pages ---------------------------------------------------------------------------------
    def draw(self, doc: FormDocument) -> None:
        self.doc = doc
        self.page = 0
        self._new_page(first=True)
        self._info_block()
        for section in doc.template.sections:
            self._section(section)
        self._photos()
        self.c.showPage()

    def _new_page(self, first: bool = False) -> None:
        if not first:
            self.c.showPage()
        self.page += 1
        doc = self.doc
        assert doc is not None
        c = self.c
        top = PAGE_H - MARGIN
        c.setFont(self.font, 15)
        c.setFillColor(black)
        title = f"{doc.template.name.zh}记录表" if not doc.template.name.zh.endswith("表") else doc.template.name.zh
        c.drawString(MARGIN, top - 13, title)
        c.setFont(self.font, SMALL + 0.5)
        c.setFillColor(MUTED)
        c.drawString(MARGIN, top - 25, f"模板 {doc.template.code} 版本 {doc.template.version}"
                     + (f"    单位 {doc.org_name}" if doc.org_name else "    单位 ______________________"))
        number = doc.number or "表单编号 ____________________"
        c.setFillColor(black)
        c.setFont(self.font, SIZE + 0.8)
        qr = 22 * mm if first and doc.record_id else 0
        c.drawRightString(PAGE_W - MARGIN - qr - (2 * mm if qr else 0), top - 12, number)
        if qr:
            self._qr(f"ITOPS-FORM:{doc.number}:{doc.record_id}", PAGE_W - MARGIN - qr, top - qr + 2, qr)
        self._footer()
        self.y = top - (qr + 6 if qr else 32)

    def _footer(self) -> None:
        doc = self.doc
        assert doc is not None
        c = self.c
        c.setFont(self.font, SMALL)
        c.setFillColor(MUTED)
        left = f"{doc.template.code} v{doc.template.version}  {doc.number or '空白表单'}"
        c.drawString(MARGIN, MARGIN - 8, left)
        c.drawRightString(PAGE_W - MARGIN, MARGIN - 8, f"第 {self.page} 页")
        c.setFillColor(black)

    def _qr(self, payload: str, x: float, y: float, size: float) -> None:
        """The QR code as filled squares (renderPDF would leave an unembedded Helvetica behind)."""
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(payload)
        code.version = code.calculate_version()
        code.makeImpl(False, 0)  # any mask reads; choosing the "best" of 8 costs ~40 ms a form
        count = code.getModuleCount()
        cell = size / (count + 2)
        c = self.c
        c.setFillColor(black)
        for row in range(count):
            for col in range(count):
                if code.isDark(row, col):
                    c.rect(x + (col + 1) * cell, y + size - (row + 2) * cell, cell, cell, stroke=0, fill=1)

    def _ensure(self, height: float) -> None:
        if self.y - height < MARGIN + 4:
            self._new_page()

    # -- blocks --------------------------------------------------------------------------------
    def _info_block(self) -> None:
        doc = self.doc
        assert doc is not None
        blank = "" if not doc.blank else None
        pairs = [("机房/对象", doc.room_name or doc.ci_name), ("班次", doc.shift), ("计划时间", doc.planned_at),
                 ("状态", STATE_ZH.get(doc.state, doc.state)), ("作业人", doc.executor), ("审核人", doc.reviewer),
                 ("完成时间", doc.completed_at), ("审核时间", doc.reviewed_at)]
        c = self.c
        cell_w = WIDTH / 4
        height = 2 * (LEADING + 2 * PAD)
        self._ensure(height)
        for index, (label, value) in enumerate(pairs):
            col, row = index % 4, index // 4
            x = MARGIN + col * cell_w
            y = self.y - (row + 1) * (LEADING + 2 * PAD)
            c.setStrokeColor(GRID)
            c.rect(x, y, cell_w, LEADING + 2 * PAD, stroke=1, fill=0)
            c.setFont(self.font, SMALL)
            c.setFillColor(MUTED)
            c.drawString(x + PAD, y + PAD + 1.5, label)
            c.setFillColor(black)
            c.setFont(self.font, SIZE)
            text = value if blank is None or value else ""
            c.drawString(x + PAD + text_width(label, SMALL) + 4, y + PAD + 1.5, text or "")
        self.y -= height + 5

    def _section(self, section: Section) -> None:
        c = self.c
        bar = LEADING + 2 * PAD
        self._ensure(bar + 3 * LEADING)
        c.setFillColor(SECTION_FILL)
        c.setStrokeColor(GRID)
        c.rect(MARGIN, self.y - bar, WIDTH, bar, stroke=1, fill=1)
        c.setFillColor(black)
        c.setFont(self.font, SIZE + 0.8)
        title = f"{section.code}  {section.name.zh}" if len(section.code) <= 2 else section.name.zh
        c.drawString(MARGIN + PAD, self.y - bar + PAD + 1.5, title)
        if section.hint:
            c.setFont(self.font, SMALL)
            c.setFillColor(MUTED)
            hint = wrap(section.hint.zh, WIDTH * 0.6, SMALL)[0]
            c.drawRightString(MARGIN + WIDTH - PAD, self.y - bar + PAD + 1.5, hint)
            c.setFillColor(black)
        self.y -= bar
        self._header_row()
        for index, item in enumerate(section.items, start=1):
            self._item(item, f"{section.code}{index}" if len(section.code) == 1 else str(index))

    def _header_row(self) -> None:
        cells = [_Cell([t], SMALL, MUTED) for t in ("编号", "检查项目", "标准/范围", "结果", "备注")]
        self._row(cells, None)

    def _item(self, item: Item, label: str) -> None:
        doc = self.doc
        assert doc is not None
        limits = thresholds_for(item, doc.overrides)
        standard = self._standard(item, limits)
        remark = doc.remarks.get(item.code, "")
        incident = doc.incidents.get(item.code)
        if incident:
            remark = (remark + "\n" if remark else "") + f"事件 {incident}"
        if item.per_point:
            points = doc.points(item)
            self._row([_Cell([label]),
                       _Cell(wrap(item.name.zh, COLUMNS[1] - 2 * PAD)), _Cell(wrap(standard, COLUMNS[2] - 2 * PAD,
                                                                                   SMALL), SMALL),
                       _Cell([""]), _Cell(wrap(remark, COLUMNS[4] - 2 * PAD, SMALL), SMALL, ALARM_TEXT)], None)
            values = doc.values.get(item.code) or {}
            for point in points:
                value = values.get(point) if isinstance(values, dict) else None
                level = level_of(item, value, limits) if value is not None else "normal"
                self._value_row(item, "", f"    · {point}", "", value, level, "")
            return
        value = doc.values.get(item.code)
        level = level_of(item, value, limits) if value is not None else "normal"
        self._value_row(item, label, item.name.zh, standard, value, level, remark)

    def _standard(self, item: Item, limits: Any) -> str:
        if item.type == "NUM" and not limits.empty:
            parts = [f"正常 {', '.join(r.text() for r in limits.normal)}"]
            if limits.warn:
                parts.append(f"预警 {', '.join(r.text() for r in limits.warn)}")
            if limits.alarm:
                parts.append(f"告警 {', '.join(r.text() for r in limits.alarm)}")
            return "\n".join(parts) + (f" {item.unit}" if item.unit else "")
        if item.type == "NUM":
            return item.unit
        if item.type == "SEL" and item.normal_options:
            return "正常: " + "/".join(item.normal_options)
        if item.hint:
            return item.hint.zh
        return ""

    def _value_row(self, item: Item, code: str, name: str, standard: str, value: Any, level: str,
                   remark: str) -> None:
        result_w = COLUMNS[3] - 2 * PAD
        boxes = self._boxes(item, value, result_w)
        lines = [] if boxes else self._result_lines(item, value, level, result_w)
        height_hint = max(len(boxes), 1) * LEADING if boxes else 0
        if item.type == "SIG":
            height_hint = 13 * mm
        cells = [_Cell([code]), _Cell(wrap(name, COLUMNS[1] - 2 * PAD)),
                 _Cell(wrap(standard, COLUMNS[2] - 2 * PAD, SMALL), SMALL),
                 _Cell(lines, SIZE, ALARM_TEXT if level == "alarm" else black),
                 _Cell(wrap(remark, COLUMNS[4] - 2 * PAD, SMALL), SMALL, ALARM_TEXT if remark else black)]
        x_result, top = self._row(cells, LEVEL_FILL.get(level), height_hint)
        if boxes:
            self._draw_boxes(boxes, x_result + PAD, top - PAD)
        if item.type == "SIG":
            self._signature(item, x_result + PAD, top - PAD, result_w)

    def _result_lines(self, item: Item, value: Any, level: str, width: float) -> list[str]:
        doc = self.doc
        assert doc is not None
        if item.type in ("SIG",):
            return []
        if value is None or value == "" or value == []:
            if doc.blank or item.type in ("TXT", "DT", "REF", "NUM"):
                blank = {"DT": "____年__月__日 __:__", "NUM": f"__________ {item.unit}"}.get(item.type, "")
                return [blank] if doc.blank else [""]
            if item.type in ("PHOTO", "FILE"):
                return ["附件: 无" if not doc.blank else "附件 ____ 份"]
            return [""]
        if item.type == "NUM":
            text = f"{float(value):g} {item.unit}".strip()
            if level != "normal":
                text += f"  【{LEVEL_TEXT[level]}】"
            return wrap(text, width)
        if item.type in ("PHOTO", "FILE"):
            count = len(doc.photos.get(item.code, [])) or len(value)
            return [f"附件 {count} 份" + ("，见照片页" if doc.photos.get(item.code) else "")]
        if item.type == "DT":
            return [str(value).replace("T", " ")]
        if isinstance(value, list):
            return wrap("、".join(str(v) for v in value), width)
        return wrap(str(value), width)

    def _boxes(self, item: Item, value: Any, width: float) -> list[list[tuple[str, bool]]]:
        """Lines of (label, checked) boxes for CHK / SEL / MSEL; empty for other types."""
        if item.type == "CHK":
            ok, bad = item.chk_labels()
            options = [(ok.zh, "ok"), (bad.zh, "abnormal"), ("不适用", "na")]
            if self.doc and not self.doc.blank and value in CHK_VALUES:
                options = [o for o in options if o[1] != "na" or value == "na"]
            chosen = [(label, value == code) for label, code in options]
        elif item.type in ("SEL", "MSEL"):
            picked = value if isinstance(value, list) else [value]
            chosen = [(o.label.zh, o.code in picked) for o in item.options]
        else:
            return []
        lines: list[list[tuple[str, bool]]] = [[]]
        used = 0.0
        for label, checked in chosen:
            need = 9 + text_width(label) + 6
            if lines[-1] and used + need > width:
                lines.append([])
                used = 0
            lines[-1].append((label, checked))
            used += need
        return lines

    def _draw_boxes(self, lines: list[list[tuple[str, bool]]], x: float, top: float) -> None:
        c = self.c
        for index, line in enumerate(lines):
            baseline = top - (index + 1) * LEADING + 2.5
            cursor = x
            for label, checked in line:
                c.setStrokeColor(black)
                c.setLineWidth(0.6)
                c.rect(cursor, baseline - 0.5, 6.5, 6.5, stroke=1, fill=0)
                if checked:
                    c.setLineWidth(1.2)
                    path = c.beginPath()
                    path.moveTo(cursor + 1.2, baseline + 2.8)
                    path.lineTo(cursor + 2.8, baseline + 0.9)
                    path.lineTo(cursor + 5.6, baseline + 5.4)
                    c.drawPath(path, stroke=1, fill=0)
                    c.setLineWidth(0.6)
                c.setFont(self.font, SIZE)
                c.drawString(cursor + 8.5, baseline, label)
                cursor += 9 + text_width(label) + 6

    def _signature(self, item: Item, x: float, top: float, width: float) -> None:
        doc = self.doc
        assert doc is not None
        image = doc.signatures.get(item.code)
        c = self.c
        if image:
            reader = ImageReader(io.BytesIO(image))
            w, h = reader.getSize()
            box_h = 11 * mm
            scale = min(width / w, box_h / h)
            c.drawImage(reader, x, top - box_h, w * scale, h * scale, mask="auto")
        else:
            c.setStrokeColor(GRID)
            c.line(x, top - 11 * mm, x + width, top - 11 * mm)

    def _row(self, cells: list[_Cell], fill: Color | None, min_height: float = 0) -> tuple[float, float]:
        """One table row; returns (x of the result column, top y) for drawings inside it."""
        height = max(max(len(cell.lines) for cell in cells) * LEADING, min_height) + 2 * PAD
        self._ensure(height)
        c = self.c
        top = self.y
        x = MARGIN
        x_result = MARGIN + sum(COLUMNS[:3])
        if fill is not None:
            c.setFillColor(fill)
            c.rect(MARGIN, top - height, WIDTH, height, stroke=0, fill=1)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.4)
        for width, cell in zip(COLUMNS, cells, strict=True):
            c.rect(x, top - height, width, height, stroke=1, fill=0)
            c.setFillColor(cell.color)
            c.setFont(self.font, cell.size)
            for index, line in enumerate(cell.lines):
                if line:
                    c.drawString(x + PAD, top - PAD - (index + 1) * LEADING + 2.5, line)
            x += width
        c.setFillColor(black)
        self.y = top - height
        return x_result, top

    def _photos(self) -> None:
        doc = self.doc
        assert doc is not None
        photos = [(code, name, content) for code, items in doc.photos.items() for name, content in items]
        if not photos:
            return
        c = self.c
        self._ensure(LEADING + 60 * mm)
        c.setFont(self.font, SIZE + 1.5)
        c.drawString(MARGIN, self.y - LEADING, "现场照片")
        self.y -= LEADING + 4
        cell_w, cell_h = (WIDTH - 6 * mm) / 2, 62 * mm
        for index, (code, name, content) in enumerate(photos):
            col = index % 2
            if col == 0:
                self._ensure(cell_h + LEADING)
            x = MARGIN + col * (cell_w + 6 * mm)
            try:
                reader = ImageReader(io.BytesIO(content))
                w, h = reader.getSize()
            except Exception:
                reader, w, h = None, 1, 1
            scale = min(cell_w / w, (cell_h - LEADING - 2) / h)
            if reader is not None:
                c.drawImage(reader, x, self.y - h * scale, w * scale, h * scale)
            label = f"{self._item_name(code)} — {name}"
            c.setFont(self.font, SMALL)
            c.drawString(x, self.y - cell_h + 2, wrap(label, cell_w, SMALL)[0])
            if col == 1 or index == len(photos) - 1:
                self.y -= cell_h + 4

    def _item_name(self, code: str) -> str:
        assert self.doc is not None
        try:
            return self.doc.template.item(code).name.zh
        except KeyError:
            return ""


def _canvas(target: Path | io.BytesIO, title: str) -> Canvas:
    # binary compressed streams: ASCII85 makes every PDF 25 % bigger and costs time (process-wide setting)
    rl_config.useA85 = 0
    canvas = Canvas(target if isinstance(target, io.BytesIO) else str(target), pagesize=A4, pageCompression=1,
                    initialFontName=register_cjk_font(), initialFontSize=SIZE)
    canvas.setTitle(title)
    canvas.setAuthor("ITOps")
    canvas.setCreator("ITOps")
    return canvas


def render_forms(docs: Iterable[FormDocument], target: Path | io.BytesIO | None = None,
                 title: str = "作业表单") -> bytes:
    """One PDF of the documents (each from a new page); written to ``target`` when given."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer, title)
    painter = FormPainter(canvas)
    count = 0
    for doc in docs:
        painter.draw(doc)
        count += 1
    if count == 0:
        raise ValueError("nothing to print")
    canvas.save()
    data = buffer.getvalue()
    if isinstance(target, Path):
        target.write_bytes(data)
    elif isinstance(target, io.BytesIO):
        target.write(data)
    return data


def render_form(doc: FormDocument, target: Path | io.BytesIO | None = None) -> bytes:
    name = doc.template.name.zh
    return render_forms([doc], target, f"{doc.number} {name}" if doc.number else f"{doc.template.code} {name}")
