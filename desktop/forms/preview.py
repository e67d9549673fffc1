"""PDF preview (pages rendered with pdfium), save and print (QPrinter) of a generated form."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.widgets import named

PREVIEW_SCALE = 1.4  # 72 dpi × 1.4 ≈ 100 dpi on screen


def page_images(pdf: bytes, scale: float) -> list[QImage]:
    document = pdfium.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
            data = image.tobytes("raw", "RGB")
            qimage = QImage(data, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888)
            images.append(qimage.copy())  # own the pixels: ``data`` is freed after this loop
        return images
    finally:
        document.close()


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Paint every page on the printer at its resolution; returns the number of pages."""
    images = page_images(pdf, printer.resolution() / 72.0)
    painter = QPainter(printer)
    try:
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            target = QRectF(painter.viewport())
            size = image.size().scaled(target.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRectF(target.x(), target.y(), size.width(), size.height()), image)
    finally:
        painter.end()
    return len(images)


class PreviewDialog(QDialog):
    def __init__(self, pdf: bytes, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdf_preview")
        self.pdf = pdf
        self.file_name = file_name
        self.setWindowTitle(file_name)
        self.resize(900, 1000)
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.images = page_images(pdf, PREVIEW_SCALE)
        for image in self.images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        self.save_button = named(QPushButton(self.tr("Save PDF…")), "preview_save")
        self.print_button = named(QPushButton(self.tr("Print…")), "preview_print")
        close = QPushButton(self.tr("Close"))
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_)
        close.clicked.connect(self.accept)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("{pages} page(s)").format(pages=len(self.images))))
        bar.addStretch(1)
        for button in (self.save_button, self.print_button, close):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bar)

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save PDF"), self.file_name, "PDF (*.pdf)")
        if path:
            Path(path).write_bytes(self.pdf)

    def print_(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            print_pdf(self.pdf, printer)
