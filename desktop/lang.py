"""The interface language: Qt translators, the saved choice, and the current code for data labels.

Simplified Chinese (``zh``) is the default. English means no translator for our strings: the
sources are written in English. Installing or removing a translator makes Qt send
``QEvent.LanguageChange`` to every widget, whose ``changeEvent`` then calls ``retranslateUi``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QObject, QSettings, QTranslator

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
SETTINGS_KEY = "ui/lang"
I18N_DIR = Path(__file__).resolve().parent / "i18n"
# Chinese: Qt's own strings, then one file per area (itops_zh_CN plus any <area>_zh_CN, see update.sh).
_FILES = {"zh": ("qtbase_zh_CN", "itops_zh_CN"), "en": ("itops_en",)}
_LOCALES = {"zh": "zh_CN", "en": "en_US"}


def saved_lang() -> str:
    value = QSettings().value(SETTINGS_KEY, DEFAULT_LANG)
    return value if value in LANGS else DEFAULT_LANG


def save_lang(lang: str) -> None:
    QSettings().setValue(SETTINGS_KEY, lang)


def _find(name: str) -> Path | None:
    for folder in (I18N_DIR, Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))):
        path = folder / f"{name}.qm"
        if path.is_file():
            return path
    return None


def _translation_files(lang: str) -> list[str]:
    names = list(_FILES[lang])
    if lang == "zh":
        names += sorted(p.stem for p in I18N_DIR.glob("*_zh_CN.qm") if p.stem not in names)
    return names


class Language(QObject):
    """Owns the installed translators; ``code`` is what views use for labels from definitions."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.code = DEFAULT_LANG
        self._installed: list[QTranslator] = []

    def apply(self, lang: str) -> None:
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}")
        self.code = lang  # set first: the LanguageChange handlers read it
        QLocale.setDefault(QLocale(_LOCALES[lang]))
        removed = self.uninstall()
        for name in _translation_files(lang):
            path = _find(name)
            translator = QTranslator(self)
            if path is not None and translator.load(str(path)):
                QCoreApplication.installTranslator(translator)
                self._installed.append(translator)
        app = QCoreApplication.instance()
        if app is None:
            return
        if not removed and not self._installed:
            # No translator came or went, so Qt sent nothing; labels from definitions still change.
            QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
        # QApplication *posts* LanguageChange to each window: deliver now, so the switch is atomic.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)

    def uninstall(self) -> int:
        count = len(self._installed)
        for translator in self._installed:
            QCoreApplication.removeTranslator(translator)
        self._installed.clear()
        return count
