"""The main window: menus, toolbar (sequence selector, go-to box, zoom), the genome browser, the status bar.

Files are opened on a background thread (``run_in_thread``); a file that cannot be read shows its
GenoViewInputError message (file and line) and the session keeps what it had. Window layout, recent
files and the last directory are kept in :mod:`genoview.settings`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QToolBar,
    QToolButton,
    QWidget,
)

from genoview.core.locus import format_locus
from genoview.gui.dialogs import files as file_dialogs
from genoview.gui.dialogs.feature_details import FeatureDetailsDialog
from genoview.gui.genome_view import GenomeView
from genoview.gui.genome_view.navigation import GoToBox, completion_names
from genoview.gui.session import Session
from genoview.gui.workers import Job, JobRunner, run_in_thread, wait_for_background
from genoview.paths import RESOURCES_DIR
from genoview.settings import Settings, save_settings

EXIT_WAIT_MS = 10_000


def load_genome(path: str, annotation: str | None):
    """Worker-thread part of opening: read and index the files, and the names the go-to box completes."""
    from genoview.core.genome import open_genome

    genome = open_genome(path, annotation)
    return genome, completion_names(genome.features)


def load_annotation(genome, path: str):
    """Worker-thread part of adding an annotation to the open genome, checked against its sequences."""
    from genoview.core.genome import check_annotation
    from genoview.core.io import read_annotation

    features, regions = read_annotation(path)
    check_annotation(genome.sequences, features, regions, path)
    return features, completion_names(features)


class JobStatusWidget(QWidget):
    """Status-bar view of the JobRunner: what runs, how far, and a button to cancel it."""

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Cancel the running job")
        self.cancel_button.clicked.connect(lambda: runner.cancel())
        for widget in (self.label, self.bar, self.cancel_button):
            layout.addWidget(widget)
        runner.started.connect(self._on_started)
        runner.progress.connect(self._on_progress)
        runner.busy_changed.connect(self.setVisible)
        self.setVisible(False)

    def _on_started(self, job: Job) -> None:
        self.label.setText(job.title)
        self.bar.setValue(0)

    def _on_progress(self, job: Job, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        self.label.setText(f"{job.title}: {message}" if message else job.title)


class MainWindow(QMainWindow):
    """GenoView's window. Owns no data: it shows the session and sends user actions to it."""

    genome_loaded = Signal(object)  # Genome, after it became the session's
    load_failed = Signal(str)  # the message the user was shown

    def __init__(self, session: Session, runner: JobRunner, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.settings = settings
        self.loading = 0
        self.interactive = True  # False in headless screenshot mode: errors go to the status bar and stderr only
        self.remember_layout = True  # False in screenshot mode: do not overwrite the user's saved layout
        self.setObjectName("GenoViewMainWindow")
        self.setWindowTitle("GenoView")
        icon = RESOURCES_DIR / "icons" / "genoview.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.setAcceptDrops(True)
        self.resize(1400, 900)

        self.view = GenomeView(session, self)
        self.setCentralWidget(self.view)
        self.view.feature_clicked.connect(self.show_feature_details)
        self.view.cursor_moved.connect(self._show_cursor)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        session.genome_changed.connect(self._on_genome_changed)
        session.sequence_changed.connect(self._on_sequence_changed)
        session.region_changed.connect(self._show_region)
        session.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.restore_layout()

    # --- construction ------------------------------------------------------------------------------
    def _action(self, text: str, slot, shortcuts=(), tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)  # shortcuts work without the menu bar having focus
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_action = self._action("&Open genome…", self.choose_genome, [keys.Open], "Open a FASTA or GenBank file")
        self.open_annotation_action = self._action(
            "Open &annotation…", self.choose_annotation, ["Ctrl+Shift+O"], "Add a GFF3, GTF or GenBank annotation"
        )
        self.quit_action = self._action("&Quit", self.close, [keys.Quit])
        self.goto_action = self._action("&Go to…", self.focus_go_to, ["Ctrl+L"], "Type a region, gene name or locus tag")
        self.zoom_in_action = self._action("Zoom &in", self.view.zoom_in, ["+", "=", "Ctrl++"], "Zoom in (x2)")
        self.zoom_out_action = self._action("Zoom &out", self.view.zoom_out, ["-", "Ctrl+-"], "Zoom out (x2)")
        self.pan_left_action = self._action("Pan &left", self.view.pan_left, ["Left"], "Move left")
        self.pan_right_action = self._action("Pan &right", self.view.pan_right, ["Right"], "Move right")
        self.whole_action = self._action("&Whole sequence", self.view.show_whole_sequence, ["Home"], "Show the whole sequence")
        self.zoom_box_action = self._action(
            "Zoom &box", self.view.set_zoom_box_mode, ["Z"], "Drag a box to zoom into (right-drag always does)", checkable=True
        )
        self.translation_action = self._action(
            "Show &translation", self._set_show_translation, ["T"], "Three-frame translation below the sequence", checkable=True
        )

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.open_annotation_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export")
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        view_menu = bar.addMenu("&View")
        for action in (self.goto_action, None, self.zoom_in_action, self.zoom_out_action, self.whole_action,
                       self.pan_left_action, self.pan_right_action, None, self.zoom_box_action, self.translation_action):
            if action is None:
                view_menu.addSeparator()
            else:
                view_menu.addAction(action)
        self.view_menu = view_menu
        self.tools_menu = bar.addMenu("&Tools")
        self.tools_menu.menuAction().setVisible(False)
        self._fill_recent_menu()

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Navigation", self)
        toolbar.setObjectName("NavigationToolbar")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addAction(self.open_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Sequence "))
        self.sequence_combo = QComboBox(self)
        self.sequence_combo.setMinimumContentsLength(18)
        self.sequence_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.sequence_combo.setToolTip("Sequence shown (for files with several records)")
        self.sequence_combo.activated.connect(self._on_sequence_chosen)
        toolbar.addWidget(self.sequence_combo)
        toolbar.addSeparator()
        self.go_to_box = GoToBox(self.session, self)
        self.go_to_box.setMinimumWidth(320)
        self.go_to_box.failed.connect(lambda text: self.statusBar().showMessage(text, 10000))
        toolbar.addWidget(self.go_to_box)
        toolbar.addSeparator()
        for action in (self.zoom_out_action, self.zoom_in_action, self.whole_action, self.zoom_box_action):
            toolbar.addAction(action)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.job_status = JobStatusWidget(self.runner, self)
        self.locus_label = QLabel()
        self.cursor_label = QLabel()
        self.cursor_label.setMinimumWidth(150)
        status.addPermanentWidget(self.job_status)
        status.addPermanentWidget(self.locus_label)
        status.addPermanentWidget(self.cursor_label)

    # --- hooks for other parts (wired in genoview.app) ---------------------------------------------
    def add_export_action(self, action: QAction) -> None:
        """Put an export action (e.g. bedGraph, image) in File ▸ Export."""
        self.export_menu.addAction(action)

    def add_tool_action(self, action: QAction) -> None:
        """Put an action (e.g. Predict…) in the Tools menu and on the toolbar."""
        self.tools_menu.addAction(action)
        self.tools_menu.menuAction().setVisible(True)
        self.toolbar.addAction(action)

    # --- opening files -----------------------------------------------------------------------------
    def choose_genome(self) -> None:
        path = file_dialogs.choose_genome(self, self.settings.last_directory)
        if path:
            self.open_genome(path)

    def choose_annotation(self) -> None:
        if self.session.genome is None:
            self.statusBar().showMessage("Open a genome first; then add its annotation", 8000)
            return
        path = file_dialogs.choose_annotation(self, self.settings.last_directory)
        if path:
            self.open_annotation(path)

    def open_genome(self, path: str | os.PathLike, annotation: str | os.PathLike | None = None) -> None:
        """Open a genome (and its annotation) in the background; on success it replaces the session's genome."""
        path = os.fspath(path)
        annotation = os.fspath(annotation) if annotation is not None else None
        self._begin_loading(f"Opening {Path(path).name}…")

        def loaded(result) -> None:
            genome, names = result
            self._end_loading()
            self.session.set_genome(genome)
            self.go_to_box.set_names(names)
            self.settings.add_recent_file(path, annotation)
            self.statusBar().showMessage(self._genome_summary(genome), 8000)
            self.genome_loaded.emit(genome)

        run_in_thread(lambda: load_genome(path, annotation), loaded, lambda message, exc: self._load_error(path, message))

    def open_annotation(self, path: str | os.PathLike) -> None:
        """Add an annotation to the open genome; tracks and the view stay."""
        genome = self.session.genome
        if genome is None:
            self.statusBar().showMessage("Open a genome first; then add its annotation", 8000)
            return
        path = os.fspath(path)
        self._begin_loading(f"Reading {Path(path).name}…")

        def loaded(result) -> None:
            features, names = result
            self._end_loading()
            if self.session.genome is not genome:
                return  # another genome was opened meanwhile
            self.session.set_annotation(features, path)
            self.go_to_box.set_names(names)
            if genome.path is not None:
                self.settings.add_recent_file(genome.path, path)
            self.statusBar().showMessage(f"{Path(path).name}: {len(features):,} features", 8000)
            self.genome_loaded.emit(genome)

        run_in_thread(lambda: load_annotation(genome, path), loaded, lambda message, exc: self._load_error(path, message))

    def open_paths(self, paths: list[str]) -> None:
        """Open dropped or command-line files: genomes first, with an annotation among them if any."""
        annotations = [p for p in paths if file_dialogs.is_annotation_file(p)]
        genomes = [p for p in paths if not file_dialogs.is_annotation_file(p)]
        if genomes:
            self.open_genome(genomes[0], annotations[0] if annotations else None)
        elif annotations:
            self.open_annotation(annotations[0])

    def _begin_loading(self, message: str) -> None:
        self.loading += 1
        self.statusBar().showMessage(message)
        self.setCursor(Qt.CursorShape.BusyCursor)

    def _end_loading(self) -> None:
        self.loading = max(0, self.loading - 1)
        if not self.loading:
            self.unsetCursor()
            self.statusBar().clearMessage()

    def _load_error(self, path: str, message: str) -> None:
        self._end_loading()
        self.report_error("Cannot open file", f"GenoView could not open {Path(path).name}.\n\n{message}")
        self.load_failed.emit(message)

    def report_error(self, title: str, message: str) -> None:
        """Tell the user what went wrong (a dialog when interactive) and keep going."""
        self.statusBar().showMessage(message.replace("\n\n", " "), 10000)
        if self.interactive:
            file_dialogs.show_error(self, title, message)

    @staticmethod
    def _genome_summary(genome) -> str:
        n = len(genome.sequences)
        total = sum(r.length for r in genome.sequences.values())
        return f"{Path(genome.path).name}: {n:,} sequence{'s' if n != 1 else ''}, {total:,} bp, {len(genome.features):,} features"

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            annotation = self.settings.recent_annotations.get(path)
            action.triggered.connect(lambda checked=False, p=path, a=annotation: self.open_genome(p, a))
        self.recent_menu.setEnabled(bool(self.settings.recent_files))

    # --- drag and drop -----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_paths(paths)

    # --- session -> widgets --------------------------------------------------------------------------
    def _on_genome_changed(self, genome) -> None:
        self.sequence_combo.clear()
        if genome is None:
            self.setWindowTitle("GenoView")
            return
        for seqid, record in genome.sequences.items():
            self.sequence_combo.addItem(f"{seqid} ({record.length:,} bp)", seqid)
        self.setWindowTitle(f"{Path(genome.path).name} — GenoView")

    def _on_sequence_changed(self, seqid: str) -> None:
        index = self.sequence_combo.findData(seqid)
        if index >= 0 and index != self.sequence_combo.currentIndex():
            self.sequence_combo.setCurrentIndex(index)

    def _on_sequence_chosen(self, index: int) -> None:
        seqid = self.sequence_combo.itemData(index)
        if seqid and seqid != self.session.seqid:
            self.session.set_sequence(seqid)

    def _show_region(self, start: int, end: int) -> None:
        if self.session.seqid is not None:
            self.locus_label.setText(f"{format_locus(self.session.seqid, start, end)} ({end - start:,} bp)")

    def _show_cursor(self, base: int) -> None:
        self.cursor_label.setText(f"Position {base + 1:,}" if base >= 0 else "")

    # --- user actions --------------------------------------------------------------------------------
    def focus_go_to(self) -> None:
        self.go_to_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.go_to_box.selectAll()

    def go_to(self, text: str) -> bool:
        """Navigate as if ``text`` was typed in the go-to box."""
        self.go_to_box.setText(text)
        return self.go_to_box.go(text)

    def show_feature_details(self, feature: Any) -> FeatureDetailsDialog:
        dialog = FeatureDetailsDialog(feature, self)
        dialog.show()
        return dialog

    def _set_show_translation(self, show: bool) -> None:
        self.settings.show_translation = bool(show)
        self.view.set_show_translation(show)

    # --- layout and exit -----------------------------------------------------------------------------
    def restore_layout(self) -> None:
        """Geometry, docks and toggles as the user left them."""
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if self.settings.window_state:
            self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))
        self.translation_action.setChecked(self.settings.show_translation)

    def save_layout(self) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.threshold = self.session.threshold
        save_settings(self.settings)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel running jobs and wait for them, so nothing writes after the window is gone."""
        self.runner.cancel_all()
        self.runner.wait(EXIT_WAIT_MS)
        wait_for_background(EXIT_WAIT_MS)
        if self.remember_layout:
            try:
                self.save_layout()
            except OSError as exc:  # a read-only config dir must not block quitting
                print(f"GenoView: settings not saved: {exc}", file=sys.stderr)
        super().closeEvent(event)

