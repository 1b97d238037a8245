"""The disagreements panel: genes (by stop codon) that GenoView's calls, Prodigal and the annotation do not all have.

One row per gene: locus, strand and which systems have it; a double-click asks to show that gene
(``locus_activated``), which the main window answers with its go-to navigation.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QDockWidget, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from genoview.gui.genome_view.gene_calls_track import PRODIGAL, SYSTEMS, GeneCallsResult
from genoview.gui.name_wrap import short_locus
from genoview.gui.table_copy import make_copyable

COLUMNS = ("Locus", "Strand", *SYSTEMS, "Gene")   # header labels; "Annotation" shortened below
HEADERS = ("Locus", "±", "GenoView", "Prodigal", "Annot.", "Annotated as")
# what each column's marks mean (the headers said nothing: "Annot." with ✓, – or n/a was left to guess)
HEADER_HELP = (
    "Where the gene is (sequence:start-end, 1-based); the full locus in the cell's tooltip when shortened",
    "Strand of the gene: + forward, − reverse",
    "✓ the track's gene calls have this gene (same strand, same stop codon); – they do not",
    "✓ Prodigal calls this gene (same strand, same stop codon); – it does not",
    "✓ the annotation has this gene: a CDS on the same strand ending at the same stop codon; – it has none there; "
    "n/a: not compared (no CDS of an annotation on this sequence: the column is then hidden)",
    "The annotation's name and locus tag of the gene (its product in the cell's tooltip); empty where the annotation "
    "does not have it",
)
MAX_ROWS = 5000   # a table of more rows than anyone reads; the count above it says how many there are
FILL_SLICE = 250  # rows filled per event-loop turn: 5,000 at once held the GUI thread for 0.1 s and more


class DisagreementsPanel(QDockWidget):
    """Dock listing where the gene finders disagree on the track last called."""

    locus_activated = Signal(str, int, int)   # seqid, start, end (0-based half-open)
    exportable = Signal(bool)   # whether the list has genes to export (File ▸ Export follows the dock's button)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Gene disagreements", parent)
        self.setObjectName("gene_disagreements_panel")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("Predict with a model to compare its gene calls with Prodigal's and the annotation's.")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        make_copyable(self.table)
        self.table.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.table.setHorizontalHeaderLabels(HEADERS)
        for column, tip in enumerate(HEADER_HELP):
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # the locus as wide as its text, the last column shown takes the free width: a stretched Locus column was
        # squeezed to nothing, or pushed the track / Prodigal / annotation columns behind a scroll bar, in a narrow
        # dock (a 1280 x 800 screen tabs it beside the Evaluation panel: H-walk18)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(24)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)   # a locus keeps its start and end in view
        self.table.setToolTip("Genes matched by stop codon (same strand, same stop). Click a row to show the gene; "
                              "the arrow keys step through the list. Another track's calls: right-click its name "
                              "and choose Show its gene calls.")
        # a click (not only a double-click, which newcomers did not try) or the arrow keys show the gene
        self.table.cellClicked.connect(self._activate)
        self.table.currentCellChanged.connect(self._current_changed)
        self._quiet = False   # True while the table is filled: Qt moving the current cell is not the user's step
        # the list had no way out: a user checking 110 genes copied them one by one
        self.export_button = QPushButton("Export…")
        self.export_button.setEnabled(False)
        self.export_button.setToolTip("Save every gene of this list (not only the rows shown) as a table a "
                                      "spreadsheet reads: TSV or CSV, with the annotation's locus tag, name and "
                                      "product for each gene it has (File ▸ Export ▸ Gene disagreements…)")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.setWidget(body)
        self.rows: list = []
        self._systems: tuple = ()
        self._filled = 0
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill_rows)

    def _set_track_header(self, text: str, tip: str) -> None:
        item = QTableWidgetItem(text)
        item.setToolTip(tip + "\n" + HEADER_HELP[2])
        self.table.setHorizontalHeaderItem(2, item)

    def set_result(self, result: GeneCallsResult | None, track_label: str = "",
                   annotation: str | None = None) -> None:
        """Show ``result``'s disagreements; ``annotation``: the open annotation's file name (None: none open), said
        when it has no CDS on the result's sequence (its columns are hidden as when none is open)."""
        self.rows = list(result.disagreements[:MAX_ROWS]) if result is not None else []
        self._fill_timer.stop()
        self._quiet = True
        self.table.setRowCount(0)
        self._quiet = False
        self.export_button.setEnabled(bool(result is not None and result.disagreements))
        self.exportable.emit(self.export_button.isEnabled())
        if result is None:
            self.summary.setText("No gene calls yet.")
            # the column named the last genome's model ("genecnn-ecoli" over "No gene calls yet" on another genome)
            self._set_track_header(HEADERS[2], "Genes called from a track")
            return
        called = sum(1 for f in result.features if "GenoView" in getattr(f, "systems", ()))
        compared = " and ".join(result.systems[1:])
        name = track_label or result.track_key.split(" @ ")[0]
        # the "GenoView" column is the calls of this track (with two tracks, which one was not said anywhere)
        # cut in the middle: an adapted model (geneorf-bacteria-mycoplasma_...) read as its parent ("geneorf-bacte…")
        self._set_track_header(name if len(name) <= 16 else name[:7] + "…" + name[-8:],
                               f"Genes called from the track {name}")
        rna = sum(1 for c in result.calls if c.kind != "CDS")
        # the RNA genes are drawn but not compared: counted apart, "1,777 genes called" read as a different count
        # from predict's "1,854 predicted genes" (the same calls, 77 of them tRNA and rRNA genes)
        called_text = f"{called:,} protein genes called" + (f" (and {rna:,} RNA genes)" if rna else "")
        # no annotation: its two columns ("n/a" on every row, and no names) are hidden, and the summary says so
        annotated = "Annotation" in result.systems
        for column in (2 + SYSTEMS.index("Annotation"), len(HEADERS) - 1):
            self.table.setColumnHidden(column, not annotated)
        # a Prodigal track's calls are Prodigal's genes: its column beside "Prodigal" held the same marks on every
        # row, and the summary read "prodigal's calls, Prodigal and Annotation disagree" (H-walk18)
        own = getattr(result, "model_name", "") == PRODIGAL
        self.table.setColumnHidden(2 + SYSTEMS.index("Prodigal"), own)
        if own:
            compared = "the annotation" if annotated else ""
            what = (f"{len(result.disagreements):,} genes where {name}'s calls and the annotation disagree"
                    if annotated else "they are Prodigal's own genes, so only an annotation is compared with them")
            what += f" (Prodigal's column is left out: it holds the same genes; matched by stop codon"
        else:
            what = (f"{len(result.disagreements):,} genes where {name}'s calls, {compared} disagree (matched by stop "
                    "codon")
        self.summary.setText(
            f"{name}: {called_text}; {what}; genetic code {result.genetic_code})."
            + ("" if annotated else f" {annotation} has no CDS on {result.seqid}, so its genes are not compared "
               "(its columns are hidden)." if annotation else " No annotation is open: File ▸ Open annotation… (or "
               "drop a GFF3 on the window) adds its genes to compare."))
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
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, mode)
        if to_contents:
            self._fit_columns()

    def _fit_columns(self) -> None:
        """In a dock narrower than the columns' text (a 1280-pixel screen's side dock), the 'Annotated as', track and
        Locus columns give up width, their text elided (whole in the tooltips), so that every column stays in view:
        'Annot.' and 'Annotated as' were behind a sideways scroll bar. A wide dock keeps each column's text width."""
        header = self.table.horizontalHeader()
        shown = [c for c in range(len(COLUMNS)) if not self.table.isColumnHidden(c)]
        if not shown or not self._filled:
            return
        wanted = {c: max(self.table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in shown}
        room = self.table.viewport().width()
        bar = self.table.verticalScrollBar()
        if not bar.isVisible() and self.table.rowCount() * self.table.verticalHeader().defaultSectionSize() > \
                self.table.viewport().height():   # its scroll bar is about to come and take its width
            room -= bar.sizeHint().width()
        excess = sum(wanted.values()) - room
        if excess <= 0:
            for c in shown:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
            return
        metrics = header.fontMetrics()
        sizes = dict(wanted)
        # given up in this order, each down to a floor: the names (whole in their tooltips), the track's name (whole in
        # the header's tooltip), the locus (elided in the middle: its start and end stay)
        for column, floor in ((len(COLUMNS) - 1, metrics.horizontalAdvance("mokC b00…") + 12),
                              (2, metrics.horizontalAdvance("genecnn…") + 12),
                              (0, metrics.horizontalAdvance("NC_0…1,000") + 12)):
            if column in sizes and excess > 0:
                cut = min(excess, max(0, sizes[column] - floor))
                sizes[column] -= cut
                excess -= cut
        for c in shown:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(c, sizes[c])

    def resizeEvent(self, event) -> None:   # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self._filled and self._filled >= len(self.rows):
            QTimer.singleShot(0, self._fit_columns)

    def _fill_rows(self) -> None:
        """Fill the next FILL_SLICE rows of the table; the rest on later turns of the event loop."""
        end = min(len(self.rows), self._filled + FILL_SLICE)
        self._quiet = True
        for row in range(self._filled, end):
            gene = self.rows[row]
            cells = [short_locus(gene.locus, gene.seqid), "+" if gene.strand > 0 else "−"]
            cells += ["✓" if s in gene.systems else ("–" if s in self._systems else "n/a") for s in SYSTEMS]
            locus_tag, name, product = (tuple(getattr(gene, "annotation", ())) + ("", "", ""))[:3]
            cells.append(" ".join(part for part in (name, locus_tag) if part))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == len(cells) - 1:   # whole in the tooltip: a narrow dock elides the cell
                    if text or product:
                        item.setToolTip("\n".join(part for part in (text, product) if part))
                elif col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                else:
                    item.setToolTip(gene.locus)
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


def annotation_name(genome) -> str | None:
    """The open annotation's file name (an empty one too), "The annotation" for features without a file, None when
    the genome has no annotation."""
    path = getattr(genome, "annotation_path", None)
    if path:
        return Path(str(path)).name
    return "The annotation" if genome is not None and getattr(genome, "features", None) else None


MIN_DISAGREEMENTS_HEIGHT = 150   # the caption, the header and two rows
ROWS_SHOWN = 8   # rows the dock opens with under the genome view: enough to step through with the arrow keys


def make_room_for_evaluation(window, panel) -> None:
    """With the evaluation dock above this one, give the evaluation its content's height (its ROC/PR plot was cut
    at the bottom of a 1000-pixel window, scrolled out of view) and this dock the rest, at least
    MIN_DISAGREEMENTS_HEIGHT."""
    evaluation = getattr(window, "evaluation_panel", None)
    if (evaluation is None or not evaluation.isVisible() or not panel.isVisible() or evaluation.isFloating()
            or panel.isFloating() or window.dockWidgetArea(evaluation) != window.dockWidgetArea(panel)
            or panel in window.tabifiedDockWidgets(evaluation)):   # tabs share one height
        return
    scroll = evaluation.widget()
    inner = scroll.widget() if hasattr(scroll, "widget") and scroll.widget() is not None else scroll
    need = inner.minimumSizeHint().height() + (evaluation.height() - scroll.viewport().height()) + 2
    total = evaluation.height() + panel.height()
    need = min(need, total - MIN_DISAGREEMENTS_HEIGHT)
    if need > evaluation.height():
        window.resizeDocks([evaluation, panel], [need, total - need], Qt.Orientation.Vertical)


def height_for_rows(panel: DisagreementsPanel, rows: int = ROWS_SHOWN) -> int:
    """The dock's height that shows its caption, the table's header and ``rows`` rows."""
    table = panel.table
    title = panel.height() - panel.widget().height() if panel.widget().height() else 24
    caption = panel.summary.heightForWidth(max(200, panel.width() - 8))
    return (title + 8 + max(caption, panel.summary.sizeHint().height()) + panel.widget().layout().spacing()
            + table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth() + table.horizontalScrollBar().sizeHint().height())


def make_room_under_view(window, panel) -> None:
    """Open the dock under the genome view with ROWS_SHOWN rows (at most 40 % of the window's height)."""
    if panel.isFloating() or not panel.isVisible() \
            or window.dockWidgetArea(panel) != Qt.DockWidgetArea.BottomDockWidgetArea:
        return
    want = min(height_for_rows(panel), int(window.height() * 0.4))
    if panel.height() < want:
        window.resizeDocks([panel], [want], Qt.Orientation.Vertical)


def keep_tracks_in_view(window, panel) -> None:
    """Shrink the dock under the view (to MIN_DISAGREEMENTS_HEIGHT at least) when the view's rows no longer fit above
    it: with six tracks the last one, often the one just predicted, was cut off under the dock."""
    if panel.isFloating() or not panel.isVisible() \
            or window.dockWidgetArea(panel) != Qt.DockWidgetArea.BottomDockWidgetArea:
        return
    view = window.view
    try:
        overflow = view.content_height() - 6 - view.graphics.height()   # content_height has a 6-pixel margin
    except (AttributeError, ValueError):   # no rows laid out yet
        return
    if overflow > 0 and panel.height() > MIN_DISAGREEMENTS_HEIGHT:
        window.resizeDocks([panel], [max(MIN_DISAGREEMENTS_HEIGHT, panel.height() - overflow)],
                           Qt.Orientation.Vertical)


SHORT_WINDOW = 800   # pixels high: below it the dock opens as a tab beside the evaluation, not under the view


def beside_evaluation_on_short_window(window, panel) -> bool:
    """On a short window (a 1366 x 768 or 1280 x 720 laptop: 650-690 pixels) the dock under the view, even at
    MIN_DISAGREEMENTS_HEIGHT, left the track just predicted about 45 pixels high under the annotation and gene-call
    rows: there it becomes a tab beside a docked evaluation panel instead (the evaluation stays in front). True if
    it did."""
    evaluation = getattr(window, "evaluation_panel", None)
    if (window.height() >= SHORT_WINDOW or evaluation is None or not evaluation.isVisible()
            or evaluation.isFloating() or panel.isFloating()
            or window.dockWidgetArea(panel) != Qt.DockWidgetArea.BottomDockWidgetArea):
        return False
    window.tabifyDockWidget(evaluation, panel)
    return True


def install_gene_calls(window) -> DisagreementsPanel:
    """After each prediction, work out its track's gene calls (and Prodigal's, and the annotation's CDS) as a job on
    the window's JobRunner, draw them in the view's gene-calls row and list the disagreements in a dock."""
    from genoview.gui.genome_view.gene_calls_track import gene_calls_job, track_parts
    from genoview.gui.workers import Job

    panel = DisagreementsPanel(window)
    # under the genome view (whose lower part is mostly empty), not under the evaluation dock: there it kept about
    # two rows, as the evaluation needs its whole height; the bottom corners stay the side docks' so the tracks list
    # and the evaluation keep the window's full height
    window.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
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
        panel.set_result(result, session.tracks[result.track_key].label, annotation_name(session.genome))
        export.setEnabled(bool(result.calls))
        if not state["shown"]:   # once: a user who closed it keeps it closed
            state["shown"] = True
            if beside_evaluation_on_short_window(window, panel):
                QTimer.singleShot(1, panel, lambda: (panel.show(), window.evaluation_panel.raise_()))
                session.status_message.emit(f"{len(result.disagreements):,} genes where the gene finders disagree")
                return
            QTimer.singleShot(1, panel, panel.show)   # a turn later: its first layout resizes the view (rows redraw)
            QTimer.singleShot(60, panel, lambda: (make_room_under_view(window, panel),   # once laid out
                                                  make_room_for_evaluation(window, panel)))
        QTimer.singleShot(150, panel, lambda: keep_tracks_in_view(window, panel))   # after the dock's own resize
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
    _install_disagreements_export(window, panel)
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
    # a new track row is laid out a moment after the track arrives: then see whether the rows still fit
    session.tracks_changed.connect(lambda *_: QTimer.singleShot(300, panel, lambda: keep_tracks_in_view(window, panel)))
    session.genome_changed.connect(lambda genome: (view.gene_calls.set_result(None), panel.set_result(None),
                                                   export.setEnabled(False)))
    panel.locus_activated.connect(go_to)

    def on_predicted(track_key: str) -> None:
        """A prediction finished: call its genes, unless it is of another sequence than the one shown and the shown
        one has a track of the same model (a reopened session predicts its tracks one by one: the last contig's
        calls replaced the shown contig's, and the gene-calls row and this dock then spoke of a contig not shown)."""
        track = session.tracks.get(track_key)
        if track is not None and track.seqid != session.seqid and any(
                other.seqid == session.seqid and other.model_name == track.model_name and other.predicted_intervals()
                for other in session.tracks.values()):
            return
        call_genes(track_key)

    if window.predict_controller is not None:
        window.predict_controller.finished.connect(on_predicted)
    window.call_genes = call_genes
    window.call_genes_when_predicted = on_predicted   # the slot on predict_controller.finished
    return panel


EXPORT_TIP = ("The genes in the Gene calls row (strand, start codon, confidence), as GFF3 gene + CDS: what "
              "`genoview predict --gff-out` writes; with several sequences predicted by the model (a draft's "
              "contigs), all of them or the shown one. Available once a prediction's genes are called.")
PROTEINS_TIP = ("The proteins of those gene calls as FASTA (Prodigal's -a format; `genoview predict --proteins-out`); "
                "with several sequences predicted by the model, all of them or the shown one.")


def ask_export_scope(window, model: str, seqid: str, count: int) -> str | None:
    """'all' (every sequence the model predicted), 'one' (the shown sequence) or None (cancelled)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "Export gene calls",
                      f"{model} predicted {count} sequences. Export the genes of all of them, or of {seqid} only?",
                      QMessageBox.StandardButton.NoButton, window)
    every = box.addButton(f"All {count} sequences", QMessageBox.ButtonRole.AcceptRole)
    shown = box.addButton(f"{seqid} only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(every)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    return "all" if clicked is every else "one" if clicked is shown else None


def _install_export(window):
    """File ▸ Export ▸ Gene calls as GFF3… and their proteins as FASTA: the calls the user sees (the menu's
    'Stretches above the threshold' have no strand or codons; newcomers looked for
    these), of the shown sequence or of every sequence the model predicted (a draft in 87 contigs: one file, not 87)."""
    from PySide6.QtGui import QAction

    action = QAction("Gene calls as GFF3…", window)
    proteins_action = QAction("Proteins of the gene calls as FASTA…", window)
    for item, tip in ((action, EXPORT_TIP), (proteins_action, PROTEINS_TIP)):
        item.setToolTip(tip)
        item.setStatusTip(tip)
        item.setEnabled(False)
    menu = getattr(window, "export_menu", None)
    if menu is not None:
        menu.addAction(action)
        menu.addAction(proteins_action)
        menu.setToolTipsVisible(True)
    action.changed.connect(lambda: proteins_action.setEnabled(action.isEnabled()))   # one state for both

    def write(path: str, proteins: bool, calls: list, genome, code: int, model: str = "") -> int:
        from genoview.core.genecalls import write_gene_calls
        from genoview.core.io.atomic import write_atomically   # a failed write leaves an earlier file whole
        from genoview.core.prediction import model_label

        if proteins:
            write_atomically(path, lambda tmp: write_gene_calls(None, calls, genome, code, proteins_path=tmp))
            return sum(1 for c in calls if c.kind == "CDS")
        # the GFF source column names the model, as `genoview predict --gff-out` writes it: two models' calls
        # loaded side by side in IGV stay told apart
        source = f"GenoView:{model_label(model)}" if model else "GenoView"
        return write_atomically(path, lambda tmp: write_gene_calls(tmp, calls, genome, code, source=source))

    def export(proteins: bool = False) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        from genoview.core.errors import GenoViewInputError
        from genoview.gui.export import refuse_open_inputs
        from genoview.gui.genome_view.gene_calls_track import track_gene_calls, track_parts
        from genoview.gui.workers import Job

        session = window.session
        result, genome = window.view.gene_calls.result, session.genome
        if result is None or genome is None or not result.calls:
            window.statusBar().showMessage("No gene calls yet: predict with a model (Tools ▸ Predict…); its genes "
                                           "are called when it finishes", 10000)
            return
        track = session.tracks.get(result.track_key)
        label = track.label if track is not None else ""
        model = track.model_name if track is not None else ""
        siblings = [t for t in session.tracks.values()
                    if model and t.model_name == model and t.predicted_intervals()] if track is not None else []
        scope = "one"
        if len({t.seqid for t in siblings}) > 1:
            scope = ask_export_scope(window, label or model, result.seqid, len({t.seqid for t in siblings}))
            if scope is None:
                return
        where = "all" if scope == "all" else result.seqid
        name = "".join(c if c.isalnum() or c in "-_." else "_" for c in f"{label or 'genes'}.{where}")
        suffix, title, types = ((".proteins.faa", "Export the proteins of the gene calls", "FASTA (*.faa *.fasta *.fa)")
                                if proteins else (".gene-calls.gff3", "Export gene calls as GFF3", "GFF3 (*.gff3 *.gff)"))
        from genoview.gui.export import export_folder, remember_export_folder

        default = str(Path(export_folder(window)) / f"{name}{suffix}")   # the last export's folder, not the genome's
        path, _ = QFileDialog.getSaveFileName(window, title, default, types)
        if not path:
            return
        remember_export_folder(window, path)
        what = "proteins" if proteins else "gene calls"
        try:
            refuse_open_inputs(session, path)   # never the open FASTA or annotation
        except GenoViewInputError as exc:
            window.report_error("Export failed", str(exc))
            return
        if scope == "one":
            try:
                count = write(path, proteins, result.calls, genome, result.genetic_code, model)
            except (GenoViewInputError, OSError) as exc:
                window.report_error("Export failed", str(exc) if isinstance(exc, GenoViewInputError) else f"{path}: {exc}")
                return
            window.statusBar().showMessage(f"Saved {count:,} {what} of {label or result.track_key} to {path}", 10000)
            return

        def work(progress, cancel):   # every contig's values and calls: tens of MB, seconds: never on the GUI thread
            region_values = [(t.seqid, start, values) for t in siblings for start, values in track_parts(t)]
            calls, code = track_gene_calls(genome, region_values, model, progress, cancel)
            return write(path, proteins, calls, genome, code, model)

        job = Job(f"Export the {what} of {label or model} ({len(siblings)} sequences)", work, context="gene-calls")

        def done(finished_job, count) -> None:
            if finished_job is job:
                forget()
                window.statusBar().showMessage(f"Saved {count:,} {what} of {label or model} on {len(siblings)} "
                                               f"sequences to {path}", 10000)

        def failed(failed_job, message: str) -> None:
            if failed_job is job:
                forget()
                window.report_error("Export failed", f"{path}: {message}")

        def cancelled(cancelled_job) -> None:
            if cancelled_job is job:
                forget()
                window.statusBar().showMessage(f"Export of the {what} cancelled: nothing written", 10000)

        connections = [(window.runner.finished, done), (window.runner.failed, failed),
                       (window.runner.cancelled, cancelled)]

        def forget() -> None:   # this export's slots go with it (one connection per export piled up)
            while connections:
                signal, slot = connections.pop()
                signal.disconnect(slot)

        for signal, slot in connections:
            signal.connect(slot)
        window.runner.submit(job)
        window.statusBar().showMessage(f"Exporting the {what} of {len(siblings)} sequences…", 10000)

    action.triggered.connect(lambda: export(False))
    proteins_action.triggered.connect(lambda: export(True))
    window.export_gene_calls_action = action
    window.export_proteins_action = proteins_action
    return action


DISAGREEMENTS_TIP = ("The genes listed in View ▸ Gene disagreements (all of them), as a TSV or CSV table: where each is, "
                     "which of the model, Prodigal and the annotation have it, and the annotation's locus tag, name and "
                     "product; `genoview evaluate GENOME --gff A --genes --disagreements FILE` writes the same columns.")


def _install_disagreements_export(window, panel) -> None:
    """File ▸ Export ▸ Gene disagreements as TSV or CSV… and the dock's Export… button: the whole list (the dock
    shows at most MAX_ROWS), 1-based, with the annotation's names, through core.gene_disagreements."""
    from PySide6.QtGui import QAction

    action = QAction("Gene disagreements as TSV or CSV…", window)
    action.setToolTip(DISAGREEMENTS_TIP)
    action.setStatusTip(DISAGREEMENTS_TIP)
    action.setEnabled(False)
    menu = getattr(window, "export_menu", None)
    if menu is not None:
        menu.addAction(action)

    def export() -> None:
        from genoview.core.errors import GenoViewInputError
        from genoview.core.gene_disagreements import write_disagreements
        from genoview.gui.export import ask_save_path, refuse_open_inputs

        session = window.session
        result, genome = window.view.gene_calls.result, session.genome
        if result is None or genome is None or not result.disagreements:
            window.statusBar().showMessage("No gene disagreements to export: predict with a model (Tools ▸ "
                                           "Predict…); its genes are compared when it finishes", 10000)
            return
        track = session.tracks.get(result.track_key)
        label = (track.label if track is not None else "") or result.track_key.split(" @ ")[0]
        path = ask_save_path(window, "Export the gene disagreements", f"{label}.{result.seqid}.disagreements.tsv",
                             "Tab-separated (*.tsv *.txt);;Comma-separated (*.csv)")
        if not path:
            return
        columns = {"GenoView": label}   # the column of this track's calls is named after its model
        systems = [columns.get(s, s) for s in result.systems]
        rows = [(g.seqid, g.start, g.end, g.strand, tuple(columns.get(s, s) for s in g.systems))
                for g in result.disagreements]
        # the names the worker found for the dock's 'Annotated as': read again here, it held the window 70 ms per
        # 1,000 genes (E. coli's CDS, not idle)
        from genoview.core.gene_level import stop_key

        names = ({stop_key((g.seqid, g.start, g.end, g.strand)): tuple(g.annotation)
                  for g in result.disagreements if getattr(g, "annotation", ())}
                 if "Annotation" in result.systems else None)
        try:
            refuse_open_inputs(session, path)   # never the open FASTA or annotation
            count = write_disagreements(path, rows, systems, genome.features, result.genetic_code, names=names)
        except GenoViewInputError as exc:
            window.report_error("Export failed", str(exc))
            return
        except OSError as exc:
            window.report_error("Export failed", f"{path}: {exc.strerror or exc}")
            return
        window.statusBar().showMessage(f"Saved {count:,} gene disagreements of {label} on {result.seqid} to {path}",
                                       10000)

    action.triggered.connect(export)
    panel.export_button.clicked.connect(export)
    panel.exportable.connect(action.setEnabled)
    window.export_disagreements_action = action
    window.export_disagreements = export
