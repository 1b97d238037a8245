"""The disagreements panel: genes (by stop codon) that GenoView's calls, Prodigal and the annotation do not all have.

One row per gene: locus, strand and which systems have it; a double-click asks to show that gene
(``locus_activated``), which the main window answers with its go-to navigation.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from genoview.gui.genome_view.gene_calls_track import SYSTEMS, GeneCallsResult

COLUMNS = ("Locus", "Strand", *SYSTEMS)   # header labels; "Annotation" shortened below
HEADERS = ("Locus", "±", "GenoView", "Prodigal", "Annot.")
MAX_ROWS = 5000   # a table of more rows than anyone reads; the count above it says how many there are
FILL_SLICE = 250  # rows filled per event-loop turn: 5,000 at once held the GUI thread for 0.1 s and more


class DisagreementsPanel(QDockWidget):
    """Dock listing where the gene finders disagree on the track last called."""

    locus_activated = Signal(str, int, int)   # seqid, start, end (0-based half-open)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Gene disagreements", parent)
        self.setObjectName("gene_disagreements_panel")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("Predict with a model to compare its gene calls with Prodigal's and the annotation's.")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(24)
        self.table.setToolTip("Genes matched by stop codon (same strand, same stop). Click a row to show the gene; "
                              "the arrow keys step through the list. Another track's calls: right-click its name "
                              "and choose Show its gene calls.")
        # a click (not only a double-click, which newcomers did not try) or the arrow keys show the gene
        self.table.cellClicked.connect(self._activate)
        self.table.currentCellChanged.connect(self._current_changed)
        self._quiet = False   # True while the table is filled: Qt moving the current cell is not the user's step
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.setWidget(body)
        self.rows: list = []
        self._systems: tuple = ()
        self._filled = 0
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill_rows)

    def set_result(self, result: GeneCallsResult | None, track_label: str = "") -> None:
        self.rows = list(result.disagreements[:MAX_ROWS]) if result is not None else []
        self._fill_timer.stop()
        self._quiet = True
        self.table.setRowCount(0)
        self._quiet = False
        if result is None:
            self.summary.setText("No gene calls yet.")
            return
        called = sum(1 for f in result.features if "GenoView" in getattr(f, "systems", ()))
        compared = " and ".join(result.systems[1:])
        name = track_label or result.track_key.split(" @ ")[0]
        # the "GenoView" column is the calls of this track (with two tracks, which one was not said anywhere)
        # cut in the middle: an adapted model (geneorf-bacteria-mycoplasma_...) read as its parent ("geneorf-bacte…")
        self.table.setHorizontalHeaderItem(2, QTableWidgetItem(name if len(name) <= 14 else name[:6] + "…" + name[-7:]))
        self.table.horizontalHeaderItem(2).setToolTip(f"Genes called from the track {name}")
        self.summary.setText(
            f"{name}: {called:,} genes called; {len(result.disagreements):,} genes where {name}'s calls, "
            f"{compared} disagree (matched by stop codon; genetic code {result.genetic_code}).")
        self.summary.setToolTip("Another track's calls: right-click its name (or its row in the Track list) and "
                                "choose Show its gene calls.")
        self._quiet = True
        self.table.setRowCount(len(self.rows))
        self._quiet = False
        self._systems, self._filled = result.systems, 0
        self._size_columns(to_contents=False)   # sized once at the end: per slice, Qt re-measured every row
        self._fill_rows()

    def _size_columns(self, to_contents: bool) -> None:
        header = self.table.horizontalHeader()
        mode = QHeaderView.ResizeMode.ResizeToContents if to_contents else QHeaderView.ResizeMode.Interactive
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, mode)

    def _fill_rows(self) -> None:
        """Fill the next FILL_SLICE rows of the table; the rest on later turns of the event loop."""
        end = min(len(self.rows), self._filled + FILL_SLICE)
        self._quiet = True
        for row in range(self._filled, end):
            gene = self.rows[row]
            cells = [gene.locus, "+" if gene.strand > 0 else "−"]
            cells += ["✓" if s in gene.systems else ("–" if s in self._systems else "n/a") for s in SYSTEMS]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, col, item)
        self._quiet = False
        self._filled = end
        if end < len(self.rows):
            self._fill_timer.start()
        else:
            self._size_columns(to_contents=True)

    def _current_changed(self, row: int, column: int, previous_row: int, previous_column: int) -> None:
        if not self._quiet and row != previous_row:
            self._activate(row)

    def _activate(self, row: int, column: int = 0) -> None:
        if 0 <= row < len(self.rows):
            gene = self.rows[row]
            self.locus_activated.emit(gene.seqid, gene.start, gene.end)


MIN_DISAGREEMENTS_HEIGHT = 150   # the caption, the header and two rows


def make_room_for_evaluation(window, panel) -> None:
    """With the evaluation dock above this one, give the evaluation its content's height (its ROC/PR plot was cut
    at the bottom of a 1000-pixel window, scrolled out of view) and this dock the rest, at least
    MIN_DISAGREEMENTS_HEIGHT."""
    evaluation = getattr(window, "evaluation_panel", None)
    if (evaluation is None or not evaluation.isVisible() or not panel.isVisible() or evaluation.isFloating()
            or panel.isFloating() or window.dockWidgetArea(evaluation) != window.dockWidgetArea(panel)):
        return
    scroll = evaluation.widget()
    inner = scroll.widget() if hasattr(scroll, "widget") and scroll.widget() is not None else scroll
    need = inner.minimumSizeHint().height() + (evaluation.height() - scroll.viewport().height()) + 2
    total = evaluation.height() + panel.height()
    need = min(need, total - MIN_DISAGREEMENTS_HEIGHT)
    if need > evaluation.height():
        window.resizeDocks([evaluation, panel], [need, total - need], Qt.Orientation.Vertical)


def install_gene_calls(window) -> DisagreementsPanel:
    """After each prediction, work out its track's gene calls (and Prodigal's, and the annotation's CDS) as a job on
    the window's JobRunner, draw them in the view's gene-calls row and list the disagreements in a dock."""
    from genoview.gui.genome_view.gene_calls_track import gene_calls_job, track_parts
    from genoview.gui.workers import Job

    panel = DisagreementsPanel(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.hide()
    toggle = panel.toggleViewAction()
    toggle.setText("Gene &disagreements")
    window.view_menu.addAction(toggle)
    window.disagreements_panel = panel
    session, runner, view = window.session, window.runner, window.view
    state = {"job": None, "shown": False, "genome": None}

    def call_genes(track_key: str) -> None:
        track = session.tracks.get(track_key)
        genome = session.genome
        if track is None or genome is None or track.seqid not in genome.sequences:
            return
        if not track.predicted_intervals():
            return
        if state["job"] is not None:
            old, state["job"] = state["job"], None   # replaced, not cancelled by the user: nothing to say
            runner.cancel(old)
        model_name = track.model_name

        def work(progress, cancel):   # the values are read here too: a whole genome's are tens of MB
            parts = track_parts(track)
            return gene_calls_job(genome, track_key, track.seqid, parts, model_name, progress, cancel)

        state["genome"] = genome
        state["label"] = track.label
        state["job"] = runner.submit(Job(f"Gene calls of {track.label}", work, context="gene-calls"))

    def finished(job, result) -> None:
        if job is not state["job"]:
            return
        state["job"] = None
        if result is None or result.track_key not in session.tracks or session.genome is not state["genome"]:
            return
        view.gene_calls.set_result(result)
        panel.set_result(result, session.tracks[result.track_key].label)
        export.setEnabled(bool(result.calls))
        if not state["shown"]:   # once: a user who closed it keeps it closed
            state["shown"] = True
            QTimer.singleShot(1, panel, panel.show)   # a turn later: its first layout resizes the view (rows redraw)
            QTimer.singleShot(60, panel, lambda: make_room_for_evaluation(window, panel))   # once laid out
        session.status_message.emit(f"{len(result.disagreements):,} genes where the gene finders disagree")

    def failed(job, message: str) -> None:
        if job is state["job"]:
            state["job"] = None
            session.status_message.emit(f"Gene calls failed: {message}")

    def forget_removed() -> None:
        result = view.gene_calls.result
        if result is not None and result.track_key not in session.tracks:
            view.gene_calls.set_result(None)
            panel.set_result(None)
            export.setEnabled(False)

    def go_to(seqid: str, start: int, end: int) -> None:   # the gene with a margin, so both its ends show
        pad = max(20, (end - start) // 5)
        length = session.genome.sequences[seqid].length if session.genome is not None else end
        window.go_to(f"{seqid}:{max(0, start - pad) + 1}-{min(length, end + pad)}")

    export = _install_export(window)
    runner.finished.connect(finished)
    runner.failed.connect(failed)
    def cancelled(job) -> None:   # the status bar's Cancel: say how to get the calls back (it was a dead end)
        if job is not state["job"]:
            return
        state["job"] = None
        message = (f"Gene calls of {state.get('label', 'the track')} cancelled: Tools ▸ Predict… with the same model "
                   "reopens its track from the cache and calls its genes again")
        session.status_message.emit(message)
        if not panel.rows:
            panel.summary.setText(message + ".")

    runner.cancelled.connect(cancelled)

    def follow_sequence(seqid: str) -> None:   # another sequence shown: the same model's calls on it, if predicted
        result = view.gene_calls.result
        shown = session.tracks.get(result.track_key) if result is not None else None
        if shown is None or result.seqid == seqid:
            return
        for key, track in session.tracks.items():
            if track.seqid == seqid and track.model_name == shown.model_name:
                call_genes(key)
                return

    session.sequence_changed.connect(follow_sequence)
    session.tracks_changed.connect(forget_removed)
    session.genome_changed.connect(lambda genome: (view.gene_calls.set_result(None), panel.set_result(None),
                                                   export.setEnabled(False)))
    panel.locus_activated.connect(go_to)
    if window.predict_controller is not None:
        window.predict_controller.finished.connect(call_genes)
    window.call_genes = call_genes
    return panel


EXPORT_TIP = ("The genes in the Gene calls row (strand, start codon, confidence), as GFF3 gene + CDS: what "
              "`genoview predict --gff-out` writes. Available once a prediction's genes are called.")


def _install_export(window):
    """File ▸ Export ▸ Gene calls as GFF3…: the calls the user sees (the menu's 'Predicted genes' are the track's
    stretches above the threshold, without strand or codons; newcomers looked for these)."""
    from PySide6.QtGui import QAction

    action = QAction("Gene calls as GFF3…", window)
    action.setToolTip(EXPORT_TIP)
    action.setStatusTip(EXPORT_TIP)
    action.setEnabled(False)
    menu = getattr(window, "export_menu", None)
    if menu is not None:
        menu.addAction(action)
        menu.setToolTipsVisible(True)

    def export() -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from genoview.core.genecalls import write_gene_calls

        result, genome = window.view.gene_calls.result, window.session.genome
        if result is None or genome is None or not result.calls:
            window.statusBar().showMessage("No gene calls yet: predict with a model (Tools ▸ Predict…); its genes "
                                           "are called when it finishes", 10000)
            return
        label = window.session.tracks[result.track_key].label if result.track_key in window.session.tracks else ""
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in f"{label or 'genes'}.{result.seqid}")
        default = str(Path(window.settings.last_directory or Path.home()) / f"{name}.gene-calls.gff3")
        path, _ = QFileDialog.getSaveFileName(window, "Export gene calls as GFF3", default, "GFF3 (*.gff3 *.gff)")
        if not path:
            return
        from genoview.core.errors import GenoViewInputError
        from genoview.gui.export import refuse_open_inputs

        try:
            refuse_open_inputs(window.session, path)   # never the open FASTA or annotation
            count = write_gene_calls(path, result.calls, genome, result.genetic_code)
        except GenoViewInputError as exc:
            window.report_error("Export failed", str(exc))
            return
        except OSError as exc:
            window.report_error("Export failed", f"{path}: {exc}")
            return
        window.statusBar().showMessage(f"Saved {count:,} gene calls of {label or result.track_key} to {path}", 10000)

    action.triggered.connect(export)
    window.export_gene_calls_action = action
    return action
