"""A per-nucleotide probability track: filled curve, draggable threshold, and the genes it predicts.

STYLE.md suggests PlotDataItem's ``setDownsampling(method='peak')`` + ``setClipToView``; measured on
E. coli that rescans all 4.6 M values on every frame (~100 ms per track per frame, and minutes for
the first filled path). Here the envelope is kept as a pyramid (bins of 8, 64, 512, ... bases), and
each frame only slices the level that gives about one bin per pixel over the visible range: a few
thousand points whatever the zoom. While a prediction fills the track, only the bins and gene calls
over each new tile are recomputed, and the view redraws at most a few times a second. Zoomed out, the filled curve is each pixel's
mean (gene density reads at a glance) and a faint band shows its min..max, so no peak is lost.
Below the curve, a strip shows the runs at or above the threshold (the predicted genes).

Bases not predicted (NaN) are not "probability 0": a column with no predicted base is drawn hatched grey,
with no curve and no strip, so a region a model never saw cannot be mistaken for a confident non-gene call.
"""
from __future__ import annotations

from collections import deque
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter

from genoview.core.inference import runs_above
from genoview.gui import canvas
from genoview.gui.genome_view import vector
from genoview.gui.session import ProbabilityTrack

STRIP_TOP = -0.08
STRIP_BOTTOM = -0.22
Y_RANGE = (-0.26, 1.04)
PROBABILITY_MAX_HEIGHT = 200
TAKE_IN_SLICE = 1 << 18  # new values taken into the envelope per event-loop turn (~5 ms of work; 1 << 19 took 20-40 ms under load)


def track_values(values, start: int, end: int) -> np.ndarray:
    """float32 values of [start, end) with NaN where not predicted, from an array or a ``values(start, end)`` method."""
    if callable(values):
        return np.asarray(values(start, end), dtype=np.float32)
    return values[start:end]


def predicted_intervals(track) -> list[tuple[int, int]]:
    """(start, end) runs of a track holding values (``track.predicted_intervals()``, or found in an array's NaNs)."""
    method = getattr(track, "predicted_intervals", None)
    if callable(method):
        return [(int(a), int(b)) for a, b in method()]
    known = np.zeros(len(track.values) + 2, dtype=np.int8)
    known[1:-1] = ~np.isnan(np.asarray(track.values))
    edges = np.flatnonzero(np.diff(known))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


_DECODED: np.ndarray | None = None   # the value of every uint16 code (65,535 float32), made once


def first_code_at_or_above(threshold: float) -> int:
    """The smallest stored code whose value is >= ``threshold`` as ``runs_above`` compares it (the same float32
    values and comparison, so the runs are the same bit for bit); NOT_PREDICTED when no value reaches it."""
    global _DECODED
    from genoview.core.tracks import NOT_PREDICTED, dequantise

    if _DECODED is None:
        _DECODED = dequantise(np.arange(int(NOT_PREDICTED), dtype=np.uint16))
    with np.errstate(invalid="ignore"):
        above = _DECODED >= threshold
    return int(np.argmax(above)) if above.any() else int(NOT_PREDICTED)


def code_runs_above(codes: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """``runs_above`` of the values of uint16 ``codes`` (NOT_PREDICTED counts as below), without decoding them:
    a threshold step over E. coli's 4.6 Mb track decoded 18 MB of float32 on the GUI thread each time."""
    from genoview.core.tracks import NOT_PREDICTED

    first = first_code_at_or_above(threshold)
    above = np.zeros(len(codes) + 2, dtype=np.bool_)
    if first < int(NOT_PREDICTED):
        np.greater_equal(codes, first, out=above[1:-1])
        above[1:-1] &= codes != NOT_PREDICTED
    edges = np.flatnonzero(above[1:] != above[:-1])
    return edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)


def track_runs_above(track, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """``runs_above`` over the predicted intervals only (never the whole sequence as one array); a track stored as
    codes (``track.storage.codes``) is compared as codes: the threshold slider calls this at each step, for each
    track shown, and decoding a whole bacterial genome's values froze the window 60-200 ms per step."""
    codes_of = getattr(getattr(track, "storage", None), "codes", None)
    starts, ends = [], []
    for a, b in predicted_intervals(track):
        if callable(codes_of):
            run_starts, run_ends = code_runs_above(codes_of(a, b), threshold)
        else:
            run_starts, run_ends = runs_above(track_values(track.values, a, b), threshold)
        starts.append(run_starts + a)
        ends.append(run_ends + a)
    if not starts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(starts).astype(np.int64), np.concatenate(ends).astype(np.int64)


def update_intervals(starts: np.ndarray, ends: np.ndarray, values: np.ndarray, threshold: float,
                     start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """``runs_above(values, threshold)`` after values changed over [start, end), given the runs before.

    Only the runs touching the changed range are recomputed (a tile costs its own length, not the genome's).
    """
    first = int(np.searchsorted(ends, start, side="left"))  # first run ending at or after start
    last = int(np.searchsorted(starts, end, side="right"))  # runs from here on start after end
    lo = min(start, int(starts[first])) if first < last else start
    hi = max(end, int(ends[last - 1])) if first < last else end
    new_starts, new_ends = runs_above(values[lo:hi], threshold)
    return (np.concatenate((starts[:first], new_starts + lo, starts[last:])),
            np.concatenate((ends[:first], new_ends + lo, ends[last:])))


def pixels_covered(starts: np.ndarray, ends: np.ndarray, x0: float, x1: float, pixels: int) -> np.ndarray:
    """For each of ``pixels`` equal columns over [x0, x1], whether a run [start, end) (sorted, disjoint) touches it."""
    lo, hi = int(np.searchsorted(ends, x0, side="right")), int(np.searchsorted(starts, x1, side="left"))
    starts, ends = starts[lo:hi], ends[lo:hi]   # the runs reaching into [x0, x1)
    edges = x0 + np.arange(pixels + 1) * ((x1 - x0) / pixels)
    return np.searchsorted(starts, edges[1:], side="left") > np.searchsorted(ends, edges[:-1], side="right")


def _fold(values: np.ndarray, op: np.ufunc) -> np.ndarray:
    """``op`` over consecutive groups of 8 values, as a tree of pairs (several times faster than ``reshape().min(axis=1)``)."""
    pairs = values.reshape(-1, 8)
    pairs = op(pairs[:, 0::2], pairs[:, 1::2])
    pairs = op(pairs[:, 0::2], pairs[:, 1::2])
    return op(pairs[:, 0], pairs[:, 1])


class EnvelopePyramid:
    """Mean, min and max of the values over bins of 8**k bases, to draw any zoom with ~1 bin per pixel.

    NaN (not predicted yet) counts as 0 in the envelopes; a parallel pyramid (``known``: 1 where a base holds a
    value, each level the max of the one below) says which columns hold any prediction at all.
    ``update(start, end)`` recomputes only the bins over a changed range, each level from the one below, so a
    live prediction costs work in proportion to its tiles.

    Memory follows what was predicted, not the sequence (issue 9: a 1 Mb region of a 250 Mb chromosome):
    bases are never copied (zoomed in, they are read from the source for the view only); the fine levels
    (bins of 8 and 64 bases) live in pages of :data:`PAGE` bases made only where some base holds a value;
    the coarser levels (bins of 512 bases and up) are whole-sequence arrays of 13 bytes per bin, 0.025
    bytes a base (6 MB for 250 Mb). Where nothing was predicted every level reads 0, as before.
    """

    FACTOR = 8  # what _fold groups by
    SMALLEST = 2048  # stop when a level has fewer bins than this
    PAGED = 2  # levels 1..PAGED (bins of 8 and 64 bases) are kept in pages
    PAGE = 1 << 16  # bases a page of the paged levels covers (a multiple of FACTOR ** (PAGED + 1))
    CHUNK = 1 << 20  # bases taken from the source at a time by ``update`` (a multiple of PAGE)

    def __init__(self, values, build: bool = True, length: int | None = None) -> None:
        """Envelopes of ``values`` (an array or a track's ``values(start, end)``; ``length`` defaults to its len);
        with ``build=False`` all zeros until ranges are taken in with ``update``."""
        self.source = values
        self.length = int(length if length is not None else len(values))
        self.sizes: list[int] = []   # bases per bin of levels 1, 2, ...
        self.counts: list[int] = []  # bins of each level
        count, size = self.length, 1
        while count > self.SMALLEST:
            count, size = -(-count // self.FACTOR), size * self.FACTOR
            self.sizes.append(size)
            self.counts.append(count)
        self._pages: dict[int, list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]] = {}
        # dense levels above the paged ones: (means, lows, highs, known) over the whole sequence
        self._dense = {j: (np.zeros(c, np.float32), np.zeros(c, np.float32), np.zeros(c, np.float32),
                           np.zeros(c, np.uint8))
                       for j, c in enumerate(self.counts, start=1) if j > self.PAGED}
        if build:
            self.update(0, self.length)

    @property
    def nbytes(self) -> int:
        """Bytes held by the envelopes (pages and coarse levels)."""
        return sum(a.nbytes for page in self._pages.values() for level in page for a in level) + \
            sum(a.nbytes for level in self._dense.values() for a in level)

    @property
    def levels(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """(bases per bin, means, lows, highs) of every level over the whole sequence (made on demand: tests)."""
        return [(size, *self._level_range(j, 0, count)[:3])
                for j, (size, count) in enumerate(zip(self.sizes, self.counts), start=1)]

    @property
    def known_levels(self) -> list[np.ndarray]:
        """Which bins of every level hold a prediction, over the whole sequence (made on demand: tests)."""
        return [self._level_range(j, 0, count)[3] for j, count in enumerate(self.counts, start=1)]

    def _bins_per_page(self, level: int) -> int:
        return self.PAGE // self.sizes[level - 1]

    def _level_range(self, level: int, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(means, lows, highs, known) of the bins [lo, hi) of a level (0: the bases, read from the source)."""
        hi = max(lo, hi)
        if level == 0:
            values = np.array(track_values(self.source, lo, hi), dtype=np.float32)
            missing = np.isnan(values)
            np.copyto(values, 0.0, where=missing)
            known = np.logical_not(missing).view(np.uint8)
            return values, values, values, known
        if level in self._dense:
            return tuple(a[lo:hi] for a in self._dense[level])
        out = (np.zeros(hi - lo, np.float32), np.zeros(hi - lo, np.float32), np.zeros(hi - lo, np.float32),
               np.zeros(hi - lo, np.uint8))
        per_page = self._bins_per_page(level)
        if hi > lo:
            for page in range(lo // per_page, (hi - 1) // per_page + 1):
                arrays = self._pages.get(page)
                if arrays is None:
                    continue
                first = page * per_page
                a, b = max(lo, first), min(hi, first + per_page)
                for target, source in zip(out, arrays[level - 1]):
                    target[a - lo:b - lo] = source[a - first:b - first]
        return out

    def _store(self, level: int, lo: int, parts: tuple[np.ndarray, ...]) -> None:
        """Write bins from ``lo`` of a level; a page is made only for bins that hold a prediction."""
        if level in self._dense:
            for target, part in zip(self._dense[level], parts):
                target[lo:lo + len(part)] = part
            return
        per_page = self._bins_per_page(level)
        hi = lo + len(parts[0])
        for page in range(lo // per_page, (hi - 1) // per_page + 1):
            first = page * per_page
            a, b = max(lo, first), min(hi, first + per_page)
            arrays = self._pages.get(page)
            if arrays is None:
                if not parts[3][a - lo:b - lo].any():
                    continue   # nothing predicted here: the page would hold zeros only
                arrays = [tuple(np.zeros(self._bins_per_page(j), dtype) for dtype in (np.float32,) * 3 + (np.uint8,))
                          for j in range(1, min(self.PAGED, len(self.sizes)) + 1)]
                self._pages[page] = arrays
            for target, part in zip(arrays[level - 1], parts):
                target[a - first:b - first] = part[a - lo:b - lo]

    def update(self, start: int, end: int) -> None:
        """Take the source's values over [start, end) in and recompute the bins that overlap it."""
        start, end = max(0, int(start)), min(self.length, int(end))
        for a in range(start, end, self.CHUNK):
            self._rebuild(a, min(end, a + self.CHUNK))

    def _rebuild(self, start: int, end: int) -> None:
        """Recompute every level's bins over the base range [start, end) from the level below."""
        below_count = self.length
        for level, count in enumerate(self.counts, start=1):
            start, stop = start // self.FACTOR, -(-end // self.FACTOR)
            lo, hi = start * self.FACTOR, min(stop * self.FACTOR, below_count)
            means, lows, highs, known = self._level_range(level - 1, lo, hi)
            parts = [means, lows, highs, known]
            pad = (-(hi - lo)) % self.FACTOR
            if pad:  # the last bin is short: repeat its last value, which changes no mean, min or max
                parts = [np.concatenate((a, np.repeat(a[-1:], pad))) for a in parts]
            self._store(level, start, (_fold(parts[0], np.add) * np.float32(1.0 / self.FACTOR),
                                       _fold(parts[1], np.minimum), _fold(parts[2], np.maximum),
                                       _fold(parts[3], np.maximum)))
            below_count, end = count, stop

    def _level_for(self, width: float) -> int:
        """The coarsest level whose bins are no wider than ``width`` bases (0: the bases)."""
        level = 0
        for j, size in enumerate(self.sizes, start=1):
            if size <= width:
                level = j
        return level

    def _columns(self, x0: float, x1: float, pixels: int):
        """For columns of at least a base: the level, its bins' first bin of each column, and their (lo, stop)."""
        width = (x1 - x0) / pixels
        edges = x0 + np.arange(pixels + 1) * width
        level = self._level_for(width)
        size = self.sizes[level - 1] if level else 1
        bins = self.counts[level - 1] if level else self.length
        firsts = np.clip(np.floor(edges[:-1] / size).astype(np.int64), 0, bins - 1)   # each bin goes to one column
        stop = int(min(bins, max(np.ceil(edges[-1] / size), firsts[-1] + 1)))
        inside = (edges[:-1] < self.length) & (edges[1:] > 0)
        return level, firsts, int(firsts[0]), stop, inside

    def predicted(self, x0: float, x1: float, pixels: int) -> np.ndarray:
        """For each of ``pixels`` equal columns over [x0, x1], whether any base in it holds a prediction."""
        pixels = max(1, int(pixels))
        n = self.length
        width = (x1 - x0) / pixels
        if n == 0:
            return np.zeros(pixels, dtype=bool)
        if width < 1.0:
            index = np.floor(x0 + np.arange(pixels) * width + width / 2).astype(np.int64)
            inside = (index >= 0) & (index < n)
            i0, i1 = int(np.clip(index[0], 0, n - 1)), int(np.clip(index[-1], 0, n - 1)) + 1
            known = self._level_range(0, i0, i1)[3]
            return inside & (known[np.clip(index, i0, i1 - 1) - i0] > 0)
        level, firsts, lo, stop, inside = self._columns(x0, x1, pixels)
        known = self._level_range(level, lo, stop)[3]
        return (np.maximum.reduceat(known, firsts - lo) > 0) & inside

    def pixels(self, x0: float, x1: float, pixels: int) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """Mean, min and max of each of ``pixels`` equal columns over the view [x0, x1] (min/max None when zoomed in).

        Zoomed out, a column reduces the bins of the coarsest level no wider than a column; zoomed in (more
        than a pixel per base), each column samples the line through the bases' centres at its own centre.
        Columns beyond the sequence read 0.
        """
        pixels = max(1, int(pixels))
        n = self.length
        width = (x1 - x0) / pixels
        if width < 1.0:
            centres = x0 + np.arange(pixels) * width + width / 2
            i0, i1 = max(0, int(np.floor(x0)) - 1), min(n, int(np.ceil(x1)) + 1)
            if i1 <= i0:
                return np.zeros(pixels, dtype=np.float32), None, None
            mean = np.interp(centres, np.arange(i0, i1) + 0.5, self._level_range(0, i0, i1)[0])
            mean[(centres < 0) | (centres >= n)] = 0.0
            return mean.astype(np.float32), None, None
        if n == 0:
            zeros = np.zeros(pixels, dtype=np.float32)
            return zeros, zeros.copy(), zeros.copy()
        level, firsts, lo, stop, inside = self._columns(x0, x1, pixels)
        means, lows, highs, _ = self._level_range(level, lo, stop)
        counts = np.maximum(np.diff(np.append(firsts, stop)), 1)
        mean = (np.add.reduceat(means, firsts - lo, dtype=np.float64) / counts).astype(np.float32)
        low = np.minimum.reduceat(lows, firsts - lo)
        high = np.maximum.reduceat(highs, firsts - lo)
        if not inside.all():
            mean[~inside] = low[~inside] = high[~inside] = 0.0
        return mean, low, high


def column_codes(mean: np.ndarray, low: np.ndarray | None, high: np.ndarray | None, rows: int) -> np.ndarray:
    """One pixel column per value, ``rows`` high, top row at y=1, each pixel a code with bits band min..max (1, none
    without ``low``), fill 0..mean (2) and mean line (4), the line joining each column to the one before like a polyline.
    """
    def to_rows(v: np.ndarray) -> np.ndarray:   # uint8 compares run twice as fast as int16 ones; rows <= 255
        return np.clip(np.rint(v * rows), 0, rows).astype(np.uint8)   # the pyramid holds no NaN

    m = to_rows(mean)
    previous = np.concatenate((m[:1], m[:-1]))
    line_lo = np.minimum(np.minimum(m, previous), rows - 1)
    line_hi = np.minimum(np.maximum(m, previous), rows - 1)
    height = np.arange(rows - 1, -1, -1, dtype=np.uint8)[:, None]  # pixel rows above y=0, top row first
    code = np.less(height, m).view(np.uint8)
    code <<= 1
    if low is not None:
        lo, hi = to_rows(low), to_rows(high)
        code |= np.greater_equal(height, lo).view(np.uint8) & np.less(height, np.maximum(hi, lo + 1)).view(np.uint8)
    line = np.greater_equal(height, line_lo).view(np.uint8) & np.less_equal(height, line_hi).view(np.uint8)
    line <<= 2
    code |= line
    return code


def layer_palette(color: QColor, band_alpha: float, fill_alpha: float) -> list[int]:
    """ARGB colours of the 8 codes of :func:`column_codes`, the layers composited as Qt paints them, and of
    code 8 (:data:`STRIP_CODE`, the opaque gene-call strip)."""
    in_band, in_fill = np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])  # codes 0-3; 4-7 are on the opaque line
    alpha = np.concatenate((1.0 - (1.0 - band_alpha * in_band) * (1.0 - fill_alpha * in_fill), np.ones(5)))
    colours = [QColor(color.red(), color.green(), color.blue(), int(round(a * 255))).rgba() for a in alpha]
    colors = canvas.current()   # the light canvas's #c4c4c4 on #efefef, a dark one's darker greys
    return colours + [QColor(colors.not_predicted_line).rgba(), QColor(colors.not_predicted_fill).rgba()]


STRIP_CODE = 8
HATCH_CODE, NOT_PREDICTED_CODE = 9, 10   # a column with no predicted base: grey hatching on light grey
NOT_PREDICTED_FILL = canvas.LIGHT.not_predicted_fill   # on the light canvas (canvas.current() has the one shown)
NOT_PREDICTED_LINE = canvas.LIGHT.not_predicted_line
HATCH_PERIOD = 8   # pixels between hatch lines


def hatch_columns(rows: int, first_column: int) -> np.ndarray:
    """(rows, HATCH_PERIOD) codes of the 'not predicted' pattern for columns from ``first_column`` (anchored at
    column 0 of the grid, so redrawn images line up): diagonal lines on a light fill."""
    r = np.arange(rows)[:, None]
    c = (first_column + np.arange(HATCH_PERIOD))[None, :]
    return np.where((r + c) % HATCH_PERIOD == 0, np.uint8(HATCH_CODE), np.uint8(NOT_PREDICTED_CODE))


def track_image_codes(mean: np.ndarray, low: np.ndarray | None, high: np.ndarray | None, called: np.ndarray,
                      pixels_per_unit: float, predicted: np.ndarray | None = None, first_column: int = 0) -> np.ndarray:
    """The whole track image, one column per value, top row at y = 1: the curve over [0, 1] (:func:`column_codes`),
    then down to y = STRIP_BOTTOM a gap and the strip of called genes (``called`` columns). Columns where
    ``predicted`` is False are hatched from top to bottom instead (``first_column``: their grid column number)."""
    rows = int(round(pixels_per_unit))
    strip_top = int(round((1.0 - STRIP_TOP) * pixels_per_unit))
    strip_bottom = max(strip_top + 1, int(round((1.0 - STRIP_BOTTOM) * pixels_per_unit)))
    image = np.zeros((strip_bottom, len(mean)), dtype=np.uint8)
    image[:rows] = column_codes(mean, low, high, rows)
    image[strip_top:strip_bottom] = np.where(called, np.uint8(STRIP_CODE), np.uint8(0))
    if predicted is not None and not predicted.all():
        columns = len(mean)
        pattern = hatch_columns(strip_bottom, first_column)
        tiled = np.tile(pattern, (1, -(-columns // HATCH_PERIOD)))[:, :columns]
        missing = ~predicted
        image[:, missing] = tiled[:, missing]
    return image


class ColumnImageItem(pg.GraphicsObject):
    """Per-pixel columns of a probability track (band, fill and mean line) as one image built with numpy, one image
    pixel per screen pixel: painting is a plain blit, far faster than stroking thousands of translucent segments
    (or than a scaled pixmap item, which takes Qt's transformed-image path)."""

    def __init__(self, color: QColor, band_alpha: int, fill_alpha: int) -> None:
        super().__init__()
        self._alphas = (band_alpha / 255.0, fill_alpha / 255.0)
        self.palette = layer_palette(color, *self._alphas)
        self.color = QColor(color)
        self.image = QImage()
        self.codes = np.zeros((0, 0), dtype=np.uint8)
        self.layers: dict | None = None
        self._rect = QRectF()

    def set_columns(self, x0: float, x1: float, codes: np.ndarray, layers: dict | None = None) -> None:
        """Show the (rows, columns) image of :func:`track_image_codes` over [x0, x1], its top row at y = 1.

        ``layers`` (mean, low, high, called, predicted, pixels_per_unit, first_column): what the image was made of,
        kept to paint the same columns as vector paths when the painter writes SVG or PDF."""
        self.layers = layers
        self.prepareGeometryChange()
        if codes.size == 0 or x1 <= x0:
            self.clear()
            return
        codes = np.ascontiguousarray(codes, dtype=np.uint8)
        rows, columns = codes.shape
        indexed = QImage(codes.data, columns, rows, columns, QImage.Format.Format_Indexed8)
        indexed.setColorTable(self.palette)
        # converted once (a copy) into the format the raster engine blends without a conversion at paint
        self.image = indexed.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
        self.codes = codes
        self._rect = QRectF(x0, STRIP_BOTTOM, x1 - x0, 1.0 - STRIP_BOTTOM)
        self.update()

    def set_palette(self, color: QColor) -> None:
        """Draw in another colour (from the next ``set_columns``)."""
        self.color = QColor(color)
        self.palette = layer_palette(self.color, *self._alphas)

    def clear(self) -> None:
        """Show nothing."""
        self.prepareGeometryChange()
        self.image = QImage()
        self.codes = np.zeros((0, 0), dtype=np.uint8)
        self._rect = QRectF()
        self.update()

    @property
    def span(self) -> tuple[float, float]:
        """The genomic range the image's columns cover."""
        return self._rect.left(), self._rect.right()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(self, painter: QPainter, *args) -> None:
        if self.image.isNull():
            return
        corner = painter.transform().map(QPointF(self._rect.left(), 1.0))   # the image's top row is y = 1
        if vector.is_vector(painter) and self.layers is not None:
            self._paint_vector(painter, corner)
            return
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(round(corner.x()), round(corner.y())), self.image)
        painter.restore()

    def _paint_vector(self, painter: QPainter, corner: QPointF) -> None:
        """The same columns as paths (SVG/PDF exports), cut to the part of the image the view shows."""
        view = self.getViewBox()
        (x0, x1), _ = view.viewRange() if view is not None else ((self._rect.left(), self._rect.right()), None)
        transform = painter.transform()
        clip = (transform.map(QPointF(x0, 0)).x(), transform.map(QPointF(x1, 0)).x())
        painter.save()
        painter.resetTransform()
        vector.paint_columns(
            painter, round(corner.x()), round(corner.y()), self.layers["pixels_per_unit"], self.layers, self.color,
            clip, int(round(self._alphas[1] * 255)), int(round(self._alphas[1] * 255)),
            (canvas.current().not_predicted_fill, canvas.current().not_predicted_line), (STRIP_TOP, STRIP_BOTTOM),
            HATCH_PERIOD)
        painter.restore()


def short_number(value: float, fits: Callable[[str], bool] = lambda text: len(text) <= 4) -> str:
    """A track file's value as the y axis can show it: the most precise of a few forms (-5.7, 120, 3.4k, 0.012,
    -1e-4, ~0) that ``fits`` (the axis's room: pyqtgraph leaves out a label wider than it, with no sign of it, so a
    log probability's top end "-0.0001" had no label), else the shortest."""
    size = abs(value)
    if size >= 1000:
        forms = ([] if size >= 10_000 else [f"{value / 1000:.1f}k"]) + [f"{value / 1000:.0f}k"]
    elif size >= 10:
        forms = [f"{value:.0f}"]
    else:
        forms = [f"{value:.2g}", f"{value:.1g}"]
    if size:
        mantissa, exponent = f"{value:.0e}".split("e")
        forms.append(f"{mantissa}e{int(exponent)}")   # -1e-4, 1e5
    if 0 < size < 0.01:
        forms.append("~0")
    forms = [form for form in dict.fromkeys(forms) if "e+" not in form]
    return next((form for form in forms if fits(form)), min(forms, key=len))


def axis_text_fits(axis: pg.AxisItem) -> Callable[[str], bool]:
    """Whether a tick label fits the genome view's left axis (LEFT_AXIS_WIDTH less the tick and the text's offset, as
    pyqtgraph lays it out; a label wider than that is not drawn)."""
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QApplication

    from genoview.gui.genome_view.view import LEFT_AXIS_WIDTH

    metrics = QFontMetricsF(axis.style.get("tickFont") or QApplication.font())
    room = LEFT_AXIS_WIDTH - max(0, axis.style["tickLength"]) - axis.style["tickTextOffset"][0] - 1
    return lambda text: metrics.boundingRect(text).width() <= room


class ProbabilityTrackPlot(pg.PlotItem):
    """One row of the genome view showing one :class:`ProbabilityTrack`."""

    def __init__(self, track: ProbabilityTrack, on_threshold_moved: Callable[[float], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.track = track
        self.pyramid: EnvelopePyramid | None = None
        self._starts = self._ends = np.zeros(0, dtype=np.int64)  # runs at or above the threshold
        self._intervals_threshold = track.threshold
        self._stale = False  # values taken in but not drawn yet
        self._pending: deque[tuple[int, int]] = deque()  # ranges of new values not taken in yet
        self._redraw_when_taken_in = False
        self._held = False
        self._drawn = None   # (bases per column, pixels per unit, first column, end column) of the image shown
        self._take_in_timer = QTimer(self)
        self._take_in_timer.setSingleShot(True)
        self._take_in_timer.setInterval(0)
        self._take_in_timer.timeout.connect(self._take_in_slice)
        # The band, the fill, the curve and the gene-call strip are one image column per screen pixel, built with
        # numpy: Qt takes tens of milliseconds to fill a translucent polygon of a thousand zigzags, or to stroke a
        # translucent line per pixel, and a few hundred microseconds to blit the image.
        self.columns = ColumnImageItem(QColor(track.color), band_alpha=60, fill_alpha=90)
        self.addItem(self.columns)
        self.setMaximumHeight(PROBABILITY_MAX_HEIGHT)
        self.getViewBox().sigXRangeChanged.connect(self._on_view_changed)
        self.getViewBox().sigResized.connect(self._on_view_changed)
        self.threshold_line = pg.InfiniteLine(
            pos=track.threshold, angle=0, movable=True, bounds=(0.0, 1.0),
            pen=pg.mkPen(canvas.current().guide, width=1, style=Qt.PenStyle.DashLine),
            hoverPen=pg.mkPen(canvas.current().hover, width=2),
        )
        self.threshold_line.setToolTip("Threshold: drag to change where genes are called")
        self.threshold_line.sigPositionChangeFinished.connect(lambda line: on_threshold_moved(float(line.value())))
        self.addItem(self.threshold_line)
        self.setYRange(*Y_RANGE, padding=0)
        self._set_ticks()
        self.refresh()

    def _set_ticks(self) -> None:
        """0, 0.5, 1 for probabilities; a track file's values outside 0..1 (File ▸ Open track…: a conservation
        score, a coverage) are stored scaled to 0..1 and the axis says their own numbers (``track.value_range``)."""
        value_range = getattr(self.track, "value_range", None)
        if value_range is None:
            ticks = [(0.0, "0"), (0.5, "0.5"), (1.0, "1")]
        else:   # the ends, and 0 when the range holds it; short numbers: the axis is 34 px wide
            lo, hi = value_range
            fits = axis_text_fits(self.getAxis("left"))
            ticks = [(0.0, short_number(lo, fits)), (1.0, short_number(hi, fits))]
            if lo < 0 < hi:
                ticks.insert(1, (-lo / (hi - lo), "0"))
        self.getAxis("left").setTicks([ticks])

    def show_track(self, track: ProbabilityTrack) -> None:
        """Show another track in this row (the same model on the next contig): a new row would be laid out again
        with every other row, 60-90 ms of the window's time at each switch of contig."""
        self.track = track
        self._set_ticks()
        self.columns.set_palette(QColor(track.color))
        self.threshold_line.blockSignals(True)
        self.threshold_line.setValue(track.threshold)
        self.threshold_line.blockSignals(False)
        self._drawn = None
        self._redraw_when_taken_in = False
        self.columns.clear()
        self.refresh()

    def apply_canvas(self, colors) -> None:
        """The canvas's threshold line, axis and "not predicted" hatching (a desktop switched to dark or back)."""
        self.threshold_line.setPen(pg.mkPen(colors.guide, width=1, style=Qt.PenStyle.DashLine))
        self.threshold_line.setHoverPen(pg.mkPen(colors.hover, width=2))
        axis = self.getAxis("left")
        axis.setPen(pg.mkPen(colors.axis))
        axis.setTextPen(pg.mkPen(colors.text))
        self.restyle()

    def restyle(self) -> None:
        """Take the track's (new) colour."""
        self.columns.set_palette(QColor(self.track.color))
        self._drawn = None
        self._draw_visible()

    def set_threshold(self, threshold: float) -> None:
        self.track.threshold = threshold
        if abs(self.threshold_line.value() - threshold) > 1e-9:
            self.threshold_line.blockSignals(True)
            self.threshold_line.setValue(threshold)
            self.threshold_line.blockSignals(False)
        if threshold != self._intervals_threshold:
            self._find_intervals()
            self._drawn = None
            self._on_view_changed()

    def refresh(self) -> None:
        """Take in all of the track's values again (NaN, not yet predicted, is drawn at 0), then redraw."""
        self.pyramid = EnvelopePyramid(self.track.values, build=False, length=self.track.length)
        self._intervals_threshold = self.track.threshold
        self._starts = self._ends = np.zeros(0, dtype=np.int64)
        self._pending.clear()
        for start, end in predicted_intervals(self.track):  # a track about to be predicted has nothing to take in
            self.values_changed(start, end)
        self._stale = True
        self.redraw()

    def values_changed(self, start: int, end: int) -> None:
        """Queue the track's new values over [start, end) for the envelope and gene calls; ``redraw`` shows them.

        They are taken in a slice of TAKE_IN_SLICE bases per event-loop turn, so even a whole genome
        arriving at once (a cache hit, a whole-sequence model) never blocks the GUI for long.
        """
        self._pending.append((int(start), int(end)))
        if not self._take_in_timer.isActive():
            self._take_in_timer.start()

    def take_in_all(self) -> None:
        """Take in every queued range now (screenshots and tests do not wait for the event loop)."""
        while self._pending:
            self._take_in_slice()

    def _take_in_slice(self) -> None:
        budget = TAKE_IN_SLICE
        while self._pending and budget > 0:
            start, end = self._pending[0]
            stop = min(end, start + budget)
            self.pyramid.update(start, stop)
            self._starts, self._ends = update_intervals(
                self._starts, self._ends, self.track.values, self._intervals_threshold, start, stop)
            budget -= stop - start
            if stop == end:
                self._pending.popleft()
            else:
                self._pending[0] = (stop, end)
            self._stale = True
        if self._pending:
            self._take_in_timer.start()
        elif self._redraw_when_taken_in:
            self._redraw_when_taken_in = False
            self.redraw()

    def redraw(self) -> None:
        """Show the values taken in since the last redraw (once all queued ones are in)."""
        if self._pending:
            self._redraw_when_taken_in = True
        elif self._stale:
            self._stale = False
            self._drawn = None
            self._draw_visible()

    def hold_drawing(self, hold: bool) -> None:
        """While held (the view lays its rows out: many resizes), view changes are not drawn; releasing draws once."""
        self._held = hold
        if not hold:
            self._on_view_changed()

    def _on_view_changed(self, *args) -> None:
        if self._held:
            return
        if self._stale and not self._pending:
            self.redraw()
            return
        self._draw_visible()
        if self._pending:  # values still being taken in: the rest is drawn when it is in
            self._redraw_when_taken_in = True

    def _find_intervals(self) -> None:
        self._intervals_threshold = self.track.threshold
        self._starts, self._ends = track_runs_above(self.track, self.track.threshold)

    def _draw_visible(self) -> None:
        """Show the view's columns on a grid anchored at base 0: from the image already drawn when it covers them at
        this zoom (a pan), else a new image (over the view, and half a view on each side once the user pans)."""
        if self.pyramid is None:
            return
        vb = self.getViewBox()
        (x0, x1), _ = vb.viewRange()
        pixels = int(round(vb.width()))
        pixels_per_unit = vb.height() / (Y_RANGE[1] - Y_RANGE[0])
        if pixels < 1 or pixels_per_unit < 1 or x1 <= x0:
            self.columns.clear()
            self._drawn = None
            return
        width = (x1 - x0) / pixels   # bases per column
        first = int(np.floor(x0 / width))
        drawn = self._drawn
        same_zoom = drawn is not None and abs(drawn[0] - width) <= 1e-9 * width and drawn[1] == pixels_per_unit
        if same_zoom and drawn[2] <= first and first + pixels + 1 <= drawn[3]:
            return   # a pan within the image drawn: Qt moves it with the view
        # a zoom redraws every frame: the view only; a pan at this zoom: half a view more on each side to pan over
        margin = pixels // 2 if same_zoom else 0
        start, stop = first - margin, first + pixels + 1 + margin
        xa, xb = start * width, stop * width
        mean, low, high = self.pyramid.pixels(xa, xb, stop - start)   # zoomed out with the min..max band
        called = pixels_covered(self._starts, self._ends, xa, xb, stop - start)
        predicted = self.pyramid.predicted(xa, xb, stop - start)
        layers = {"mean": mean, "low": low, "high": high, "called": called, "predicted": predicted,
                  "pixels_per_unit": pixels_per_unit}
        self.columns.set_columns(xa, xb, track_image_codes(mean, low, high, called, pixels_per_unit, predicted, start),
                                 layers)
        self._drawn = (width, pixels_per_unit, start, stop)

    @property
    def gene_calls(self) -> tuple[np.ndarray, np.ndarray]:
        """Starts and ends (0-based half-open) of the runs at or above the threshold: the strip's called genes."""
        return self._starts, self._ends
