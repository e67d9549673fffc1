"""Make sure Chinese text has a font: use the system's, else register one we know of."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)
RESOURCE_FONTS = Path(__file__).resolve().parent.parent / "shared" / "resources" / "fonts"
CANDIDATES = (
    RESOURCE_FONTS / "wqy-microhei.ttc",
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"),
)


def has_cjk_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def ensure_cjk_font(app: QApplication) -> str | None:
    """Returns the family registered, or None (the system has one, or none could be found)."""
    if has_cjk_font():
        return None
    for path in CANDIDATES:
        if not path.is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            font = QFont(app.font())
            font.setFamilies([families[0], *app.font().families()])
            app.setFont(font)
            return families[0]
    log.warning("no font for Chinese text found; install fonts-wqy-microhei")
    return None
