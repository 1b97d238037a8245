"""The evaluation dock: how well a probability track matches the annotation, live under one threshold slider.

Only widgets live here. What is scored (the scope in the user's words: whole sequence, held-out part of
the track's model, visible region, selection), the training-overlap warning and the scoring itself
(predicted bases only; not-predicted bases are never probability 0) are ``genoview.core.evaluation_scope``.
The heavy part runs once per (track, scope, feature types) on a background thread; the threshold slider
then only asks the report for exact counts (a binary search), so every view follows it instantly.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QMenu,
    QMessageBox,
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

from genoview.core.evaluation_scope import (
    EvaluationResult,
    EvaluationScope,
    ModelParts,
    Region,
    ScopeChoice,
    coverage_sentence,
    default_scope,
    evaluate_scope,
    first_unpredicted,
    format_value,
    gene_level_available,
    gene_level_scores,
    make_scope,
    metrics_at,
    model_parts,
    scope_choices,
    training_warning,
)
from genoview.core.genome import genic_mask
from genoview.core.io.atomic import write_atomically
from genoview.core.tracks import dequantise
from genoview.gui import export
from genoview.gui.decimal_input import accept_either_decimal_point
from genoview.gui.name_wrap import NameWrappingLabel
from genoview.gui.panels.evaluation_plots import (
    CELL_NAMES,
    ConfusionMatrixWidget,
    CurvePlot,
    GeneScoresView,
    ProbabilityHistogram,
    save_plot,
)
from genoview.gui.session import Session
from genoview.gui.table_copy import make_copyable
from genoview.gui.theme import note_style, warning_color
from genoview.gui.workers import run_in_thread

MAX_LISTED_ERRORS = 2000
ERROR_ROWS = 12   # the FP/FN list's rows in view, at least
EVALUATE_DELAY_MS = 250       # after a change of track, scope or feature types
TRACK_UPDATE_DELAY_MS = 1000  # after tiles of a running prediction stop arriving
CACHE_SIZE = 4

METRIC_ROWS = (
    ("accuracy", "Accuracy"), ("precision", "Precision"), ("recall", "Recall"), ("f1", "F1"),
    ("mcc", "MCC"), ("roc_auc", "ROC AUC"), ("pr_auc", "PR AUC"), ("n", "Bases scored"), ("tp", "TP"),
    ("tn", "TN"), ("fp", "FP"), ("fn", "FN"), ("genic_fraction", "Genic fraction"),
    ("not_predicted", "Not predicted"),
)
# What each number means, in a biologist's words (the rows' tooltips): "genic" is a base inside an annotated feature
# of the ticked types, "called genic" a base whose track value is at or above the threshold.
METRIC_HELP = {
    "accuracy": "Share of scored bases where the track and the annotation agree (genic or not). 0 to 1, higher is "
                "better; on a genome that is ~90% genic, calling every base genic already scores ~0.9.",
    "precision": "Of the bases the track calls genic, the share the annotation has as genic (TP / (TP + FP)). "
                 "0 to 1; low means many false alarms.",
    "recall": "Of the annotated genic bases, the share the track calls genic (TP / (TP + FN)), also called "
              "sensitivity. 0 to 1; low means genes missed.",
    "f1": "Harmonic mean of precision and recall. 0 to 1.",
    "mcc": "Matthews correlation coefficient: one number for agreement that is fair when genic bases far outnumber "
           "the rest. -1 to 1: 1 perfect, 0 no better than chance (e.g. calling everything genic).",
    "roc_auc": "Area under the ROC curve: the chance that a random genic base gets a higher value than a random "
               "non-genic one. 0.5 is chance, 1 perfect. Does not depend on the threshold.",
    "pr_auc": "Area under the precision-recall curve (average precision). Its chance level is the genic fraction, "
              "not 0.5. Does not depend on the threshold.",
    "n": "Number of bases scored (bases, not genes): the predicted bases of the chosen scope.",
    "tp": "True positives: bases annotated genic that the track calls genic (value ≥ threshold).",
    "tn": "True negatives: bases annotated non-genic that the track calls non-genic.",
    "fp": "False positives: bases annotated non-genic that the track calls genic. Click FP in the matrix to list "
          "the stretches.",
    "fn": "False negatives: bases annotated genic that the track calls non-genic. Click FN in the matrix to list "
          "the stretches.",
    "genic_fraction": "Share of the scored bases that the annotation has as genic (0 to 1): the baseline the "
                      "other numbers should beat.",
    "not_predicted": "Bases of the scope the model has not been run on (hatched grey in the track); they are left "
                     "out of every number above. Predict them with Tools ▸ Predict….",
}
THRESHOLD_HELP = ("A base is called genic when the track's value is at or above this threshold (0 to 1). Every "
                  "number, the confusion matrix and the markers on the curves follow it; the dashed line on the "
                  "track is the same threshold and can be dragged.")


def write_plot(widget, path: str) -> None:
    """``save_plot`` through a temporary file beside ``path``: a drawing that fails leaves an earlier file whole."""
    if Path(path).suffix.lower() not in (".png", ".svg"):
        return save_plot(widget, path)   # its refusal names the file the user typed
    write_atomically(path, lambda tmp: save_plot(widget, tmp))


def own_calls(model_name: str, genome, seqid: str, start: int, length: int) -> list | None:
    """Worker side: the gene calls a model makes itself over [start, start + length) of ``seqid`` (GeneORF: its
    whole-genome calls; a k-mer BERT ORF decoder: those saved with its track; prodigal: Prodigal's genes), or None:
    decode the track. The Genes tab decoded every track alone, a third set of genes beside the Gene calls row and
    `predict --gff-out`."""
    if not model_name:
        return None
    from genoview.core.prediction import own_gene_calls
    from genoview.gui.genome_view.gene_calls_track import PRODIGAL

    regions = [(seqid, start, start + length)]
    found = own_gene_calls(model_name, genome, regions)
    if found is None:
        from genoview.core.models import inspect_model_dir, resolve_model_dir

        try:
            directory = resolve_model_dir(model_name)
            if directory is None and model_name != PRODIGAL:
                return None
            if directory is not None and inspect_model_dir(directory)[1].architecture != "geneorf":
                return None
            from genoview.core.models import load_model
            from genoview.core.prediction import MODEL_LOCK
            from genoview.gui.genome_view.gene_calls_track import geneorf_genome_calls

            with MODEL_LOCK:
                model = load_model(model_name)
            # the built-in prodigal: Prodigal's own genes (what `predict --gff-out` writes), else GeneORF's
            found = model.own_gene_calls(genome, regions) if directory is None else \
                geneorf_genome_calls(model, genome, regions)
        except Exception:  # noqa: BLE001 - an unloadable model: its track is decoded as any other
            return None
    return found[0] if found is not None else None


def track_length(track) -> int:
    """The track's sequence length (sparse tracks know it; older ones are whole-sequence arrays)."""
    length = getattr(track, "length", None)
    return int(length) if length is not None else len(track.values)


def predicted_extent(track, start: int, end: int) -> tuple[int, int]:
    """[first, last) predicted base of the track within [start, end) ((start, start) when none; the whole range
    for tracks that do not list their predicted runs): evaluation never makes arrays longer than what was predicted."""
    intervals = getattr(track, "predicted_intervals", None)
    if not callable(intervals):
        return start, end
    inside = [(max(a, start), min(b, end)) for a, b in intervals() if b > start and a < end]
    return (inside[0][0], inside[-1][1]) if inside else (start, start)


def track_values(track, start: int, end: int) -> np.ndarray:
    """A copy of the track's float32 values over [start, end), NaN where not predicted."""
    values = track.values
    return np.array(values(start, end) if callable(values) else values[start:end])


def track_snapshot(track, start: int, end: int) -> np.ndarray:
    """A copy of what the track holds over [start, end) for a background thread to read: its uint16 codes when it
    keeps them (``core.tracks``; the worker turns them into float32 with :func:`dequantise`, the same values),
    else float32 values. Copying 2-byte codes is the GUI thread's cheapest step on a whole genome."""
    storage = getattr(track, "storage", None)
    if callable(getattr(storage, "codes", None)):
        return storage.codes(start, end)
    return track_values(track, start, end)


class _Controls(QWidget):
    """The controls pane: never shorter than its wrapped text needs (a splitter ignores height-for-width)."""

    def refit(self) -> None:
        layout = self.layout()
        if layout is not None and self.width() > 0:
            needed = layout.heightForWidth(self.width()) if layout.hasHeightForWidth() else layout.sizeHint().height()
            if needed > 0 and needed != self.minimumHeight():
                self.setMinimumHeight(needed)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.refit()


class _PanelSplitter(QSplitter):
    """The panel's body; its size hint keeps a docked panel from crowding out the genome view."""

    def sizeHint(self) -> QSize:
        if self.orientation() == Qt.Vertical:
            return QSize(500, 900)
        return QSize(1200, 380)


class EvaluationPanel(QDockWidget):
    """Metrics, confusion matrix, ROC/PR curves and histogram of a track against the annotation."""

    evaluated = Signal(object)  # EvaluationResult, once the heavy part is done
    errors_listed = Signal(str)
    genes_scored = Signal(object)   # the gene-level scores (dict) or an error sentence (str)  # "fp" | "fn", once the stretches are in the list

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
        self._parts: dict[str, ModelParts | None] = {}   # model name -> its recorded split (read once)
        self._choices: list[ScopeChoice] = []
        self._chosen_kind: str | None = None   # the scope kind the user picked; None: the track's default
        self._selection: Region | None = None
        self._gene_request = 0
        self._plots_request = 0   # the plots of the result shown last (drawn a turn later)

        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.evaluate_now)

        session.genome_changed.connect(self._on_genome_changed)
        session.annotation_changed.connect(self._on_annotation_changed)   # File > Open annotation after the genome
        session.tracks_changed.connect(self._refill_tracks)
        sequence_changed = getattr(session, "sequence_changed", None)   # the numbers follow the sequence shown
        if sequence_changed is not None:
            sequence_changed.connect(self.follow_sequence)
        session.track_updated.connect(self._on_track_updated)
        session.region_changed.connect(self._on_region_changed)
        session.threshold_changed.connect(self._on_threshold_changed)
        self.visibilityChanged.connect(lambda visible: visible and self.schedule())
        controller = getattr(parent, "predict_controller", None)   # a stopped prediction: say "predict it" again
        if controller is not None:
            controller.cancelled.connect(self.schedule)
            controller.failed.connect(lambda message: self.schedule())
            # the prediction just made is the one to score (after Adapt to this genome it kept the parent's)
            finished = getattr(controller, "finished", None)
            if finished is not None:
                finished.connect(self.select_track)
        selection_changed = getattr(session, "selection_changed", None)   # when the genome view offers one
        if selection_changed is not None:
            selection_changed.connect(self.set_selection)
        self._on_genome_changed(session.genome)
        self._on_threshold_changed(session.threshold)

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.track_combo = QComboBox()
        # a long contig name made the combo, and the panel, wider than the window; the full name is in its tooltip
        self.track_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.track_combo.setMinimumContentsLength(24)
        self.track_combo.currentTextChanged.connect(self.track_combo.setToolTip)
        self.track_combo.currentIndexChanged.connect(lambda _: self._on_track_chosen())
        self.scope_combo = QComboBox()
        # its choices in short words (the model is the Track box's, its full name in the item's tooltip): a held-out
        # part named after an adapted model ("Held-out part of geneorf-bacteria-GCF_000005845.2_…") was cut at the
        # dock's ~350 pixels on a 1280 x 800 screen
        self.scope_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_combo.setMinimumContentsLength(16)
        self.scope_combo.setToolTip("Which bases are scored. A model trained on this genome is scored by default on "
                                    "the part it was held out from (recorded with the model).")
        self.scope_combo.activated.connect(self._on_scope_picked)
        self.scope_note = NameWrappingLabel("")
        self.scope_note.setStyleSheet(note_style(self))
        self.warning_label = NameWrappingLabel("")
        self.warning_label.setStyleSheet(f"color: {warning_color(self)}; font-weight: 600;")
        self.warning_label.hide()
        self.types_list = QListWidget()
        self.types_list.setMaximumHeight(96)
        self.types_list.setToolTip("Which annotated feature types count as genic: a base inside any ticked feature "
                                   "(either strand) is a genic base for every number below.")
        self.types_list.itemChanged.connect(lambda _: self.schedule())

        self.threshold_slider = QSlider(Qt.Horizontal)
        self.threshold_slider.setRange(0, 1000)
        self.threshold_slider.valueChanged.connect(lambda v: self.session.set_threshold(v / 1000))
        self.threshold_spin = self._fraction_spin(0.5)
        self.threshold_spin.setSingleStep(0.01)
        self.threshold_spin.valueChanged.connect(self.session.set_threshold)
        for widget in (self.threshold_slider, self.threshold_spin):
            widget.setToolTip(THRESHOLD_HELP)
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(self.threshold_slider, 1)
        threshold_row.addWidget(self.threshold_spin)

        self.status = NameWrappingLabel("Choose a track to evaluate.")
        # a track file of other numbers than probabilities (stored scaled to 0..1): what the threshold is in its own
        # numbers, which `genoview evaluate --bedgraph` compares with --threshold (0.5 there is not 0.5 here)
        self.scale_note = NameWrappingLabel("")
        self.scale_note.setStyleSheet(note_style(self))
        self.scale_note.hide()
        self.export_button = QToolButton()
        self.export_button.setText("Export")
        self.export_button.setPopupMode(QToolButton.InstantPopup)
        self.export_button.setMenu(self._export_menu())

        # a draft predicted "All sequences": one number for the genome, not only for the contig shown
        self.all_button = QPushButton("")
        self.all_button.setToolTip("Score every sequence this model predicted as one genome (the annotation types "
                                   "ticked, the threshold above): what `genoview evaluate GENOME --gff ANNOTATION "
                                   "--model MODEL` prints for whole sequences; for an opened track file, what "
                                   "`genoview evaluate --bedgraph FILE --gff ANNOTATION` prints: every sequence of "
                                   "the genome, those the file lacks as probability 0 (as score_track.py does)")
        self.all_button.clicked.connect(self.score_all_sequences)
        self.all_button.hide()
        self.all_label = NameWrappingLabel("")
        self.all_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.all_label.hide()
        self._all_request = 0
        self.types_list.itemChanged.connect(lambda _: self._forget_all_sequences())   # the figure was for other types

        self.controls = controls = _Controls()
        form = QFormLayout(controls)
        form.addRow("Track", self.track_combo)
        form.addRow("Score on", self.scope_combo)
        form.addRow(self.scope_note)
        form.addRow(self.warning_label)
        form.addRow("Annotation", self.types_list)
        form.addRow("Threshold", threshold_row)
        form.addRow(self.status)
        form.addRow(self.scale_note)
        form.addRow(self.all_button)
        form.addRow(self.all_label)
        form.addRow(self.export_button)

        self.metrics_table = QTableWidget(len(METRIC_ROWS), 1)
        make_copyable(self.metrics_table)
        self.metrics_table.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.metrics_table.setHorizontalHeaderLabels(["Value"])
        self.metrics_table.setVerticalHeaderLabels([label for _, label in METRIC_ROWS])
        self.metrics_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.metrics_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.metrics_table.horizontalHeader().hide()
        self.metrics_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        for row, (key, _) in enumerate(METRIC_ROWS):
            item = QTableWidgetItem("")
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            item.setToolTip(METRIC_HELP[key])
            self.metrics_table.setItem(row, 0, item)
            self.metrics_table.verticalHeaderItem(row).setToolTip(METRIC_HELP[key])
        self.metrics_table.setToolTip("Hover a row for what its number means.")

        self.confusion = ConfusionMatrixWidget()
        self.confusion.cell_chosen.connect(self.show_errors)
        self.errors_label = NameWrappingLabel("Click FP or FN to list those stretches.")
        self.errors_list = QListWidget()
        # rows enough to pick from: it was ~110 pixels (7 rows) at 1400 x 900 and 1600 x 1000 alike, for the
        # hundreds of stretches a whole genome lists; the panel scrolls instead
        self.errors_list.setMinimumHeight(ERROR_ROWS * (self.errors_list.fontMetrics().height() + 2)
                                          + 2 * self.errors_list.frameWidth() + 4)
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
        self.gene_scores = GeneScoresView()   # gene-level scores (genoview.core.gene_level) when available
        self.gene_scores.requested.connect(self.score_genes)
        self.tabs.addTab(self.gene_scores, "Genes")

        self.numbers = QSplitter(Qt.Horizontal)
        self.numbers.addWidget(self.metrics_table)
        self.numbers.addWidget(middle)
        self.numbers.setSizes([240, 260])
        self.splitter = _PanelSplitter(Qt.Vertical)
        for widget in (controls, self.numbers, self.tabs):
            self.splitter.addWidget(widget)
        self.splitter.addWidget(self._annotation_needed_box())
        self.splitter.setStretchFactor(3, 1)
        self.splitter.setStretchFactor(2, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([260, 300, 440])
        scroll = QScrollArea()   # a short window scrolls the panel instead of growing to fit it
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.splitter)
        self.setWidget(scroll)
        scroll.viewport().installEventFilter(self)
        from genoview.gui.wheel_guard import guard_wheel

        guard_wheel(scroll)   # scrolling a short panel never moves the threshold or the track under the pointer
        self.dockLocationChanged.connect(self._fit_to_area)

    def _fit_to_area(self, area: Qt.DockWidgetArea) -> None:
        """Stack the parts in a side dock; lay them side by side in a top or bottom dock."""
        wide = area in (Qt.DockWidgetArea.TopDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.splitter.setOrientation(Qt.Horizontal if wide else Qt.Vertical)
        self.splitter.setSizes([320, 520, 560] if wide else [260, 300, 440])
        self._fit_numbers()

    def numbers_width(self) -> int:
        """Pixels the metrics table and the confusion matrix need side by side without cutting a number
        ("1,392,…" and "Predictec" at 1280 x 800, where the dock is 30% of the window)."""
        metrics = self.fontMetrics()
        column = max(metrics.horizontalAdvance(text) for text in ("Predicted", "non-genic", "99,999,999", "100.0%")) + 18
        header = max(metrics.horizontalAdvance(text) for text in ("Annotated", "non-genic")) + 16
        confusion = header + 2 * column + 2 * self.confusion.frameWidth() + 4
        return self.metrics_table.minimumWidth() + self.metrics_table.verticalScrollBar().sizeHint().width() \
            + confusion + self.numbers.handleWidth() + 8

    def _fit_numbers(self) -> None:
        """Numbers beside the confusion matrix when the panel is wide enough, else one above the other (each then
        gets the panel's width; the panel scrolls)."""
        if not hasattr(self, "numbers"):   # still being built
            return
        if self.splitter.orientation() == Qt.Horizontal:   # a top/bottom dock: the parts are side by side already
            wanted = Qt.Vertical
        else:
            scroll = self.widget()
            width = scroll.viewport().width() if hasattr(scroll, "viewport") else self.width()
            wanted = Qt.Horizontal if width >= self.numbers_width() else Qt.Vertical
        if wanted == self.numbers.orientation():
            return
        self.numbers.setOrientation(wanted)
        table = self.metrics_table
        if wanted == Qt.Vertical:   # every row of the table in view, then the matrix and its list
            rows = table.verticalHeader().length() + 2 * table.frameWidth() + 2
            table.setMinimumHeight(rows)
            middle = max(self.numbers.widget(1).minimumSizeHint().height(), self.confusion.minimumHeight() + 90) + 40
            self.numbers.setMinimumHeight(rows + middle + self.numbers.handleWidth())
            self.numbers.setSizes([rows, middle])
        else:
            table.setMinimumHeight(0)
            self.numbers.setMinimumHeight(0)
            self.numbers.setSizes([240, 260])

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize and watched is getattr(self.widget(), "viewport", lambda: None)():
            self._fit_numbers()   # the scroll area's width is the panel's usable width
        return super().eventFilter(watched, event)

    @staticmethod
    def _fraction_spin(value: float) -> QDoubleSpinBox:
        spin = accept_either_decimal_point(QDoubleSpinBox())
        spin.setRange(0.0, 1.0)
        spin.setDecimals(3)
        spin.setSingleStep(0.05)
        spin.setValue(value)
        return spin

    def _export_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction("Metrics as CSV or JSON…", self.export_metrics_dialog)
        menu.addAction("ROC and precision-recall curves as a table…", self.export_curves_dialog)
        menu.addSeparator()
        menu.addAction("ROC curve as PNG or SVG…", lambda: self.export_plot_dialog(self.roc, "roc"))
        menu.addAction("Precision-recall curve as PNG or SVG…", lambda: self.export_plot_dialog(self.pr, "pr"))
        menu.addAction("Histogram as PNG or SVG…", lambda: self.export_plot_dialog(self.histogram, "histogram"))
        menu.addAction("Confusion matrix as PNG or SVG…", lambda: self.export_plot_dialog(self.confusion, "confusion"))
        return menu

    # --- inputs -----------------------------------------------------------------------------------
    def _annotation_needed_box(self) -> QWidget:
        """What the panel shows instead of empty tables and plots on a genome without annotation: that one is
        needed, and how to open one (H-walk: it opened on blank plots, one small line saying why)."""
        box = self.annotation_needed = QWidget()
        layout = QVBoxLayout(box)
        self.annotation_needed_label = NameWrappingLabel("")
        self.annotation_needed_label.setWordWrap(True)
        self.annotation_needed_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.annotation_needed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.annotation_needed_button = QPushButton("Open annotation…")
        self.annotation_needed_button.setToolTip("Add a GFF3, GTF, GenBank or EMBL annotation of this genome")
        self.annotation_needed_button.clicked.connect(self._open_annotation)
        layout.addSpacing(24)
        layout.addWidget(self.annotation_needed_label)
        layout.addWidget(self.annotation_needed_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        box.hide()
        return box

    def _open_annotation(self) -> None:
        choose = getattr(self.parent(), "choose_annotation", None)   # the main window's File ▸ Open annotation…
        if choose is not None:
            choose()

    def _show_annotation_needed(self) -> None:
        """The tables and plots with an annotation to score against; else the sentence saying how to open one."""
        genome = self.session.genome
        needed = genome is not None and not genome.features
        if needed:
            opened = getattr(genome, "annotation_path", None)
            name = Path(str(genome.path)).name if getattr(genome, "path", None) else "this genome"
            self.annotation_needed_label.setText(
                (f"The annotation {Path(str(opened)).name} holds no features to score against. " if opened else
                 f"Evaluation scores a track against the genome's annotation, and {name} has none open. ")
                + "Open one with File ▸ Open annotation… (Ctrl+Shift+O), or drop a GFF3, GTF or GenBank file on "
                  "the window.")
        self.annotation_needed_button.setVisible(needed and hasattr(self.parent(), "choose_annotation"))
        self.annotation_needed.setVisible(needed)
        self.numbers.setVisible(not needed)
        self.tabs.setVisible(not needed)
        self.status.setVisible(not needed)   # the same sentence, said once
        if needed:   # the form at its own height, the sentence below it (the form's rows were spread over the dock)
            self.splitter.setSizes([self.controls.sizeHint().height(), 0, 0, max(200, self.splitter.height())])

    def _on_genome_changed(self, genome) -> None:
        self._cache.clear()
        self._selection = None
        self._fill_types(genome)
        self._refill_tracks()
        self._show_annotation_needed()

    def _on_annotation_changed(self) -> None:
        """An annotation opened after the genome: its feature types to tick, and everything evaluated again."""
        self._cache.clear()
        self.result = None
        self._fill_types(self.session.genome)
        self._show_annotation_needed()
        self.schedule()

    def _fill_types(self, genome) -> None:
        """List the annotation's feature types (most frequent first), keeping the ticks of types listed before."""
        before = {self.types_list.item(i).data(Qt.UserRole): self.types_list.item(i).checkState()
                  for i in range(self.types_list.count())}
        self.types_list.blockSignals(True)
        self.types_list.clear()
        counts = genome.features.count_by_type() if genome is not None else {}
        # an annotation without gene features (a GTF): its CDS and RNA genes are ticked (the panel opened with
        # nothing ticked and empty tables); `genoview evaluate` takes the same (core)
        from genoview.core.evaluation import default_genic_types

        defaults = default_genic_types(counts)
        for feature_type, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            item = QListWidgetItem(f"{feature_type} ({count:,})")
            item.setData(Qt.UserRole, feature_type)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            default = Qt.Checked if feature_type in defaults else Qt.Unchecked
            item.setCheckState(before.get(feature_type, default))
            self.types_list.addItem(item)
        self.types_list.blockSignals(False)

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
            self._on_track_chosen()
        else:
            self._refill_scopes()
            self._offer_all_sequences()   # more contigs of the same model arrived
        # predicting "All sequences" of a draft adds a track per contig: score the shown contig's (it scored the first)
        self.follow_sequence(self.session.seqid)

    def follow_sequence(self, seqid: str) -> None:
        """Another sequence is shown: evaluate the same model's track on it when there is one (the panel kept
        scoring the first chromosome while the view showed the second)."""
        current = self.session.tracks.get(self.track_combo.currentData())
        if current is None or seqid is None or current.seqid == seqid:
            return
        for key, track in self.session.tracks.items():
            if track.seqid == seqid and track.model_name == current.model_name:
                self.select_track(key)
                return

    def select_track(self, key: str) -> None:
        index = self.track_combo.findData(key)
        if index >= 0:
            self.track_combo.setCurrentIndex(index)

    def _on_track_chosen(self) -> None:
        self._refill_scopes()
        self.schedule()
        self._offer_all_sequences()

    def _sibling_tracks(self) -> list:
        """The current track's model's tracks, one per sequence predicted (a draft's contigs), or an opened track
        file's, one per sequence it has (File ▸ Open track…: no model; they were never offered together, so the
        figure `genoview evaluate --bedgraph FILE` gives over the whole genome had no counterpart here)."""
        current = self.session.tracks.get(self.track_combo.currentData())
        source = getattr(current, "source_path", "") if current is not None else ""
        if current is None or not (getattr(current, "model_name", "") or source):
            return []

        def sibling(track) -> bool:
            return (getattr(track, "source_path", "") == source if source
                    else track.model_name == current.model_name and not getattr(track, "source_path", ""))

        seen, tracks = set(), []
        for track in self.session.tracks.values():
            if sibling(track) and track.seqid not in seen:
                seen.add(track.seqid)
                tracks.append(track)
        return tracks

    def _scored_sequences(self, tracks: list) -> list[str]:
        """The sequences "Score all" scores: a model's, those it predicted; an opened track file's, every sequence
        of the genome, those the file lacks scored as probability 0, as `genoview evaluate --bedgraph` and
        score_track.py count them (a file without the plasmid was scored on the chromosome alone, or not offered)."""
        genome = self.session.genome
        if tracks and getattr(tracks[0], "source_path", "") and genome is not None:
            return list(genome.sequences)
        return [t.seqid for t in tracks]

    def _offer_all_sequences(self) -> None:
        count = len(self._scored_sequences(self._sibling_tracks()))
        self.all_button.setText(f"Score all {count} sequences as one genome")
        self.all_button.setVisible(count > 1)
        self._forget_all_sequences()   # another track or more sequences: the figure shown is not theirs

    def _forget_all_sequences(self) -> None:
        self._all_request += 1
        self.all_label.hide()

    def score_all_sequences(self) -> None:
        """MCC and the rest over every sequence the model predicted, computed on a worker thread."""
        from genoview.core.evaluation import evaluate_sequences
        from genoview.core.tracks import dequantise

        tracks, genome, types = self._sibling_tracks(), self.session.genome, self.checked_types()
        seqids = self._scored_sequences(tracks)
        if len(seqids) < 2 or genome is None or not types:
            return
        threshold = self.session.threshold
        snapshots = {t.seqid: track_snapshot(t, 0, track_length(t)) for t in tracks}   # 2-byte codes: cheap
        model = tracks[0].model_name or tracks[0].label   # an opened track file: its name
        self._all_request += 1
        request = self._all_request
        self.all_label.setText(f"Scoring {len(seqids)} sequences…")
        self.all_label.show()

        def work():
            labels, values = {}, {}
            for seqid in seqids:   # one the track lacks: no values, uncovered (probability 0)
                labels[seqid] = genic_mask(genome.features, seqid, genome.sequences[seqid].length, types)
                if seqid in snapshots:
                    snapshot = snapshots[seqid]
                    values[seqid] = dequantise(snapshot) if snapshot.dtype == np.uint16 else snapshot
            return evaluate_sequences(labels, values, threshold=threshold).to_json(), sum(map(len, labels.values()))

        def show(outcome) -> None:
            if request != self._all_request:
                return
            report, bases = outcome
            uncovered = report.get("uncovered") or 0
            self.all_label.setText(
                f"<b>{model} on all {len(seqids)} sequences</b> ({bases:,} bases, {', '.join(types)}, threshold "
                f"{threshold:.2f}): MCC {format_value(report.get('mcc'))}, "
                f"accuracy {format_value(report.get('accuracy'))}, precision {format_value(report.get('precision'))}, "
                f"recall {format_value(report.get('recall'))}, ROC AUC {format_value(report.get('roc_auc'))}"
                + (f"; {uncovered:,} bases not predicted count as 0" if uncovered else "") + ".")

        def fail(message, exc) -> None:
            if request == self._all_request:
                self.all_label.setText(f"Scoring all sequences failed: {message}")

        run_in_thread(work, show, fail)

    def _current_track(self):
        key = self.track_combo.currentData()
        return self.session.tracks.get(key) if key else None

    def _parts_of(self, track) -> ModelParts | None:
        """The recorded split of the track's model (read from its metadata once per model)."""
        name = getattr(track, "model_name", "") or ""
        if name not in self._parts:
            self._parts[name] = model_parts(name)
        return self._parts[name]

    def _visible(self) -> Region | None:
        if self.session.seqid is None:
            return None
        start, end = self.session.region
        return Region(self.session.seqid, start, end)

    def _refill_scopes(self) -> None:
        """The scope list for the current track, in users' words; the user's pick kept, else the track's default."""
        track = self._current_track()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self._choices = []
        if track is None:
            self.scope_note.setText("")
            self.scope_combo.blockSignals(False)
            return
        length = track_length(track)
        parts = self._parts_of(track)
        self._choices = scope_choices(track.seqid, length, parts, self._visible(), self._selection)
        model = self.scope_combo.model()
        for row, choice in enumerate(self._choices):
            self.scope_combo.addItem(choice.label, choice.kind)
            if choice.label != choice.name:
                self.scope_combo.setItemData(row, choice.name, Qt.ItemDataRole.ToolTipRole)
            if choice.unavailable and isinstance(model, QStandardItemModel):
                model.item(row).setEnabled(False)
                model.item(row).setToolTip(f"Not available: {choice.unavailable}")
        default_kind, why = default_scope(track.seqid, length, parts, track.label)
        kind = self._chosen_kind if self._choice(self._chosen_kind) is not None else default_kind
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(kind)))
        self.scope_combo.blockSignals(False)
        name = self._choice(default_kind).name   # its first letter only: a model's name keeps its spelling
        self.scope_note.setText(f"Default: {name[:1].lower()}{name[1:]}. {why}")
        self.controls.refit()

    def _choice(self, kind: str | None) -> ScopeChoice | None:
        for choice in self._choices:
            if choice.kind == kind and choice.region is not None:
                return choice
        return None

    def _on_scope_picked(self, index: int) -> None:
        self._chosen_kind = self.scope_combo.itemData(index)
        self.schedule()

    def scope_kinds(self) -> list[str]:
        """The kinds listed for the current track (available or not), in order."""
        return [choice.kind for choice in self._choices]

    def set_scope(self, kind: str) -> None:
        """'held-out', 'whole', 'visible' or 'selection' (kept for other tracks while they offer it)."""
        self._chosen_kind = kind
        self._refill_scopes()
        self.schedule()

    def set_selection(self, seqid: str | None, start: int = 0, end: int = 0) -> None:
        """The bases the user selected (None or an empty range: no selection), offered as the scope "Selection"."""
        self._selection = Region(seqid, int(start), int(end)) if seqid and end > start else None
        self._refill_scopes()
        if self.scope_combo.currentData() == "selection" or self._chosen_kind == "selection":
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

    def _on_region_changed(self, start: int, end: int) -> None:
        index = self.scope_combo.currentIndex()
        self._refill_scopes()
        if self.scope_combo.currentData() == "visible" or self.scope_combo.currentIndex() != index:
            self.schedule()

    def _on_track_updated(self, key: str, start: int, end: int) -> None:
        self._versions[key] = self._versions.get(key, 0) + 1
        if key == self.track_combo.currentData():
            track = self.session.tracks.get(key)
            finished = track is not None and self._is_complete(key, track)  # the last tile: final numbers soon
            self.schedule(EVALUATE_DELAY_MS if finished else TRACK_UPDATE_DELAY_MS)

    def _is_complete(self, key: str, track) -> bool:
        """Whether the track has no NaN left, resuming the search where it last found one (tiles fill in order)."""
        if callable(track.values):   # sparse storage knows its predicted runs
            return bool(track.complete)
        known_track, start = self._unpredicted_from.get(key, (None, 0))
        position = first_unpredicted(track.values, start if known_track is track else 0)
        self._unpredicted_from[key] = (track, position)
        return position == len(track.values)

    def current_scope(self) -> EvaluationScope | str:
        """The scope the controls describe, or a sentence saying why there is none."""
        track = self._current_track()
        if self.session.genome is None:
            return "Open a genome and its annotation, then predict a track to evaluate it."
        if not self.session.genome.features:
            return "Open the genome's annotation (File ▸ Open annotation) to evaluate tracks against it."
        if track is None:
            return "Predict a track (Predict…) to evaluate it against the annotation."
        types = self.checked_types()
        if not types:
            return "Tick at least one annotation feature type."
        kind = self.scope_combo.currentData()
        choice = self._choice(kind)
        if choice is None:
            listed = next((c for c in self._choices if c.kind == kind), None)
            why = listed.unavailable if listed is not None else "choose what to score"
            return f"Nothing to score: {why}."
        return make_scope(track.key, choice, types, track_length(track), self._parts_of(track),
                          self._versions.get(track.key, 0))

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
        track = self.session.tracks[scope.track_key]
        lo, hi = predicted_extent(track, scope.start, scope.end)   # a region of a long chromosome: that region only
        snapshot = track_snapshot(track, lo, hi)
        self._pending_scope = scope
        genome, threshold = self.session.genome, self.session.threshold
        self.status.setText(f"Evaluating the {scope.description}…")
        self._show_warning(scope.warning)

        def work() -> EvaluationResult | None:
            probs = dequantise(snapshot) if snapshot.dtype == np.uint16 else snapshot
            if hi <= lo or np.isnan(probs).all():
                return None
            labels = genic_mask(genome.features, scope.seqid, genome.sequences[scope.seqid].length, scope.types,
                                window=(lo, hi))
            return evaluate_scope(labels, probs, scope, threshold, start=lo)

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
            track = self.session.tracks.get(scope.track_key)
            label = track.label if track is not None else ""
            controller = getattr(self.parent(), "predict_controller", None)
            if controller is not None and controller.predicting(scope.track_key):
                # not "predict it to score it" while it is being predicted (a whole-genome model's values come
                # at the end): the numbers follow its values
                self._show(None, f"{label or 'This track'} is being predicted (progress at the bottom of the "
                                 "window); its numbers follow when its values arrive.", scope.warning)
                return
            self._show(None, coverage_sentence(scope, 0, label), scope.warning)
            return
        self._cache[result.scope] = result
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._show(result)

    def _on_error(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._pending_scope = None
            self._show(None, f"Evaluation failed: {message}")

    def _show_warning(self, warning: str) -> None:
        self.warning_label.setText(f"⚠ {warning}" if warning else "")
        self.warning_label.setVisible(bool(warning))
        self.controls.refit()

    def _show(self, result: EvaluationResult | None, message: str = "", warning: str = "") -> None:
        self.result = result
        self.errors_list.clear()
        self.errors_label.setText("Click FP or FN to list those stretches.")
        self._error_kind = None
        self._error_request += 1  # a listing still being found is no longer wanted
        self._plots_request += 1   # plots of a result shown before are no longer wanted
        if result is None:
            self._reset_gene_scores(None)
            self.status.setText(message)
            self._show_warning(warning)
            self.roc.clear()
            self.pr.clear()
            self.histogram.clear()
            self._refresh_threshold_views()
            return
        scope = result.scope
        self._reset_gene_scores(result)
        coverage = coverage_sentence(scope, result.n_predicted)
        self.status.setText(coverage or f"Scored the {scope.description}: {scope.length:,} bases against "
                                        f"{', '.join(scope.types)}.")
        warning = scope.warning
        if warning and not result.complete:   # only the bases scored count: a held-out prediction seen as "whole"
            track = self.session.tracks.get(scope.track_key)
            parts = self._parts_of(track) if track is not None else None
            warning = training_warning(parts, scope.seqid, scope.start, scope.end,
                                       track_length(track) if track is not None else scope.end, result.predicted_runs())
        self._show_warning(warning)
        self._refresh_threshold_views()
        # the three plots on the next event-loop turn: all of it in one turn (with the relayout and paint it
        # causes) paused the window for 40-100 ms at the end of a whole-genome prediction; ``evaluated`` after them
        self._plots_request += 1
        request = self._plots_request
        # 1 ms, not 0: a 0 ms single shot is a posted event, run in the same pass (before the window paints)
        QTimer.singleShot(1, self, lambda: self._show_plots(request, result))

    def _show_plots(self, request: int, result: EvaluationResult) -> None:
        """ROC, PR and histogram of ``result`` (unless another result was shown since), then ``evaluated``."""
        if request != self._plots_request or self.result is not result:
            return
        report = result.report
        self.roc.set_curve(result.curves["fpr"], result.curves["tpr"], f"AUC {format_value(report.roc_auc)}")
        # the table calls it PR AUC: one name for one number (it is the average precision)
        self.pr.set_curve(result.curves["recall"], result.curves["precision"], f"PR AUC {format_value(report.pr_auc)}")
        self.histogram.set_histogram(result.histogram["edges"], result.histogram["genic"], result.histogram["nongenic"])
        self.evaluated.emit(result)

    def _fit_metrics_table(self) -> None:
        """Wide enough for its longest number: a docked panel is narrow, and "200,…" says nothing."""
        table = self.metrics_table
        widest = max((table.fontMetrics().horizontalAdvance(table.item(row, 0).text())
                      for row in range(table.rowCount())), default=0)
        table.setMinimumWidth(table.verticalHeader().width() + widest + 2 * table.frameWidth() + 16)
        self._fit_numbers()   # wider numbers may no longer fit beside the confusion matrix

    # --- the threshold ---------------------------------------------------------------------------
    def _on_threshold_changed(self, threshold: float) -> None:
        if hasattr(self, "all_label"):
            self._forget_all_sequences()   # scored at another threshold
        for widget, value in ((self.threshold_slider, round(threshold * 1000)), (self.threshold_spin, threshold)):
            if widget.value() == value:
                continue   # the box being typed in: setValue would rewrite '0' as '0.000' and eat the '.3' that follows
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        self._refresh_threshold_views()

    def current_metrics(self) -> dict | None:
        """The table's numbers at the session threshold, or None before an evaluation."""
        return metrics_at(self.result, self.session.threshold) if self.result is not None else None

    def _scale_note_text(self, threshold: float) -> str:
        """For a track file whose values are not probabilities (stored scaled from its range): the threshold in the
        file's numbers, for `genoview evaluate --bedgraph FILE --threshold` to give the same figures; "" otherwise."""
        track = self.session.tracks.get(self.result.scope.track_key) if self.result is not None else None
        scale = getattr(track, "value_range", None) if track is not None else None
        if not scale:
            return ""
        lo, hi = scale
        raw = float(f"{lo + threshold * (hi - lo):.4g}")
        cli = (f"`genoview evaluate --bedgraph` gives these figures with --threshold {raw:g}" if 0.0 <= raw <= 1.0
               else "`genoview evaluate --bedgraph` takes --threshold 0 to 1 on its numbers: only its ROC and PR AUC "
                    "are these")
        return (f"{track.label} holds {lo:g} to {hi:g}, not probabilities: threshold {threshold:.2f} here is {raw:g} "
                f"in its numbers ({cli}).")

    def _refresh_threshold_views(self) -> None:
        threshold = self.session.threshold
        note = self._scale_note_text(threshold)
        if note != self.scale_note.text():
            self.scale_note.setText(note)
            self.scale_note.setVisible(bool(note))
            self.controls.refit()   # its lines' height (the pane keeps the height its wrapped text needs)
        self.histogram.set_threshold(threshold)
        self.confusion.threshold = threshold
        metrics = self.current_metrics()
        for row, (key, _) in enumerate(METRIC_ROWS):
            self.metrics_table.item(row, 0).setText(format_value(metrics[key]) if metrics else "")
        self._fit_metrics_table()
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
            intervals = result.error_intervals(threshold, kind)
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
        stretches = "stretch" if len(intervals) == 1 else "stretches"
        self.errors_label.setText(f"{len(intervals):,} {stretches} of {CELL_NAMES[kind]} on {seqid}{more}. "
                                  "Click one to go there.")
        scroll = self.widget()
        if hasattr(scroll, "ensureWidgetVisible"):   # a short panel: the list comes into view under the matrix
            scroll.ensureWidgetVisible(self.errors_list, 0, 0)
        self.errors_listed.emit(kind)

    def _jump_to(self, item: QListWidgetItem) -> None:
        seqid, start, end = item.data(Qt.UserRole)
        padding = max(100, (end - start) // 2)
        self.session.navigate_to(seqid, start - padding, end + padding)

    # --- gene-level scores ---------------------------------------------------------------------------
    def _reset_gene_scores(self, result: EvaluationResult | None) -> None:
        self._gene_request += 1   # a gene calling still running is no longer wanted
        available = gene_level_available()
        self.gene_scores.button.setEnabled(result is not None and available)
        self.gene_scores.set_scores(None, (
            "Gene-level scores need GenoView's gene calls (genoview.core.gene_level), not installed here."
            if not available else "Evaluate a track first." if result is None else
            f"Genes of the {result.scope.description}: call them from the track to compare whole genes "
            "(same stop codon, same start) with the annotated CDS."))

    def score_genes(self) -> None:
        """Call genes from the track over the scope's predicted part and match them to the annotated CDS."""
        result = self.result
        if result is None or not gene_level_available():
            return
        self._gene_request += 1
        request = self._gene_request
        genome = self.session.genome
        self.gene_scores.button.setEnabled(False)
        self.gene_scores.set_scores(None, f"Calling genes in the {result.scope.description}…")

        def done(scores: dict) -> None:
            if request == self._gene_request:
                self.gene_scores.button.setEnabled(True)
                self.gene_scores.set_scores(scores, f"Genes called from {result.scope.track_key} in the "
                                                    f"{result.scope.description}, against the annotated CDS:")
                self.genes_scored.emit(scores)

        def failed(message: str, exc) -> None:
            if request == self._gene_request:
                self.gene_scores.button.setEnabled(True)
                self.gene_scores.set_scores(None, f"Could not score genes: {message}")
                self.genes_scored.emit(message)

        track = self.session.tracks.get(result.scope.track_key)
        model_name = getattr(track, "model_name", "") if track is not None else ""

        def work() -> dict:   # a model's own calls when it makes them (the Gene calls row's, `predict --gff-out`'s)
            calls = own_calls(model_name, genome, result.scope.seqid, result.origin, len(result.probs))
            return gene_level_scores(genome, result.scope, result.probs, start=result.origin, calls=calls)

        run_in_thread(work, done, failed)

    # --- export -----------------------------------------------------------------------------------
    def metrics_for_export(self) -> dict | None:
        """The numbers at the current threshold with what was evaluated (1-based region for people)."""
        metrics = self.current_metrics()
        if metrics is None:
            return None
        scope = self.result.scope
        genes = {f"genes: {label}": value for label, value in (getattr(self.gene_scores, "scores", None) or {}).items()}
        return {"track": scope.track_key, "region": f"{scope.seqid}:{scope.start + 1}-{scope.end}",
                "scope": scope.description, "scope_kind": scope.kind, "feature_types": ",".join(scope.types),
                **metrics, **genes, "warning": scope.warning}

    def _export_stem(self) -> str:
        """The evaluated track and sequence, to start an export's name (it was "metrics.csv" / "roc.png" for every
        genome and model, in whatever folder GenoView was started from)."""
        result = getattr(self, "result", None)
        scope = getattr(result, "scope", None)
        return scope.track_key.replace(" @ ", ".") if scope is not None and scope.track_key else "evaluation"

    def export_metrics_dialog(self) -> None:
        metrics = self.metrics_for_export()
        if metrics is None:
            self.status.setText("Nothing to export yet: evaluate a track first.")
            return
        path = export.ask_save_path(self, "Export metrics", f"{self._export_stem()}.metrics.csv",
                                    "CSV (*.csv);;JSON (*.json)")
        if path:
            self._report_export(lambda: export.write_metrics(path, metrics), path)

    def export_curves_dialog(self) -> None:
        """The curves' points with the counts at each threshold (`genoview evaluate --curves`): to redraw the ROC or
        PR curve in R or a spreadsheet, or read the counts at any threshold."""
        result = getattr(self, "result", None)
        if result is None or getattr(result, "report", None) is None:
            self.status.setText("Nothing to export yet: evaluate a track first.")
            return
        from genoview.core.evaluation import write_curves

        path = export.ask_save_path(self, "Export the ROC and precision-recall curves",
                                    f"{self._export_stem()}.curves.tsv",
                                    "Tab-separated (*.tsv *.txt);;Comma-separated (*.csv)")
        if path:
            self._report_export(lambda: write_curves(path, result.report), path)

    def export_plot_dialog(self, widget: QWidget, name: str) -> None:
        """A plot (or the confusion matrix) as a publication-size PNG or a vector SVG."""
        path = export.ask_save_path(self, "Export plot", f"{self._export_stem()}.{name}.png",
                                    "PNG image (*.png);;SVG image (*.svg)")
        if path:
            self._report_export(lambda: write_plot(widget, path), path)

    def _report_export(self, write, path: str) -> None:
        from genoview.core.errors import GenoViewInputError

        try:
            export.refuse_open_inputs(self.session, path)   # never the open FASTA or annotation
            write()
        except (GenoViewInputError, OSError, ValueError) as exc:
            # an OSError named the temporary file written beside the export, not the export and the way out
            message = export.write_error(path, exc) if isinstance(exc, OSError) else f"Could not write {path}: {exc}"
            self.status.setText(message)
            self.session.status_message.emit(message)
            box = QMessageBox(QMessageBox.Icon.Warning, "Export failed", message, QMessageBox.StandardButton.Ok, self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()   # not modal to the application: the panel keeps working
        else:
            self.session.status_message.emit(f"Saved {path}")
