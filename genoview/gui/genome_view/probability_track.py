"""A per-nucleotide probability track: filled curve, draggable threshold, and the genes it predicts.

The curve is a PlotDataItem with peak downsampling and clip-to-view (STYLE.md 8), so a 4.6 Mb track
draws a few thousand points per frame. Below the curve, a strip shows the intervals at or above the
threshold (the predicted genes), recomputed when the threshold or the values change.
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


class ProbabilityTrackPlot(pg.PlotItem):
    """One row of the genome view showing one :class:`ProbabilityTrack`."""

    def __init__(self, track: ProbabilityTrack, on_threshold_moved: Callable[[float], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.track = track
        self._x: np.ndarray | None = None
        color = QColor(track.color)
        fill = QColor(color)
        fill.setAlpha(90)
        self.curve = pg.PlotDataItem(pen=pg.mkPen(color, width=1), fillLevel=0.0, brush=fill)
        self.addItem(self.curve)
        # after addItem: PlotItem.addItem overwrites both with its own defaults (off)
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
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
        values = self.track.values
        if self._x is None or len(self._x) != len(values):
            self._x = np.arange(len(values), dtype=np.float64) + 0.5  # base centres
        shown = values if self.track.complete else np.nan_to_num(values, nan=0.0)
        self.curve.setData(self._x, shown)
        self._update_strip()

    def _update_strip(self) -> None:
        starts, ends = intervals_above(self.track.values, self.track.threshold)
        self.strip.set_intervals(starts, ends, len(self.track.values))
