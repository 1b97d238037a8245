"""The main window: menus, toolbar (sequence selector, go-to box, zoom), the genome browser, the status bar.

Files are opened on a background thread (``run_in_thread``); a file that cannot be read shows its
GenoViewInputError message (file and line) and the session keeps what it had. Window layout, recent
files and the last directory are kept in :mod:`genoview.settings`. Until a genome is open the window
shows a start page (what to do, recent files, the bundled example) and the actions that need a genome
are disabled. Sessions (genome, annotation, locus, threshold, tracks) are saved and reopened as JSON.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from genoview.core.locus import format_locus
from genoview.gui.dialogs import annotation_report
from genoview.gui.dialogs import files as file_dialogs
from genoview.gui.dialogs.feature_details import FeatureDetailsDialog
from genoview.gui.genome_view import GenomeView
from genoview.gui.genome_view.navigation import GoToBox, completion_names
from genoview.gui import session_file
from genoview.gui.session import Session
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME, StartPage
from genoview.gui.name_wrap import short_locus
from genoview.gui.workers import Job, JobRunner, run_in_thread, wait_for_background
from genoview.paths import RESOURCES_DIR
from genoview.settings import Settings, save_settings

EXIT_WAIT_MS = 10_000
SEQUENCE_BOX_CHARS = 14       # the sequence box at 1024 px: room for the toolbar's buttons
SEQUENCE_BOX_MAX_CHARS = 40   # wider windows: up to this, so "seqid (length bp)" shows whole


def load_genome(path: str, annotation: str | None, renaming: dict | None = None):
    """Worker-thread part of opening: read and index the files, the names the go-to box completes, and (no
    features) the annotation file beside it, if any (a folder listing: a big folder or a network share is slow).
    ``renaming``: the annotation's sequence names read as the genome's (the user chose it)."""
    from genoview.core.genome import open_genome

    if renaming and annotation is not None:   # a copy with the genome's sequence names, opened instead
        annotation = renamed_copy(annotation, renaming)
    genome = open_genome(path, annotation)
    genome.features.prepare_search()   # the go-to box's look-ups: indexes built here, not on the GUI thread
    from genoview.core.genome_kind import long_orf_share

    long_orf_share(genome)   # the genome-kind guess's bases (~30 ms), read here: the GUI thread reads the kept share
    beside = None if genome.features else file_dialogs.suggest_annotation(path)
    return genome, completion_names(genome.features), beside


def load_annotation(genome, path: str, renaming: dict | None = None):
    """Worker-thread part of adding an annotation to the open genome, checked against its sequences; ``renaming``:
    its sequence names read as the genome's (the user chose it)."""
    from genoview.core.genome import check_annotation
    from genoview.core.io import read_annotation

    if renaming:   # a copy with the genome's sequence names, opened instead
        path = renamed_copy(path, renaming)
    features, regions = read_annotation(path)
    check_annotation(genome.sequences, features, regions, path)
    features.prepare_search()
    return features, completion_names(features), path


def renamed_copy(path: str, renaming: dict) -> str:
    """Worker side: the annotation with the genome's sequence names, written beside it (or, in a read-only folder,
    in GenoView's data folder): a file the training wizard, a session and other tools can read too."""
    from genoview.core.genome import write_renamed_annotation
    from genoview.paths import user_data_dir

    return write_renamed_annotation(path, renaming, user_data_dir() / "renamed annotations")


def renaming_words(renaming: dict | None, copy: str | None) -> str:
    """What the status bar adds after an annotation opened from its renamed copy ``copy``."""
    if not renaming or not copy:
        return ""
    dropped = [name for name, new in renaming.items() if new is None]
    if dropped:   # a sequence the FASTA lacks: the copy leaves its features out
        names = f"the features of {', '.join(dropped[:3])}{', …' if len(dropped) > 3 else ''} left out (not in the genome)"
        return f" (opened {copy}: a copy with {names}; the original is unchanged)"
    names = (f"{next(iter(renaming))} as {next(iter(renaming.values()))}" if len(renaming) == 1 else
             f"{len(renaming)} sequence names as the genome's")
    return f" (opened {copy}: a copy with {names}; the original is unchanged)"


def renaming_box(parent, path: str, message: str, renaming: dict) -> QMessageBox:
    """The question ``ask_renaming`` shows: the error in full and a button that reads the annotation renamed."""
    (old, new), *rest = renaming.items()
    first = (f"{Path(path).name} describes sequences the genome does not have." if new is None else
             f"The sequence names in {Path(path).name} are not the genome's.")
    box = QMessageBox(QMessageBox.Icon.Warning, "Sequence names differ",
                      f"{first}\n\n{file_dialogs.user_message(message)}", QMessageBox.StandardButton.NoButton, parent)
    label = (f"Open a copy with {old} as {new}" if not rest else
             f"Open a copy with its {len(renaming)} names as the genome's ({old} as {new}, …)")
    informative = ("GenoView can write a copy with the genome's names beside it (NAME.renamed.gff3) and open that; "
                   "the file itself is not changed.")
    if new is None:   # sequences the FASTA lacks (a plasmid or chromosome in another file): leave their features out
        box.setWindowTitle("Sequences missing from the genome")
        label = f"Open a copy without {old}'s features" if not rest else \
            f"Open a copy without the features of {len(renaming)} missing sequences"
        informative = ("GenoView can write a copy of the annotation without the features of the sequences the "
                       "genome lacks beside it (NAME.kept.gff3) and open that; the file itself is not changed. Or "
                       "cancel and open the genome file that has every sequence.")
    box.setInformativeText(informative)
    rename = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(rename)
    box.rename_button = rename
    return box


class JobStatusWidget(QWidget):
    """Status-bar view of the JobRunner: what runs, how far, and a button to cancel it."""

    def __init__(self, runner: JobRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        from genoview.gui.status_fit import ElidedLabel

        # elided with '…' in a narrow window, the whole text in its tooltip ('Gene calls of prodigal: Prodigal's
        # genes, t' was cut mid-word)
        self.label = ElidedLabel()
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
        # a job's end: out of sight at once when none is left, before the slots after this one run (Adapt to this
        # genome asks "Predict with it now?" in its own; the ended job's name, bar and an enabled Cancel stayed
        # beside the question until it was answered)
        for signal in (runner.finished, runner.failed, runner.cancelled):
            signal.connect(self._on_ended)
        self.setVisible(False)

    def _on_ended(self, *_) -> None:
        if not self.runner.busy:
            self.setVisible(False)

    def _on_started(self, job: Job) -> None:
        self.label.set_full_text(job.title)
        self.bar.setValue(0)

    def _on_progress(self, job: Job, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        self.label.set_full_text(f"{job.title}: {message}" if message else job.title)


def focus_uses_navigation_key(event) -> bool:
    """Whether the focused widget moves its own selection with this key (a list or table: arrows, Home, End and
    their Ctrl forms; a slider: arrows, Home, End; a drop-down: Home and End)."""
    from PySide6.QtWidgets import QAbstractItemView, QAbstractSlider, QApplication

    key = event.key()
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ControlModifier):
        return False
    focus = QApplication.focusWidget()
    if isinstance(focus, (QAbstractItemView, QAbstractSlider)):
        return key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End)
    if isinstance(focus, QComboBox) and not focus.isEditable():
        return key in (Qt.Key.Key_Home, Qt.Key.Key_End) and modifiers == Qt.KeyboardModifier.NoModifier
    return False


class _WarningsToSignal(logging.Handler):
    """The ``genoview`` logger's warnings as a Qt signal (queued to the window's thread from a worker's), and its
    records that clear a mark (``record.clears``: a home made writable again) as another; a window already gone is
    skipped."""

    def __init__(self, signal, cleared_signal=None) -> None:
        super().__init__(logging.INFO)
        self.signal = signal
        self.cleared_signal = cleared_signal

    def emit(self, record: logging.LogRecord) -> None:
        try:   # core labels a warning with its mark (record.mark) and whether it is about the open genome
            if getattr(record, "clears", None):
                if self.cleared_signal is not None:
                    self.cleared_signal.emit(record.getMessage(), str(record.clears))
            elif record.levelno >= logging.WARNING:
                self.signal.emit(record.getMessage(), getattr(record, "mark", "Warning"),
                                 bool(getattr(record, "genome", False)))
        except RuntimeError:   # the window was deleted
            logging.getLogger("genoview").removeHandler(self)


class MainWindow(QMainWindow):
    """GenoView's window. Owns no data: it shows the session and sends user actions to it."""

    genome_loaded = Signal(object)  # Genome, after it became the session's
    load_failed = Signal(str)  # the message the user was shown
    track_file_opened = Signal(object)   # track_opener.OpenedTrack, after its tracks joined the session
    # a warning of the core's `genoview` logger (any thread), shown on the GUI thread: text, mark, about the genome
    core_warning = Signal(str, str, bool)
    # core says a warning's condition is over (text, the mark it clears): a home made writable while the window runs
    core_warning_cleared = Signal(str, str)

    def __init__(self, session: Session, runner: JobRunner, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = runner
        self.settings = settings
        self.loading = 0
        self._annotation_missing_note = ""   # a recent entry's annotation not found: said after the genome opens
        self.interactive = True  # False in headless screenshot mode: errors go to the status bar and stderr only
        self.remember_layout = True  # False in screenshot mode: do not overwrite the user's saved layout
        self.setObjectName("GenoViewMainWindow")
        self.setWindowTitle("GenoView")
        icon = RESOURCES_DIR / "icons" / "genoview.png"
        if not icon.exists():
            icon = RESOURCES_DIR / "icons" / "genoview.svg"
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self.setAcceptDrops(True)
        from genoview.gui.screen_fit import fit_to_screen

        fit_to_screen(self, 1400, 900)   # larger than a 1280 x 800 laptop screen before
        self.predict_controller = None   # set by genoview.app
        self.genome_actions: list[QAction] = []   # enabled only while a genome is open
        self._session_tracks: list = []   # tracks a session file asks for, styled as they arrive

        self.view = GenomeView(session, self)
        self.start_page = StartPage(self)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.start_page)
        self.central.addWidget(self.view)
        self.setCentralWidget(self.central)
        # a stack is as wide as its widest page, shown or not: the start page's 560-pixel card kept the genome view
        # at least 640 pixels wide, so on a 1280 x 720 laptop the docks beside it could not widen (the Real vs
        # mutated form scrolled sideways); the page not shown asks for no room
        self._page_policies = [self.central.widget(i).sizePolicy() for i in range(self.central.count())]
        self.central.currentChanged.connect(self._size_shown_page_only)
        self._size_shown_page_only(self.central.currentIndex())
        self.view.feature_clicked.connect(self.show_feature_details)
        self.view.cursor_moved.connect(self._show_cursor)
        self.start_page.open_genome.connect(self.choose_genome)
        self.start_page.open_example.connect(self.open_example)
        self.start_page.open_session.connect(self.choose_session)
        self.start_page.open_recent.connect(
            lambda path: self.open_genome(path, self.settings.recent_annotations.get(path)))

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()

        session.genome_changed.connect(self._on_genome_changed)
        session.sequence_changed.connect(self._on_sequence_changed)
        session.region_changed.connect(self._show_region)
        session.tracks_changed.connect(self._style_session_tracks)
        session.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._update_genome_actions()
        from genoview.gui.panels.mutation import install_mutation_panel   # "Real vs mutated" dock (issue 10)
        install_mutation_panel(self)
        from genoview.gui.library import install_model_menu   # Models > Library…, Train a model… (issue 11)
        install_model_menu(self)
        from genoview.gui.dialogs.help import install_help_actions   # Help > User guide, Keyboard and mouse
        install_help_actions(self)
        # the docks' saved state is restored once all of them exist (create_main_window): restored here too, before
        # the evaluation dock was made, it left a stray one-tab bar ('Real vs m…') over the File and View menus
        self.restore_layout(docks=False)

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
        self.open_track_action = self._action(
            "Open &track…", self.choose_track_file, [],
            "Show a bedGraph or bigWig track (one exported earlier, a colleague's, another tool's) beside the predictions"
        )
        self.open_example_action = self._action(
            "Open e&xample genome", self.open_example, [], "A small synthetic genome with its annotation, bundled with GenoView"
        )
        self.open_example_action.setEnabled(EXAMPLE_GENOME.is_file())
        self.open_session_action = self._action(
            "Open sess&ion…", self.choose_session, [], "Reopen a saved session: files, place, tracks"
        )
        self.save_session_action = self._action(
            "&Save session…", self.choose_session_file_to_save, [keys.Save],
            "Save the genome, annotation, place, threshold and tracks to a session file"
        )
        self.about_action = self._action("&About GenoView", self.show_about, [], "Versions and the device models run on")
        self.start_page_action = self._action("&Getting started", self.show_getting_started, [keys.HelpContents],
                                              "What to do first")
        self.quit_action = self._action("&Quit", self.close, [keys.Quit])
        self.goto_action = self._action("&Go to…", self.focus_go_to, ["Ctrl+L"], "Type a region, gene name or locus tag")
        self.zoom_in_action = self._action("Zoom &in", self.view.zoom_in, ["+", "=", "Ctrl++"], "Zoom in (x2)")
        self.zoom_out_action = self._action("Zoom &out", self.view.zoom_out, ["-", "Ctrl+-"], "Zoom out (x2)")
        self.pan_left_action = self._action("Pan &left", self.view.pan_left, ["Left"], "Move left")
        self.pan_right_action = self._action("Pan &right", self.view.pan_right, ["Right"], "Move right")
        self.whole_action = self._action("&Whole sequence", self.view.show_whole_sequence, ["Home"], "Show the whole sequence")
        # End did nothing (Home shows the whole sequence): the sequence's start and end at the zoom shown
        self.start_action = self._action("Go to the &start", self.view.show_start, ["Ctrl+Home"],
                                         "Show the start of the sequence at this zoom")
        self.end_action = self._action("Go to the &end", self.view.show_end, ["End", "Ctrl+End"],
                                       "Show the end of the sequence at this zoom")
        self.zoom_box_action = self._action(
            "Zoom &box", self.view.set_zoom_box_mode, ["Z"], "Drag a box to zoom into (right-drag always does)", checkable=True
        )
        self.translation_action = self._action(
            "Show &translation", self._set_show_translation, ["T"],
            "Six-frame translation below the sequence (three frames on each strand)", checkable=True
        )
        self.genome_actions = [self.open_annotation_action, self.open_track_action, self.save_session_action, self.goto_action,
                               self.zoom_in_action, self.zoom_out_action, self.pan_left_action, self.pan_right_action,
                               self.whole_action, self.start_action, self.end_action, self.zoom_box_action,
                               self.translation_action]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.open_annotation_action)
        file_menu.addAction(self.open_track_action)
        file_menu.addAction(self.open_example_action)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.open_session_action)
        file_menu.addAction(self.save_session_action)
        file_menu.addSeparator()
        self.export_menu = file_menu.addMenu("&Export")
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.file_menu = file_menu
        view_menu = bar.addMenu("&View")
        for action in (self.goto_action, None, self.zoom_in_action, self.zoom_out_action, self.whole_action,
                       self.pan_left_action, self.pan_right_action, self.start_action, self.end_action, None,
                       self.zoom_box_action, self.translation_action):
            if action is None:
                view_menu.addSeparator()
            else:
                view_menu.addAction(action)
        self.view_menu = view_menu
        self.tools_menu = bar.addMenu("&Tools")
        self.tools_menu.menuAction().setVisible(False)
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.start_page_action)
        self.help_menu.addAction(self.about_action)
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
        self.sequence_combo.setMinimumContentsLength(SEQUENCE_BOX_CHARS)   # room for the Zoom and Predict buttons at 1024 px
        self.sequence_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sequence_combo.setToolTip("Sequence shown (for files with several records)")
        self.sequence_combo.activated.connect(self._on_sequence_chosen)
        toolbar.addWidget(self.sequence_combo)
        toolbar.addSeparator()
        self.go_to_box = GoToBox(self.session, self)
        self.go_to_box.setMinimumWidth(180)
        self.go_to_box.setMaximumWidth(420)
        self.go_to_box.failed.connect(self._go_to_failed)
        self.go_to_box.went_to.connect(lambda locus: self._clear_go_to_error())
        self.go_to_box.noted.connect(self._go_to_failed)   # a shared name: which gene was taken (a later jump clears it)
        self.go_to_box.left.connect(lambda: self._keys_to_view())
        self.go_to_box.ambiguous.connect(   # kept as an error: a later jump takes it off (it stayed 10 s)
            lambda text, names: self._go_to_failed(
                f"{len(names)} genes start with '{text.strip()}': choose one from the list"))
        self._go_to_error = ""
        toolbar.addWidget(self.go_to_box)
        self._tools_separator = toolbar.addSeparator()   # Predict and other tools go here, before the zoom buttons
        self._tool_actions: list[QAction] = []   # add_tool_action's, in the order added (Tools lists them first)
        for action in (self.zoom_out_action, self.zoom_in_action, self.whole_action, self.zoom_box_action):
            toolbar.addAction(action)
        self.toolbar = toolbar

    def _build_status_bar(self) -> None:
        from genoview.gui.status_fit import FittingStatusBar

        status = FittingStatusBar(self)   # long messages elided with '…', not cut mid-word, for their whole time
        self.setStatusBar(status)
        self.job_status = JobStatusWidget(self.runner, self)
        self.locus_label = QLabel()
        self.cursor_label = QLabel()
        self.cursor_label.setMinimumWidth(150)
        status.addPermanentWidget(self.job_status)
        status.addPermanentWidget(self.locus_label)
        status.addPermanentWidget(self.cursor_label)
        self.status_fitter = status.fitter
        # core's warnings (a GENOVIEW_HOME that cannot be written: predictions run, neither recorded nor cached) are
        # said once by core; the window shows each in the status bar and keeps a mark with the whole text
        self.warning_label = QLabel()
        self.warning_label.setObjectName("coreWarning")
        self.warning_label.hide()
        self._core_marks: list[tuple[str, str, bool]] = []   # (text, mark, about the open genome) said so far
        status.addPermanentWidget(self.warning_label)
        self._core_warnings = _WarningsToSignal(self.core_warning, self.core_warning_cleared)
        logging.getLogger("genoview").addHandler(self._core_warnings)
        self.core_warning.connect(self._show_core_warning)
        self.core_warning_cleared.connect(self._clear_core_warning)

    def _show_core_warning(self, text: str, mark: str = "Warning", genome: bool = False) -> None:
        self.statusBar().showMessage(text, 30000)
        self._core_marks.append((text, mark, genome))
        self._show_marks()

    def _show_marks(self) -> None:
        """The warning mark: the last warning's label (core's record.mark), every warning's text in its tooltip."""
        if not self._core_marks:
            self.warning_label.setToolTip("")
            self.warning_label.hide()
            return
        self.warning_label.setToolTip("\n\n".join(text for text, _, _ in self._core_marks))
        self.warning_label.setText(f"⚠ {self._core_marks[-1][1]}")
        self.warning_label.show()

    def _clear_core_warning(self, text: str, mark: str) -> None:
        """A warning's condition is over (the home can be written again): its mark goes, the status bar says so."""
        kept = [m for m in self._core_marks if m[1] != mark]
        if len(kept) != len(self._core_marks):
            self._core_marks = kept
            self._show_marks()
            self.statusBar().showMessage(text[0].upper() + text[1:], 15000)

    def _drop_genome_warnings(self) -> None:
        """Another genome is open: the mark keeps the home's warnings only (a bacterial gene model on the last
        genome said nothing about this one)."""
        kept = [m for m in self._core_marks if not m[2]]
        if len(kept) != len(self._core_marks):
            self._core_marks = kept
            self._show_marks()

    # --- hooks for other parts (wired in genoview.app) ---------------------------------------------
    def add_export_action(self, action: QAction) -> None:
        """Put an export action (e.g. bedGraph, image) in File ▸ Export."""
        self.export_menu.addAction(action)

    def add_tool_action(self, action: QAction, needs_genome: bool = True) -> None:
        """Put an action (e.g. Predict…) in the Tools menu and on the toolbar (before the zoom buttons, so a
        narrow window keeps it visible); ``needs_genome``: disabled while no genome is open. The menu lists them
        before Real vs mutated… (installed first), so Tools opens on Predict…, the step every user takes; among
        themselves in the order they are added."""
        added = self._tool_actions
        after = next((a for a in self.tools_menu.actions() if a not in added), None)   # the first one not ours
        if after is not None:
            self.tools_menu.insertAction(after, action)
        else:
            self.tools_menu.addAction(action)
        added.append(action)
        self.tools_menu.menuAction().setVisible(True)
        self.toolbar.insertAction(self._tools_separator, action)
        if needs_genome:
            self.genome_actions.append(action)
            action.setEnabled(self.session.genome is not None)

    # --- opening files -----------------------------------------------------------------------------
    def choose_genome(self) -> None:
        path = file_dialogs.choose_genome(self, self.settings.last_directory)
        if path:
            self.open_genome(path)   # a bedGraph/bigWig chosen here opens as a track (open_genome says so)

    def choose_annotation(self) -> None:
        if self.session.genome is None:
            self.statusBar().showMessage("Open a genome first; then add its annotation", 8000)
            return
        beside = file_dialogs.suggest_annotation(self.session.genome.path)   # preselected in the chooser
        path = file_dialogs.choose_annotation(self, beside or self.settings.last_directory)
        if path:
            self.open_annotation(path)

    def confirm_closing_tracks(self, opening: str = "another genome") -> bool:
        """Ask before opening another genome (or ``opening``: "the session") drops the tracks shown (True: go ahead)."""
        if not self.session.tracks or not self.interactive:
            return True
        if self.view_is_saved():   # saved just before (a lesson's session): "Save session first…" was a dead end
            return True
        self._opening = opening   # what the question names (File ▸ Open session… said "Opening another genome")
        answer = self.ask_closing_tracks(len(self.session.tracks))
        if answer == "save":
            return self.choose_session_file_to_save()
        return answer == "close"

    def view_is_saved(self) -> bool:
        """The genome, place, threshold and tracks shown are those of the session file last saved (nothing to lose)."""
        saved = getattr(self, "_saved_session_state", None)
        controller = getattr(self, "predict_controller", None)
        if saved is None or (controller is not None and controller.busy):   # a track still filling is not saved
            return False
        from genoview.core.errors import GenoViewInputError

        try:
            return session_file.capture(self.session) == saved
        except GenoViewInputError:
            return False

    def ask_closing_tracks(self, count: int) -> str:
        """'save' (a session first), 'close' (the tracks) or 'cancel': the user's answer."""
        controller = getattr(self, "predict_controller", None)
        running = ("The prediction running now is stopped (the sequences it finished stay in the cache).\n\n"
                   if controller is not None and controller.busy else "")   # a track still filling was counted unsaid
        box = QMessageBox(QMessageBox.Icon.Question, "Close the current tracks?",
                          f"Opening {getattr(self, '_opening', 'another genome')} closes the {count} "
                          f"track{'s' if count != 1 else ''} shown now.\n\n"
                          + running + "Their predictions stay in the cache; save a session to reopen this view as it is.",
                          QMessageBox.StandardButton.NoButton, self)
        save = box.addButton("Save session first…", QMessageBox.ButtonRole.AcceptRole)
        close = box.addButton("Close them", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        return "save" if clicked is save else "close" if clicked is close else "cancel"

    def open_genome(self, path: str | os.PathLike, annotation: str | os.PathLike | None = None,
                    confirm: bool = True, renaming: dict | None = None) -> None:
        """Open a genome (and its annotation) in the background; on success it replaces the session's genome.
        With tracks shown, asks first (``confirm``). ``renaming``: the annotation's sequence names read as the
        genome's (offered when they differ: ``ask_renaming``)."""
        from genoview.core.track_files import is_track_file

        if annotation is None and is_track_file(path):   # `genoview gui track.bedGraph`: a track, as
            self.open_track_file(path)                    # File ▸ Open genome… does (24ae183); was "unrecognised file"
            return
        if confirm and not self.confirm_closing_tracks():
            return
        path = os.fspath(path)
        annotation = os.fspath(annotation) if annotation is not None else None
        self._begin_loading(f"Opening {Path(path).name}…")

        def loaded(result) -> None:
            genome, names, beside = result
            self._end_loading()
            # this load's note only (a load that failed or was declined left it for the next genome opened)
            missing, self._annotation_missing_note = self._annotation_missing_note, ""
            if not annotation_report.accept(self, genome.features.report, Path(path).name):   # skipped lines: asks
                genome.close()
                # declined: said in the status bar; a drop's or a session's one-shot "once the genome has" slots
                # let go (they stayed connected and took the next genome opened, whichever it was)
                self.load_failed.emit(self.statusBar().currentMessage() or f"{Path(path).name} was not opened")
                return
            self.session.set_genome(genome)
            self._drop_genome_warnings()
            self.go_to_box.set_names(names)
            self.settings.add_recent_file(path, genome.annotation_path if renaming else annotation)
            self._fill_recent_menu()
            summary = self._genome_summary(genome) + renaming_words(renaming, genome.annotation_path)
            if missing:   # a recent entry's annotation moved and was not found: the genome opened alone
                summary += f" ({missing}: the genome opened alone; File ▸ Open annotation… adds one)"
            if beside:   # step 2 of the start page, with the file it will most likely be
                summary += f". Its annotation? {Path(beside).name} is beside it (Ctrl+Shift+O)"
            self.statusBar().showMessage(summary, 15000 if beside else 8000)
            self.genome_loaded.emit(genome)

        def failed(message: str, exc) -> None:
            self._annotation_missing_note = ""   # said only of the genome it was set for
            bad = getattr(exc, "path", None)
            if annotation is not None and bad is not None and os.path.abspath(bad) == os.path.abspath(annotation):
                offered = getattr(exc, "renaming", None) or getattr(exc, "dropping", None)
                if offered and not renaming and self.ask_renaming(annotation, message, offered):
                    self._end_loading()   # the annotation's names differ from the genome's: read them as its
                    self.open_genome(path, annotation, confirm=False, renaming=offered)
                    return
                if (str(getattr(exc, "reason", "")).startswith("file not found")
                        and os.path.abspath(path) in map(os.path.abspath, self.settings.recent_files)):
                    # a recent entry whose annotation moved: where is it now? Else the genome alone (it opened
                    # nothing: the entry failed every time)
                    where = self.locate_missing("annotation", annotation, message)
                    self._end_loading()
                    self.open_genome(path, where, confirm=False)
                    if not where:
                        self._annotation_missing_note = f"{Path(annotation).name} is not there any more"
                    return
                # the genome was fine: "could not open slice.fna" over an error in genes.gff3 sent users to the FASTA
                self._load_error(annotation, message, heading=(
                    f"GenoView could not read the annotation {Path(annotation).name}, so {Path(path).name} was not "
                    "opened with it. Fix the annotation, or open the genome alone and add another annotation "
                    "(File ▸ Open annotation…)."))
            elif self._find_moved_recent(path, annotation, exc, message):
                return
            elif annotation is None and str(getattr(exc, "reason", "")).startswith("this GFF file holds no sequences"):
                genome = self.choose_genome_for(path)   # an annotation chosen as the genome: which genome is it of?
                self._end_loading()
                if genome:
                    self.open_genome(genome, path, confirm=False)
                else:   # nothing chosen (or headless: --screenshot waited its 900 s guard for a signal): say so
                    said = (f"{Path(path).name} is an annotation: open its genome first "
                            "(File ▸ Open genome…), then add it (File ▸ Open annotation…)")
                    self.statusBar().showMessage(said, 15000)
                    self.load_failed.emit(said if self.interactive else message)
            else:
                self._load_error(path, message)

        run_in_thread(lambda: load_genome(path, annotation, renaming), loaded, failed)

    def _find_moved_recent(self, path: str, annotation: str | None, exc, message: str) -> bool:
        """A genome of File ▸ Open recent (or the start page's list) moved or deleted: where is it now? It opens from
        there and takes the old entry's place in the list (the entry was a dead end: 'file not found' every time)."""
        bad = getattr(exc, "path", None)
        if (not str(getattr(exc, "reason", "")).startswith("file not found") or bad is None
                or os.path.abspath(bad) != os.path.abspath(path) or path not in self.settings.recent_files):
            return False
        where = self.locate_missing("genome", path, message)
        if not where:
            return False
        self._end_loading()
        self.settings.recent_files.remove(path)
        keep = annotation if annotation is not None and os.path.isfile(annotation) else None
        if annotation is not None and keep is None:   # moved with the genome (a project folder moved or renamed):
            try:                                       # the same place beside the genome's new place
                beside = os.path.join(os.path.dirname(where), os.path.relpath(annotation, os.path.dirname(path)))
            except ValueError:   # another drive (Windows)
                beside = ""
            keep = beside if beside and os.path.isfile(beside) else None
            if keep is None:   # it opened the genome alone without a word
                self._annotation_missing_note = f"{Path(annotation).name} is not there any more"
        self.open_genome(where, keep, confirm=False)
        return True

    def choose_genome_for(self, annotation: str) -> str | None:
        """The genome an annotation belongs to, when the annotation came alone (File ▸ Open genome on a GFF3 without
        sequences, or dropped with no genome open): a chooser in its folder. It was an error box, or a status line
        "Open a genome first". None when not interactive or nothing chosen."""
        if not self.interactive:
            return None
        path, _ = QFileDialog.getOpenFileName(self, f"{Path(annotation).name} is an annotation: choose its genome "
                                              "(FASTA, GenBank or EMBL)", os.path.dirname(os.path.abspath(annotation)),
                                              file_dialogs.GENOME_FILTER)
        return path or None

    def ask_renaming(self, path: str, message: str, renaming: dict) -> bool:
        """An annotation whose sequence names differ from the genome's ('chr1' for 'NC_000907', an accession without
        its '.1'): the error, with a button that writes a copy with the genome's names and opens it (the file is not
        changed). It was a dead end: the fix was a command to run in a terminal. A GFF3/GTF file only (a GenBank
        annotation carries its own sequences). Not interactive (screenshots, tests): no."""
        if not self.interactive or not file_dialogs.is_annotation_file(path):
            return False
        box = renaming_box(self, path, message, renaming)
        box.exec()
        accepted = box.clickedButton() is box.rename_button
        box.deleteLater()
        return accepted

    def open_annotation(self, path: str | os.PathLike, renaming: dict | None = None) -> None:
        """Add an annotation to the open genome; tracks and the view stay. ``renaming``: its sequence names read as
        the genome's (offered when they differ)."""
        genome = self.session.genome
        if genome is None:
            self.statusBar().showMessage("Open a genome first; then add its annotation", 8000)
            return
        path = os.fspath(path)
        self._begin_loading(f"Reading {Path(path).name}…")

        def loaded(result) -> None:
            features, names, read = result   # read: the renamed copy, when one was asked for
            self._end_loading()
            if self.session.genome is not genome:
                return  # another genome was opened meanwhile
            if not annotation_report.accept(self, features.report):  # skipped lines: asks first
                return
            self.session.set_annotation(features, read)
            self.go_to_box.set_names(names)
            if genome.path is not None:
                self.settings.add_recent_file(genome.path, read)
                self._fill_recent_menu()
            self.statusBar().showMessage(f"{Path(read).name}: {len(features):,} features"
                                         f"{renaming_words(renaming, read)}", 15000 if renaming else 8000)
            self.genome_loaded.emit(genome)

        def failed(message: str, exc) -> None:
            offered = getattr(exc, "renaming", None) or getattr(exc, "dropping", None)
            if offered and not renaming and self.session.genome is genome and self.ask_renaming(path, message, offered):
                self._end_loading()
                self.open_annotation(path, renaming=offered)
                return
            self._load_error(path, message)

        run_in_thread(lambda: load_annotation(genome, path, renaming), loaded, failed)

    def choose_track_file(self) -> None:
        from genoview.gui.track_opener import FILE_FILTER

        path, _ = QFileDialog.getOpenFileName(self, "Open track (bedGraph or bigWig)", self.settings.last_directory,
                                              FILE_FILTER)
        if path:
            self.open_track_file(path)

    def open_track_file(self, path: str | os.PathLike, style: dict | None = None) -> None:
        """Show a bedGraph or bigWig as tracks of the open genome (read on a worker). Names the genome lacks: an error
        naming the file, line and the names expected; some lacking: those left out and said. ``style``: a session's
        saved label, colour and visibility. Opening the same file again replaces its tracks."""
        from genoview.gui.genome_view.colors import track_color
        from genoview.gui.track_opener import free_key, load_track_file, opened_words

        genome = self.session.genome
        path = os.fspath(path)
        if genome is None:
            said = f"{Path(path).name} is a track: open its genome first (File ▸ Open genome…), then the track"
            self.statusBar().showMessage(said, 15000)
            self.load_failed.emit(said)
            return
        style = dict(style or {})
        label = style.get("label") or Path(path).name
        color = style.get("color") or track_color(label, (t.color for t in self.session.tracks.values()))
        threshold = self.session.threshold
        self._begin_loading(f"Reading {Path(path).name}…")

        def loaded(opened) -> None:
            self._end_loading()
            if self.session.genome is not genome:
                return   # another genome was opened meanwhile
            for key in [k for k, t in self.session.tracks.items()
                        if getattr(t, "source_path", "") == os.path.abspath(path)]:
                self.session.remove_track(key)   # opened again: the file's values now, not twice
            for track in opened.tracks:
                track.key = free_key(self.session.tracks, track)
                track.threshold = self.session.threshold
                track.visible = bool(style.get("visible", True))
                self.session.add_track(track)
            self.settings.last_directory = os.path.dirname(os.path.abspath(path))
            self.statusBar().showMessage(opened_words(opened), 15000 if opened.skipped or opened.scaled else 8000)
            self.track_file_opened.emit(opened)

        run_in_thread(lambda: load_track_file(path, genome, threshold, color, label), loaded,
                      lambda message, exc: self._load_error(path, message))

    def open_paths(self, paths: list[str]) -> None:
        """Open dropped or command-line files: a session file, else genomes first, with an annotation among them if
        any; track files (bedGraph, bigWig) after the genome, as File ▸ Open track… does."""
        from genoview.core.track_files import is_track_file

        sessions = [p for p in paths if str(p).lower().endswith(".genoview.json")]
        if sessions:
            self.open_session(sessions[0])
            return
        tracks = [p for p in paths if is_track_file(p)]
        paths = [p for p in paths if not is_track_file(p)]
        annotations = [p for p in paths if file_dialogs.is_annotation_file(p)]
        genomes = [p for p in paths if not file_dialogs.is_annotation_file(p)]
        if tracks and genomes:   # dropped with their genome: opened once it is (asked first: a "Cancel" opens nothing)
            if not self.confirm_closing_tracks():
                return

            def then(genome) -> None:
                for track in tracks:
                    self.open_track_file(track)

            self.after_genome_loads(then)
            self.open_genome(genomes[0], annotations[0] if annotations else None, confirm=False)
            return
        for track in tracks:   # onto the open genome (without one: "open its genome first")
            self.open_track_file(track)
        if genomes:
            self.open_genome(genomes[0], annotations[0] if annotations else None)
        elif annotations and self.session.genome is None:   # an annotation alone, no genome open: which genome?
            genome = self.choose_genome_for(annotations[0])
            if genome:
                self.open_genome(genome, annotations[0])
            else:
                self.open_annotation(annotations[0])   # says to open a genome first
        elif annotations:
            self.open_annotation(annotations[0])

    def open_example(self) -> None:
        """The bundled synthetic example genome with its annotation (resources/example)."""
        self.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)

    # --- sessions ----------------------------------------------------------------------------------
    def choose_session_file_to_save(self) -> bool:
        """Ask where to save the session and save it; True when saved."""
        if self.session.genome is None:
            self.statusBar().showMessage("Open a genome first: a session starts with one", 8000)
            return False
        from genoview.gui.export import export_folder, remember_export_folder

        # where exports go (the last export's or session's folder, else Documents), not the genome's folder: a genome
        # opened from shared data put the session beside it, a folder not the user's to write (H-walk18)
        default = Path(export_folder(self)) / (Path(self.session.genome.path).name.split(".")[0] + session_file.SUFFIX)
        path, _ = QFileDialog.getSaveFileName(self, "Save session", os.fspath(default), session_file.FILE_FILTER)
        if not path:
            return False
        remember_export_folder(self, path)
        return self.save_session(path)

    def save_session(self, path: str | os.PathLike) -> bool:
        """Write the session file (genome, annotation, locus, threshold, tracks); errors shown, False."""
        from genoview.core.errors import GenoViewInputError

        path = os.fspath(path)
        if path.endswith(".genoview"):   # "s1.genoview" was saved as "s1.genoview.genoview.json"
            path += ".json"
        elif not path.endswith(".json"):
            path += session_file.SUFFIX
        try:
            state = session_file.capture(self.session)
            session_file.write_session(path, state)
        except (GenoViewInputError, OSError) as exc:
            self.report_error("Session not saved", str(exc))
            return False
        self._saved_session_state = state   # opening another genome need not ask while the view stays as saved
        self.statusBar().showMessage(f"Session saved to {path}", 8000)
        return True

    def choose_session(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open session", self.settings.last_directory, session_file.FILE_FILTER)
        if path:
            self.open_session(path)

    def open_session(self, path: str | os.PathLike, found: dict[str, str] | None = None) -> bool:
        """Reopen a session: its files, then its place and threshold, then its tracks (from the prediction cache
        when they were predicted before). False, with the reason shown, when the file cannot be used. A genome or
        annotation moved since: the user is asked where it is now (``locate_missing``; ``found`` collects the
        answers), and the session reopens with it (its tracks and place were lost: File ▸ Open gave the file alone)."""
        from genoview.core.errors import GenoViewInputError

        found = dict(found or {})
        try:
            state = session_file.read_session(path, found)
        except GenoViewInputError as exc:
            missing = getattr(exc, "missing", None)
            if missing is not None and missing[1] not in found:
                where = self.locate_missing(missing[0], missing[1], str(exc), alone=missing[0] == "annotation")
                if where is not None:   # "": without its annotation (the genome, tracks, place and threshold)
                    found[missing[1]] = where
                    return self.open_session(path, found)
            self.report_error("Cannot open session", str(exc))
            self.load_failed.emit(str(exc))
            return False
        if not self.confirm_closing_tracks("the session"):
            return False

        def restore(genome) -> None:
            self.session.set_threshold(state.threshold)
            if state.seqid in genome.sequences:
                self.session.navigate_to(state.seqid, *state.region)
            self._session_tracks = [t for t in state.tracks if t.seqid in genome.sequences]
            for saved in state.track_files:   # File ▸ Open track…'s files, read again (their values are not saved)
                if saved["missing"] is None:
                    self.open_track_file(saved["path"], style=saved)
            gone = [saved["missing"] for saved in state.track_files if saved["missing"] is not None]
            if gone:
                self.report_error("Track file not found", (
                    f"{Path(path).name}: the track file{'s' * (len(gone) > 1)} {', '.join(gone)} "
                    f"{'are' if len(gone) > 1 else 'is'} not there any more (moved or deleted) and "
                    f"{'were' if len(gone) > 1 else 'was'} left out; the rest of the session opened. Open "
                    "it again with File ▸ Open track… and save the session."))
            controller = self.predict_controller
            if controller is None:
                return
            lost: dict[str, list] = {}
            changed: list = []   # (track, folder): a different model is there now under its name or folder
            for track in self._session_tracks:
                model, other = session_file.choose_model(track)
                if other is not None:
                    changed.append((track, other))   # was predicted again with that other model, without a word
                    continue
                if model is None:   # was one "Prediction failed: no model named ..." per track, the track gone
                    lost.setdefault(track.model, []).append(track)
                    continue
                track.model = model   # its folder: the track then comes back under that folder's name
                for start, end in track.ranges:
                    whole = start == 0 and end == genome.sequences[track.seqid].length
                    controller.predict(model, [track.seqid], None if whole else (start, end))
            if changed:
                self._session_tracks = [t for t in self._session_tracks if all(t is not c for c, _ in changed)]
                self.report_error("Model changed", session_file.changed_model_message(Path(path).name, changed))
            if lost:
                self._session_tracks = [t for t in self._session_tracks if t.model not in lost]
                words = "; ".join(f"{', '.join(t.label for t in tracks)} ({len(tracks)} track{'s' * (len(tracks) > 1)}) "
                                  f"with the model {model!r}" for model, tracks in lost.items())
                self.report_error("Model not found", (
                    f"{Path(path).name}: GenoView has no model for these saved tracks: {words} (renamed or deleted "
                    "in the model library, or made on another computer). The genome, annotation, place, threshold "
                    "and the other tracks opened. Import the model (Models ▸ Model library…, Import) and reopen the "
                    "session, or predict with another model (Tools ▸ Predict…) and save the session."))
            placed = [saved for saved, where in found.items() if where]
            moved = (f"; {len(placed)} of its files found where they are now: save the session (Ctrl+S) to keep "
                     "that" if placed else "")
            if len(placed) < len(found):   # the user chose to open it without its annotation
                gone = next(Path(saved).name for saved, where in found.items() if not where)
                moved += f"; without its annotation ({gone} is not there any more: File ▸ Open annotation… adds one)"
            if state.relocated:   # a moved or copied project opened its own files: say which, and not which
                names = " and ".join(Path(opened).name for _, opened, _ in state.relocated)
                here = ", ".join(dict.fromkeys(os.path.dirname(opened) for _, opened, _ in state.relocated))
                there = ", ".join(dict.fromkeys(os.path.dirname(saved) for _, _, saved in state.relocated))
                moved += f"; moved or copied: opened {names} in {here}, not in {there}"
                if state.kept:   # a mix: say which file still came from the saved place (none beside the session)
                    kept = " and ".join(Path(saved).name for _, saved in state.kept)
                    moved += (f"; {kept} from {', '.join(dict.fromkeys(os.path.dirname(s) for _, s in state.kept))} "
                              "as saved (none beside the session)")
            self.statusBar().showMessage(f"Session {Path(path).name} reopened{moved}",
                                         15000 if found or state.relocated else 8000)

        self.after_genome_loads(restore)
        self.open_genome(state.genome, state.annotation, confirm=False)
        return True

    def locate_missing(self, what: str, saved: str, message: str, alone: bool = False) -> str | None:
        """Where a moved genome or annotation (of a session, or of the recent files) is now: the reason, then a file
        chooser in the folder it was in (None: not found, or not interactive). ``alone``: the box also offers "Open
        the genome alone" (a session whose annotation moved: Cancel lost its genome, tracks and place too), which
        returns ""."""
        if not self.interactive:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, "File not found", file_dialogs.user_message(message),
                          QMessageBox.StandardButton.NoButton, self)
        find = box.addButton(f"Find the {what}…", QMessageBox.ButtonRole.AcceptRole)
        without = (box.addButton("Open the genome alone", QMessageBox.ButtonRole.DestructiveRole) if alone else None)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(find)
        box.exec()
        clicked = box.clickedButton()
        chosen = clicked is find
        box.deleteLater()
        if without is not None and clicked is without:
            return ""
        if not chosen:
            return None
        folder = os.path.dirname(saved)
        start = folder if os.path.isdir(folder) else ""
        kinds = file_dialogs.GENOME_FILTER if what == "genome" else file_dialogs.ANNOTATION_FILTER
        where, _ = QFileDialog.getOpenFileName(self, f"Where is {Path(saved).name} now?", start, kinds)
        return where or None

    def after_genome_loads(self, slot) -> None:
        """Run ``slot(genome)`` once, when the genome being opened has loaded (``genome_loaded``); drop it, unrun,
        when that load fails (``load_failed``). The one rule of a reopened session's restore, dropped tracks opened
        after their genome and ``genoview gui --locus/--model``: a slot left connected after a failed load ran on
        whatever genome the user opened next (rev18b), and one left after it ran ran again at the next File ▸ Open."""
        def ran(genome) -> None:
            forget()
            slot(genome)

        def dropped(_message) -> None:
            forget()

        def forget() -> None:   # both one-shot (PySide warns, not raises, for one already gone)
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                for signal, connected in ((self.genome_loaded, ran), (self.load_failed, dropped)):
                    try:
                        signal.disconnect(connected)
                    except (RuntimeError, TypeError):
                        pass

        self.genome_loaded.connect(ran)
        self.load_failed.connect(dropped)

    def _style_session_tracks(self) -> None:
        """Give tracks a reopened session asked for their saved name, colour and visibility as they appear."""
        if not self._session_tracks:
            return
        from genoview.gui.predict_controller import model_label

        waiting = []
        for wanted in self._session_tracks:
            key = f"{model_label(wanted.model)} @ {wanted.seqid}"
            if key in self.session.tracks:
                self.session.set_track_style(key, label=wanted.label, color=wanted.color, visible=wanted.visible)
            else:
                waiting.append(wanted)
        self._session_tracks = waiting

    # --- help --------------------------------------------------------------------------------------
    def show_getting_started(self) -> None:
        """The start page's steps, in a box (the page itself is shown while no genome is open)."""
        if self.session.genome is None:
            self.central.setCurrentWidget(self.start_page)
            return
        box = QMessageBox(QMessageBox.Icon.Information, "Getting started", "", QMessageBox.StandardButton.Ok, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.start_page.steps_html)
        box.exec()
        box.deleteLater()

    def about_text(self) -> str:
        """Versions of GenoView and what it runs on, and the device models use."""
        from importlib import metadata

        import PySide6
        from PySide6.QtCore import qVersion

        def version(name: str) -> str:
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                return "not installed"

        device = self.predict_controller.device_text if self.predict_controller is not None else "not known yet"
        from genoview.gui.predict_controller import DEVICE_PENDING_TEXT

        if device == DEVICE_PENDING_TEXT:   # the background check has not answered yet (read as a device "auto")
            device = "being checked (the status bar shows it in a moment)"
        rows = [("GenoView", version("genoview")), ("Python", sys.version.split()[0]), ("Qt", qVersion()),
                ("PySide6", PySide6.__version__), ("pyqtgraph", version("pyqtgraph")), ("PyTorch", version("torch")),
                ("transformers", version("transformers")), ("Models run on", device)]
        from genoview.paths import model_library_dir, user_data_dir
        from genoview.settings import settings_path

        # where things are kept: "where are my models?", "how do I clear the cache?" had no answer in the window
        rows += [("Your models", str(model_library_dir())),
                 # the cached tracks are .npy files beside the database: naming genoview.db alone, a user clearing
                 # the cache left them (the bulk of it) behind
                 ("Prediction cache and runs", f"{user_data_dir() / 'genoview.db'} and {user_data_dir() / 'cache'}"),
                 ("Settings", str(settings_path()))]
        table = "".join(f"<tr><td>{name}</td><td>&nbsp;{value}</td></tr>" for name, value in rows)
        return ("<h3>GenoView</h3><p>A genome browser for DNA models: gene-probability tracks, evaluation "
                f"against annotations, training.</p><table>{table}</table>"
                "<p>Models run on the first available of CUDA GPU, Apple MPS and the CPU (set another in "
                "Tools ▸ Predict…: it is kept for the next prediction); on the CPU one core is left to the window "
                "while a model runs. Settings can also be given for one run as environment variables "
                "(GENOVIEW_SETTING_DEVICE=cpu); GENOVIEW_HOME moves all of these folders.</p>")

    def show_about(self) -> None:
        QMessageBox.about(self, "About GenoView", self.about_text())

    def _begin_loading(self, message: str) -> None:
        self.loading += 1
        self.statusBar().showMessage(message)
        self.setCursor(Qt.CursorShape.BusyCursor)

    def _end_loading(self) -> None:
        self.loading = max(0, self.loading - 1)
        if not self.loading:
            self.unsetCursor()
            self.statusBar().clearMessage()

    def _load_error(self, path: str, message: str, heading: str | None = None) -> None:
        self._end_loading()
        message = file_dialogs.user_message(message)
        heading = heading or f"GenoView could not open {Path(path).name}."
        self.report_error("Cannot open file", f"{heading}\n\n{message}")
        self.load_failed.emit(message)

    def long_jobs(self) -> list[Job]:
        """The jobs whose loss a user would mind on quitting: predictions, adaptations, Real vs mutated runs (not the
        window's own short follow-ups: gene calls, evaluations)."""
        def long(job: Job) -> bool:
            context = job.context
            return (hasattr(context, "targets") or context == "adapt"
                    or (isinstance(context, tuple) and context[:1] == ("mutation-panel",)))

        return [job for job in self.runner.jobs if job.state in ("queued", "running") and long(job)]

    def confirm_quit_while_running(self) -> bool:
        """Before the window closes: each training wizard still training asks its own question (stop and keep, pause,
        cancel, or keep training); then running predictions (Stop and quit, or keep running). False: keep the window."""
        for wizard in list(getattr(self, "training_wizards", ())):
            process = getattr(getattr(wizard, "run_page", None), "process", None)
            if process is not None and process.running:
                wizard.show()
                wizard.raise_()
                if not wizard.close() or process.running:   # "Keep training"
                    return False
        jobs = self.long_jobs()
        if not jobs or not self.interactive:
            return True
        titles = "\n".join(f"• {job.title}" for job in jobs[:5]) + (f"\n… and {len(jobs) - 5} more" if len(jobs) > 5 else "")
        box = QMessageBox(QMessageBox.Icon.Question, "Work is running",
                          f"{'This is' if len(jobs) == 1 else 'These are'} still running:\n{titles}\n\n"
                          "Quitting stops it and discards its unfinished part.", parent=self)
        stop = box.addButton("Stop and quit", QMessageBox.ButtonRole.AcceptRole)
        keep = box.addButton("Keep running", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is stop

    def report_error(self, title: str, message: str) -> None:
        """Tell the user what went wrong (a dialog when interactive) and keep going."""
        message = file_dialogs.user_message(message)
        self.statusBar().showMessage(file_dialogs.one_line(message), 10000)
        if self.interactive:
            file_dialogs.show_error(self, title, message)

    @staticmethod
    def _genome_summary(genome) -> str:
        n = len(genome.sequences)
        total = sum(r.length for r in genome.sequences.values())
        return f"{file_dialogs.display_name(genome.path)}: {n:,} sequence{'s' if n != 1 else ''}, {total:,} bp, {len(genome.features):,} features"

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_files:
            annotation = self.settings.recent_annotations.get(path)
            text = file_dialogs.display_name(path) + (f" + {Path(annotation).name}" if annotation else "")   # folder/genome.fna.gz
            action = self.recent_menu.addAction(text)
            action.setToolTip(path)
            action.triggered.connect(lambda checked=False, p=path, a=annotation: self.open_genome(p, a))
        self.recent_menu.setEnabled(bool(self.settings.recent_files))
        self.start_page.set_recent(self.settings.recent_files, self.settings.recent_annotations)

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
    def _size_shown_page_only(self, index: int) -> None:
        ignored = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for i, policy in enumerate(self._page_policies):
            self.central.widget(i).setSizePolicy(policy if i == index else ignored)

    def _update_genome_actions(self) -> None:
        has_genome = self.session.genome is not None
        for action in self.genome_actions:
            action.setEnabled(has_genome)
        self.go_to_box.setEnabled(has_genome)
        self.sequence_combo.setEnabled(has_genome)
        self.central.setCurrentWidget(self.view if has_genome else self.start_page)

    def _on_genome_changed(self, genome) -> None:
        self.sequence_combo.clear()
        self._update_genome_actions()
        if genome is None:
            self.setWindowTitle("GenoView")
            return
        for seqid, record in genome.sequences.items():
            self.sequence_combo.addItem(f"{seqid} ({record.length:,} bp)", seqid)
        self._fit_sequence_combo()
        self.setWindowTitle(f"{file_dialogs.display_name(genome.path)} — GenoView")

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
            # a long contig name (an assembler's 117 characters) took ~750 px and cut the status messages to a few words
            locus = format_locus(self.session.seqid, start, end)
            self.locus_label.setText(f"{short_locus(locus, self.session.seqid)} ({end - start:,} bp)")
            self.locus_label.setToolTip(locus)
            self.go_to_box.show_region(self.session.seqid, start, end)

    def _go_to_failed(self, text: str) -> None:
        self._go_to_error = text
        self.statusBar().showMessage(text, 10000)

    def _clear_go_to_error(self) -> None:
        """A later successful jump takes an old go-to error off the status bar."""
        if self._go_to_error and self.statusBar().whole_message() == self._go_to_error:   # elided or not
            self.statusBar().clearMessage()
        self._go_to_error = ""

    def _keys_to_view(self) -> None:
        """After a jump typed in the go-to box (or Esc there) the keys go to the genome view: arrows, + and - typed
        into the box instead, and only a click on the view gave them back (as a browser's page after its address)."""
        if self.go_to_box.hasFocus():
            self.view.graphics.setFocus(Qt.FocusReason.OtherFocusReason)

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
        self.session.set_selection(feature.seqid, feature.start, feature.end)   # the evaluation's "Selection" scope
        dialog = FeatureDetailsDialog(feature, self, self.session.genome)
        dialog.show()
        return dialog

    def _set_show_translation(self, show: bool) -> None:
        self.settings.show_translation = bool(show)
        self.view.set_show_translation(show)

    # --- layout and exit -----------------------------------------------------------------------------
    def restore_layout(self, docks: bool = True) -> None:
        """Geometry, docks (unless ``docks`` is False) and toggles as the user left them."""
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if docks and self.settings.window_state:
            self.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))
        self.translation_action.setChecked(self.settings.show_translation)

    def save_layout(self) -> None:
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.saveState().toBase64()).decode("ascii")
        self.settings.threshold = self.session.threshold
        save_settings(self.settings)

    def event(self, event) -> bool:
        # End, Ctrl+End, Ctrl+Home (and Home, the arrows) move the genome view from anywhere in the window; a list,
        # table, slider or drop-down with the keyboard focus uses them itself (End in the Sequence or From drop-down
        # moved the view instead of choosing the last entry). Text fields and spin boxes take them already.
        if event.type() == QEvent.Type.ShortcutOverride and focus_uses_navigation_key(event):
            event.accept()
            return True
        return super().event(event)

    def addDockWidget(self, *args) -> None:  # noqa: N802 - Qt's name
        super().addDockWidget(*args)
        for dock in args:   # a floating panel is a window of its own: the key's override stops there (see event)
            if isinstance(dock, QDockWidget):
                dock.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(watched, QDockWidget) \
                and watched.isFloating() and focus_uses_navigation_key(event):
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def _fit_sequence_combo(self) -> None:
        """The sequence box shows its whole entry where the window has room: at its 14 characters (room for the
        toolbar's buttons at 1024 px) "NC_000913.3 (4,641,652 bp)" read "NC_000913.3 (4,641,6", a wrong length. Only
        the first 50 entries are measured (a draft of thousands of contigs must not cost a frame)."""
        combo = self.sequence_combo
        longest = max((len(combo.itemText(i)) for i in range(min(combo.count(), 50))), default=0)
        room = SEQUENCE_BOX_CHARS + max(0, self.width() - 1024) // max(1, combo.fontMetrics().averageCharWidth())
        wanted = max(SEQUENCE_BOX_CHARS, min(longest, room, SEQUENCE_BOX_MAX_CHARS))
        if wanted != combo.minimumContentsLength():
            combo.setMinimumContentsLength(wanted)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_sequence_combo()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Cancel running jobs and wait for them, so nothing writes after the window is gone. A training wizard's run
        or a prediction still running: asks first (they were stopped without a word; a wizard's child was killed as
        the window took the wizard with it)."""
        if not self.confirm_quit_while_running():
            event.ignore()
            return
        self.runner.cancel_all()
        self.runner.wait(EXIT_WAIT_MS)
        wait_for_background(EXIT_WAIT_MS)
        logging.getLogger("genoview").removeHandler(self._core_warnings)
        if self.remember_layout:
            try:
                self.save_layout()
            except OSError as exc:  # a read-only config dir must not block quitting
                print(f"GenoView: settings not saved: {exc}", file=sys.stderr)
        super().closeEvent(event)

