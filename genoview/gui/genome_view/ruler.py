"""The genomic ruler: ticks on whole bases, labelled with the 1-based positions users read.

Drawn by one item in device pixels (a few lines and labels per frame); pyqtgraph's AxisItem rebuilt
its tick picture in Python on every pan and cost several milliseconds a frame.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from genoview.gui import canvas

LABEL_GAP_PX = 24  # free pixels between neighbouring labels
TICK_PX, MINOR_TICK_PX = 6, 3


def position_label(position: int, spacing: float) -> str:
    """'1,234,567' for a 1-based position; whole megabases read as '2 Mb' when ticks are that far apart."""
    if spacing >= 1_000_000 and position % 1_000_000 == 0:
        return f"{position // 1_000_000:,} Mb"
    return f"{position:,}"


def tick_spacing(bases_per_pixel: float, label_px: float) -> int:
    """The smallest of 1, 2, 5 x 10^k bases that leaves ``label_px`` pixels between labelled ticks."""
    need = max(1.0, bases_per_pixel * label_px)
    power = 10 ** max(0, math.floor(math.log10(need)))
    for step in (1, 2, 5, 10):
        if step * power >= need:
            return int(step * power)
    return int(10 * power)


def ruler_ticks(x0: float, x1: float, pixels: float, label_px: float = 90.0) -> tuple[int, np.ndarray, np.ndarray]:
    """(spacing, labelled 1-based positions, minor 1-based positions) of the ticks over view [x0, x1].

    Base ``i`` (0-based) covers ``[i, i + 1)``; its 1-based position ``i + 1`` is drawn at ``x = i + 0.5``.
    Minor ticks split the spacing in five (or two), never between bases.
    """
    spacing = tick_spacing((x1 - x0) / max(pixels, 1.0), label_px)
    lo, hi = max(1, math.ceil(x0 + 0.5)), math.floor(x1 + 0.5)

    def multiples(step: int) -> np.ndarray:
        first = -(-lo // step) * step
        return np.arange(first, hi + 1, step, dtype=np.int64) if hi >= first else np.zeros(0, dtype=np.int64)

    minor_step = spacing // 5 if spacing % 5 == 0 and spacing >= 5 else spacing // 2
    minor = multiples(minor_step) if minor_step >= 1 else np.zeros(0, dtype=np.int64)
    major = multiples(spacing)
    return spacing, major, minor[minor % spacing != 0]


class RulerItem(pg.GraphicsObject):
    """Tick marks and 1-based position labels across the view box it lives in (y from 0 to 1)."""

    def __init__(self) -> None:
        super().__init__()
        self._length = 1
        self.font = QFont()
        self.font.setPointSizeF(max(7.0, self.font.pointSizeF() - 1))
        self.metrics = QFontMetrics(self.font)
        self.pen = QPen(QColor("#333333"))
        self.pen.setCosmetic(True)

    def set_length(self, length: int) -> None:
        self.prepareGeometryChange()
        self._length = max(1, int(length))
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._length, 1)

    def paint(self, painter: QPainter, *args) -> None:
        vb = self.getViewBox()
        if vb is None:
            return
        (x0, x1), _ = vb.viewRange()
        x0, x1 = max(x0, 0.0), min(x1, float(self._length))
        t = painter.transform()
        sx, dx = t.m11(), t.dx()
        top, bottom = t.dy() + t.m22(), t.dy()   # y = 1 and y = 0 in device pixels
        top, bottom = min(top, bottom), max(top, bottom)
        widest = self.metrics.horizontalAdvance(position_label(int(x1) + 1, 1))
        spacing, major, minor = ruler_ticks(x0, x1, (x1 - x0) * abs(sx), widest + LABEL_GAP_PX)
        painter.save()
        painter.resetTransform()
        self.pen.setColor(QColor(canvas.current().text))   # the desktop's light or dark canvas
        painter.setPen(self.pen)
        painter.setFont(self.font)
        base = bottom - 1
        painter.drawLine(QLineF(x0 * sx + dx, base, x1 * sx + dx, base))
        xs_minor = (minor - 0.5) * sx + dx
        xs_major = (major - 0.5) * sx + dx
        painter.drawLines([QLineF(x, base, x, base - MINOR_TICK_PX) for x in xs_minor]
                          + [QLineF(x, base, x, base - TICK_PX) for x in xs_major])
        height = base - TICK_PX - top
        left, right = x0 * sx + dx, x1 * sx + dx
        for position, x in zip(major.tolist(), xs_major.tolist()):
            text = position_label(position, spacing)
            width = self.metrics.horizontalAdvance(text)
            if x - width / 2 < left or x + width / 2 > right:
                continue   # a label cut by the edge reads as another number
            painter.drawText(QRectF(x - width / 2 - 1, top, width + 2, height),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)
        painter.restore()
