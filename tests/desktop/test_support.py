"""Small pieces of the shell: China time, the CJK font fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop import fonts
from desktop.formatting import local_time

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def test_times_are_shown_in_china_time() -> None:
    assert local_time("2026-01-01T16:30:00.000000Z") == "2026-01-02 00:30"
    assert local_time(datetime(2026, 5, 1, 0, 0, tzinfo=UTC), seconds=True) == "2026-05-01 08:00:00"
    assert local_time(None) == "" and local_time("") == ""


def test_no_cjk_font_anywhere_is_not_fatal(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "has_cjk_font", lambda: False)
    monkeypatch.setattr(fonts, "CANDIDATES", (Path("/nonexistent/font.ttc"),))
    assert fonts.ensure_cjk_font(qapp) is None


@pytest.mark.skipif(not WQY.is_file(), reason="fonts-wqy-microhei not installed")
def test_a_known_font_file_is_registered(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "has_cjk_font", lambda: False)
    monkeypatch.setattr(fonts, "CANDIDATES", (WQY,))
    original = qapp.font()
    try:
        family = fonts.ensure_cjk_font(qapp)
        assert family and "WenQuanYi" in family
        assert qapp.font().families()[0] == family
    finally:
        qapp.setFont(original)
