"""Every string in desktop/ has a Chinese translation, and the compiled .qm is what the app loads."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from desktop.lang import I18N_DIR

TS = I18N_DIR / "itops_zh_CN.ts"
QM = I18N_DIR / "itops_zh_CN.qm"
DESKTOP = I18N_DIR.parent


def unfinished(ts: Path) -> list[str]:
    out = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                or not (translation.text or "").strip():
            out.append(message.findtext("source") or "")
    return out


def test_ts_file_is_complete() -> None:
    assert unfinished(TS) == []


def test_no_string_in_the_code_is_missing_from_the_ts(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    copy = tmp_path / "itops_zh_CN.ts"
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in DESKTOP.rglob("*.py"))
    subprocess.run([str(lupdate), "-silent", "-no-obsolete", *sources, "-ts", str(copy)], check=True)
    assert unfinished(copy) == [], "run desktop/i18n/update.sh and translate the new strings"


def test_qm_translates_our_strings() -> None:
    translator = QTranslator()
    assert translator.load(str(QM))
    assert translator.translate("MainWindow", "Tickets") == "工单"
    assert translator.translate("LoginDialog", "Wrong username or password") == "用户名或密码错误"
    assert QM.stat().st_mtime >= TS.stat().st_mtime - 1, "recompile the .qm (desktop/i18n/update.sh)"
