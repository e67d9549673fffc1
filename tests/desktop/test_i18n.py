"""Every string in desktop/ has a Chinese translation, and the compiled .qm files are what the app loads.

Strings live in one .ts per area package that has one (desktop/i18n/<area>_zh_CN.ts) and in
itops_zh_CN.ts for everything else — the partition desktop/i18n/update.sh makes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator

from desktop.lang import I18N_DIR

DESKTOP = I18N_DIR.parent
TS_FILES = sorted(I18N_DIR.glob("*_zh_CN.ts"))


def unfinished(ts: Path) -> list[str]:
    out = []
    for message in ET.parse(ts).iter("message"):
        translation = message.find("translation")
        texts = [translation.text or ""] if translation is not None else []
        if translation is not None and message.get("numerus") == "yes":  # plural forms
            texts = [f.text or "" for f in translation.iter("numerusform")]
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete") \
                or not all(t.strip() for t in texts) or not texts:
            out.append(message.findtext("source") or "")
    return out


def sources_of(ts: Path) -> list[str]:
    area = ts.name.removesuffix("_zh_CN.ts")
    if area != "itops":
        return sorted(str(p) for p in (DESKTOP / area).rglob("*.py"))
    own = {t.name.removesuffix("_zh_CN.ts") for t in TS_FILES} - {"itops"}
    return sorted(str(p) for p in DESKTOP.rglob("*.py") if p.relative_to(DESKTOP).parts[0] not in own)


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_ts_file_is_complete(ts: Path) -> None:
    assert unfinished(ts) == []


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_no_string_in_the_code_is_missing_from_its_ts(tmp_path: Path, ts: Path) -> None:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists():
        pytest.skip("pyside6-lupdate not installed")
    copy = tmp_path / ts.name
    shutil.copy(ts, copy)
    subprocess.run([str(lupdate), "-silent", "-no-obsolete", *sources_of(ts), "-ts", str(copy)], check=True)
    assert unfinished(copy) == [], "run desktop/i18n/update.sh and translate the new strings"


@pytest.mark.parametrize("ts", TS_FILES, ids=lambda p: p.name)
def test_each_ts_is_compiled(ts: Path) -> None:
    qm = ts.with_suffix(".qm")
    assert qm.is_file() and QTranslator().load(str(qm)), f"compile {ts.name} (desktop/i18n/update.sh)"


def test_qm_translates_our_strings() -> None:
    translator = QTranslator()
    assert translator.load(str(I18N_DIR / "itops_zh_CN.qm"))
    assert translator.translate("MainWindow", "Tickets") == "工单"
    assert translator.translate("LoginDialog", "Wrong username or password") == "用户名或密码错误"
