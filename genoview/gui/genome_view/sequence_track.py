"""The sequence track: coloured bases on both strands (and optionally six-frame translation) when zoomed in.

Bases are fetched lazily from the record for the bases in view only (a few hundred bytes), and cached
until the view leaves that window. Drawing happens in screen pixels so letters keep their shape.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QStaticText, QTransform

from genoview.gui import canvas
from genoview.gui.genome_view import vector

BASE_COLORS = {"A": "#2e9e44", "C": "#2f6fcc", "G": "#d68a00", "T": "#d23a3a"}  # IGV's convention
OTHER_BASE_COLOR = "#9a9a9a"
COMPLEMENT = str.maketrans("ACGTRYKMBVDHNacgtrykmbvdhn", "TGCAYRMKVBHDNtgcayrmkvbhdn")
MIN_PX_PER_BASE_COLOURS = 1.2  # below this, show a hint instead of bases
MIN_PX_PER_BASE_LETTERS = 7.0
MAX_FETCH = 20_000  # bases in view beyond which the sequence is not fetched at all
CODON_TABLE = {  # the standard genetic code (NCBI table 1)
    a + b + c: aa
    for (a, b, c), aa in zip(
        ((x, y, z) for x in "TCAG" for y in "TCAG" for z in "TCAG"),
        "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
    )
}
STOP_COLOR = "#d23a3a"
START_COLOR = "#2e9e44"
AA_COLOR = canvas.LIGHT.codon   # a codon neither start nor stop, on the light canvas (canvas.current().codon)
SEQUENCE_ROWS = 2
TRANSLATION_ROWS = 6   # frames +1, +2, +3 (forward strand), then -1, -2, -3 (reverse strand, read right to left)
FRAME_NAMES = ("+1", "+2", "+3", "−1", "−2", "−3")
# colour-table index of each byte: A 1, C 2, G 3, T 4 (either case), anything else 5; 0 is a transparent gap
BASE_INDEX = np.full(256, 5, dtype=np.uint8)
for _i, _b in enumerate("ACGT", start=1):
    BASE_INDEX[ord(_b)] = BASE_INDEX[ord(_b.lower())] = _i
COMPLEMENT_INDEX = np.array([0, 4, 3, 2, 1, 5], dtype=np.uint8)


def base_columns(text: str, start: int, sx: float, dx: float, left: int, width: int) -> np.ndarray:
    """Colour index (BASE_INDEX) of each of ``width`` screen columns from device x ``left``, for bases
    ``text`` starting at ``start`` drawn ``sx`` pixels wide at device x ``start * sx + dx``; 0 outside the
    bases and, when bases are 4 pixels or wider, in the last pixel of each (a gap between neighbours)."""
    position = (left + np.arange(width) + 0.5 - dx) / sx   # base coordinate of each column's centre
    index = np.floor(position).astype(np.int64) - start
    inside = (index >= 0) & (index < len(text))
    codes = BASE_INDEX[np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)]
    out = np.where(inside, codes[np.clip(index, 0, max(len(text) - 1, 0))] if len(text) else 0, 0).astype(np.uint8)
    if sx >= 4:
        out[(position - np.floor(position)) * sx > sx - 1] = 0
    return out


def translate_frame(text: str, offset: int) -> list[tuple[int, str]]:
    """Codons of ``text`` starting at ``offset`` as (index of first base, amino acid letter)."""
    upper = text.upper()
    return [(i, CODON_TABLE.get(upper[i : i + 3], "X")) for i in range(offset, len(upper) - 2, 3)]


def translate_reverse_frame(text: str, offset: int) -> list[tuple[int, str]]:
    """Codons of the reverse strand over the same bases: for each codon [i, i + 3) of the forward text (from
    ``offset``), (i, the amino acid of its reverse complement). A minus-strand gene reads right to left: its
    start codon is the rightmost of its codons, its stop codon the leftmost."""
    upper = text.upper()
    return [(i, CODON_TABLE.get(upper[i : i + 3].translate(COMPLEMENT)[::-1], "X"))
            for i in range(offset, len(upper) - 2, 3)]


class SequenceTrackItem(pg.GraphicsObject):
    """Bases of the forward strand (row 0), their complement (row 1), and optional translation rows."""

    def __init__(self) -> None:
        super().__init__()
        self.record: Any = None
        self.show_translation = False
        self._cache: tuple[int, int, str] = (0, 0, "")
        self._font = QFont("monospace")
        self._font.setStyleHint(QFont.StyleHint.Monospace)
        self._font.setPointSizeF(8.5)
        self._font.setBold(True)
        self._hint_font = QFont()
        self._hint_font.setPointSizeF(8.5)
        self._color_table = [0] + [QColor(BASE_COLORS.get(b, OTHER_BASE_COLOR)).rgba() for b in "ACGTN"]
        self._letters: dict[str, QStaticText] = {}

    @property
    def row_count(self) -> int:
        return SEQUENCE_ROWS + (TRANSLATION_ROWS if self.show_translation else 0)

    def set_record(self, record: Any) -> None:
        self.prepareGeometryChange()
        self.record = record
        self._cache = (0, 0, "")
        self.update()

    def set_show_translation(self, show: bool) -> None:
        self.prepareGeometryChange()
        self.show_translation = bool(show)
        self.update()

    def boundingRect(self) -> QRectF:
        length = self.record.length if self.record is not None else 1
        return QRectF(0, 0, length, self.row_count)

    def _text(self, start: int, end: int) -> str:
        c_start, c_end, text = self._cache
        if c_start <= start and end <= c_end and text:
            return text[start - c_start : end - c_start]
        span = end - start
        f_start = max(0, start - span)
        f_end = min(self.record.length, end + span)
        text = self.record.text(f_start, f_end)
        self._cache = (f_start, f_end, text)
        return text[start - f_start : end - f_start]

    def paint(self, painter: QPainter, *args) -> None:
        vb = self.getViewBox()
        if vb is None or self.record is None:
            return
        (x0, x1), _ = vb.viewRange()
        start = max(0, int(np.floor(x0)))
        end = min(self.record.length, int(np.ceil(x1)))
        t = painter.transform()
        sx, dx, sy, dy = t.m11(), t.dx(), t.m22(), t.dy()
        painter.save()
        painter.resetTransform()
        if end - start > MAX_FETCH or abs(sx) < MIN_PX_PER_BASE_COLOURS:
            if canvas.hints_shown():   # a hint for the screen, not for an exported figure
                self._paint_hint(painter, x0 * sx + dx, x1 * sx + dx, sy, dy)
        else:
            self._paint_bases(painter, self._text(start, end), start, sx, dx, sy, dy)
        painter.restore()

    def _paint_hint(self, painter: QPainter, left: float, right: float, sy: float, dy: float) -> None:
        painter.setFont(self._hint_font)
        painter.setPen(QPen(QColor(canvas.current().hint)))
        box = QRectF(left, min(dy, dy + SEQUENCE_ROWS * sy), right - left, abs(SEQUENCE_ROWS * sy))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "Zoom in to see the sequence")

    def _paint_bases(self, painter: QPainter, text: str, start: int, sx: float, dx: float, sy: float, dy: float) -> None:
        """Both strands as one image with a column per screen pixel (numpy), then letters when they fit."""
        row_h = abs(sy)
        gap = 1.0 if sx >= 4 else 0.0
        left = int(np.floor(start * sx + dx))
        width = int(np.ceil((start + len(text)) * sx + dx)) - left
        rows = int(round(row_h))
        top = round(dy if sy > 0 else dy - SEQUENCE_ROWS * rows)   # device y of the image's top row
        row_tops = (top, top + rows) if sy > 0 else (top + rows, top)   # forward strand first (y = 0)
        if width > 0 and rows >= 3 and vector.is_vector(painter):   # SVG/PDF export: a rectangle per base
            self._paint_base_rects(painter, text, start, sx, dx, row_tops, rows, gap)
        elif width > 0 and rows >= 3:
            forward = base_columns(text, start, sx, dx, left, width)
            image = np.zeros((2 * rows, width), dtype=np.uint8)
            for row_top, colours in zip(row_tops, (forward, COMPLEMENT_INDEX[forward])):
                image[row_top - top + 1:row_top - top + rows - 1] = colours
            qimage = QImage(image.data, width, 2 * rows, width, QImage.Format.Format_Indexed8)
            qimage.setColorTable(self._color_table)
            painter.drawImage(QPointF(left, top), qimage)
        if sx >= MIN_PX_PER_BASE_LETTERS:
            lefts = (np.arange(start, start + len(text)) * sx + dx).tolist()
            painter.setPen(QPen(QColor("white")))
            painter.setFont(self._font)
            for row_top, strand_text in zip(row_tops, (text, text.translate(COMPLEMENT))):
                row_top += 1
                for x, base in zip(lefts, strand_text):
                    glyph = self._letter(base)
                    size = glyph.size()
                    painter.drawStaticText(QPointF(x + (sx - gap - size.width()) / 2, row_top + (rows - 2 - size.height()) / 2), glyph)
            painter.setPen(Qt.PenStyle.NoPen)
        if self.show_translation:
            self._paint_translation(painter, text, start, sx, dx, sy, dy, sx >= MIN_PX_PER_BASE_LETTERS)

    def _paint_base_rects(self, painter: QPainter, text: str, start: int, sx: float, dx: float, row_tops, rows: int,
                          gap: float) -> None:
        """Both strands' bases as one rectangle each (vector exports; the screen uses the per-pixel image)."""
        codes = BASE_INDEX[np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)]
        colours = [QColor.fromRgba(c) for c in self._color_table]
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        for row_top, strand in zip(row_tops, (codes, COMPLEMENT_INDEX[codes])):
            for i, code in enumerate(strand.tolist()):
                painter.fillRect(QRectF((start + i) * sx + dx, row_top + 1, max(sx - gap, 0.5), rows - 2), colours[code])
        painter.restore()

    def _letter(self, letter: str) -> QStaticText:
        glyph = self._letters.get(letter)
        if glyph is None:
            glyph = QStaticText(letter)
            glyph.prepare(QTransform(), self._font)
            self._letters[letter] = glyph
        return glyph

    def _paint_translation(self, painter, text, start, sx, dx, sy, dy, letters) -> None:
        """Six frames, phased on the sequence's own coordinates (a codon's first base at position = frame mod 3):
        three on the forward strand, then three on the reverse strand (reverse-complemented codons)."""
        row_h = abs(sy)
        colors = canvas.current()
        for frame in range(TRANSLATION_ROWS):
            offset = (frame % 3 - start) % 3
            row = SEQUENCE_ROWS + frame
            top = row * sy + dy + (1 if sy > 0 else -row_h + 1)
            translate = translate_frame if frame < 3 else translate_reverse_frame
            for i, aa in translate(text, offset):
                left = (start + i) * sx + dx
                color = STOP_COLOR if aa == "*" else START_COLOR if aa == "M" else colors.codon
                painter.fillRect(QRectF(left, top, 3 * sx - 1, row_h - 2), QColor(color))
                if letters:
                    painter.setPen(QPen(QColor("white" if aa in "*M" else colors.codon_text)))
                    painter.drawText(QRectF(left, top, 3 * sx - 1, row_h - 2), Qt.AlignmentFlag.AlignCenter, aa)
                    painter.setPen(Qt.PenStyle.NoPen)
            self._paint_frame_name(painter, FRAME_NAMES[frame], QRectF(dx + start * sx, top, 22, row_h - 2))

    def _paint_frame_name(self, painter: QPainter, name: str, box: QRectF) -> None:
        """The frame's name at the left edge of the view ('+1' ... '−3'), on a white tab so codons do not hide it."""
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(*canvas.current().tab))
        painter.drawRect(box)
        painter.setPen(QPen(QColor(canvas.current().tab_text)))
        painter.setFont(self._hint_font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, name)
        painter.restore()
