"""A per-nucleotide probability track: filled curve, draggable threshold, and the genes it predicts.

STYLE.md suggests PlotDataItem's ``setDownsampling(method='peak')`` + ``setClipToView``; measured on
E. coli that rescans all 4.6 M values on every frame (~100 ms per track per frame, and minutes for
the first filled path). Here the envelope is precomputed once per update as a pyramid (bins of 8, 64,
512, ... bases), and each frame only slices the level that gives about one bin per pixel over the
visible range: a few thousand points whatever the zoom. Zoomed out, the filled curve is each pixel's
mean (gene density reads at a glance) and a faint band shows its min..max, so no peak is lost.
Below the curve, a strip shows the intervals at or above the threshold (the predicted genes).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter

from genoview.gui.session import ProbabilityTrack

STRIP_TOP = -0.08
STRIP_BOTTOM = -0.22
Y_RANGE = (-0.26, 1.04)
PROBABILITY_MAX_HEIGHT = 200


def intervals_above(values: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (0-based half-open) of runs with value >= threshold; NaN (not predicted) is below."""
    above = np.zeros(len(values) + 2, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        above[1:-1] = values >= values.dtype.type(threshold)
    edges = np.flatnonzero(np.diff(above))
    return edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)


class IntervalStripItem(pg.GraphicsObject):
    """Intervals as a strip of rectangles between two y values; merged below a pixel when zoomed out."""

    def __init__(self, color: str, y_top: float = STRIP_TOP, y_bottom: float = STRIP_BOTTOM) -> None:
        super().__init__()
        self.color = QColor(color)
        self.y_top, self.y_bottom = y_top, y_bottom
        self.starts = np.zeros(0, dtype=np.int64)
        self.ends = np.zeros(0, dtype=np.int64)
        self._length = 1
        self._max_len = 0

    def set_intervals(self, starts: np.ndarray, ends: np.ndarray, length: int) -> None:
        self.prepareGeometryChange()
        self.starts, self.ends, self._length = starts, ends, max(1, length)
        self._max_len = int((ends - starts).max()) if len(starts) else 0
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(0, self.y_bottom, self._length, self.y_top - self.y_bottom)

    def paint(self, painter: QPainter, *args) -> None:
        vb = self.getViewBox()
        if vb is None or len(self.starts) == 0:
            return
        (x0, x1), _ = vb.viewRange()
        lo = int(np.searchsorted(self.starts, x0 - self._max_len))
        hi = int(np.searchsorted(self.starts, x1, side="right"))
        starts, ends = self.starts[lo:hi], self.ends[lo:hi]
        keep = ends > x0
        starts, ends = starts[keep], ends[keep]
        if len(starts) == 0:
            return
        t = painter.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        bp_per_px = 1.0 / max(abs(sx), 1e-12)
        if len(starts) > 1:  # runs closer than a pixel become one rectangle
            gaps = starts[1:] > ends[:-1] + bp_per_px
            first = np.flatnonzero(np.concatenate(([True], gaps)))
            last = np.append(first[1:], len(starts)) - 1
            starts, ends = starts[first], ends[last]
        top, bottom = self.y_top * sy + dy, self.y_bottom * sy + dy
        painter.save()
        painter.resetTransform()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(self.color))
        y, h = min(top, bottom), abs(bottom - top)
        painter.drawRects([QRectF(a * sx + dx, y, max((b - a) * sx, 1.0), h) for a, b in zip(starts, ends)])
        painter.restore()


class EnvelopePyramid:
    """Mean, min and max of the values over bins of 8**k bases, to draw any zoom with ~1 bin per pixel."""

    FACTOR = 8
    SMALLEST = 2048  # stop when a level has fewer bins than this

    def __init__(self, values: np.ndarray) -> None:
        self.values = np.nan_to_num(values.astype(np.float32, copy=False), nan=0.0)  # NaN: not predicted yet
        self.levels: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        means = lows = highs = self.values
        size = 1
        while len(lows) > self.SMALLEST:
            pad = (-len(lows)) % self.FACTOR
            if pad:  # repeat the last bin so the padding changes no mean, min or max
                means, lows, highs = (np.concatenate((a, np.repeat(a[-1:], pad))) for a in (means, lows, highs))
            means = means.reshape(-1, self.FACTOR).mean(axis=1, dtype=np.float32)
            lows = lows.reshape(-1, self.FACTOR).min(axis=1)
            highs = highs.reshape(-1, self.FACTOR).max(axis=1)
            size *= self.FACTOR
            self.levels.append((size, means, lows, highs))

    def _level(self, x0: float, x1: float, pixels: float):
        bases_per_pixel = (x1 - x0) / max(pixels, 1.0)
        chosen = None
        for level in self.levels:
            if level[0] <= bases_per_pixel:
                chosen = level
        return chosen

    def curves(self, x0: float, x1: float, pixels: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(x, mean) for the filled curve and (x, min/max interleaved) for the range band, over [x0, x1]."""
        level = self._level(x0, x1, pixels)
        n = len(self.values)
        if level is None:  # zoomed in: every base at its centre; no band needed
            i0, i1 = max(0, int(np.floor(x0)) - 1), min(n, int(np.ceil(x1)) + 1)
            x = np.arange(i0, i1, dtype=np.float64) + 0.5
            empty = np.zeros(0)
            return x, self.values[i0:i1], empty, empty
        size, means, lows, highs = level
        j0, j1 = max(0, int(x0 // size) - 1), min(len(lows), int(x1 // size) + 2)
        centres = np.minimum((np.arange(j0, j1, dtype=np.float64) + 0.5) * size, n)
        band_y = np.empty(2 * (j1 - j0), dtype=np.float32)
        band_y[0::2], band_y[1::2] = lows[j0:j1], highs[j0:j1]
        return centres, means[j0:j1], np.repeat(centres, 2), band_y


class ProbabilityTrackPlot(pg.PlotItem):
    """One row of the genome view showing one :class:`ProbabilityTrack`."""

    def __init__(self, track: ProbabilityTrack, on_threshold_moved: Callable[[float], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.track = track
        self.pyramid: EnvelopePyramid | None = None
        color = QColor(track.color)
        fill = QColor(color)
        fill.setAlpha(90)
        band = QColor(color)
        band.setAlpha(70)
        self.band = pg.PlotCurveItem(pen=pg.mkPen(band, width=1), skipFiniteCheck=True)  # min..max per pixel
        self.curve = pg.PlotCurveItem(pen=pg.mkPen(color, width=1), fillLevel=0.0, brush=fill, skipFiniteCheck=True)
        self.addItem(self.band)
        self.addItem(self.curve)
        self.setMaximumHeight(PROBABILITY_MAX_HEIGHT)
        self.getViewBox().sigXRangeChanged.connect(self._draw_visible)
        self.getViewBox().sigResized.connect(self._draw_visible)
        self.strip = IntervalStripItem(track.color)
        self.addItem(self.strip)
        self.threshold_line = pg.InfiniteLine(
            pos=track.threshold, angle=0, movable=True, bounds=(0.0, 1.0),
            pen=pg.mkPen("#444444", width=1, style=Qt.PenStyle.DashLine),
            hoverPen=pg.mkPen("#000000", width=2),
        )
        self.threshold_line.setToolTip("Threshold: drag to change where genes are called")
        self.threshold_line.sigPositionChangeFinished.connect(lambda line: on_threshold_moved(float(line.value())))
        self.addItem(self.threshold_line)
        self.setYRange(*Y_RANGE, padding=0)
        axis = self.getAxis("left")
        axis.setTicks([[(0.0, "0"), (0.5, "0.5"), (1.0, "1")]])
        self.refresh()

    def set_threshold(self, threshold: float) -> None:
        self.track.threshold = threshold
        if abs(self.threshold_line.value() - threshold) > 1e-9:
            self.threshold_line.blockSignals(True)
            self.threshold_line.setValue(threshold)
            self.threshold_line.blockSignals(False)
        self._update_strip()

    def refresh(self) -> None:
        """Redraw from the track's values (NaN, not yet predicted, is drawn at 0)."""
        self.pyramid = EnvelopePyramid(self.track.values)
        self._draw_visible()
        self._update_strip()

    def _draw_visible(self, *args) -> None:
        if self.pyramid is None:
            return
        vb = self.getViewBox()
        (x0, x1), _ = vb.viewRange()
        x, y, band_x, band_y = self.pyramid.curves(x0, x1, vb.width())
        self.curve.setData(x, y)
        self.band.setData(band_x, band_y)

    def _update_strip(self) -> None:
        starts, ends = intervals_above(self.track.values, self.track.threshold)
        self.strip.set_intervals(starts, ends, len(self.track.values))
