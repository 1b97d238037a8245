"""Vector drawing of the genome view's per-pixel layers, for SVG and PDF exports.

On screen, probability tracks and bases are images with one column per pixel (fast: see DEVELOPERS.md).
An image in an SVG is a bitmap that does not scale and that editors cannot restyle, so when the painter
writes a vector format the same columns are drawn as paths instead: the filled curve and its min..max
band as polygons, the mean as a polyline, called genes and "not predicted" stretches as rectangles
(the latter hatched with explicit lines: SVG readers differ in how they show Qt's pattern brushes).
Everything is drawn clipped, by geometry, to the plot's visible part: SVG readers do not all honour
Qt's clip regions, and the images cover more than the view (margins kept for panning).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPaintEngine, QPainter, QPen, QPolygonF

VECTOR_ENGINES = (QPaintEngine.Type.SVG, QPaintEngine.Type.Pdf, QPaintEngine.Type.Picture)


def is_vector(painter: QPainter) -> bool:
    """True when ``painter`` writes a vector format (SVG, PDF, a QPicture), not pixels."""
    engine = painter.paintEngine()
    return engine is not None and engine.type() in VECTOR_ENGINES


def true_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of each run of True in a bool array, end exclusive."""
    padded = np.zeros(len(mask) + 2, dtype=np.int8)
    padded[1:-1] = mask
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def hatch_lines(rect: QRectF, period: float) -> list[QLineF]:
    """Diagonal lines (down to the left, 45 degrees) every ``period`` pixels, cut to ``rect``."""
    lines = []
    left, right, top, height = rect.left(), rect.right(), rect.top(), rect.height()
    a = left - (left % period)
    while a < right + height:
        x_top, y_top = a, top
        if x_top > right:
            x_top, y_top = right, top + (a - right)
        x_bottom, y_bottom = a - height, top + height
        if x_bottom < left:
            x_bottom, y_bottom = left, top + (a - left)
        if y_bottom > y_top and x_top >= left:
            lines.append(QLineF(x_top, y_top, x_bottom, y_bottom))
        a += period
    return lines


def paint_columns(painter: QPainter, left: float, top: float, pixels_per_unit: float, layers: dict, color: QColor,
                  clip: tuple[float, float], band_alpha: int, fill_alpha: int, not_predicted: tuple[str, str],
                  strip: tuple[float, float], period: float) -> None:
    """Paint a probability track's columns as vectors, in device pixels (the painter's transform reset).

    ``left``, ``top``: device position of column 0 at y = 1; ``layers``: the arrays the image was made of
    (``mean``, ``low``, ``high`` (None zoomed in), ``called``, ``predicted``); ``clip``: device x range to draw;
    ``strip``: the gene-call strip's top and bottom as y values.
    """
    mean, low, high = layers["mean"], layers["low"], layers["high"]
    called, predicted = layers["called"], layers["predicted"]
    n = len(mean)
    first = int(max(0, np.floor(clip[0] - left)))
    last = int(min(n, np.ceil(clip[1] - left)))
    if last <= first:
        return

    def y(value) -> np.ndarray:
        return top + (1.0 - np.asarray(value, dtype=np.float64)) * pixels_per_unit

    def x(i) -> np.ndarray:
        return np.clip(left + np.asarray(i, dtype=np.float64), clip[0], clip[1])

    base = float(y(0.0))
    fill = QColor(color)
    fill.setAlpha(fill_alpha)
    band = QColor(color)
    band.setAlpha(band_alpha)
    line_pen = QPen(QColor(color), 1.0)
    line_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    shown = predicted[first:last]
    for a, b in true_runs(shown):
        a, b = a + first, b + first
        xs = x(np.arange(a, b + 1))              # column edges
        centres = x(np.arange(a, b) + 0.5)
        if low is not None:
            upper = [QPointF(px, py) for px, py in zip(centres.tolist(), y(high[a:b]).tolist())]
            lower = [QPointF(px, py) for px, py in zip(centres[::-1].tolist(), y(low[a:b][::-1]).tolist())]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(band))
            painter.drawPolygon(QPolygonF(upper + lower))
        curve = [QPointF(px, py) for px, py in zip(centres.tolist(), y(mean[a:b]).tolist())]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(fill))
        painter.drawPolygon(QPolygonF([QPointF(xs[0], base), *curve, QPointF(xs[-1], base)]))
        painter.setPen(line_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPolyline(QPolygonF(curve))
    strip_top, strip_bottom = float(y(strip[0])), float(y(strip[1]))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(QColor(color)))
    for a, b in true_runs(called[first:last]):
        xa, xb = x(a + first), x(b + first)
        painter.drawRect(QRectF(float(xa), strip_top, float(xb - xa), strip_bottom - strip_top))
    missing_fill, missing_line = not_predicted
    for a, b in true_runs(~shown):
        xa, xb = float(x(a + first)), float(x(b + first))
        rect = QRectF(xa, top, xb - xa, strip_bottom - top)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor(missing_fill)))
        painter.drawRect(rect)
        painter.setPen(QPen(QColor(missing_line), 1.0))
        painter.drawLines(hatch_lines(rect, period))
