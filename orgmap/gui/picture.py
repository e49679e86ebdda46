"""Pictures fit to share: File > Export picture (PNG at 2x, SVG, PDF) and File > Print.

One composition for every output (:func:`compose`): a title, the map as the canvas
shows it, the legend (colours, then the marks drawn), a note on sizes, and a caption
saying what is shown and of which data. The map is the canvas's own painting
(``GraphCanvas.paint_view``), so the picture is what the user sees.

:class:`orgmap.gui.map_actions.MapController` puts the two actions in the File menu.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from orgmap import present
from orgmap.gui.canvas import GraphCanvas
from orgmap.safety import atomic_path

__all__ = ["compose", "write_picture", "print_picture", "FORMATS"]

#: Suffix -> file dialog filter.
FORMATS = {
    ".png": "PNG image, twice the pixels (*.png)",
    ".svg": "SVG drawing (*.svg)",
    ".pdf": "PDF document (*.pdf)",
}
#: Logical size of a picture (px); PNG has twice the pixels.
PICTURE_SIZE = (1600, 1000)
LEGEND_W = 270
HEADER_H = 64
FOOTER_H = 40


def compose(
    painter: QPainter,
    canvas: GraphCanvas,
    w: int,
    h: int,
    *,
    title: str,
    caption: str,
    vector: bool = False,
    dpr: float = 1.0,
) -> None:
    """Paint the picture into ``painter`` over ``w`` x ``h`` logical pixels."""
    bg, fg = QColor("#ffffff"), QColor("#1d2125")
    painter.fillRect(QRectF(0, 0, w, h), bg)
    font = QFont(canvas.font())
    font.setPointSizeF(17)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(fg)
    painter.drawText(QRectF(20, 12, w - 40, 34), Qt.AlignmentFlag.AlignLeft, title)
    small = QFont(canvas.font())
    small.setPointSizeF(9.5)
    painter.setFont(small)
    painter.setPen(QColor("#4a525a"))
    note = canvas.aggregate_note()
    painter.drawText(
        QRectF(20, 44, w - 40, 18),
        Qt.AlignmentFlag.AlignLeft,
        f"{canvas.color_label()} colours" + (f" · {note}" if note else ""),
    )
    map_w, map_h = w - LEGEND_W, h - HEADER_H - FOOTER_H
    painter.save()
    painter.translate(0, HEADER_H)
    painter.setClipRect(QRectF(0, 0, map_w, map_h))
    canvas.paint_view(painter, map_w, map_h, vector=vector, dpr=dpr)
    painter.restore()
    # the note under the map: what is shown, of which data
    painter.setPen(QPen(QColor("#c8cdd2"), 1.0))
    painter.drawLine(QPointF(20, h - FOOTER_H), QPointF(w - 20, h - FOOTER_H))
    painter.setPen(QColor("#4a525a"))
    painter.setFont(small)
    painter.drawText(
        QRectF(20, h - FOOTER_H + 8, w - 40, FOOTER_H - 10),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
        caption,
    )
    _legend(painter, canvas, QRectF(map_w + 10, HEADER_H, LEGEND_W - 30, map_h), fg)


def _legend(painter: QPainter, canvas: GraphCanvas, box: QRectF, fg: QColor) -> None:
    font = QFont(canvas.font())
    font.setPointSizeF(9.5)
    bold = QFont(font)
    bold.setBold(True)
    fm = QFontMetricsF(font)
    line = fm.height() + 4
    y = box.top()
    painter.setFont(bold)
    painter.setPen(fg)
    painter.drawText(QPointF(box.left(), y + fm.ascent()), canvas.color_label())
    y += line + 2
    entries = canvas.legend_entries()
    room = int((box.height() - 5 * line) // line)
    shown = entries if len(entries) <= room else entries[: max(0, room - 1)]
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for label, color in shown:
        if not color:
            painter.setFont(bold)
            painter.setPen(fg)
            text = QFontMetricsF(bold).elidedText(label, Qt.TextElideMode.ElideRight, box.width())
            painter.drawText(QPointF(box.left(), y + fm.ascent()), text)
        else:
            painter.setPen(QPen(QColor("#5b6770"), 0.8))
            painter.setBrush(QColor(color))
            painter.drawEllipse(QPointF(box.left() + 6, y + line / 2 - 1), 5.5, 5.5)
            painter.setFont(font)
            painter.setPen(fg)
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, box.width() - 20)
            painter.drawText(QPointF(box.left() + 18, y + fm.ascent()), text)
        y += line
    if len(shown) < len(entries):
        painter.setFont(font)
        painter.drawText(
            QPointF(box.left(), y + fm.ascent()), f"… and {len(entries) - len(shown):,} more"
        )
        y += line
    # the scale of sizes
    y += line / 2
    painter.setFont(bold)
    painter.drawText(QPointF(box.left(), y + fm.ascent()), "Size")
    y += line
    painter.setFont(font)
    size_by = canvas.size_by()
    if size_by:
        painter.setPen(QPen(QColor("#5b6770"), 0.8))
        painter.setBrush(QColor("#c8cdd2"))
        for k, (r, word) in enumerate(((4.0, "low"), (9.0, "high"))):
            cx = box.left() + 10 + k * 60
            painter.drawEllipse(QPointF(cx, y + 10), r, r)
            painter.drawText(QPointF(cx + r + 4, y + 10 + fm.ascent() / 2), word)
        y += 26
        text = f"{present.metric_label(size_by)}: area grows with the value"
    else:
        text = "Everyone drawn the same size"
    painter.setPen(fg)
    painter.drawText(QRectF(box.left(), y, box.width(), line * 2), Qt.TextFlag.TextWordWrap, text)


def write_picture(
    canvas: GraphCanvas,
    path: str | Path,
    *,
    title: str,
    caption: str,
    size: tuple[int, int] = PICTURE_SIZE,
) -> Path:
    """Write the picture as PNG (twice the pixels), SVG or PDF, by ``path``'s suffix,
    atomically. Raises ``ValueError`` for another suffix, ``OSError`` if not written."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{target.name}: choose a .png, .svg or .pdf file")
    w, h = size
    with atomic_path(target) as tmp:
        if suffix == ".png":
            image = QImage(w * 2, h * 2, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(2.0)
            painter = QPainter(image)
            try:
                compose(painter, canvas, w, h, title=title, caption=caption, dpr=2.0)
            finally:
                painter.end()
            if not image.save(str(tmp), "PNG"):
                raise OSError(f"could not write {target}")
        elif suffix == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            gen = QSvgGenerator()
            gen.setFileName(str(tmp))
            gen.setSize(QSize(w, h))
            gen.setViewBox(QRect(0, 0, w, h))
            gen.setTitle(title)
            gen.setDescription(caption)
            painter = QPainter(gen)
            try:
                compose(painter, canvas, w, h, title=title, caption=caption, vector=True)
            finally:
                painter.end()
        else:
            writer = QPdfWriter(str(tmp))
            writer.setTitle(title)
            writer.setPageLayout(
                QPageLayout(
                    QPageSize(QPageSize.PageSizeId.A4),
                    QPageLayout.Orientation.Landscape,
                    QMarginsF(10, 10, 10, 10),
                    QPageLayout.Unit.Millimeter,
                )
            )
            _paint_on_device(writer, canvas, title, caption, w)
    return target


def _paint_on_device(device: Any, canvas: GraphCanvas, title: str, caption: str, w: int) -> None:
    """Compose onto a page (PDF writer or printer): ``w`` logical pixels across it."""
    painter = QPainter(device)
    if not painter.isActive():
        raise OSError("the page could not be opened for drawing")
    try:
        page = painter.viewport()
        scale = page.width() / w
        painter.scale(scale, scale)
        h = int(page.height() / scale)
        compose(painter, canvas, w, h, title=title, caption=caption, vector=True)
    finally:
        painter.end()


def print_picture(canvas: GraphCanvas, printer: Any, *, title: str, caption: str) -> None:
    """Print the picture on ``printer`` (a ``QPrinter``, landscape)."""
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName(title)
    _paint_on_device(printer, canvas, title, caption, PICTURE_SIZE[0])
