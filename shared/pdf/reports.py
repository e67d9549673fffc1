"""Report PDFs (operations, security, service): A4, Chinese text in the embedded font, the drafted
sections as headings, paragraphs and tables, then the unit's analysis, suggestions and sign-off."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shared.kpi.period import CHINA
from shared.pdf.fonts import register_cjk_font
from shared.sync.codec import decode_dt

MARGIN = 18 * mm


def _styles() -> dict[str, ParagraphStyle]:
    font = register_cjk_font()
    base = ParagraphStyle("body", fontName=font, bulletFontName=font, fontSize=10, leading=15, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", parent=base, fontSize=18, leading=26, alignment=1, spaceAfter=4 * mm),
        "h1": ParagraphStyle("h1", parent=base, fontSize=13, leading=19, spaceBefore=4 * mm, spaceAfter=2 * mm),
        "h2": ParagraphStyle("h2", parent=base, fontSize=10.5, leading=15, spaceBefore=2 * mm, spaceAfter=1 * mm,
                             textColor=colors.HexColor("#333333")),
        "body": base,
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(table: dict[str, Any], styles: dict[str, ParagraphStyle], width: float) -> Table:
    cell = styles["cell"]
    data = [[_p(c, cell) for c in table["columns"]]] + [[_p(c, cell) for c in row] for row in table["rows"]]
    if len(data) == 1:
        data.append([_p("(无)", cell)] + [_p("", cell) for _ in table["columns"][1:]])
    first = 0.34 if len(table["columns"]) > 2 else 0.5
    rest = (1 - first) / max(1, len(table["columns"]) - 1)
    t = Table(data, colWidths=[width * first] + [width * rest] * (len(table["columns"]) - 1), repeatRows=1)
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t


def _local(value: Any) -> str:
    if not value:
        return ""
    moment = decode_dt(value) if isinstance(value, str) else value
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def _footer(canvas: Canvas, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(register_cjk_font(), 8)
    canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
    canvas.drawString(MARGIN, 10 * mm, doc.itops_footer)
    canvas.restoreState()


def report_story(report: dict[str, Any], names: dict[str, str] | None = None) -> list[Any]:
    styles = _styles()
    width = A4[0] - 2 * MARGIN
    names = names or {}
    story: list[Any] = [_p(report["title"], styles["title"])]
    meta = [["报告编号", report["number"], "报告类型", report.get("kind_zh", report["kind"])],
            ["报送单位", f"{report.get('org_name', '')} {report['owner_path']}", "统计周期", report["period"]],
            ["状态", report.get("status_zh", report["state"]), "数据快照时间", _local(report.get("drafted_at"))],
            ["上报时间", _local(report.get("submitted_at")), "截止时间", _local(report.get("due_at"))]]
    cell = styles["cell"]
    t = Table([[_p(c, cell) for c in row] for row in meta], colWidths=[width * w for w in (0.16, 0.34, 0.16, 0.34)])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_cjk_font()),
                           ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                           ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                           ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#F2F2F2"))]))
    story += [t, Spacer(1, 3 * mm)]
    for i, section in enumerate(report.get("sections") or [], start=1):
        story.append(_p(f"{_chinese_number(i)}、{section['title']}", styles["h1"]))
        story += [_p(text, styles["body"]) for text in section.get("paragraphs", []) if text]
        for table in section.get("tables", []):
            story += [_p(table["title"], styles["h2"]), _table(table, styles, width)]
    n = len(report.get("sections") or []) + 1
    for title, text in (("分析结论", report.get("analysis")), ("改进建议", report.get("suggestions"))):
        story += [_p(f"{_chinese_number(n)}、{title}", styles["h1"]), _p(text or "(未填写)", styles["body"])]
        n += 1
    sign = Table([[_p(f"编制: {names.get('author', '')}", cell), _p(f"审核: {names.get('reviewer', '')}", cell),
                   _p(f"签发: {names.get('approver', '')}", cell)]], colWidths=[width / 3] * 3)
    sign.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), register_cjk_font())]))
    story += [Spacer(1, 8 * mm), sign]
    return story


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    if n <= 10:
        return digits[n]
    return ("十" if n < 20 else digits[n // 10] + "十") + (digits[n % 10] if n % 10 else "")


def render_report(report: dict[str, Any], target: str | Path | BytesIO, names: dict[str, str] | None = None) -> None:
    """Write the PDF of a report (a dict from shared.services.reports) to a path or a buffer."""
    doc = SimpleDocTemplate(target if isinstance(target, BytesIO) else str(target), pagesize=A4,
                            leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                            title=report["title"], author="ITOps", initialFontName=register_cjk_font(),
                            initialFontSize=10)
    doc.itops_footer = f"{report['number']}  {report['title']}"  # type: ignore[attr-defined]
    doc.build(report_story(report, names), onFirstPage=_footer, onLaterPages=_footer)


def report_pdf_bytes(report: dict[str, Any], names: dict[str, str] | None = None) -> bytes:
    buffer = BytesIO()
    render_report(report, buffer, names)
    return buffer.getvalue()
