"""The evaluation panel's pictures: a clickable confusion matrix, ROC and PR curves, a probability histogram."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from genoview.core.evaluation import Confusion

GENIC_COLOR = "#2ca02c"
NONGENIC_COLOR = "#7f7f7f"
MARKER_COLOR = "#d62728"

# (row, column) of each cell: rows are the annotation, columns the prediction
CELLS = {"tp": (0, 0), "fn": (0, 1), "fp": (1, 0), "tn": (1, 1)}
CELL_NAMES = {"tp": "true positives", "fn": "false negatives", "fp": "false positives", "tn": "true negatives"}


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
        self.setToolTip("Click the false-positive or false-negative cell to list those stretches")
        self.setMinimumHeight(110)
        for kind, (row, column) in CELLS.items():
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignCenter)
            item.setData(Qt.UserRole, kind)
            self.setItem(row, column, item)
        self.cellClicked.connect(self._on_clicked)

    def set_confusion(self, confusion: Confusion | None) -> None:
        """Show the counts (or blanks); cells are shaded green when right, red when wrong."""
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
    widget = pg.PlotWidget(background="w")
    for orphan in set(QApplication.topLevelWidgets()) - before - {widget}:
        orphan.setParent(widget, orphan.windowFlags())
    item = widget.getPlotItem()
    item.setTitle(title, color="k", size="10pt")
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.2)
    item.setMenuEnabled(False)
    widget.setMinimumSize(180, 160)
    return widget


class CurvePlot(QWidget):
    """A ROC or PR curve in the unit square with a marker at the current threshold."""

    def __init__(self, title: str, x_label: str, y_label: str, diagonal: bool, fit_y: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fit_y = fit_y
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
        self.marker = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(MARKER_COLOR), pen=pg.mkPen("w", width=1.5))
        item.addItem(self.marker)
        self.caption = pg.TextItem(color="k", anchor=(1, 1))
        self.caption.setPos(0.98, 0.02)
        item.addItem(self.caption)

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

    def marker_position(self) -> tuple[float, float] | None:
        x, y = self.marker.getData()
        return (float(x[0]), float(y[0])) if len(x) else None

    def clear(self) -> None:
        self.set_curve([], [])
        self.set_marker(None, None)


LOG_FLOOR = -6  # shares below 1e-6 are drawn at the floor of the log axis


class ProbabilityHistogram(QWidget):
    """Predicted probabilities of annotated-genic and non-genic bases, each as a share of its class, on a
    log axis (both classes pile up near 0 and 1; the overlap in between is what matters)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot_widget("Predicted probability by annotation", "probability", "share of class")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.getAxis("left").setTicks([[(v, "1" if v == 0 else f"1e{v}") for v in range(LOG_FLOOR, 1)]])
        legend = item.addLegend(labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 200))
        legend.anchor(itemPos=(0.5, 0), parentPos=(0.5, 0), offset=(0, 4))
        self.genic = item.plot([0, 1], [LOG_FLOOR], stepMode="center", pen=pg.mkPen(GENIC_COLOR, width=2),
                               fillLevel=LOG_FLOOR, brush=pg.mkBrush(44, 160, 44, 60), name="annotated genic")
        self.nongenic = item.plot([0, 1], [LOG_FLOOR], stepMode="center", pen=pg.mkPen(NONGENIC_COLOR, width=2),
                                  fillLevel=LOG_FLOOR, brush=pg.mkBrush(127, 127, 127, 60), name="annotated non-genic")
        self.threshold_line = pg.InfiniteLine(0.5, angle=90, movable=False, pen=pg.mkPen(MARKER_COLOR, width=2))
        item.addItem(self.threshold_line)
        item.setRange(xRange=(0, 1), yRange=(LOG_FLOOR, 0.6), padding=0.02)

    def set_histogram(self, edges, genic, nongenic) -> None:
        edges = np.asarray(edges, dtype=float)
        for curve, counts in ((self.genic, genic), (self.nongenic, nongenic)):
            counts = np.asarray(counts, dtype=float)
            total = counts.sum()
            share = counts / total if total else counts
            curve.setData(edges, np.log10(np.maximum(share, 10.0 ** LOG_FLOOR)))

    def shares(self) -> tuple[np.ndarray, np.ndarray]:
        """The drawn shares (genic, non-genic) per bin, floored at 1e-6."""
        return tuple(10.0 ** curve.getData()[1] for curve in (self.genic, self.nongenic))

    def set_threshold(self, threshold: float) -> None:
        self.threshold_line.setValue(threshold)

    def clear(self) -> None:
        self.set_histogram([0, 1], [0], [0])
