"""The evaluation dock: how well a probability track matches the annotation, live under one threshold slider.

The heavy part (genic labels, sorting the probabilities, AUCs, curves) runs once per (track, region,
feature types) on a background thread via ``genoview.core.evaluation.evaluate``; the threshold
slider then only asks the report for exact counts at the new threshold (a binary search), so the
table, the confusion matrix and the curve markers follow the slider instantly.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QScrollArea,
    QSlider,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from genoview.core.evaluation import EvaluationReport, error_intervals, evaluate, split_slice
from genoview.gui import export
from genoview.gui.panels.evaluation_plots import CELL_NAMES, ConfusionMatrixWidget, CurvePlot, ProbabilityHistogram
from genoview.gui.session import Session
from genoview.gui.workers import run_in_thread

DEFAULT_TYPES = ("gene", "pseudogene")
SCOPES = (("visible", "Visible region"), ("split", "Test split"), ("whole", "Whole sequence"))
MAX_LISTED_ERRORS = 2000
EVALUATE_DELAY_MS = 250       # after a change of track, scope or feature types
TRACK_UPDATE_DELAY_MS = 1000  # after tiles of a running prediction stop arriving
CACHE_SIZE = 4

METRIC_ROWS = (
    ("accuracy", "Accuracy"), ("precision", "Precision"), ("recall", "Recall"), ("f1", "F1"),
    ("mcc", "MCC"), ("roc_auc", "ROC AUC"), ("pr_auc", "PR AUC"), ("n", "Bases"), ("tp", "TP"),
    ("tn", "TN"), ("fp", "FP"), ("fn", "FN"), ("genic_fraction", "Genic fraction"), ("uncovered", "Unpredicted"),
)


@dataclass(frozen=True)
class EvaluationScope:
    """What is evaluated: one track over [start, end) of its sequence against some feature types."""

    track_key: str
    seqid: str
    start: int
    end: int
    types: tuple[str, ...]
    description: str
    version: int = 0


@dataclass
class EvaluationResult:
    """A finished evaluation: the region's labels and probabilities, and the core report."""

    scope: EvaluationScope
    labels: np.ndarray
    probs: np.ndarray
    report: EvaluationReport
    curves: dict
    histogram: dict


def compute_evaluation(genome, scope: EvaluationScope, probs: np.ndarray, threshold: float) -> EvaluationResult:
    """The heavy part, for a worker thread: labels from the annotation, the report, curves, histogram."""
    labels = genome.label_mask(scope.seqid, types=scope.types)[scope.start:scope.end]
    report = evaluate(labels, probs, threshold)
    return EvaluationResult(scope, labels, probs, report, report.curves(501), report.histogram(50))


def first_unpredicted(values: np.ndarray, start: int = 0, block: int = 1 << 16) -> int:
    """Index of the first NaN at or after ``start`` (``len(values)`` if none), read in blocks so a near hit is cheap."""
    for lo in range(max(0, start), len(values), block):
        hits = np.flatnonzero(np.isnan(values[lo:lo + block]))
        if len(hits):
            return lo + int(hits[0])
    return len(values)


def metrics_at(result: EvaluationResult, threshold: float) -> dict:
    """All numbers of the table at ``threshold`` (exact counts from the report's sweep)."""
    values: dict = dict(result.report.at(threshold).metrics())
    values.update(roc_auc=result.report.roc_auc, pr_auc=result.report.pr_auc,
                  genic_fraction=result.report.genic_fraction, uncovered=result.report.uncovered,
                  threshold=float(threshold))
    return values


def _format(value) -> str:
    """Counts with thousands separators, rates to 4 decimals, n/a for undefined (NaN) values."""
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    return f"{value:.4f}"


class _PanelSplitter(QSplitter):
    """The panel's body; its size hint keeps a docked panel from crowding out the genome view."""

    def sizeHint(self) -> QSize:
        if self.orientation() == Qt.Vertical:
            return QSize(500, 900)
        return QSize(1200, 380)


class EvaluationPanel(QDockWidget):
    """Metrics, confusion matrix, ROC/PR curves and histogram of a track against the annotation."""

    evaluated = Signal(object)  # EvaluationResult, once the heavy part is done
    errors_listed = Signal(str)  # "fp" | "fn", once the stretches are in the list

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__("Evaluation", parent)
        self.setObjectName("EvaluationPanel")
        self.session = session
        self.result: EvaluationResult | None = None
        self._cache: dict[EvaluationScope, EvaluationResult] = {}
        self._versions: dict[str, int] = {}
        self._unpredicted_from: dict[str, tuple[object, int]] = {}  # key -> (track, no NaN before this index)
        self._generation = 0
        self._pending_scope: EvaluationScope | None = None
        self._error_kind: str | None = None
        self._error_request = 0

        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.evaluate_now)

        session.genome_changed.connect(self._on_genome_changed)
        session.tracks_changed.connect(self._refill_tracks)
        session.track_updated.connect(self._on_track_updated)
        session.region_changed.connect(self._on_region_changed)
        session.threshold_changed.connect(self._on_threshold_changed)
        self.visibilityChanged.connect(lambda visible: visible and self.schedule())
        self._on_genome_changed(session.genome)
        self._on_threshold_changed(session.threshold)

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.track_combo = QComboBox()
        self.track_combo.currentIndexChanged.connect(lambda _: self.schedule())
        self.scope_combo = QComboBox()
        for key, label in SCOPES:
            self.scope_combo.addItem(label, key)
        self.scope_combo.setCurrentIndex(1)
        self.scope_combo.currentIndexChanged.connect(self._on_scope_changed)
        self.split_from = self._fraction_spin(0.7)
        self.split_to = self._fraction_spin(1.0)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_from)
        split_row.addWidget(QLabel("to"))
        split_row.addWidget(self.split_to)
        self.types_list = QListWidget()
        self.types_list.setMaximumHeight(96)
        self.types_list.itemChanged.connect(lambda _: self.schedule())

        self.threshold_slider = QSlider(Qt.Horizontal)
        self.threshold_slider.setRange(0, 1000)
        self.threshold_slider.valueChanged.connect(lambda v: self.session.set_threshold(v / 1000))
        self.threshold_spin = self._fraction_spin(0.5)
        self.threshold_spin.setSingleStep(0.01)
        self.threshold_spin.valueChanged.connect(self.session.set_threshold)
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(self.threshold_slider, 1)
        threshold_row.addWidget(self.threshold_spin)

        self.status = QLabel("Choose a track to evaluate.")
        self.status.setWordWrap(True)
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        self.export_button.setMenu(self._export_menu())

        controls = QWidget()
        form = QFormLayout(controls)
        form.addRow("Track", self.track_combo)
        form.addRow("Region", self.scope_combo)
        form.addRow("Split", split_row)
        form.addRow("Annotation", self.types_list)
        form.addRow("Threshold", threshold_row)
        form.addRow(self.status)
        form.addRow(self.export_button)

        self.metrics_table = QTableWidget(len(METRIC_ROWS), 1)
        self.metrics_table.setHorizontalHeaderLabels(["Value"])
        self.metrics_table.setVerticalHeaderLabels([label for _, label in METRIC_ROWS])
        self.metrics_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.metrics_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.metrics_table.horizontalHeader().hide()
        self.metrics_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        for row in range(len(METRIC_ROWS)):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.metrics_table.setItem(row, 0, item)

        self.confusion = ConfusionMatrixWidget()
        self.confusion.cell_chosen.connect(self.show_errors)
        self.errors_label = QLabel("Click FP or FN to list those stretches.")
        self.errors_label.setWordWrap(True)
        self.errors_list = QListWidget()
        self.errors_list.itemActivated.connect(self._jump_to)
        self.errors_list.itemClicked.connect(self._jump_to)
        errors_box = QWidget()
        errors_layout = QVBoxLayout(errors_box)
        errors_layout.setContentsMargins(0, 0, 0, 0)
        errors_layout.addWidget(self.errors_label)
        errors_layout.addWidget(self.errors_list)
        middle = QSplitter(Qt.Vertical)
        middle.addWidget(self.confusion)
        middle.addWidget(errors_box)

        self.roc = CurvePlot("ROC curve", "false positive rate", "true positive rate", diagonal=True)
        self.pr = CurvePlot("Precision-recall curve", "recall", "precision", diagonal=False, fit_y=True)
        self.histogram = ProbabilityHistogram()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.roc, "ROC")
        self.tabs.addTab(self.pr, "Precision-recall")
        self.tabs.addTab(self.histogram, "Histogram")

        self.numbers = QSplitter(Qt.Horizontal)
        self.numbers.addWidget(self.metrics_table)
        self.numbers.addWidget(middle)
        self.numbers.setSizes([240, 260])
        self.splitter = _PanelSplitter(Qt.Vertical)
        for widget in (controls, self.numbers, self.tabs):
            self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([260, 300, 440])
        scroll = QScrollArea()   # a short window scrolls the panel instead of growing to fit it
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.splitter)
        self.setWidget(scroll)
        self.dockLocationChanged.connect(self._fit_to_area)

    def _fit_to_area(self, area: Qt.DockWidgetArea) -> None:
        """Stack the parts in a side dock; lay them side by side in a top or bottom dock."""
        wide = area in (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitter.setOrientation(Qt.Horizontal if wide else Qt.Vertical)
        self.splitter.setSizes([320, 520, 560] if wide else [260, 300, 440])

    @staticmethod
    def _fraction_spin(value: float) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setRange(0.0, 1.0)
        spin.setDecimals(3)
        spin.setSingleStep(0.05)
        spin.setValue(value)
        return spin

    def _export_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Metrics as CSV or JSON…", self.export_metrics_dialog)
        menu.addSeparator()
        menu.addAction("ROC curve as PNG or SVG…", lambda: self.export_plot_dialog(self.roc.plot, "roc"))
        menu.addAction("Precision-recall curve as PNG or SVG…", lambda: self.export_plot_dialog(self.pr.plot, "pr"))
        menu.addAction("Histogram as PNG or SVG…", lambda: self.export_plot_dialog(self.histogram.plot, "histogram"))
        menu.addAction("Confusion matrix as PNG…", lambda: self.export_plot_dialog(self.confusion, "confusion"))
        return menu

    # --- inputs -----------------------------------------------------------------------------------
    def _on_genome_changed(self, genome) -> None:
        self._cache.clear()
        self.types_list.blockSignals(True)
        self.types_list.clear()
        counts = genome.features.count_by_type() if genome is not None else {}
        for feature_type, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            item = QListWidgetItem(f"{feature_type} ({count:,})")
            item.setData(Qt.UserRole, feature_type)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if feature_type in DEFAULT_TYPES else Qt.Unchecked)
            self.types_list.addItem(item)
        self.types_list.blockSignals(False)
        self._refill_tracks()

    def _refill_tracks(self) -> None:
        current = self.track_combo.currentData()
        self.track_combo.blockSignals(True)
        self.track_combo.clear()
        for key, track in self.session.tracks.items():
            self.track_combo.addItem(track.key if track.label in track.key else f"{track.label} ({track.seqid})", key)
        index = self.track_combo.findData(current)
        self.track_combo.setCurrentIndex(index if index >= 0 else self.track_combo.count() - 1)
        self.track_combo.blockSignals(False)
        for key in list(self._versions):
            if key not in self.session.tracks:
                self._versions.pop(key)
        for key in list(self._unpredicted_from):
            if key not in self.session.tracks:
                self._unpredicted_from.pop(key)
        if self.track_combo.currentData() != current:
            self.schedule()

    def select_track(self, key: str) -> None:
        index = self.track_combo.findData(key)
        if index >= 0:
            self.track_combo.setCurrentIndex(index)

    def set_scope(self, scope: str, frac_from: float | None = None, frac_to: float | None = None) -> None:
        """'visible', 'split' (with the fraction range) or 'whole'."""
        if frac_from is not None:
            self.split_from.setValue(frac_from)
        if frac_to is not None:
            self.split_to.setValue(frac_to)
        self.scope_combo.setCurrentIndex(self.scope_combo.findData(scope))
        self.schedule()

    def checked_types(self) -> tuple[str, ...]:
        items = (self.types_list.item(i) for i in range(self.types_list.count()))
        return tuple(item.data(Qt.UserRole) for item in items if item.checkState() == Qt.Checked)

    def set_types(self, types) -> None:
        self.types_list.blockSignals(True)
        for i in range(self.types_list.count()):
            item = self.types_list.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in types else Qt.Unchecked)
        self.types_list.blockSignals(False)
        self.schedule()

    def _on_scope_changed(self) -> None:
        is_split = self.scope_combo.currentData() == "split"
        self.split_from.setEnabled(is_split)
        self.split_to.setEnabled(is_split)
        self.schedule()

    def _on_region_changed(self, start: int, end: int) -> None:
        if self.scope_combo.currentData() == "visible":
            self.schedule()

    def _on_track_updated(self, key: str, start: int, end: int) -> None:
        self._versions[key] = self._versions.get(key, 0) + 1
        if key == self.track_combo.currentData():
            track = self.session.tracks.get(key)
            finished = track is not None and self._is_complete(key, track)  # the last tile: final numbers soon
            self.schedule(EVALUATE_DELAY_MS if finished else TRACK_UPDATE_DELAY_MS)

    def _is_complete(self, key: str, track) -> bool:
        """Whether the track has no NaN left, resuming the search where it last found one (tiles fill in order)."""
        known_track, start = self._unpredicted_from.get(key, (None, 0))
        position = first_unpredicted(track.values, start if known_track is track else 0)
        self._unpredicted_from[key] = (track, position)
        return position == len(track.values)

    def current_scope(self) -> EvaluationScope | str:
        """The scope the controls describe, or a sentence saying why there is none."""
        key = self.track_combo.currentData()
        track = self.session.tracks.get(key) if key else None
        if track is None or self.session.genome is None:
            return "Choose a track to evaluate (predict one first)."
        types = self.checked_types()
        if not types:
            return "Tick at least one annotation feature type."
        length = len(track.values)
        scope = self.scope_combo.currentData()
        if scope == "visible":
            if self.session.seqid != track.seqid:
                return f"The view shows {self.session.seqid}; the track is of {track.seqid}."
            start, end = self.session.region
            text = f"{track.seqid}:{start + 1:,}-{end:,}"
        elif scope == "split":
            frac_from, frac_to = self.split_from.value(), self.split_to.value()
            if frac_from >= frac_to:
                return "The split's start must be below its end."
            part = split_slice(length, frac_from, frac_to)
            start, end = part.start, part.stop
            text = f"test split {frac_from:g}-{frac_to:g} of {track.seqid} ({start + 1:,}-{end:,})"
        else:
            start, end = 0, length
            text = f"all of {track.seqid}"
        if end <= start:
            return "The region is empty."
        return EvaluationScope(key, track.seqid, start, end, types, text, self._versions.get(key, 0))

    # --- evaluation -------------------------------------------------------------------------------
    def schedule(self, delay_ms: int = EVALUATE_DELAY_MS) -> None:
        """Evaluate after a short pause, so a burst of changes costs one evaluation."""
        self._timer.start(delay_ms)

    def evaluate_now(self) -> None:
        """Start the heavy part on a background thread, or show a cached result at once."""
        self._timer.stop()
        if not self.isVisible():  # evaluated when shown (visibilityChanged schedules it)
            return
        scope = self.current_scope()
        if isinstance(scope, str):
            self._show(None, scope)
            return
        if self.result is not None and self.result.scope == scope:
            return
        cached = self._cache.get(scope)
        if cached is not None:
            self._show(cached)
            return
        if scope == self._pending_scope:
            return
        self._generation += 1  # a result still being computed for another scope is no longer wanted
        generation = self._generation
        probs = self.session.tracks[scope.track_key].values[scope.start:scope.end].copy()
        self._pending_scope = scope
        genome, threshold = self.session.genome, self.session.threshold
        self.status.setText(f"Evaluating {scope.description}…")

        def work() -> EvaluationResult | None:
            return None if np.isnan(probs).all() else compute_evaluation(genome, scope, probs, threshold)

        run_in_thread(
            work,
            lambda result: self._on_result(generation, scope, result),
            lambda message, exc: self._on_error(generation, message),
        )

    def _on_result(self, generation: int, scope: EvaluationScope, result: EvaluationResult | None) -> None:
        if generation != self._generation:
            return
        self._pending_scope = None
        if result is None:
            self._show(None, f"No predictions in {scope.description} yet.")
            return
        self._cache[result.scope] = result
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._show(result)

    def _on_error(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._pending_scope = None
            self._show(None, f"Evaluation failed: {message}")

    def _show(self, result: EvaluationResult | None, message: str = "") -> None:
        self.result = result
        self.errors_list.clear()
        self.errors_label.setText("Click FP or FN to list those stretches.")
        self._error_kind = None
        self._error_request += 1  # a listing still being found is no longer wanted
        if result is None:
            self.status.setText(message)
            self.roc.clear()
            self.pr.clear()
            self.histogram.clear()
            self._refresh_threshold_views()
            return
        report = result.report
        self.status.setText(f"{result.scope.description}: {len(result.labels):,} bases, "
                            f"{', '.join(result.scope.types)}")
        self.roc.set_curve(result.curves["fpr"], result.curves["tpr"], f"AUC {_format(report.roc_auc)}")
        self.pr.set_curve(result.curves["recall"], result.curves["precision"], f"AP {_format(report.pr_auc)}")
        self.histogram.set_histogram(result.histogram["edges"], result.histogram["genic"], result.histogram["nongenic"])
        self._refresh_threshold_views()
        self.evaluated.emit(result)

    # --- the threshold ---------------------------------------------------------------------------
    def _on_threshold_changed(self, threshold: float) -> None:
        for widget, value in ((self.threshold_slider, round(threshold * 1000)), (self.threshold_spin, threshold)):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        self._refresh_threshold_views()

    def current_metrics(self) -> dict | None:
        """The table's numbers at the session threshold, or None before an evaluation."""
        return metrics_at(self.result, self.session.threshold) if self.result is not None else None

    def _refresh_threshold_views(self) -> None:
        threshold = self.session.threshold
        self.histogram.set_threshold(threshold)
        metrics = self.current_metrics()
        for row, (key, _) in enumerate(METRIC_ROWS):
            self.metrics_table.item(row, 0).setText(_format(metrics[key]) if metrics else "")
        if metrics is None:
            self.confusion.set_confusion(None)
            return
        confusion = self.result.report.at(threshold)
        self.confusion.set_confusion(confusion)
        sweep = self.result.report.sweep
        fpr = confusion.fp / sweep.n_neg if sweep.n_neg else 0.0
        self.roc.set_marker(fpr, confusion.recall)
        self.pr.set_marker(confusion.recall, confusion.precision if confusion.tp + confusion.fp else 1.0)
        if self._error_kind is not None:
            self.errors_list.clear()
            self.errors_label.setText(f"Threshold changed: click {self._error_kind.upper()} again to list its stretches.")
            self._error_kind = None
            self._error_request += 1  # a listing still being found is no longer wanted

    # --- error stretches ---------------------------------------------------------------------------
    def show_errors(self, kind: str) -> None:
        """List the false-positive or false-negative stretches, longest first, in 1-based coordinates.

        Found on a background thread: a poor track over a whole genome has hundreds of thousands.
        """
        if self.result is None or kind not in ("fp", "fn"):
            return
        result, threshold = self.result, self.session.threshold
        self._error_kind = kind
        self._error_request += 1
        request = self._error_request
        self.errors_list.clear()
        self.errors_label.setText(f"Finding {CELL_NAMES[kind]}…")

        def find() -> list[tuple[int, int]]:
            intervals = error_intervals(result.labels, result.probs, threshold, kind, offset=result.scope.start)
            intervals.sort(key=lambda iv: (iv[0] - iv[1], iv[0]))
            return intervals

        def show(intervals: list[tuple[int, int]]) -> None:
            if request == self._error_request and result is self.result:
                self._fill_errors(kind, result.scope.seqid, intervals)

        run_in_thread(find, show, lambda message, exc: self.errors_label.setText(f"Could not list them: {message}"))

    def _fill_errors(self, kind: str, seqid: str, intervals: list[tuple[int, int]]) -> None:
        self.errors_list.setUpdatesEnabled(False)
        for start, end in intervals[:MAX_LISTED_ERRORS]:
            item = QListWidgetItem(f"{start + 1:,}-{end:,}  ({end - start:,} bp)")
            item.setData(Qt.UserRole, (seqid, start, end))
            self.errors_list.addItem(item)
        self.errors_list.setUpdatesEnabled(True)
        shown = min(len(intervals), MAX_LISTED_ERRORS)
        more = f", longest {shown:,} shown" if shown < len(intervals) else ""
        self.errors_label.setText(f"{len(intervals):,} stretches of {CELL_NAMES[kind]} on {seqid}{more}. "
                                  "Click one to go there.")
        self.errors_listed.emit(kind)

    def _jump_to(self, item: QListWidgetItem) -> None:
        seqid, start, end = item.data(Qt.UserRole)
        padding = max(100, (end - start) // 2)
        self.session.navigate_to(seqid, start - padding, end + padding)

    # --- export -----------------------------------------------------------------------------------
    def metrics_for_export(self) -> dict | None:
        """The numbers at the current threshold with what was evaluated (1-based region for people)."""
        metrics = self.current_metrics()
        if metrics is None:
            return None
        scope = self.result.scope
        return {"track": scope.track_key, "region": f"{scope.seqid}:{scope.start + 1}-{scope.end}",
                "scope": scope.description, "feature_types": ",".join(scope.types), **metrics}

    def export_metrics_dialog(self) -> None:
        metrics = self.metrics_for_export()
        if metrics is None:
            self.status.setText("Nothing to export yet: evaluate a track first.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export metrics", "metrics.csv", "CSV (*.csv);;JSON (*.json)")
        if path:
            self._report_export(lambda: export.write_metrics(path, metrics), path)

    def export_plot_dialog(self, widget: QWidget, name: str) -> None:
        filters = "PNG image (*.png)" if widget is self.confusion else "PNG image (*.png);;SVG image (*.svg)"
        path, _ = QFileDialog.getSaveFileName(self, "Export plot", f"{name}.png", filters)
        if path:
            self._report_export(lambda: export.save_widget_image(widget, path), path)

    def _report_export(self, write, path: str) -> None:
        try:
            write()
        except (OSError, ValueError) as exc:
            self.status.setText(f"Could not write {path}: {exc}")
        else:
            self.session.status_message.emit(f"Saved {path}")
