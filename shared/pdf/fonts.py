"""The embedded TrueType font for Chinese text in every PDF ITOps writes.

reportlab's built-in CID font (STSong-Light) is not embedded, so a reader without Chinese fonts
shows boxes. WenQuanYi Micro Hei (Apache-2.0 or GPL-3+ with font exception; see
resources/fonts/LICENSE-wqy-microhei.txt) ships in resources/ and is embedded as a subset.
It has no ☐/☑ glyphs and an empty ℃: draw check boxes as shapes and write °C.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FILE = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "wqy-microhei.ttc"
CJK_FONT = "WQYMicroHei"


@cache
def register_cjk_font() -> str:
    """Register the font once per process; returns its reportlab name."""
    pdfmetrics.registerFont(TTFont(CJK_FONT, str(FONT_FILE), subfontIndex=0))
    return CJK_FONT


def missing_glyphs(text: str) -> list[str]:
    """The characters of ``text`` the embedded font cannot draw (empty when all are covered)."""
    font = pdfmetrics.getFont(register_cjk_font())
    widths = font.face.charWidths  # type: ignore[attr-defined]
    return sorted({ch for ch in text if not ch.isspace() and ord(ch) not in widths})
