"""The annotation track: features as strand arrows, packed into rows, named when there is room.

Rather than replaying a QPicture of every feature (STYLE.md 8), each paint culls to the features in
view with a binary search on sorted starts and, when zoomed out, merges features closer than a pixel
into runs with numpy. That keeps whole-genome frames to a few hundred rectangles for E. coli's ~4.5k
genes, needs no re-render when zooming, and draws glyphs and labels in screen pixels so they keep
their shape at any zoom.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen, QPolygonF

from genoview.gui import canvas

HIDDEN_TYPES = {"region", "source", "chromosome", "contig", "supercontig", "databank_entry", "scaffold"}
TYPE_COLORS = {
    "gene": "#3a6fb0",
    "CDS": "#3a6fb0",
    "mRNA": "#5b8bc9",
    "exon": "#5b8bc9",
    "pseudogene": "#8c8c8c",
    "tRNA": "#2e8b57",
    "rRNA": "#7b4fa6",
    "ncRNA": "#c0622b",
    "tmRNA": "#c0622b",
}
OTHER_COLOR = "#6b6b6b"
ROW_PIXELS = 18  # height of one row of features on screen
GLYPH_FRACTION = 0.62  # share of a row the glyph fills
MERGE_BELOW_PX = 2.0  # features closer than this on screen are drawn as one run


def display_features(features: Sequence[Any]) -> list[Any]:
    """The features worth a glyph: top-level ones (a gene, not its CDS/exons), no whole-sequence 'region'.

    A parentless feature with the exact extent and strand of a gene (GenBank's CDS beside its gene)
    is the same locus drawn twice, so it is dropped.
    """
    shown = [f for f in features if f.type not in HIDDEN_TYPES and not f.parent]
    if not shown:
        shown = _one_kind_per_parent([f for f in features if f.type not in HIDDEN_TYPES])
    genes = {(f.start, f.end, f.strand) for f in shown if f.type in ("gene", "pseudogene")}
    return [f for f in shown if f.type in ("gene", "pseudogene") or (f.start, f.end, f.strand) not in genes]


PART_PRIORITY = {"CDS": 0, "exon": 1}   # what stands for a transcript given only by its parts


def _one_kind_per_parent(parts: Sequence[Any]) -> list[Any]:
    """A GTF of exon and CDS lines only (no gene or transcript lines; GeneMark's, a trimmed Ensembl file) drew every
    gene twice, its exon and its CDS in two rows: keep each parent's CDS, else its exons, else what it has."""
    if not parts:
        return []
    other = len(PART_PRIORITY)
    best: dict[Any, int] = {}
    for f in parts:
        rank = PART_PRIORITY.get(f.type, other)
        if rank < best.get(f.parent, other + 1):
            best[f.parent] = rank
    return [f for f in parts if PART_PRIORITY.get(f.type, other) == best[f.parent]]


def pack_rows(starts: np.ndarray, ends: np.ndarray, gap: int = 0) -> np.ndarray:
    """Greedy row packing: each feature (sorted by start) goes in the first row free at its start."""
    rows = np.zeros(len(starts), dtype=np.int32)
    row_ends: list[int] = []
    # Python ints: comparing numpy scalars one by one cost 3x as much (tens of ms per genome opened)
    starts = starts.tolist() if hasattr(starts, "tolist") else list(starts)
    ends = ends.tolist() if hasattr(ends, "tolist") else list(ends)
    for i in range(len(starts)):
        start = starts[i]
        for row, row_end in enumerate(row_ends):
            if row_end + gap <= start:
                rows[i] = row
                row_ends[row] = ends[i]
                break
        else:
            rows[i] = len(row_ends)
            row_ends.append(ends[i])
    return rows


def merge_runs(starts: np.ndarray, ends: np.ndarray, max_gap: float) -> tuple[np.ndarray, np.ndarray]:
    """Merge sorted intervals whose gaps are at most ``max_gap`` into runs (vectorised)."""
    if len(starts) == 0:
        return starts, ends
    reach = np.maximum.accumulate(ends)
    new_run = np.empty(len(starts), dtype=bool)
    new_run[0] = True
    new_run[1:] = starts[1:] > reach[:-1] + max_gap
    first = np.flatnonzero(new_run)
    last = np.append(first[1:], len(starts)) - 1
    return starts[first], reach[last]


def feature_label(feature: Any) -> str:
    return feature.name or feature.attributes.get("locus_tag") or feature.id or feature.type


def feature_summary(feature: Any) -> str:
    """One line for a tooltip: name, type, 1-based coordinates, strand, length."""
    strand = {1: "+", -1: "−"}.get(feature.strand, ".")
    return (
        f"{feature_label(feature)} ({feature.type}) {feature.seqid}:{feature.start + 1:,}-{feature.end:,} "
        f"{strand} strand, {feature.end - feature.start:,} bp"
    )


class FeatureTrackItem(pg.GraphicsObject):
    """All displayed features of one sequence; + strand rows on top, − strand rows below."""

    feature_clicked = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.features: list[Any] = []
        self._length = 1
        self._starts = np.zeros(0, dtype=np.int64)
        self._ends = np.zeros(0, dtype=np.int64)
        self._rows = np.zeros(0, dtype=np.int32)
        self._row_members: list[np.ndarray] = []
        self._shown_rows = np.zeros(1, dtype=np.int64)
        self.plus_row_count = 1
        self._strands = np.zeros(0, dtype=np.int8)
        self._max_len = 0
        self.row_count = 1
        self._font = QFont()
        self._font.setPointSizeF(8.0)
        self._metrics = QFontMetricsF(self._font)
        self._colors = {}
        self._run_brushes = (QBrush(QColor(TYPE_COLORS["gene"])), QBrush(QColor("#4f86c6")))  # + rows, − rows
        self.setAcceptHoverEvents(True)
        self.empty_hint = ""   # drawn across the row while it has no feature (e.g. how to add an annotation)

    # --- data ----------------------------------------------------------------------------------
    def set_features(self, features: Sequence[Any], length: int) -> None:
        """Lay out ``features`` (of one sequence) once: sort, pack rows per strand."""
        shown = display_features(features)
        # sorted by (start, end) in numpy (stable, as sorted() was): a key function per feature was most of the time
        # a genome's opening held the window (E. coli: 9,590 features)
        starts = np.fromiter((f.start for f in shown), dtype=np.int64, count=len(shown))
        ends = np.fromiter((f.end for f in shown), dtype=np.int64, count=len(shown))
        order = np.lexsort((ends, starts))
        shown = [shown[i] for i in order.tolist()]
        self.prepareGeometryChange()
        self.features = shown
        self._length = max(1, int(length))
        self._starts = starts[order]
        self._ends = ends[order]
        self._strands = np.fromiter((1 if f.strand >= 0 else -1 for f in shown), dtype=np.int8, count=len(shown))
        self._max_len = int((self._ends - self._starts).max()) if shown else 0
        rows = np.zeros(len(shown), dtype=np.int32)
        plus = self._strands > 0
        plus_rows = pack_rows(self._starts[plus], self._ends[plus])
        minus_rows = pack_rows(self._starts[~plus], self._ends[~plus])
        n_plus = int(plus_rows.max()) + 1 if len(plus_rows) else 1
        n_minus = int(minus_rows.max()) + 1 if len(minus_rows) else 1
        rows[plus] = plus_rows
        rows[~plus] = n_plus + minus_rows
        self._rows = rows
        self._row_members = [np.flatnonzero(rows == row) for row in range(n_plus + n_minus)]  # sorted by start
        self.plus_row_count = n_plus
        self.row_count = n_plus + n_minus
        self._shown_rows = np.arange(self.row_count)   # global row drawn at each display row (set by paint)
        # one QColor per type, not per feature (E. coli's 9,590 features made 9,590 QColors on opening)
        self._colors = {kind: QColor(TYPE_COLORS.get(kind, OTHER_COLOR)) for kind in {f.type for f in shown}}
        self.update()

    def clear(self) -> None:
        self.set_features([], 1)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self._length, self.row_count)

    # --- lookup ----------------------------------------------------------------------------------
    def _in_range(self, x0: float, x1: float) -> np.ndarray:
        lo = int(np.searchsorted(self._starts, x0 - self._max_len, side="left"))
        hi = int(np.searchsorted(self._starts, x1, side="right"))
        idx = np.arange(lo, hi)
        return idx[self._ends[lo:hi] > x0]

    def rows_in_view(self, x0: float, x1: float) -> int:
        """How many rows ``paint`` draws for the view [x0, x1] (only rows with a feature in view are drawn)."""
        idx = self._in_range(x0, x1)
        return int(np.unique(self._rows[idx]).size) if len(idx) else 0

    def feature_at(self, x: float, y: float, tolerance_bp: float = 0.0) -> Any | None:
        """The feature drawn at data point (x, row y), or None; the shortest wins where several overlap."""
        shown = int(np.floor(y))
        if not 0 <= shown < len(self._shown_rows):
            return None
        row = self._shown_rows[shown]
        idx = self._in_range(x - tolerance_bp, x + tolerance_bp)
        idx = idx[self._rows[idx] == row]
        if len(idx) == 0:
            return None
        best = idx[np.argmin(self._ends[idx] - self._starts[idx])]
        return self.features[int(best)]

    def drawn_row(self, feature: Any) -> int | None:
        """The row (0 = top) where ``feature`` was last drawn, or None when it was not in view."""
        row = self._rows[self.features.index(feature)]
        shown = int(np.searchsorted(self._shown_rows, row))
        return shown if shown < len(self._shown_rows) and self._shown_rows[shown] == row else None

    def _tolerance_bp(self) -> float:
        vb = self.getViewBox()
        if vb is None:
            return 0.0
        (x0, x1), _ = vb.viewRange()
        width = max(1.0, vb.width())
        return 3.0 * (x1 - x0) / width

    def mouseClickEvent(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        feature = self.feature_at(ev.pos().x(), ev.pos().y(), self._tolerance_bp())
        if feature is not None:
            ev.accept()
            self.feature_clicked.emit(feature)

    def hoverEvent(self, ev) -> None:
        if ev.isExit():
            self.setToolTip("")
            return
        feature = self.feature_at(ev.pos().x(), ev.pos().y(), self._tolerance_bp())
        self.setToolTip(feature_summary(feature) if feature is not None else "")

    # --- drawing ---------------------------------------------------------------------------------
    def paint(self, painter: QPainter, *args) -> None:
        vb = self.getViewBox()
        if vb is not None and not self.features and self.empty_hint and canvas.hints_shown():   # not in a figure
            self._paint_empty_hint(painter, vb)
        if vb is None or not self.features:
            return
        (x0, x1), _ = vb.viewRange()
        idx = self._in_range(x0, x1)
        if len(idx) == 0:
            return
        t = painter.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        bp_per_px = 1.0 / max(abs(sx), 1e-12)
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        glyph_h = abs(sy) * GLYPH_FRACTION
        # only the rows with a feature in view are drawn, packed from the top: no empty rows between the strands
        used = np.unique(self._rows[idx])
        self._shown_rows = used
        display = np.full(self.row_count, -1, dtype=np.int64)
        display[used] = np.arange(len(used))
        separator = QPen(QColor(canvas.current().separator), 1, Qt.PenStyle.DashLine)  # + strand rows above, − strand rows below
        painter.setPen(separator)
        y_sep = int(np.searchsorted(used, self.plus_row_count)) * sy + dy
        painter.drawLine(QPointF(x0 * sx + dx, y_sep), QPointF(x1 * sx + dx, y_sep))
        if len(idx) > 600 or bp_per_px * MERGE_BELOW_PX > 60:
            self._paint_runs(painter, x0, x1, bp_per_px, sx, dx, sy, dy, glyph_h, display, (x0 * sx + dx, x1 * sx + dx))
        else:
            self._paint_glyphs(painter, idx, sx, dx, sy, dy, glyph_h, (x0 * sx + dx, x1 * sx + dx), display)
        painter.restore()

    def _paint_empty_hint(self, painter: QPainter, vb) -> None:
        """The row's hint, grey and centred in the view (as the sequence row's "Zoom in to see the sequence")."""
        (x0, x1), _ = vb.viewRange()
        t = painter.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._font)
        painter.setPen(QPen(QColor(canvas.current().hint)))
        box = QRectF(x0 * sx + dx, min(dy, dy + sy), (x1 - x0) * sx, abs(sy))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.empty_hint)
        painter.restore()

    def _row_top(self, row: int, sy: float, dy: float, glyph_h: float) -> float:
        centre = (row + 0.5) * sy + dy
        return centre - glyph_h / 2

    def _paint_runs(self, painter, x0, x1, bp_per_px, sx, dx, sy, dy, glyph_h, display, view_px) -> None:
        """Zoomed out: one rectangle per run of features closer than a couple of pixels, per row; cut to the view by
        geometry (an SVG export does not keep the view's clip: bars ran over the row labels)."""
        painter.setPen(Qt.PenStyle.NoPen)
        for row, members in enumerate(self._row_members):
            if display[row] < 0:
                continue
            starts, ends = self._starts[members], self._ends[members]
            lo = int(np.searchsorted(starts, x0 - self._max_len))
            hi = int(np.searchsorted(starts, x1, side="right"))
            starts, ends = starts[lo:hi], ends[lo:hi]
            keep = ends > x0
            starts, ends = merge_runs(starts[keep], ends[keep], bp_per_px * MERGE_BELOW_PX)
            if len(starts) == 0:
                continue
            left = np.maximum(starts * sx + dx, view_px[0])
            width = np.maximum(np.minimum(ends * sx + dx, view_px[1]) - left, 1.0)
            top = self._row_top(int(display[row]), sy, dy, glyph_h)
            painter.setBrush(self._run_brushes[row >= self.plus_row_count])
            painter.drawRects([QRectF(a, top, w, glyph_h) for a, w in zip(left.tolist(), width.tolist())])

    def _paint_glyphs(self, painter, idx, sx, dx, sy, dy, glyph_h, view_px: tuple[float, float], display) -> None:
        """Zoomed in: an arrow per feature, pointing along its strand, with its name when it fits."""
        painter.setFont(self._font)
        text_pen = QPen(QColor("white"))
        outline = QPen(QColor(0, 0, 0, 90))
        outline.setWidthF(0.8)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for i in idx:
            feature = self.features[int(i)]
            left = self._starts[i] * sx + dx
            right = self._ends[i] * sx + dx
            width = max(right - left, 1.0)
            top = self._row_top(int(display[self._rows[i]]), sy, dy, glyph_h)
            head = min(glyph_h * 0.7, width * 0.5)
            mid = top + glyph_h / 2
            bottom = top + glyph_h
            if feature.strand > 0:
                points = [(left, top), (left + width - head, top), (left + width, mid), (left + width - head, bottom), (left, bottom)]
            elif feature.strand < 0:
                points = [(left + head, top), (left + width, top), (left + width, bottom), (left + head, bottom), (left, mid)]
            else:
                points = [(left, top), (left + width, top), (left + width, bottom), (left, bottom)]
            points = [(min(max(px, view_px[0]), view_px[1]), py) for px, py in points]   # cut to the view (SVG)
            painter.setPen(outline)
            painter.setBrush(QBrush(self._colors.get(feature.type, QColor(OTHER_COLOR))))
            painter.drawPolygon(QPolygonF([QPointF(px, py) for px, py in points]))
            # the label stays on the visible part of a glyph that runs off screen
            body_left = max(left + (head if feature.strand < 0 else 0), view_px[0]) + 2
            body_right = min(left + width - (head if feature.strand > 0 else 0), view_px[1]) - 2
            room = body_right - body_left
            if room > 12:
                text = self._metrics.elidedText(feature_label(feature), Qt.TextElideMode.ElideRight, room)
                if len(text) >= 2 and text != "…":
                    painter.setPen(text_pen)
                    painter.drawText(QRectF(body_left, top, room, glyph_h), Qt.AlignmentFlag.AlignCenter, text)
