"""The genome browser: ruler, sequence, annotation and probability tracks stacked on one genomic x axis.

The view follows the session: a new sequence resets the tracks, ``region_changed`` moves the view,
``tracks_changed``/``track_updated``/``threshold_changed`` redraw the probability rows. User zoom and
pan go back to the session through a rate-limited ``set_region``.
"""
from __future__ import annotations

import html
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QGraphicsItem, QSizePolicy, QVBoxLayout, QWidget

from genoview.core.locus import centered_window
from genoview.gui import canvas
from genoview.gui.genome_view.feature_track import ROW_PIXELS, FeatureTrackItem
from genoview.gui.genome_view.gene_calls_track import GeneCallsRow
from genoview.gui.genome_view.probability_track import PROBABILITY_MAX_HEIGHT, ProbabilityTrackPlot
from genoview.gui.genome_view.ruler import RulerItem
from genoview.gui.genome_view.sequence_track import SequenceTrackItem
from genoview.gui.session import ProbabilityTrack, Session

MIN_SPAN = 20  # bases: the closest zoom
ZOOM_STEP = 2.0
PAN_FRACTION = 0.2
LABEL_WIDTH = 110
LEFT_AXIS_WIDTH = 34
PROBABILITY_ROW_HEIGHT = 96
SEQUENCE_ROW_PIXELS = 16
REGION_RATE_LIMIT = 20  # session.set_region calls per second while the user drags
REDRAW_INTERVAL_MS = 250  # live track updates are redrawn at most this often
FIT_ROWS_DELAY_MS = 150  # the gene rows' height follows the view once it has settled
SETTLED_S = 0.5  # the view has not moved for this long: a drag or zoom is over (idle work may run)
MAX_FEATURE_ROWS = 12
FIXED_ROWS = 4  # ruler, sequence, genes, gene calls (no height until a prediction's calls); probability tracks follow

pg.setConfigOptions(antialias=False, background="w", foreground="#333333")   # the light canvas; see apply_canvas


def track_value_words(track, threshold: float) -> tuple[str, str]:
    """(what the strip marks, what hatching means) for a track: a model's probabilities, or a track file's values
    (File ▸ Open track…), which may not be probabilities: those are drawn scaled from their range to the row."""
    value_range = getattr(track, "value_range", None)
    source = getattr(track, "source_path", "")
    if value_range is not None:
        lo, hi = value_range
        strip = f"values ≥ {lo + threshold * (hi - lo):.4g}"
    else:
        strip = f"genes p ≥ {threshold:.2f}"
    return strip, ("no value" if source else "not predicted")   # LABEL_WIDTH holds "hatched: no value"


def track_label_html(label: str, threshold: float, track=None) -> str:
    """A track row's label with its legend: what the strip under the curve and the hatching mean.

    A name wider than the label column is elided in the middle (the whole name is in the tooltip): the
    right-justified block otherwise ran off the column's left edge, clipping the name and the legend under it.
    """
    font = QFont()
    font.setPointSizeF(9)
    label = QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideMiddle, LABEL_WIDTH - 8)
    strip, hatched = track_value_words(track, threshold)
    return (f"{html.escape(label)}<br><span style='color:{canvas.current().muted}; font-size:7pt'>strip: "
            f"{html.escape(strip)}<br>hatched: {hatched}</span>")


def track_tooltip(label: str, threshold: float, track=None) -> str:
    source = getattr(track, "source_path", "")
    value_range = getattr(track, "value_range", None)
    if source:
        strip, _ = track_value_words(track, threshold)
        scale = (f"Its values run from {value_range[0]:.4g} to {value_range[1]:.4g} (not probabilities): the row "
                 "shows them scaled to its height, the axis in the file's units.\n" if value_range is not None else "")
        return (f"{label}: a track file opened with File ▸ Open track… ({source}).\n{scale}"
                f"The strip under the curve marks stretches with {strip} (drag the dashed threshold line to change it).\n"
                "Hatched grey: bases the file gives no value for.")
    return (f"{label}: the probability, base by base, that a gene covers the base (0 to 1).\n"
            f"The strip under the curve marks the genes this track calls: stretches with p ≥ {threshold:.2f} "
            "(drag the dashed threshold line to change it).\n"
            "Hatched grey: bases this model has not been run on (Tools ▸ Predict…), not probability 0.")


class GenomeViewBox(pg.ViewBox):
    """x-only zoom and pan; right-drag (or left-drag in zoom-box mode) draws a box to zoom into."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("enableMenu", False)   # never shown: building pyqtgraph's menu cost 10 ms of each new row
        super().__init__(**kwargs)
        self.setMouseEnabled(x=True, y=False)
        self.setMenuEnabled(False)
        self.zoom_box_mode = False

    def mouseDragEvent(self, ev, axis=None) -> None:
        box = ev.button() == Qt.MouseButton.RightButton or (
            self.zoom_box_mode and ev.button() == Qt.MouseButton.LeftButton
        )
        if not box:
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        down, here = ev.buttonDownPos(), ev.pos()
        if ev.isFinish():
            self.rbScaleBox.hide()
            x0, x1 = sorted((self.mapToView(down).x(), self.mapToView(here).x()))
            if x1 - x0 > 0:
                self.setXRange(x0, x1, padding=0)
        else:
            self.updateScaleBox(QPointF(down.x(), 0), QPointF(here.x(), self.height()))


class GenomeView(QWidget):
    """All tracks of the session's current sequence, x-linked; the first row's view box leads."""

    feature_clicked = Signal(object)  # Feature
    track_menu_requested = Signal(str, QPoint)  # track key, global position: a right-click on its row's label
    cursor_moved = Signal(int)  # 0-based base under the mouse, -1 outside the sequence

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._feature_rows = 1   # rows of genes drawn for the current view: the gene track is that high, no more
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.ci.layout.setSpacing(2)
        self.graphics.ci.setContentsMargins(2, 2, 8, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics)

        self.ruler = self._new_plot()
        self.ruler_item = RulerItem()
        self.ruler.addItem(self.ruler_item)
        self.ruler.setYRange(0, 1, padding=0)
        self.master = self.ruler.getViewBox()

        self.sequence_item = SequenceTrackItem()
        self.sequence_plot = self._new_plot()
        self.sequence_plot.addItem(self.sequence_item)

        self.feature_item = FeatureTrackItem()
        self.feature_item.feature_clicked.connect(self.feature_clicked)
        self.feature_plot = self._new_plot()
        self.feature_plot.addItem(self.feature_item)
        self.gene_calls = GeneCallsRow(self)   # issue 12: a prediction's gene calls (gene_calls_track.py)

        self.track_plots: dict[str, ProbabilityTrackPlot] = {}
        self._labels: dict[pg.PlotItem, pg.LabelItem] = {}
        self._filler = pg.GraphicsWidget()
        self._filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._filler.setPreferredHeight(0)
        self._layout_rows()

        self._applying_session = False
        self._pending_redraw: set[str] = set()
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.setInterval(REDRAW_INTERVAL_MS)
        self._redraw_timer.timeout.connect(self._redraw_pending)
        self._fit_rows_timer = QTimer(self)
        self._fit_rows_timer.setSingleShot(True)
        self._fit_rows_timer.setInterval(FIT_ROWS_DELAY_MS)
        self._fit_rows_timer.timeout.connect(self.fit_feature_rows)
        self._region_proxy = pg.SignalProxy(
            self.master.sigXRangeChanged, rateLimit=REGION_RATE_LIMIT, slot=self._on_view_range_changed
        )
        self._moved_at = 0.0   # time.monotonic() of the view's last move (interacting())
        self.master.sigXRangeChanged.connect(self._note_move)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)

        session.genome_changed.connect(self._on_genome_changed)
        session.sequence_changed.connect(self._on_sequence_changed)
        session.region_changed.connect(self._on_region_changed)
        session.tracks_changed.connect(self._rebuild_tracks)
        session.track_style_changed.connect(self._restyle_track)
        session.track_updated.connect(self._on_track_updated)
        session.threshold_changed.connect(self._on_threshold_changed)
        session.annotation_changed.connect(self._reload_features)
        self._set_sequence_limits(1)
        self.apply_canvas()
        canvas.follow_palette(self, self.apply_canvas)

    def apply_canvas(self, colors: canvas.Canvas | None = None) -> None:
        """The canvas colours of the desktop's palette (light or dark): on start and when the desktop switches theme
        (the view stayed a white slab with dark grey text in a dark window); ``colors``: these instead."""
        colors = canvas.make_current(colors) if colors is not None else canvas.canvas_for(self)
        self.graphics.setBackground(colors.background)
        for label in self._labels.values():
            text = label.text
            for muted in canvas.MUTED - {colors.muted}:
                text = text.replace(muted, colors.muted)
            label.setText(text, color=colors.text)
        for plot in self.track_plots.values():
            plot.apply_canvas(colors)
        for plot in self._all_plots():
            for item in plot.items:
                item.update()
        self.graphics.scene().update()

    def light_canvas(self):
        """Exports (View as PNG or SVG) are figures: on the light canvas whatever the desktop's theme."""
        return canvas.light_canvas_of(self)

    # --- building rows -------------------------------------------------------------------------
    def _new_plot(self, axis_items: dict | None = None, plot_class=pg.PlotItem, **kwargs) -> pg.PlotItem:
        plot = plot_class(viewBox=GenomeViewBox(), axisItems=axis_items, **kwargs)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        plot.hideAxis("bottom")
        for name in ("left", "bottom", "top", "right"):
            plot.getAxis(name).enableAutoSIPrefix(False)  # bases have no SI prefix; also saves work per frame
        if plot_class is ProbabilityTrackPlot:
            left = plot.getAxis("left")
            left.setWidth(LEFT_AXIS_WIDTH)
            left.setPen(pg.mkPen(canvas.current().axis))
            left.setTextPen(pg.mkPen(canvas.current().text))
            # its ticks never change with the genomic range: keep the painted pixels instead of replaying them
            left.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        else:  # no axis to paint each frame; an empty column of the same width keeps the rows aligned
            plot.hideAxis("left")
            plot.layout.setColumnFixedWidth(0, LEFT_AXIS_WIDTH)
        plot.getViewBox().setDefaultPadding(0.0)
        self._adopt_menus(plot)
        if hasattr(self, "master"):
            plot.setXLink(self.master)
        return plot

    def _adopt_menus(self, plot: pg.PlotItem, owner: QWidget | None = None) -> None:
        """Parent pyqtgraph's context menus (created without one) to this widget (or ``owner``), so Qt deletes them
        with it (start-up's gc.freeze() keeps the garbage collector from ever reaching parentless ones)."""
        owner = owner if owner is not None else self
        stack = [getattr(plot, "ctrlMenu", None), getattr(plot.getViewBox(), "menu", None)]
        while stack:
            menu = stack.pop()
            if menu is None:
                continue
            stack.extend(action.menu() for action in menu.actions() if action.menu() is not None)
            if menu.parent() is None:
                menu.setParent(owner, menu.windowFlags())

    def _layout_rows(self) -> None:
        """Put the rows in order: ruler, sequence, features, then probability tracks."""
        self.graphics.ci.clear()
        self._labels.clear()
        rows = [("", self.ruler), ("Sequence", self.sequence_plot), ("Genes", self.feature_plot), *self.gene_calls.rows()]
        rows += [(plot.track.label, plot) for plot in self.track_plots.values()]
        for row, (text, plot) in enumerate(rows):
            self._add_row(row, text, plot)
        self.graphics.ci.addItem(self._filler, row=len(rows), col=1)  # spare height goes below the tracks
        self._size_fixed_rows()

    def _append_rows(self, plots: list[ProbabilityTrackPlot]) -> None:
        """Add rows for new probability tracks below the others, laying the rows out once at the end
        (pyqtgraph re-lays every row after each item it adds: three times per new row)."""
        layout = self.graphics.ci.layout
        layout.activate = lambda: None   # shadows the C++ method for pyqtgraph's calls, until deleted below
        try:
            self.graphics.ci.removeItem(self._filler)
            first = FIXED_ROWS + len(self.track_plots) - len(plots)
            for row, plot in enumerate(plots, start=first):
                self._add_row(row, plot.track.label, plot)
            self.graphics.ci.addItem(self._filler, row=FIXED_ROWS + len(self.track_plots), col=1)
            self._size_fixed_rows()
        finally:
            del layout.activate
        layout.activate()

    def _add_row(self, row: int, text: str, plot: pg.PlotItem) -> None:
        is_track = isinstance(plot, ProbabilityTrackPlot)
        if is_track:
            text = track_label_html(plot.track.label, self.session.threshold, plot.track)
        label = self.graphics.ci.addLabel(text, row=row, col=0, justify="right", size="9pt",
                                          color=canvas.current().text)
        label.setFixedWidth(LABEL_WIDTH)
        if is_track:
            label.setToolTip(track_tooltip(plot.track.label, self.session.threshold, plot.track))
            # a label that may grow would let the row outgrow its plot (a gap under each track): the filler takes it
            label.setMaximumHeight(PROBABILITY_MAX_HEIGHT)
            label.mouseClickEvent = lambda ev, plot=plot: self._label_clicked(plot.track.key, ev)   # rows are reused
        self.graphics.ci.addItem(plot, row=row, col=1)
        self._labels[plot] = label

    def _label_clicked(self, key: str, ev) -> None:
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            self.track_menu_requested.emit(key, ev.screenPos().toPoint())

    def _size_fixed_rows(self) -> None:
        self._fix_height(self.ruler, 30)
        seq_rows = self.sequence_item.row_count
        self._fix_height(self.sequence_plot, seq_rows * SEQUENCE_ROW_PIXELS + 4)
        self.sequence_plot.getViewBox().invertY(True)
        self.sequence_plot.setYRange(0, seq_rows, padding=0)
        feature_rows = self._feature_rows
        self._fix_height(self.feature_plot, feature_rows * ROW_PIXELS + 4)
        self.feature_plot.getViewBox().invertY(True)
        self.feature_plot.setYRange(0, feature_rows, padding=0)
        self.gene_calls.size()
        for plot in self.track_plots.values():  # tracks grow first (up to their maximum), then the filler
            plot.setMinimumHeight(PROBABILITY_ROW_HEIGHT * 0.6)
            plot.setPreferredHeight(PROBABILITY_ROW_HEIGHT)
            plot.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)

    def _fix_height(self, plot: pg.PlotItem, height: float) -> None:
        plot.setFixedHeight(height)
        label = self._labels.get(plot)
        if label is not None:
            label.setFixedHeight(height)

    def fit_feature_rows(self) -> None:
        """Make the gene track as high as the rows drawn for the view (no empty rows above the first track);
        re-lays the rows only when that count changes."""
        x0, x1 = self.visible_range()
        rows = max(1, min(MAX_FEATURE_ROWS, self.feature_item.rows_in_view(x0, x1)))
        if rows != self._feature_rows:
            self._feature_rows = rows
            for plot in self.track_plots.values():
                plot.hold_drawing(True)
            try:
                self._size_fixed_rows()
            finally:
                for plot in self.track_plots.values():
                    plot.hold_drawing(False)

    def _set_sequence_limits(self, length: int) -> None:
        length = max(1, length)
        min_span = min(MIN_SPAN, length)
        for plot in self._all_plots():
            plot.getViewBox().setLimits(xMin=0, xMax=length, minXRange=min_span, maxXRange=length)
        self.ruler_item.set_length(length)

    def _all_plots(self) -> list[pg.PlotItem]:
        return [self.ruler, self.sequence_plot, self.feature_plot, self.gene_calls.plot, *self.track_plots.values()]

    # --- session -> view ------------------------------------------------------------------------
    def _on_genome_changed(self, genome) -> None:
        if genome is None:
            self.sequence_item.set_record(None)
            self.feature_item.clear()
            self._set_sequence_limits(1)

    def _on_sequence_changed(self, seqid: str) -> None:
        genome = self.session.genome
        record = genome.sequences[seqid]
        self.sequence_item.set_record(record)
        self.feature_item.set_features(genome.features.on(seqid), record.length)
        self.feature_item.empty_hint = (
            "No annotation: File ▸ Open annotation… (Ctrl+Shift+O) adds its genes" if not genome.features
            else "No annotated feature on this sequence")
        self._feature_rows = max(1, min(MAX_FEATURE_ROWS, self.feature_item.row_count))   # whole sequence shown next
        self.gene_calls.on_sequence_changed()
        self._size_fixed_rows()
        self._set_sequence_limits(record.length)
        self._rebuild_tracks()

    def _reload_features(self) -> None:
        if self.session.genome is not None and self.session.seqid is not None:
            self._on_sequence_changed(self.session.seqid)

    def _on_region_changed(self, start: int, end: int) -> None:
        (x0, x1), _ = self.master.viewRange()
        if abs(x0 - start) < 0.5 and abs(x1 - end) < 0.5:
            return
        self._applying_session = True
        try:
            self.master.setXRange(start, end, padding=0)
        finally:
            self._applying_session = False
        self._fit_rows_timer.start()

    def _rebuild_tracks(self) -> None:
        wanted = {k: t for k, t in self.session.tracks.items() if t.seqid == self.session.seqid and getattr(t, "visible", True)}
        if list(wanted) == list(self.track_plots) and all(self.track_plots[k].track is t for k, t in wanted.items()):
            return
        kept = {k: p for k, p in self.track_plots.items() if k in wanted and p.track is wanted[k]}
        old_plots = list(self.track_plots.values())
        if len(wanted) == len(old_plots) and not kept:   # another contig: the same rows show its tracks
            self._reuse_rows(wanted, old_plots)
            return
        self.track_plots = {
            key: kept.get(key) or self._new_plot(
                plot_class=ProbabilityTrackPlot, track=track, on_threshold_moved=self.session.set_threshold
            )
            for key, track in wanted.items()
        }
        plots = list(self.track_plots.values())
        for plot in plots:
            plot.hold_drawing(True)   # laying rows out resizes every view box several times: draw once, after
            plot.set_threshold(self.session.threshold)
        try:
            if plots[:len(old_plots)] == old_plots:  # tracks only added: lay out the new rows, not all of them
                self._append_rows(plots[len(old_plots):])
            else:
                for plot in old_plots:
                    self.graphics.ci.removeItem(plot)
                self._layout_rows()
            self._set_sequence_limits(self.session.sequence_length())
            self._on_region_changed(*self.session.region)
        finally:
            for plot in plots:
                plot.hold_drawing(False)

    def _reuse_rows(self, wanted: dict, plots: list[ProbabilityTrackPlot]) -> None:
        """Show ``wanted`` tracks in the rows there are, in order: no row made or laid out (a contig switch)."""
        self.track_plots = dict(zip(wanted, plots))
        for plot in plots:
            plot.hold_drawing(True)
        try:
            for plot, track in zip(plots, wanted.values()):
                plot.show_track(track)
                plot.set_threshold(self.session.threshold)
                self._relabel(plot)
            self._set_sequence_limits(self.session.sequence_length())
            self._on_region_changed(*self.session.region)
        finally:
            for plot in plots:
                plot.hold_drawing(False)

    def _restyle_track(self, key: str) -> None:
        """A track renamed or recoloured: its row's label and colours, no re-layout."""
        plot = self.track_plots.get(key)
        if plot is None:
            return
        self._relabel(plot)
        plot.restyle()

    def _relabel(self, plot: ProbabilityTrackPlot) -> None:
        label = self._labels.get(plot)
        if label is not None:
            label.setText(track_label_html(plot.track.label, self.session.threshold, plot.track), size="9pt",
                          color=canvas.current().text)
            label.setToolTip(track_tooltip(plot.track.label, self.session.threshold, plot.track))

    def _on_track_updated(self, key: str, start: int, end: int) -> None:
        """Queue the new values for the track (taken in by slices); redraw soon if they are in view."""
        plot = self.track_plots.get(key)
        if plot is None:
            return
        plot.values_changed(start, end)
        x0, x1 = self.visible_range()
        if start < x1 and end > x0:
            self._pending_redraw.add(key)
            if not self._redraw_timer.isActive():
                self._redraw_timer.start()

    def _redraw_pending(self) -> None:
        for key in list(self._pending_redraw):
            plot = self.track_plots.get(key)
            if plot is not None:
                plot.redraw()
        self._pending_redraw.clear()

    def _on_threshold_changed(self, threshold: float) -> None:
        for plot in self.track_plots.values():
            plot.set_threshold(threshold)
            self._relabel(plot)

    # --- view -> session ------------------------------------------------------------------------
    def _note_move(self, *args) -> None:
        self._moved_at = time.monotonic()

    def interacting(self) -> bool:
        """A drag or zoom in progress: a mouse button held, or the view moved less than SETTLED_S ago (a wheel zoom
        or held arrow keys press no button). Idle work on the GUI thread (the wizard's imports) waits for it."""
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return True
        return time.monotonic() - self._moved_at < SETTLED_S

    def _on_view_range_changed(self, args) -> None:
        if self._applying_session or self.session.seqid is None:
            return
        (x0, x1), _ = self.master.viewRange()
        self.session.set_region(int(round(x0)), int(round(x1)))
        self._fit_rows_timer.start()

    def _on_mouse_moved(self, scene_pos) -> None:
        rect = self.master.sceneBoundingRect()
        if self.session.seqid is None or not rect.left() <= scene_pos.x() <= rect.right():
            self.cursor_moved.emit(-1)
            return
        x = self.master.mapSceneToView(scene_pos).x()
        base = int(np.floor(x))
        self.cursor_moved.emit(base if 0 <= base < self.session.sequence_length() else -1)

    # --- navigation used by menus, keys and buttons ----------------------------------------------
    def visible_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.master.viewRange()
        return x0, x1

    def show_region(self, start: float, end: float) -> None:
        """Show ``[start, end)``, widened to the closest zoom and kept inside the sequence."""
        length = self.session.sequence_length()
        if length <= 0:
            return
        start, end = centered_window(int(round(start)), int(round(end)), MIN_SPAN, length)
        self.master.setXRange(start, end, padding=0)

    def zoom(self, factor: float) -> None:
        """Zoom around the centre: factor > 1 zooms in."""
        x0, x1 = self.visible_range()
        centre, half = (x0 + x1) / 2, (x1 - x0) / 2 / factor
        length = self.session.sequence_length()
        half = min(max(half, MIN_SPAN / 2), length / 2)
        start = min(max(0.0, centre - half), length - 2 * half)
        self.master.setXRange(start, start + 2 * half, padding=0)

    def zoom_in(self) -> None:
        self.zoom(ZOOM_STEP)

    def zoom_out(self) -> None:
        self.zoom(1 / ZOOM_STEP)

    def pan(self, fraction: float) -> None:
        """Move by ``fraction`` of the visible span (negative: left)."""
        x0, x1 = self.visible_range()
        length = self.session.sequence_length()
        shift = (x1 - x0) * fraction
        shift = min(max(shift, -x0), length - x1)
        self.master.setXRange(x0 + shift, x1 + shift, padding=0)

    def pan_left(self) -> None:
        self.pan(-PAN_FRACTION)

    def pan_right(self) -> None:
        self.pan(PAN_FRACTION)

    def show_start(self) -> None:
        """The first bases of the sequence, at the zoom shown."""
        self.pan(-float(self.session.sequence_length()) / max(1.0, self._span()))

    def show_end(self) -> None:
        """The last bases of the sequence, at the zoom shown."""
        self.pan(float(self.session.sequence_length()) / max(1.0, self._span()))

    def _span(self) -> float:
        x0, x1 = self.visible_range()
        return x1 - x0

    def show_whole_sequence(self) -> None:
        length = self.session.sequence_length()
        if length > 0:
            self.master.setXRange(0, length, padding=0)

    def set_zoom_box_mode(self, enabled: bool) -> None:
        for plot in self._all_plots():
            plot.getViewBox().zoom_box_mode = enabled

    def set_show_translation(self, show: bool) -> None:
        self.sequence_item.set_show_translation(show)
        self._size_fixed_rows()

    def warm_up(self) -> None:
        """Build and drop one probability-track row off screen, so the first real one (mid-prediction) does not
        pay pyqtgraph's and Qt's first-use costs: measured 200 ms for the first row, 45 ms for the next."""
        scratch = pg.GraphicsLayoutWidget()
        track = ProbabilityTrack("warm-up", "warm-up", "", np.zeros(1000, dtype=np.float32))
        plot = ProbabilityTrackPlot(track, lambda threshold: None, viewBox=GenomeViewBox())
        self._adopt_menus(plot, scratch)   # deleted with the scratch widget
        scratch.ci.addLabel("warm-up", row=0, col=0, justify="right", size="9pt")
        scratch.ci.addItem(plot, row=0, col=1)
        scratch.deleteLater()

    def content_height(self) -> int:
        """Pixels from the top to below the last row (an export leaves out the empty space under the tracks)."""
        plots = self._all_plots()
        bottom = max(plot.sceneBoundingRect().bottom() for plot in plots)
        return int(np.ceil(self.graphics.mapFromScene(QPointF(0, bottom)).y())) + 6

    def flush(self) -> None:
        """Push a pending view change to the session now (tests and screenshots do not wait for the rate limit)."""
        self._region_proxy.flush()
        self._fit_rows_timer.stop()
        self.fit_feature_rows()
        for plot in self.track_plots.values():
            plot.take_in_all()
        self._redraw_pending()
        for plot in self._all_plots():
            plot.getViewBox().updateMatrix()  # pyqtgraph applies a new range lazily, at the next paint
