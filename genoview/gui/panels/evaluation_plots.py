"""The evaluation panel's pictures: a clickable confusion matrix, ROC and PR curves, a probability histogram.

Exports (:func:`save_plot`) redraw each picture at figure size (900 x 675 logical pixels, larger fonts):
PNG at twice that (1800 px wide), SVG as vectors. The SVG generator gets the screen's resolution: at its
default 72 dpi, pyqtgraph's pixel-sized items (cosmetic pens, markers, the grid) were laid out for 96 dpi
and the data drew 4/3 larger than the axes (the misaligned, split-grid SVGs of issue 13).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genoview.core.evaluation import Confusion
from genoview.gui import canvas
from genoview.gui.table_copy import make_copyable

GENIC_COLOR = "#2ca02c"
NONGENIC_COLOR = "#7f7f7f"
MARKER_COLOR = "#d62728"

# (row, column) of each cell: rows are the annotation, columns the prediction
CELLS = {"tp": (0, 0), "fn": (0, 1), "fp": (1, 0), "tn": (1, 1)}
CELL_NAMES = {"tp": "true positives", "fn": "false negatives", "fp": "false positives", "tn": "true negatives"}
FIGURE_SIZE = QSize(900, 675)   # logical pixels of an exported figure
PNG_SCALE = 2                   # PNG pixels per logical pixel: 1800 px wide
FIGURE_FONT_PT = 14             # tick labels; axis labels and titles a little larger


class ConfusionMatrixWidget(QTableWidget):
    """A 2x2 table of counts, shaded by share of all bases; clicking FP or FN asks for those stretches."""

    cell_chosen = Signal(str)  # "tp" | "fn" | "fp" | "tn"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(2, 2, parent)
        self.setHorizontalHeaderLabels(["Predicted\ngenic", "Predicted\nnon-genic"])
        self.setVerticalHeaderLabels(["Annotated\ngenic", "Annotated\nnon-genic"])
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.setToolTip("Click the false-positive or false-negative cell (or press Enter on it) to list those "
                       "stretches")
        # tall enough for both rows' three lines (name, count, share) under the two-line headers: at 110 px
        # the rows got two lines each and a whole genome's counts read "1,214,103..." with the share hidden
        line = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(2 * line + 10 + 2 * (3 * line + 8) + 2 * self.frameWidth())
        self.shown: Confusion | None = None
        self.threshold: float | None = None
        for kind, (row, column) in CELLS.items():
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignCenter)
            item.setData(Qt.UserRole, kind)
            self.setItem(row, column, item)
        self.cellClicked.connect(self._on_clicked)
        self.cellActivated.connect(self._on_clicked)   # Enter on a cell: a keyboard user could not list FP / FN
        self.setTabKeyNavigation(False)   # the arrows move between the cells; Tab goes on to the list of stretches

    def set_confusion(self, confusion: Confusion | None) -> None:
        """Show the counts (or blanks); cells are shaded green when right, red when wrong."""
        self.shown = confusion
        total = confusion.n if confusion is not None else 0
        for kind, (row, column) in CELLS.items():
            item = self.item(row, column)
            if confusion is None:
                item.setText("")
                item.setBackground(QBrush())
                continue
            count = getattr(confusion, kind)
            share = count / total if total else 0.0
            item.setText(f"{kind.upper()}\n{count:,}\n{share:.1%}")
            base = QColor("#2ca02c" if kind in ("tp", "tn") else "#d62728")
            base.setAlphaF(0.12 + 0.6 * share)
            item.setBackground(QBrush(base))
            item.setToolTip(f"{CELL_NAMES[kind]}: {count:,} bases")

    def count_text(self, kind: str) -> str:
        row, column = CELLS[kind]
        return self.item(row, column).text()

    def _on_clicked(self, row: int, column: int) -> None:
        self.cell_chosen.emit(self.item(row, column).data(Qt.UserRole))


def _plot_widget(title: str, x_label: str, y_label: str) -> pg.PlotWidget:
    """A white plot whose pyqtgraph popup menus belong to it (they are parentless windows otherwise,
    outliving the panel until garbage collection)."""
    before = set(QApplication.topLevelWidgets())
    widget = pg.PlotWidget(background=canvas.canvas_for().background)   # the desktop's light or dark canvas
    for orphan in set(QApplication.topLevelWidgets()) - before - {widget}:
        orphan.setParent(widget, orphan.windowFlags())
    item = widget.getPlotItem()
    item.setTitle(title, color=canvas.current().text, size="10pt")
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.2)
    item.setMenuEnabled(False)
    widget.setMinimumSize(180, 160)
    canvas.style_plot(widget, canvas.current())
    return widget


class CurvePlot(QWidget):
    """A ROC or PR curve in the unit square with a marker at the current threshold."""

    def __init__(self, title: str, x_label: str, y_label: str, diagonal: bool, fit_y: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fit_y = fit_y
        self._args = (title, x_label, y_label, diagonal, fit_y)
        self.plot = _plot_widget(title, x_label, y_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        item = self.plot.getPlotItem()
        item.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.02)
        item.setMouseEnabled(x=False, y=False)
        if diagonal:
            item.plot([0, 1], [0, 1], pen=pg.mkPen("#bbbbbb", style=Qt.DashLine))
        self.curve = item.plot([], [], pen=pg.mkPen("#1f77b4", width=2))
        # drawn as a path, not a cached pixmap: pixmap fragments smear in SVG exports
        self.marker = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(MARKER_COLOR), pen=pg.mkPen("w", width=1.5),
                                         useCache=False)
        item.addItem(self.marker)
        self.caption = pg.TextItem(color=canvas.current().text, anchor=(1, 1))
        self.caption.setPos(0.98, 0.02)
        item.addItem(self.caption)
        canvas.follow_palette(self, lambda: canvas.style_plot(self.plot, canvas.canvas_for(self)))

    def set_curve(self, x, y, caption: str = "") -> None:
        y = np.asarray(y, dtype=float)
        self.curve.setData(np.asarray(x, dtype=float), y)
        self.caption.setText(caption)
        if self.fit_y and y.size:
            # precision rarely drops far below the genic fraction: show that band, not the empty square
            low = max(0.0, np.floor((float(np.nanmin(y)) - 0.05) * 10) / 10)
            self.plot.getPlotItem().setYRange(low, 1.0, padding=0.02)
            self.caption.setPos(0.98, low + 0.02 * (1 - low))

    def set_marker(self, x: float | None, y: float | None) -> None:
        self.marker.setData([] if x is None else [x], [] if y is None else [y])

    def figure_copy(self) -> CurvePlot:
        """The same curve, marker and caption in a new widget styled for a figure (see :func:`save_plot`)."""
        twin = CurvePlot(*self._args)
        x, y = self.curve.getData()
        twin.set_curve([] if x is None else x, [] if y is None else y, self.caption.toPlainText())
        marker = self.marker_position()
        twin.set_marker(*(marker if marker is not None else (None, None)))
        twin.marker.setSize(16)
        twin.caption.setFont(QFont(twin.font().family(), FIGURE_FONT_PT + 2))
        _figure_style(twin.plot, self._args[0])
        return twin

    def marker_position(self) -> tuple[float, float] | None:
        x, y = self.marker.getData()
        return (float(x[0]), float(y[0])) if len(x) else None

    def clear(self) -> None:
        self.set_curve([], [])
        self.set_marker(None, None)


LOG_FLOOR = -6  # shares below 1e-6 are drawn at the floor of the log axis


def bar_outline(edges, share) -> tuple[np.ndarray, np.ndarray]:
    """The outline of a histogram's bars on the log axis, (x, y) with NaN between runs of bins: each run of
    non-empty bins rises from the floor, steps along its tops and drops back; an empty bin draws no bar (a step
    curve drew it at the floor, an outline along the axis as if some bases were there)."""
    edges = np.asarray(edges, dtype=float)
    share = np.asarray(share, dtype=float)
    xs: list[float] = []
    ys: list[float] = []
    floor = float(LOG_FLOOR)
    for i, value in enumerate(share):
        if not value > 0:
            continue
        top = float(np.log10(max(value, 10.0 ** LOG_FLOOR)))
        if not (i > 0 and share[i - 1] > 0):   # a run starts: break from the last one, rise from the floor
            if xs:
                xs.append(np.nan)
                ys.append(np.nan)
            xs.append(edges[i])
            ys.append(floor)
        xs += [edges[i], edges[i + 1]]
        ys += [top, top]
        if not (i + 1 < len(share) and share[i + 1] > 0):   # the run ends: back to the floor
            xs.append(edges[i + 1])
            ys.append(floor)
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


HISTOGRAM_TITLE = "Predicted probability by annotation"
HISTOGRAM_LEGEND = (("■", GENIC_COLOR, "annotated genic"), ("■", NONGENIC_COLOR, "annotated non-genic"),
                    ("┃", MARKER_COLOR, "threshold"))


class ProbabilityHistogram(QWidget):
    """Predicted probabilities of annotated-genic and non-genic bases, each as a share of its class, on a
    log axis (both classes pile up near 0 and 1; the overlap in between is what matters)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot_widget(HISTOGRAM_TITLE, "probability", "share of class")
        self._title_for(canvas.current())
        canvas.follow_palette(self, lambda: self._title_for(canvas.canvas_for(self)))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.getAxis("left").setTicks([[(v, "1" if v == 0 else f"1e{v}") for v in range(LOG_FLOOR, 1)]])
        self.genic = item.plot([], [], pen=pg.mkPen(GENIC_COLOR, width=2),
                               fillLevel=LOG_FLOOR, brush=pg.mkBrush(44, 160, 44, 60), name="annotated genic")
        self.nongenic = item.plot([], [], pen=pg.mkPen(NONGENIC_COLOR, width=2),
                                  fillLevel=LOG_FLOOR, brush=pg.mkBrush(127, 127, 127, 60), name="annotated non-genic")
        self.threshold_line = pg.InfiniteLine(0.5, angle=90, movable=False, pen=pg.mkPen(MARKER_COLOR, width=2))
        item.addItem(self.threshold_line)
        item.setRange(xRange=(0, 1), yRange=(LOG_FLOOR, 0.2), padding=0.02)
        self._data = ([0.0, 1.0], [0], [0])
        self._shares = (np.zeros(1), np.zeros(1))

    def _title_for(self, colors) -> None:
        """The title and legend in the canvas's text colour (the plot too, when the desktop switches theme)."""
        canvas.set_plot_title(self.plot.getPlotItem(),
                              canvas.title_with_legend(HISTOGRAM_TITLE, 10, HISTOGRAM_LEGEND, colors.text), 44,
                              color=colors.text)
        canvas.style_plot(self.plot, colors)

    def set_histogram(self, edges, genic, nongenic) -> None:
        self._data = (edges, genic, nongenic)
        edges = np.asarray(edges, dtype=float)
        drawn = []
        for curve, counts in ((self.genic, genic), (self.nongenic, nongenic)):
            counts = np.asarray(counts, dtype=float)
            total = counts.sum()
            share = counts / total if total else counts
            curve.setData(*bar_outline(edges, share), connect="finite")
            drawn.append(np.where(share > 0, np.maximum(share, 10.0 ** LOG_FLOOR), 0.0))
        self._shares = tuple(drawn)

    def shares(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn shares (genic, non-genic) per bin, floored at 1e-6; 0 for an empty bin (no bar)."""
        return self._shares

    def set_threshold(self, threshold: float) -> None:
        self.threshold_line.setValue(threshold)

    def clear(self) -> None:
        self.set_histogram([0, 1], [0], [0])

    def figure_copy(self) -> ProbabilityHistogram:
        """The same histogram and threshold in a new widget styled for a figure (see :func:`save_plot`)."""
        twin = ProbabilityHistogram()
        twin.set_histogram(*self._data)
        twin.set_threshold(self.threshold_line.value())
        twin.threshold_line.setPen(pg.mkPen(MARKER_COLOR, width=3))
        _figure_style(twin.plot, canvas.title_with_legend(HISTOGRAM_TITLE, FIGURE_FONT_PT + 4, HISTOGRAM_LEGEND))
        return twin


GENE_SCORE_HELP = {   # the rows of core.evaluation_scope's gene scores, in words (tooltips)
    "Annotated CDS": "Protein-coding genes (CDS) of the annotation in the scored part.",
    "Genes called": "Genes the track's calls hold in the scored part.",
    "Same stop": "Called genes that end at the same stop codon, on the same strand, as an annotated CDS: the gene "
                 "is found, whatever its start.",
    "Sensitivity (stop)": "Share of annotated CDS found by stop codon (0 to 1): how few genes are missed.",
    "Precision (stop)": "Share of called genes whose stop codon matches an annotated CDS (0 to 1): how few calls "
                        "are false.",
    "Same start and stop": "Called genes with exactly the annotated start and stop codons.",
    "Sensitivity (start and stop)": "Share of annotated CDS called with the exact start as well (0 to 1).",
    "Precision (start and stop)": "Share of called genes with the exact annotated start and stop (0 to 1).",
}


class GeneScoresView(QWidget):
    """Gene-level scores: genes called from the track, matched to the annotated CDS by stop (and start).

    Calling genes takes seconds on a genome, so it runs when asked (``requested``); the panel fills the table.
    """

    requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtWidgets import QPushButton

        from genoview.gui.name_wrap import NameWrappingLabel

        self.note = NameWrappingLabel("Evaluate a track first.")   # names a long contig name: it may break
        self.button = QPushButton("Call genes from the track and score them")
        self.button.setToolTip("Genes (ORFs) called with the track's evidence, matched to the annotated CDS by exact "
                               "stop codon, and by stop and start, over the predicted part of the scope")
        self.button.setEnabled(False)
        self.button.clicked.connect(self.requested)
        self.table = QTableWidget(0, 1)
        make_copyable(self.table)
        self.table.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.table.setHorizontalHeaderLabels(["Value"])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.horizontalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.button)
        layout.addWidget(self.table, 1)

    def set_scores(self, scores: dict | None, note: str = "") -> None:
        """Show ``scores`` (label -> number or text); None clears the table. ``note`` replaces the sentence above."""
        scores = scores or {}
        self.scores = dict(scores)   # what File/Export > Metrics adds (the Genes tab's rows were left out of it)
        self.table.setRowCount(len(scores))
        self.table.setVerticalHeaderLabels([str(k) for k in scores])
        for row, value in enumerate(scores.values()):
            text = f"{value:,}" if isinstance(value, int) else f"{value:.4f}" if isinstance(value, float) else str(value)
            item = QTableWidgetItem(text)
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.table.setItem(row, 0, item)
        for row, label in enumerate(scores):
            tip = GENE_SCORE_HELP.get(str(label), "")
            self.table.verticalHeaderItem(row).setToolTip(tip)
            self.table.item(row, 0).setToolTip(tip)
        # every row in sight: the table scrolled inside a short tab (2 of 8 rows showed under the evaluation dock's
        # other parts); the dock's own scroll bar reaches the rest
        rows = self.table.verticalHeader().length() if scores else 0
        self.table.setMinimumHeight(min(rows, 12 * self.table.verticalHeader().defaultSectionSize())
                                    + 2 * self.table.frameWidth() + 2 if scores else 0)
        if note:
            self.note.setText(note)

    def value(self, label: str) -> str | None:
        for row in range(self.table.rowCount()):
            if self.table.verticalHeaderItem(row).text() == label:
                return self.table.item(row, 0).text()
        return None


def _figure_style(plot: pg.PlotWidget, title: str) -> None:
    """Figure-size fonts and thicker lines for an exported copy of a plot."""
    item = plot.getPlotItem()
    canvas.style_plot(plot, canvas.LIGHT)   # a figure is on white whatever the desktop's theme
    tick_font = QFont(plot.font().family(), FIGURE_FONT_PT)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setStyle(tickFont=tick_font, tickTextOffset=8)
        axis.setTextPen(pg.mkPen("#222222"))
        axis.setPen(pg.mkPen("#444444", width=1.5))
        axis.label.setFont(QFont(plot.font().family(), FIGURE_FONT_PT + 2))
    item.getAxis("left").setWidth(90)
    item.getAxis("bottom").setHeight(70)
    canvas.set_plot_title(item, title, 84 if "<br>" in title else 48, size=f"{FIGURE_FONT_PT + 4}pt", color=canvas.LIGHT.text)
    for curve in item.listDataItems():
        pen = curve.opts.get("pen")
        if pen is not None:
            pen = pg.mkPen(pen)
            pen.setWidthF(max(pen.widthF(), 1.0) * 1.5)
            curve.setPen(pen)


def save_plot(widget: QWidget, path: str | os.PathLike) -> None:
    """Export a panel picture: a ROC/PR curve or the histogram (figure copy), or the confusion matrix.

    ``.png``: 1800 x 1350 pixels; ``.svg``: vectors on a 900 x 675 canvas. Raises OSError or ValueError.
    """
    path = os.fspath(path)
    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"choose a .png or .svg file name, not {Path(path).name!r}")
    if isinstance(widget, ConfusionMatrixWidget):
        def draw(painter: QPainter, target: QRectF) -> None:
            painter.scale(target.width() / FIGURE_SIZE.width(), target.height() / FIGURE_SIZE.height())
            paint_confusion(painter, QRectF(0, 0, FIGURE_SIZE.width(), FIGURE_SIZE.height()), widget.shown,
                            widget.threshold)

        _write_picture(draw, path, suffix)
        return
    twin = widget.figure_copy()
    try:
        twin.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        twin.resize(FIGURE_SIZE)
        twin.show()   # laid out (axes sized to the fonts) without appearing
        QCoreApplication.processEvents()
        # QGraphicsView.render scales the view onto the target: vectors at any size, fonts included
        _write_picture(lambda painter, target: twin.plot.render(painter, target), path, suffix, twin.plot.logicalDpiX())
    finally:
        twin.close()
        twin.deleteLater()
        QCoreApplication.sendPostedEvents(twin, QEvent.Type.DeferredDelete)


def _write_picture(draw, path: str, suffix: str, dpi: int = 96) -> None:
    """Run ``draw(painter, target)`` into an SVG (FIGURE_SIZE canvas) or a PNG (PNG_SCALE times larger)."""
    if suffix == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(FIGURE_SIZE)
        generator.setViewBox(QRect(0, 0, FIGURE_SIZE.width(), FIGURE_SIZE.height()))
        generator.setResolution(dpi)   # the screen's: pyqtgraph's pixel-sized items are laid out for it
        generator.setTitle("GenoView")
        painter = QPainter(generator)
        try:
            target = QRectF(0, 0, FIGURE_SIZE.width(), FIGURE_SIZE.height())
            painter.fillRect(target, QColor("white"))
            draw(painter, target)
        finally:
            painter.end()
    else:
        image = QImage(FIGURE_SIZE * PNG_SCALE, QImage.Format.Format_ARGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            draw(painter, QRectF(0, 0, image.width(), image.height()))
        finally:
            painter.end()
        if not image.save(path):
            raise OSError(f"Qt could not write the image {path}")
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        raise OSError(f"the image {path} was not written")


def paint_confusion(painter: QPainter, rect: QRectF, confusion: Confusion | None, threshold: float | None = None) -> None:
    """The confusion matrix as a figure: headers, four shaded cells with name, count and share of all bases."""
    family = QApplication.font().family()
    w, h = rect.width(), rect.height()
    title = "Bases by annotation and prediction" + (f" (threshold {threshold:.3f})" if threshold is not None else "")
    painter.setPen(QColor("#111111"))
    painter.setFont(QFont(family, FIGURE_FONT_PT + 4))
    painter.drawText(QRectF(rect.left(), rect.top(), w, h * 0.12), Qt.AlignCenter, title)
    left, top = rect.left() + w * 0.26, rect.top() + h * 0.26
    cell_w, cell_h = (w * 0.96 - (left - rect.left())) / 2, (h * 0.97 - (top - rect.top())) / 2
    painter.setFont(QFont(family, FIGURE_FONT_PT + 1, QFont.Weight.DemiBold))
    for column, text in enumerate(("Predicted\ngenic", "Predicted\nnon-genic")):
        painter.drawText(QRectF(left + column * cell_w, rect.top() + h * 0.12, cell_w, top - rect.top() - h * 0.12),
                         Qt.AlignCenter, text)
    for row, text in enumerate(("Annotated\ngenic", "Annotated\nnon-genic")):
        painter.drawText(QRectF(rect.left(), top + row * cell_h, left - rect.left() - 10, cell_h),
                         Qt.AlignRight | Qt.AlignVCenter, text)
    total = confusion.n if confusion is not None else 0
    for kind, (row, column) in CELLS.items():
        cell = QRectF(left + column * cell_w, top + row * cell_h, cell_w, cell_h)
        count = getattr(confusion, kind) if confusion is not None else 0
        share = count / total if total else 0.0
        fill = QColor("#2ca02c" if kind in ("tp", "tn") else "#d62728")
        fill.setAlphaF(0.12 + 0.6 * share if confusion is not None else 0.05)
        painter.fillRect(cell, fill)
        painter.setPen(QPen(QColor("#555555"), 1.5))
        painter.drawRect(cell)
        painter.setPen(QColor("#111111"))
        painter.setFont(QFont(family, FIGURE_FONT_PT + 6, QFont.Weight.Bold))
        painter.drawText(cell.adjusted(0, 0, 0, -cell_h * 0.45), Qt.AlignHCenter | Qt.AlignBottom, kind.upper())
        painter.setFont(QFont(family, FIGURE_FONT_PT + 4))
        text = f"{count:,}\n{share:.1%}" if confusion is not None else "–"
        painter.drawText(cell.adjusted(0, cell_h * 0.58, 0, 0), Qt.AlignHCenter | Qt.AlignTop, text)
