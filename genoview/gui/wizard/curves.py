"""Training curves: loss (raw and smoothed, TensorBoard-style exponential moving average) and validation
MCC / ROC AUC against the step, used live by the Run page and for a finished model in the library."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from genoview.gui import canvas
from genoview.gui.theme import note_style


def smooth(values: list[float], weight: float) -> np.ndarray:
    """Debiased exponential moving average (weight 0: raw values)."""
    out = np.empty(len(values))
    last, count = 0.0, 0
    for i, value in enumerate(values):
        count += 1
        last = last * weight + (1 - weight) * value
        out[i] = last / (1 - weight ** count) if weight > 0 else value
    return out


METRIC_KEYS = (("●", "#2ca02c", "validation MCC"), ("▼", "#9467bd", "validation ROC AUC"), ("★", "#ffbe00", "best MCC"))
CANDIDATE_KEYS = (("●", "#2ca02c", "cross-fitted MCC"),)
BEST_CANDIDATE_KEY = ("★", "#ffbe00", "best candidate")   # keyed only once a star is drawn (see redraw)
KEPT_CANDIDATE_KEY = ("★", "#ffbe00", "kept candidate")   # the star on the one the fine-tune kept (mark_kept)


# the step-by-step loss, faint under the smoothed one: on the light canvas, and on a dark one (there the light canvas's
# 27 % of the smoothed blue came out 1.4:1 on the dark Base, a line hardly seen and a blank legend key)
RAW_LOSS_COLORS = ((31, 119, 180, 70), (90, 150, 210, 110))


class TrainingCurves(QWidget):
    """Two plots sharing the step axis; ``add_log``/``add_eval`` append points, ``redraw`` repaints."""

    def __init__(self, parent: QWidget | None = None, loss: bool = True) -> None:
        """``loss=False``: no loss plot until one is asked for (``show_loss``): a GeneORF fine-tune and a language
        model draw none, and its making was half of the Run page's ~90 ms on the GUI thread (a busy machine)."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.loss_plot = self.raw_curve = self.smooth_curve = self.valid_loss_curve = None
        self.metric_plot = pg.PlotWidget(self)
        self.metric_plot.setBackground(canvas.current().background)
        self.metric_plot.setLabel("left", "validation")
        self.metric_plot.getAxis("left").enableAutoSIPrefix(False)   # MCCs of 0.835-0.850 read "850 (x0.001)"
        self.metric_plot.setLabel("bottom", "step")
        self.metric_plot.showGrid(x=True, y=True, alpha=0.2)
        self.mcc_curve = self.metric_plot.plot([], [], pen=pg.mkPen((44, 160, 44), width=2), symbol="o", symbolSize=6,
                                               symbolBrush=(44, 160, 44), name="MCC")
        self.auc_curve = self.metric_plot.plot([], [], pen=pg.mkPen((148, 103, 189), width=2), symbol="t",
                                               symbolSize=6, symbolBrush=(148, 103, 189), name="ROC AUC")
        self.best_marker = pg.ScatterPlotItem(size=14, symbol="star", brush=(255, 190, 0), pen=pg.mkPen("k"))
        self.metric_plot.addItem(self.best_marker)
        # the keys in the title row, outside the data: a legend in a corner covered the newest MCC point (it rises to
        # the right while ROC AUC stays near the top, and the axis fits both)
        self.show_keys(METRIC_KEYS)
        self.apply_canvas()
        canvas.follow_palette(self, self.apply_canvas)
        controls = QHBoxLayout()
        self.smoothing_label = QLabel("Smoothing 0.60", self)
        self.smoothing_label.setToolTip("Exponential moving average weight of the training loss (0: raw, 0.99: "
                                        "smoothest), as TensorBoard's")
        controls.addWidget(self.smoothing_label)
        self.smoothing = QSlider(Qt.Orientation.Horizontal, self)
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(60)
        self.smoothing.setToolTip("Exponential moving average of the training loss (0: raw); the faint line is raw")
        self.smoothing.valueChanged.connect(self.redraw)
        self.smoothing.valueChanged.connect(self._say_smoothing)
        controls.addWidget(self.smoothing, 1)
        self.empty_note = QLabel("", self)   # a finished model without history: say so instead of blank axes
        self.empty_note.setWordWrap(True)
        self.empty_note.setStyleSheet(note_style(self))
        self.empty_note.hide()
        layout.addWidget(self.empty_note)
        layout.addWidget(self.metric_plot, 1)
        layout.addLayout(controls)
        self.candidates = False   # a GeneORF fine-tune: candidates, not steps (explain_candidates)
        if loss:
            self.show_loss()
        else:
            self.smoothing.hide()
            self.smoothing_label.hide()
        self.clear()

    def show_loss(self) -> None:
        """The training-loss plot above the metrics, made on first use, shown with its smoothing slider."""
        if self.loss_plot is None:
            self._make_loss_plot()
        for widget in (self.loss_plot, self.smoothing, self.smoothing_label):
            widget.show()

    def _make_loss_plot(self) -> None:
        self.loss_plot = pg.PlotWidget(self)
        self.loss_plot.setBackground(canvas.canvas_for(self).background)
        self.loss_plot.setLabel("left", "training loss")
        self.loss_plot.setLabel("bottom", "step")
        self.loss_plot.getAxis("left").enableAutoSIPrefix(False)   # losses of 0.13-0.57 read "500 (x0.001)"
        self.loss_plot.showGrid(x=True, y=True, alpha=0.2)
        self.raw_curve = self.loss_plot.plot([], [], pen=pg.mkPen(RAW_LOSS_COLORS[0], width=1), name="loss")
        self.smooth_curve = self.loss_plot.plot([], [], pen=pg.mkPen((31, 119, 180), width=2), name="smoothed")
        self.valid_loss_curve = self.loss_plot.plot([], [], pen=pg.mkPen((214, 39, 40), width=2, style=Qt.PenStyle.DashLine),
                                                    symbol="o", symbolSize=5, symbolBrush=(214, 39, 40),
                                                    name="validation loss")
        # the loss plot's keys in its title row too: a legend in the top-right corner covered the validation loss,
        # which ends there (walked under Xvfb, session 16: its last points ran under "validation loss")
        self.show_loss_keys()
        if not self.candidates:
            self.metric_plot.setXLink(self.loss_plot)
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.metric_plot), self.loss_plot, 1)
        colors = canvas.canvas_for(self)   # the canvas the metric plot has (apply_canvas styles both on a switch)
        canvas.style_plot(self.loss_plot, colors)
        self.raw_curve.setPen(pg.mkPen(RAW_LOSS_COLORS[colors is not canvas.LIGHT], width=1))

    def clear(self) -> None:
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.eval_steps: list[int] = []
        self.valid_loss: list[float] = []
        self.mcc: list[float] = []
        self.auc: list[float] = []
        self.best: tuple[int, float] | None = None
        self.kept = False   # the star marks the candidate a GeneORF fine-tune kept, not the best MCC (mark_kept)
        if getattr(self, "candidate_names", None):   # a new run: the last run's names leave the axis
            self.metric_plot.getAxis("bottom").setTicks(None)
        self.candidate_names: dict[int, str] = {}
        self.redraw()

    def add_log(self, step: int, loss: float | None) -> None:
        if loss is not None:
            self.steps.append(int(step))
            self.losses.append(float(loss))

    def name_candidate(self, step: int, name: str) -> None:
        """A GeneORF candidate's name under its point (the x axis read 1..7 while the log named them)."""
        self.candidate_names[int(step)] = str(name)
        self.metric_plot.getAxis("bottom").setTicks([sorted(self.candidate_names.items())])

    def mark_kept(self, step: int) -> bool:
        """Star the candidate a GeneORF fine-tune kept (its done event's ``chosen``): the anchor stays unless another
        beats it by the margin on both halves, so the kept point need not be the highest; False when no such point."""
        if step not in self.eval_steps:
            return False
        mcc = self.mcc[self.eval_steps.index(step)]
        if mcc != mcc:
            return False
        self.best, self.kept = (int(step), mcc), True
        self.redraw()
        return True

    def add_eval(self, step: int, metrics: dict, best: bool = False) -> None:
        self.eval_steps.append(int(step))
        nan = float("nan")
        self.valid_loss.append(float(metrics.get("loss", nan) if metrics.get("loss") is not None else nan))
        self.mcc.append(float(metrics["mcc"]) if metrics.get("mcc") is not None else nan)
        self.auc.append(float(metrics["roc_auc"]) if metrics.get("roc_auc") is not None else nan)
        if best and metrics.get("mcc") is not None and not self.kept:
            self.best = (int(step), float(metrics["mcc"]))

    def load_history(self, history: list[dict]) -> None:
        """Curves of a finished model (genoview.json's history records)."""
        self.clear()
        self.empty_note.setVisible(not any("step" in record for record in history))
        self.empty_note.setText("No training curves were recorded for this model: models that are not trained "
                                "step by step (GeneORF, Prodigal, n-gram language models), adapted models and "
                                "some imported ones carry none. Its scores are under Metrics and in the Model card.")
        for record in history:
            if "loss" in record and "step" in record:
                self.add_log(record["step"], record["loss"])
            if any(key.startswith("eval_") for key in record):
                self.add_eval(record["step"], {k[5:]: v for k, v in record.items() if k.startswith("eval_")},
                              bool(record.get("best")))
        self.redraw()

    def explain_no_curves(self, text: str) -> None:
        """A run that draws no curves here (a language model's `genoview train-lm`): the note instead of two empty
        plots with a "loss" legend, which read as a run that failed to start."""
        self.empty_note.setText(text)
        self.empty_note.show()
        for widget in (self.loss_plot, self.metric_plot, self.smoothing, self.smoothing_label):
            if widget is not None:
                widget.hide()

    def explain_candidates(self, rule: str = "") -> None:
        """A GeneORF fine-tune: no training loss, and each "step" is one candidate (recipe, gene decision offset);
        the empty loss plot and "step" read as a failed run. ``rule``: pages.geneorf_choice_words of the run's
        options ("keeps the adapted one with its last step refitted ... unless another scores better by ...")."""
        rule = rule or "keeps one candidate by the rule of its options (train --help)"
        self.empty_note.setText("GeneORF fine-tuning has no training loss: each point below is one candidate (a "
                                "recipe with a gene decision offset) scored by cross-fitting on the training part; "
                                f"it {rule} (★ marks the one kept when the run ends).")
        self.empty_note.show()
        self.metric_plot.setLabel("bottom", "candidate")
        self.metric_plot.setLabel("left", "cross-fitted MCC")
        # no loss to draw or smooth: an empty plot with a "loss" legend read as a failed run; the candidates' plot
        # gets the room, whole-number candidates and an MCC range that shows the points (one sat cut on the edge)
        self.candidates = True
        self.mcc_curve.setPen(None)   # candidates are not a sequence in time: points, no line joining them
        for widget in (self.loss_plot, self.smoothing, self.smoothing_label):
            if widget is not None:
                widget.hide()
        self.metric_plot.setXLink(None)
        self.show_keys(CANDIDATE_KEYS)   # candidates have no ROC AUC
        self.metric_plot.getAxis("bottom").setTickSpacing(1, 1)
        self.redraw()

    def apply_canvas(self) -> None:
        """The desktop's light or dark canvas on both plots (again when it switches theme): they stayed white."""
        colors = canvas.canvas_for(self)
        canvas.style_plot(self.metric_plot, colors)
        if self.loss_plot is not None:
            canvas.style_plot(self.loss_plot, colors)
            self.raw_curve.setPen(pg.mkPen(RAW_LOSS_COLORS[colors is not canvas.LIGHT], width=1))
            self.show_loss_keys()

    def _say_smoothing(self, value: int) -> None:
        """The weight beside the slider, as TensorBoard shows it (a bare slider gave no figure to repeat or report)."""
        self.smoothing_label.setText(f"Smoothing {value / 100:.2f}")

    def show_loss_keys(self) -> None:
        """The loss plot's keys (raw, smoothed, validation) on one line above it, in the lines' colours."""
        faint = RAW_LOSS_COLORS[canvas.canvas_for(self) is not canvas.LIGHT]
        keys = ((f"rgba({faint[0]},{faint[1]},{faint[2]},{faint[3] / 255:.2f})", "━", "loss"),
                ("#1f77b4", "━", "smoothed"), ("#d62728", "╌●╌", "validation loss"))
        text = "&nbsp;&nbsp;&nbsp;".join(f'<span style="color:{color}; font-weight:bold">{mark}</span>&nbsp;{name}'
                                         for color, mark, name in keys)
        self.loss_plot.getPlotItem().setTitle(text, color=canvas.current().text, size="9pt")

    def show_keys(self, keys) -> None:
        """The metric plot's keys (mark, colour, name) on one line above it."""
        text = "&nbsp;&nbsp;&nbsp;".join(f'<span style="color:{color}; font-weight:bold">{mark}</span>&nbsp;{name}'
                                         for mark, color, name in keys)
        self.metric_plot.getPlotItem().setTitle(text, color=canvas.current().text, size="9pt")
        self.keys_text = " ".join(name for _, _, name in keys)

    def redraw(self) -> None:
        weight = self.smoothing.value() / 100.0
        curves = ((self.mcc_curve, self.mcc), (self.auc_curve, self.auc))
        if self.loss_plot is not None:
            self.raw_curve.setData(self.steps, self.losses)
            self.smooth_curve.setData(self.steps, smooth(self.losses, weight) if self.losses else [])
            curves += ((self.valid_loss_curve, self.valid_loss),)
        for curve, values in curves:   # only real points: all-NaN ones warned on every redraw
            points = [(x, y) for x, y in zip(self.eval_steps, values) if y == y]
            curve.setData([x for x, _ in points], [y for _, y in points])
        self.best_marker.setData([self.best[0]] if self.best else [], [self.best[1]] if self.best else [])
        if self.candidates:
            # the star's key only with a star: a fine-tune's candidate events need not mark one ("best" unset), and a
            # key for a mark nowhere on the plot was read as a missing point
            keys = CANDIDATE_KEYS + (((KEPT_CANDIDATE_KEY if self.kept else BEST_CANDIDATE_KEY),) if self.best else ())
            if self.keys_text != " ".join(name for _, _, name in keys):
                self.show_keys(keys)
            known = [y for y in self.mcc + self.auc if y == y]
            self.metric_plot.setXRange(0.5, max(self.eval_steps, default=1) + 0.5, padding=0)
            if known:
                self.metric_plot.setYRange(max(-1.0, min(known) - 0.05), min(1.0, max(known) + 0.05), padding=0)
