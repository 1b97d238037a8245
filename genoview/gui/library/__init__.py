"""The model library window: every model (shipped, the user's, built-in) in a sortable, searchable table over
the store and the model folders, with details (card, spec, metrics, loss and validation curves) and actions
(import a Hugging Face folder, export as zip, rename, delete, predict, fine-tune, train a new model).

Listing and every file operation run on a worker thread (core/library.py does the work); the window only
shows results. ``install_model_menu(window)`` adds the Models menu to the main window.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QMainWindow, QMenu, QMessageBox,
    QPlainTextEdit, QSplitter, QTableView, QTableWidget, QTableWidgetItem, QTabWidget, QTextBrowser, QToolBar,
    QVBoxLayout, QWidget,
)

from genoview.core.library import LibraryRow
from genoview.gui.table_copy import make_copyable
from genoview.gui.theme import error_color, error_html, follow_items

# the test scores next to the task: they sat after Parent, out of sight in the window's first view
COLUMNS = ("Name", "Source", "Task", "Test MCC", "Test ROC AUC", "Architecture", "Parameters", "Size", "Parent",
           "Validation MCC", "Created")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# the Training runs tab: `genoview runs --kind train` in the window (a run of another machine that stopped showing
# progress is "lost", with its machine and last-seen time)
RUN_COLUMNS = ("Model", "Kind", "Status", "Started", "Machine", "Last seen", "Message")
# the runs that make a model: `genoview train` (and the window's training), `train-lm` and `adapt` (and Adapt…)
MODEL_RUN_KINDS = ("train", "train-lm", "adapt")
RUNS_SHOWN = 50
COLUMN_HELP = {   # what a newcomer asked of the columns
    "Source": "shipped with GenoView, built in (Prodigal), or mine (trained, adapted or imported here)",
    "Task": "gene-probability: a gene track over a genome; language-model: scores sequences (Real vs mutated)",
    "Parameters": "Learned numbers in the model (k = thousand, M = million)",
    "Parent": "The model this one was fine-tuned or adapted from",
    "Test MCC": "Matthews correlation on the bases held out for testing: a part of its training genome or a "
                "held-out genome (hover a value: where); -1 to 1, 1 = perfect; the Metrics tab has genomes it never "
                "saw, where recorded",
    "Test ROC AUC": "Area under the ROC curve on that test part (0.5 = chance, 1 = perfect)",
    "Validation MCC": "MCC on the validation part, which chose when training stopped and the threshold",
}


def _human_bytes(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _human_count(n: int | None) -> str:
    if n is None:
        return "–"
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} M"
    if n >= 1_000:
        return f"{n / 1e3:.1f} k"
    return str(n)


class LibraryModel(QAbstractTableModel):
    """Rows of :class:`LibraryRow`; display text per column, raw values under SORT_ROLE for sorting."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[LibraryRow] = []

    def set_rows(self, rows: list[LibraryRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return COLUMN_HELP.get(COLUMNS[section])
        return None

    def row_at(self, index: QModelIndex) -> LibraryRow | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    def _value(self, row: LibraryRow, column: str) -> Any:
        return {
            "Name": row.name,
            "Source": "built-in" if row.builtin else ("shipped" if row.shipped else "mine"),
            "Task": row.task,
            "Architecture": row.architecture,
            "Parameters": row.parameters,
            "Size": row.size_bytes,
            "Parent": row.parent or "",
            "Test MCC": row.metric("test", "mcc"),
            "Test ROC AUC": row.metric("test", "roc_auc"),
            "Validation MCC": row.metric("validation", "mcc"),
            "Created": row.created or "",
        }[column]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        row = self.row_at(index)
        if row is None:
            return None
        column = COLUMNS[index.column()]
        value = self._value(row, column)
        if role == SORT_ROLE:
            if value is None:
                return float("-inf")
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "Name":
                return row.name + ("  (default)" if row.default else "") + ("  ⚠" if row.broken else "")
            if column == "Parameters":
                return _human_count(value)
            if column == "Size":
                return _human_bytes(value) if value else "–"
            if isinstance(value, float):
                return f"{value:.4f}"
            return "–" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.broken:
                return f"Cannot be loaded: {row.broken}"
            if column in ("Test MCC", "Test ROC AUC") and row.tested_on:
                return f"{column} measured on {row.tested_on}"
            return f"{row.description}\n{row.path}" if row.description else row.path
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("Parameters", "Size", "Test MCC", "Test ROC AUC",
                                                                     "Validation MCC"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class LibraryFilter(QSortFilterProxyModel):
    """Search over name, task, architecture, parent and source; sorts by the raw values."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.text = ""
        self._fuzzy: tuple | None = None   # (text, rows, their count, no row matches exactly: one letter off)

    def set_text(self, text: str) -> None:
        if hasattr(self, "beginFilterChange"):   # Qt >= 6.9 (invalidateFilter is deprecated there)
            self.beginFilterChange()
            self.text = text.strip().lower()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text = text.strip().lower()
            self.invalidateFilter()

    @staticmethod
    def _haystack(row) -> str:
        return " ".join([row.name, row.task, row.architecture, row.parent or "", row.description,
                         "shipped" if row.shipped else ("built-in" if row.builtin else "mine")]).lower()

    @property
    def one_letter_off(self) -> bool:
        """No row holds every word typed, so rows one letter off are shown ("gencnn" finds genecnn-ecoli: a typo
        left an empty table, with only a "did you mean" beside it)."""
        model = self.sourceModel()
        rows = model.rows if model is not None else []
        if self._fuzzy is None or self._fuzzy[0] != self.text or self._fuzzy[1] is not rows \
                or self._fuzzy[2] != len(rows):
            words = self.text.split()
            exact = not words or any(all(w in self._haystack(r) for w in words) for r in rows)
            self._fuzzy = (self.text, rows, len(rows), not exact)
        return self._fuzzy[3]

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self.text:
            return True
        model: LibraryModel = self.sourceModel()
        haystack = self._haystack(model.rows[source_row])
        if not self.one_letter_off:
            return all(word in haystack for word in self.text.split())
        tokens = set(re.split(r"[\s,;:()/]+", haystack)) | set(re.split(r"[\s,;:()/._+-]+", haystack))
        return all(word in haystack or (len(word) >= 4 and any(one_edit_apart(word, t) for t in tokens))
                   for word in self.text.split())


class LibraryWindow(QMainWindow):
    """The library: table + details; actions on the selected model."""

    predict_requested = Signal(str)         # model name
    language_model_requested = Signal(str)  # a language model's name: use it in Real vs mutated
    fine_tune_requested = Signal(str)       # model name
    train_requested = Signal()
    changed = Signal()                      # models were added, renamed or deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        # a window of its own over the main window (made so here, not after: fit_to_screen places it on that screen)
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("ModelLibrary")
        self.setWindowTitle("Model library")
        from genoview.gui.screen_fit import fit_to_screen

        fit_to_screen(self, 1300, 760)   # a 1280 x 800 screen: its right edge and the message line were cut
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(self.model)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        search_row = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search by name, task, architecture or parent…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.search.textChanged.connect(lambda _: self._count_shown())
        search_row.addWidget(self.search, 1)
        self.count_label = QLabel(self)
        search_row.addWidget(self.count_label)
        # the models, and the training runs (running, finished, failed, or lost with a cluster node) on a tab beside
        self.pages = QTabWidget(self)
        models_page = QWidget(self.pages)
        models_layout = QVBoxLayout(models_page)
        models_layout.setContentsMargins(0, 0, 0, 0)
        models_layout.addLayout(search_row)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.table = QTableView(splitter)
        make_copyable(self.table)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _: (self.predict_selected(), self.use_language_model()))
        # Enter on a row does what a double click does (a keyboard user had no way from the list to a prediction)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: (self.predict_selected(), self.use_language_model()))
        enter_pad = QShortcut(QKeySequence(Qt.Key.Key_Enter), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        enter_pad.activated.connect(enter.activated.emit)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        # Tab leaves a table (arrows move within it): with Qt's default Tab went from cell to cell, and a keyboard user
        # could not reach the model card, the buttons or the message line past the models
        self.table.setTabKeyNavigation(False)
        self.details = QTabWidget(splitter)
        self.card = QTextBrowser(self.details)
        self.card.setOpenExternalLinks(True)
        self.spec_text = QPlainTextEdit(self.details)
        self.spec_text.setReadOnly(True)
        self.spec_text.setTabChangesFocus(True)
        self.metrics_table = QTableWidget(self.details)
        make_copyable(self.metrics_table)
        # the Curves tab's two plots are made when first shown (`curves`): made here they were half of the library's
        # opening, which froze the window 0.4 s under load (H-walk18); the selected model's history waits for them
        self._curves = None
        self._history: list = []
        self._curves_page = QWidget(self.details)
        curves_layout = QVBoxLayout(self._curves_page)
        curves_layout.setContentsMargins(0, 0, 0, 0)
        self.details.addTab(self.card, "Model card")
        self.details.addTab(self.spec_text, "Training spec")
        self.details.addTab(self.metrics_table, "Metrics")
        self.details.addTab(self._curves_page, "Curves")
        self.details.currentChanged.connect(
            lambda index: self.curves if self.details.widget(index) is self._curves_page else None)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([760, 540])
        models_layout.addWidget(splitter, 1)
        self.runs_table = QTableWidget(0, len(RUN_COLUMNS), self.pages)
        make_copyable(self.runs_table)
        self.runs_table.setHorizontalHeaderLabels(RUN_COLUMNS)
        self.runs_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.runs_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.runs_table.verticalHeader().hide()
        self.runs_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.runs_table.horizontalHeader().setStretchLastSection(True)
        self.runs_table.setWordWrap(False)
        self.runs_table.setTabKeyNavigation(False)
        follow_items(self.runs_table)   # lost / failed runs' red follows a light / dark switch of the desktop
        self.metrics_table.setTabKeyNavigation(False)
        self.pages.addTab(models_page, "Models")
        self.pages.addTab(self.runs_table, "Training runs")
        layout.addWidget(self.pages, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.setCentralWidget(central)
        self._build_actions()
        # Delete / F2 on a shipped or built-in model did nothing (its greyed action ignores the key; only the toolbar
        # tooltip said why): the key now says so on the message line, and a right click lists the actions, greyed
        # ones with their reason
        self.table.installEventFilter(self)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.quiet = False      # tests: no modal dialogs (confirm/ask_name/choose paths are replaced)
        # what a main window's job is doing with a model ('a prediction with it is running'), or "": set by
        # install_model_menu; a model deleted or renamed under a running prediction failed it with "no model named"
        self.model_in_use: Callable[[str, str], str] = lambda name, path: ""
        self._calls: list = []
        self.refresh()

    # -- actions ------------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        bar = QToolBar("Model actions", self)
        bar.setObjectName("libraryActions")
        self.addToolBar(bar)

        def action(text, slot, tip, shortcut=None):
            a = QAction(text, self)
            a.setToolTip(tip)
            a.setStatusTip(tip)
            a.triggered.connect(slot)
            if shortcut:
                a.setShortcut(QKeySequence(shortcut))
            bar.addAction(a)
            return a

        self.predict_action = action("Predict with this model", self.predict_selected,
                                     "Run the selected model over the open genome")
        # a language model draws no track: its way on from here (the greyed Predict was a dead end)
        self.use_lm_action = action("Use in Real vs mutated", self.use_language_model,
                                    "Score genes and their mutated copies with the selected language model "
                                    "(the Real vs mutated panel, Ctrl+M)")
        self.fine_tune_action = action("Fine-tune from this model…", self.fine_tune_selected,
                                       "Open the training wizard starting from the selected model")
        # the main window's Models ▸ Train a model… key, which did nothing while this window was in front
        self.train_action = action("Train new…", self.train_requested.emit, "Open the training wizard (Ctrl+Shift+N)",
                                   "Ctrl+Shift+N")
        bar.addSeparator()
        self.import_action = action("Import folder…", self.import_dialog,
                                    "Add a Hugging Face model folder (config.json, safetensors weights, tokenizer)")
        # Export zip…'s file (a colleague's model, a backup) had to be unpacked by hand before it could come back
        self.import_zip_action = action("Import zip…", self.import_zip_dialog,
                                        "Add a model from a zip that Export zip… wrote (or any zip of one model "
                                        "folder)")
        self.export_action = action("Export zip…", self.export_dialog, "Write the selected model as a zip file")
        self.rename_action = action("Rename…", self.rename_dialog, "Rename the selected model (yours only)", "F2")
        self.delete_action = action("Delete…", self.delete_dialog, "Delete the selected model (yours only)",
                                    "Delete")
        bar.addSeparator()
        self.refresh_action = action("Refresh", self.refresh, "Read the library again", "F5")
        # a window of its own, but used as a dialog: Esc (as in every dialog) and Ctrl+W close it; nothing is lost
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, context=Qt.ShortcutContext.WindowShortcut).activated.connect(
            self._escape)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self,
                  context=Qt.ShortcutContext.WindowShortcut).activated.connect(self.close)
        self._selection_changed()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress and not event.modifiers() \
                and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_F2):
            row = self.selected()
            deleting = event.key() == Qt.Key.Key_Delete
            if row is not None and not row.editable:
                self.show_message(self.read_only_reason(row, "deleted" if deleting else "renamed"))
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def read_only_reason(row: LibraryRow, done: str) -> str:
        """Why a shipped or built-in model cannot be ``done`` (deleted, renamed), and what to do instead."""
        hide = ("To keep it out of sight, type in the search box above the list: it then shows only the models that "
                "match.")
        if row.builtin:
            return f"{row.name} is built into GenoView and cannot be {done}: it has no folder of its own. {hide}"
        return (f"{row.name} is a shipped model: shipped models are read-only and cannot be {done}. For a copy of "
                f"your own (to rename, change or delete), use Export zip… and then Import zip… under a new name. "
                f"{hide}")

    def _context_menu(self, pos) -> None:
        """The selected model's actions at the pointer; a greyed one shows its reason as its tooltip."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        menu = QMenu(self.table)
        menu.setToolTipsVisible(True)
        for a in (self.predict_action, self.use_lm_action, self.fine_tune_action, None, self.export_action,
                  self.rename_action, self.delete_action):
            if a is None:
                menu.addSeparator()
            elif a.isVisible():
                menu.addAction(a)
        self._menu = menu   # tests reach it; it closes when an entry is chosen or the pointer clicks elsewhere
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _escape(self) -> None:
        """Esc in the search box holding a search clears it (as search fields do; it closed the window with the
        search); anywhere else it closes the window."""
        if self.search.hasFocus() and self.search.text():
            self.search.clear()
        else:
            self.close()

    def selected(self) -> LibraryRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.model.row_at(self.proxy.mapToSource(indexes[0]))

    def select(self, name: str) -> bool:
        for r, row in enumerate(self.model.rows):
            if row.name == name:
                index = self.proxy.mapFromSource(self.model.index(r, 0))
                if index.isValid():
                    self.table.selectRow(index.row())
                    return True
        return False

    def _selection_changed(self) -> None:
        row = self.selected()
        usable = row is not None and not row.broken
        self.predict_action.setEnabled(usable and row.task == "gene-probability")
        self.use_lm_action.setEnabled(usable and row.task == "language-model")
        self.use_lm_action.setVisible(row is not None and row.task == "language-model")
        self.fine_tune_action.setEnabled(usable and not row.builtin and row.task == "gene-probability")
        self.export_action.setEnabled(row is not None and not row.builtin)
        self.rename_action.setEnabled(row is not None and row.editable)
        self.delete_action.setEnabled(row is not None and row.editable)
        for a, why in ((self.rename_action, "shipped and built-in models cannot be renamed"),
                       (self.delete_action, "shipped and built-in models cannot be deleted")):
            a.setToolTip(a.statusTip() if row is None or row.editable else why)
        for action, reason in ((self.predict_action, self._why_not_predict(row)),
                               (self.fine_tune_action, self._why_not_fine_tune(row)),
                               (self.export_action, "built-in models have no folder to export" if row is not None
                                and row.builtin else "")):   # a greyed-out button says why
            if not action.isEnabled():
                action.setToolTip("Select a model first" if row is None else reason or action.statusTip())
            else:
                action.setToolTip(action.statusTip())
        self._show_details(row)

    @staticmethod
    def _why_not_predict(row) -> str:
        if row is None:
            return ""
        if row.broken:
            return f"this model cannot be loaded: {row.broken}"
        if row.task != "gene-probability":
            return ("a language model scores sequences, it draws no gene track: use it in View ▸ Real vs mutated "
                    "(Ctrl+M)")
        return ""

    @staticmethod
    def _why_not_fine_tune(row) -> str:
        if row is None:
            return ""
        if row.broken:
            return f"this model cannot be loaded: {row.broken}"
        if row.builtin:
            return "Prodigal is built in and has no weights to train; fine-tune a gene model such as geneorf-bacteria"
        if row.task != "gene-probability":
            return "the wizard fine-tunes gene models; Train new… with the task 'Language model' trains one anew"
        return ""

    def _run(self, fn, on_result, what: str) -> None:
        """Run ``fn`` on a worker thread; errors end in the message line (and a dialog when interactive)."""
        from genoview.gui.workers import run_in_thread

        from shiboken6 import isValid

        def failed(message, exc) -> None:
            if isValid(self):
                self.show_message(f"{what} failed: {message}", error=True)

        def done(value) -> None:   # the window may be gone when a slow listing or card arrives (closed, deleted)
            if isValid(self):
                on_result(value)

        self._calls.append(run_in_thread(fn, done, failed))

    def show_message(self, text: str, error: bool = False) -> None:
        self.message.setText(error_html(text, self) if error else text)
        if error and not self.quiet:
            QMessageBox.warning(self, "Model library", text)

    # -- listing and details ----------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        from genoview.core.library import library_rows

        current = select or (self.selected().name if self.selected() else None)

        def show(rows) -> None:
            self.model.set_rows(rows)
            self._count_shown()
            self.loaded = True
            if current:
                self.select(current)
            self._selection_changed()

        self.loaded = False
        self._run(library_rows, show, "Listing the models")
        self.refresh_runs()

    def refresh_runs(self) -> None:
        """Read the newest training runs (on a worker: the store may wait for another process's write)."""
        from genoview.core.store import open_store

        def newest() -> list[dict]:
            return open_store().runs(kind=MODEL_RUN_KINDS, limit=RUNS_SHOWN)

        self.runs_loaded = False
        self._run(newest, self._show_runs, "Listing the training runs")

    def _show_runs(self, rows: list[dict]) -> None:
        """Fill the Training runs tab; a lost run (another machine's, silent too long) in red, why in its tooltip."""
        from genoview.core.store import short_time

        self.runs_table.setRowCount(len(rows))
        for r, run in enumerate(rows):
            cells = (run.get("model") or "-", run.get("kind") or "-", run["status"], short_time(run.get("started")),
                     run.get("host") or "-",
                     short_time(run.get("last_seen")), (run.get("message") or "").replace("\n", " "))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if run["status"] in ("lost", "failed"):
                    item.setForeground(QColor(error_color(self)))
                if run.get("message"):
                    item.setToolTip(run["message"])
                self.runs_table.setItem(r, c, item)
        lost = sum(run["status"] == "lost" for run in rows)
        running = sum(run["status"] == "running" for run in rows)
        counts = ", ".join(part for part in (f"{running} running" if running else "",
                                             f"{lost} lost" if lost else "") if part)
        self.pages.setTabText(1, f"Training runs ({counts})" if counts else "Training runs")
        self.runs_loaded = True

    def _count_shown(self) -> None:
        """"19 models", or what a search leaves ("1 of 19 models"; it said "19 models" over one row), and when it
        leaves none, the names closest to what was typed ("gencnn": no row, and nothing said why)."""
        total, shown, text = len(self.model.rows), self.proxy.rowCount(), self.search.text().strip()
        self.count_label.setToolTip("")
        if not text or shown == total:
            self.count_label.setText(f"{total} models")
            return
        self.count_label.setText(f"{shown} of {total} models")
        if shown and self.proxy.one_letter_off:   # what is shown is not what was typed: say so
            self.count_label.setText(f"{shown} of {total} models, one letter off '{text}'")
        if shown == 0:
            from genoview.core.library import close_names

            close = close_names(text, [row.name for row in self.model.rows])
            self.count_label.setText(f"no model matches '{text}'" + (f"; did you mean {', '.join(close)}?"
                                                                      if close else ""))

    @property
    def curves(self):
        """The Curves tab's TrainingCurves, made on first use with the selected model's history."""
        if self._curves is None:
            from genoview.gui.wizard.curves import TrainingCurves

            self._curves = TrainingCurves(self._curves_page)
            self._curves_page.layout().addWidget(self._curves)
            if self._history or self.selected() is not None:
                self._curves.load_history(self._history)
        return self._curves

    def _show_details(self, row: LibraryRow | None) -> None:
        if row is None:
            self.card.setMarkdown("Select a model to see its card, training spec, metrics and curves.")
            self.spec_text.setPlainText("")
            self.metrics_table.clear()
            self._history = []
            if self._curves is not None:
                self._curves.clear()
            return
        from genoview.core.library import model_details

        name = row.name if row.builtin else row.path

        def show(details) -> None:
            if self.selected() is None or self.selected().name != row.name:
                return
            card = card_for(row.name, details["card"])
            if row.broken:
                card = f"**Cannot be loaded:** {row.broken}\n\n" + card
            self.card.setMarkdown(card)
            spec = details.get("spec")
            self.spec_text.setPlainText(json.dumps(spec, indent=1) if spec else "(no training spec recorded)")
            self._fill_metrics(details.get("metrics") or {})
            self._history = details.get("history") or []
            if self._curves is not None:   # else drawn when the Curves tab is first shown
                self._curves.load_history(self._history)

        self._run(lambda: model_details(name), show, "Reading the model")

    def _fill_metrics(self, metrics: dict) -> None:
        columns = metric_columns(metrics)
        splits = [split for split, _ in columns]
        names: list[str] = []
        for _, values in columns:
            names += [key for key in values if key not in names]
        self.metrics_table.clear()
        self.metrics_table.setRowCount(len(names))
        self.metrics_table.setColumnCount(len(splits))
        self.metrics_table.setHorizontalHeaderLabels([column_title(split) for split in splits])
        self.metrics_table.setVerticalHeaderLabels([metric_label(name) for name in names])   # "roc_auc" read as code
        for c, (split, values) in enumerate(columns):
            for r, key in enumerate(names):
                value = values.get(key)
                text = "" if value is None else (f"{value:.4f}" if isinstance(value, float) else str(value))
                item = QTableWidgetItem(text)
                item.setToolTip(metric_help(key))
                self.metrics_table.setItem(r, c, item)
        for r, key in enumerate(names):   # what each recorded number means (raw keys such as stop_precision)
            self.metrics_table.verticalHeaderItem(r).setToolTip(metric_help(key))
        for c, split in enumerate(splits):
            self.metrics_table.horizontalHeaderItem(c).setToolTip(SPLIT_HELP.get(split.split(":")[0], ""))
        self.metrics_table.resizeColumnsToContents()

    # -- user actions (dialogs are methods, so tests can answer them) --------------------------------
    def confirm(self, title: str, text: str) -> bool:
        return QMessageBox.question(self, title, text) == QMessageBox.StandardButton.Yes

    def ask_name(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value.strip() if ok and value.strip() else None

    def choose_folder(self) -> str | None:
        return QFileDialog.getExistingDirectory(self, "Hugging Face model folder", str(Path.home())) or None

    def choose_zip(self, name: str) -> str | None:
        from genoview.gui.export import export_folder, remember_export_folder

        path, _ = QFileDialog.getSaveFileName(self, "Export model", str(Path(export_folder(self)) / f"{name}.zip"),
                                              "Zip (*.zip)")
        if path:
            remember_export_folder(self, path)   # the next export dialog opens there too
        return path or None

    def choose_zip_to_import(self) -> str | None:
        path, _ = QFileDialog.getOpenFileName(self, "Import model zip", str(Path.home()), "Model zip (*.zip)")
        return path or None

    def predict_selected(self) -> None:
        row = self.selected()
        if row is not None and self.predict_action.isEnabled():
            self.predict_requested.emit(row.name)

    def use_language_model(self) -> None:
        row = self.selected()
        if row is not None and self.use_lm_action.isEnabled():
            self.language_model_requested.emit(row.name)

    def fine_tune_selected(self) -> None:
        row = self.selected()
        if row is not None and self.fine_tune_action.isEnabled():
            self.fine_tune_requested.emit(row.name)

    def import_dialog(self) -> None:
        folder = self.choose_folder()
        if folder:
            self.import_folder(folder)

    def import_zip_dialog(self) -> None:
        path = self.choose_zip_to_import()
        if path:
            self.import_folder(path)

    def import_folder(self, folder: str, name: str | None = None) -> None:
        from genoview.core.library import import_model, validate_model_folder

        def check():
            return validate_model_folder(folder)

        def checked(found) -> None:
            # a zip's file name without .zip ("hinf-slice.zip" became a model named so when its own name was taken)
            stem = Path(folder).stem if Path(folder).suffix.lower() == ".zip" else Path(folder).name
            default = name or free_name(found.get("name"), stem)
            chosen = name or (default if self.quiet else self.ask_name(
                "Import model", f"A {found['architecture']} model ({_human_count(found['parameters'])} parameters). "
                "Name in the library:", default))
            if not chosen:
                return

            def imported(target) -> None:
                self.show_message(f"Imported {chosen} into the library ({target}).")
                self.changed.emit()
                self.refresh(select=chosen)

            self._run(lambda: import_model(folder, chosen), imported, f"Importing {Path(folder).name}")

        self._run(check, checked, f"Importing {Path(folder).name}")

    def export_dialog(self) -> None:
        row = self.selected()
        if row is None:
            return
        path = self.choose_zip(row.name)
        if path:
            self.export_to(row.name, path)

    def export_to(self, name: str, path: str) -> None:
        from genoview.core.library import export_zip

        self._run(lambda: export_zip(name, path), lambda p: self.show_message(f"Exported {name} to {p}."),
                  f"Exporting {name}")

    def rename_dialog(self) -> None:
        row = self.selected()
        if row is None or not row.editable:
            return
        new = self.ask_name("Rename model", "New name:", row.name)
        if new and new != row.name:
            self.rename(row.name, new)

    def _busy(self, name: str, done: str) -> bool:
        """Say so and True when a running job uses the model ``name``: it is not deleted or renamed now."""
        path = next((row.path for row in self.model.rows if row.name == name), "")
        reason = self.model_in_use(name, str(path))
        if reason:
            self.show_message(f"{name} is not {done}: {reason}; wait for it to end, or cancel it (the status bar's "
                              "Cancel), then try again", error=True)
        return bool(reason)

    def rename(self, name: str, new: str) -> None:
        from genoview.core.library import rename_model

        if self._busy(name, "renamed"):
            return

        def done(_) -> None:
            self.show_message(f"Renamed {name} to {new}.")
            self.changed.emit()
            self.refresh(select=new)

        self._run(lambda: rename_model(name, new), done, f"Renaming {name}")

    def delete_dialog(self) -> None:
        row = self.selected()
        if row is None or not row.editable:
            return
        where = "its folder is deleted" if Path(row.path).parent.name == "models" else \
            "it is taken off the library; its folder stays where it is"
        if self.confirm("Delete model", f"Delete the model {row.name}? {where[0].upper() + where[1:]}. "
                                        "This cannot be undone."):
            self.delete(row.name)

    def delete(self, name: str) -> None:
        from genoview.core.library import delete_model

        if self._busy(name, "deleted"):
            return

        def done(removed) -> None:
            self.show_message(f"Deleted {name}." if removed else f"Took {name} off the library (its files stay).")
            self.changed.emit()
            self.refresh()

        self._run(lambda: delete_model(name), done, f"Deleting {name}")


LIBRARY_METRIC_HELP = {
    "stop_sensitivity": "Gene level: share of annotated genes whose stop codon the model calls (0 to 1).",
    "stop_precision": "Gene level: share of the model's genes whose stop codon matches an annotated gene (0 to 1).",
    "start_sensitivity": "Gene level: share of annotated genes called with both the right stop and the right start.",
    "start_precision": "Gene level: share of the model's genes with both the right stop and the right start.",
    "wall_seconds": "Seconds the run took on the machine that made this model (not a benchmark of yours).",
    "peak_mib": "Peak memory of that run, in MiB.",
    "perplexity": "Language models: how surprised the model is by held-out sequence, per base (1 to 4 for DNA; "
                  "lower is better).",
    "loss": "The training objective on that part (lower is better); comparable only within one model type.",
    "n": "Number of bases scored.",
}
SPLIT_HELP = {
    "test": "Scored on the test part: bases or genes the model never trained on or was tuned on.",
    "held_out": "Scored on genomes held out from training entirely.",
    "valid": "Scored on the validation part, which was used to choose when to stop and the threshold.",
    "validation": "Scored on the validation part, which was used to choose when to stop and the threshold.",
    "train": "Scored on the training part: an optimistic figure.",
    "summary": "Figures recorded beside the splits, such as the mean over the held-out genomes.",
}


def _numbers(values: dict) -> dict:
    return {k: v for k, v in values.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}


def metric_columns(metrics: dict) -> list[tuple[str, dict]]:
    """genoview.json ``metrics`` as the Metrics tab's columns: one per split ("test"), one per genome of a split
    recorded genome by genome ("held_out: chlamydia_trachomatis_D-LC", which showed as an empty column), and the
    numbers recorded beside the splits ("held_out_mean_mcc") in a column of their own ("summary")."""
    columns: list[tuple[str, dict]] = []
    for split, values in metrics.items():
        if not isinstance(values, dict):
            continue
        if _numbers(values):
            columns.append((split, _numbers(values)))
        columns += [(f"{split}: {sub}", _numbers(inner)) for sub, inner in values.items()
                    if isinstance(inner, dict) and _numbers(inner)]
    summary = _numbers(metrics)
    if summary:
        columns.append(("summary", summary))
    return columns


def column_title(split: str) -> str:
    """"held_out: chlamydia_trachomatis_D-LC" -> "held out:" over "chlamydia_trachomatis_D-LC" (genome names as
    written, on a second line so the numbers' columns stay narrow)."""
    head, sep, genome = split.partition(": ")
    return head.replace("_", " ") + (":\n" + genome if sep else "")


def card_for(name: str, card: str) -> str:
    """The model card as shown for the library row ``name``: a card titled with another name (an imported copy, a
    renamed model: its README keeps the name it was written for) says so first, so the two names do not puzzle."""
    lines = card.lstrip().splitlines()
    title = lines[0][2:].strip() if lines and lines[0].startswith("# ") else ""
    if title and title != name:
        return (f"*In the library as **{name}**; this card was written for the model when it was called "
                f"{title}.*\n\n{card}")
    return card


LIBRARY_METRIC_LABELS = {"peak_mib": "peak memory (MiB)", "wall_seconds": "run time (s)"}   # not the panel's rows


def metric_label(key: str) -> str:
    """A recorded metric's key as a row title ("roc_auc" -> "ROC AUC", "stop_precision" -> "stop precision"): the
    evaluation panel's row names where the key is the same (one table of names, as metric_help reads its words)."""
    from genoview.gui.panels.evaluation import METRIC_ROWS

    return dict(METRIC_ROWS).get(key) or LIBRARY_METRIC_LABELS.get(key) or key.replace("_", " ")


def metric_help(key: str) -> str:
    """A recorded metric's meaning for the Metrics tab (the evaluation panel's words where the key is the same)."""
    from genoview.gui.panels.evaluation import METRIC_HELP

    return METRIC_HELP.get(key) or LIBRARY_METRIC_HELP.get(key, "")


def one_edit_apart(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by one letter: one changed, added, left out, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((i for i in range(len(short)) if short[i] != long_[i]), len(short))
    return short[i:] == long_[i + 1:]


def free_name(*candidates: str | None) -> str:
    """The first candidate not taken in the library, else the first with -2, -3, ...: importing a copy of a shipped
    model offered its recorded name ("geneorf-bacteria"), which the import then refused."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.library import check_new_name

    names = [c for c in candidates if c] or ["model"]

    def free(name: str) -> bool:
        try:
            check_new_name(name)
        except GenoViewInputError:
            return False
        return True

    for name in names:
        if free(name):
            return name
    n = 2
    while not free(f"{names[0]}-{n}"):
        n += 1
    return f"{names[0]}-{n}"


# ------------------------------------------------------------------------------------------ main window hook
def install_model_menu(window) -> None:
    """Models menu: Library… (Ctrl+Shift+L) and Train a model… (Ctrl+Shift+N); wires the library's requests to
    the main window's prediction, the training wizard and the evaluation panel."""
    menu = window.menuBar().addMenu("&Models") if not hasattr(window, "help_menu") else None
    if menu is None:
        from PySide6.QtWidgets import QMenu

        menu = QMenu("&Models", window)
        window.menuBar().insertMenu(window.help_menu.menuAction(), menu)
    window.models_menu = menu
    library_action = QAction("&Library…", window)
    library_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
    library_action.setStatusTip("List, import, export, rename and delete models; predict or fine-tune with one")
    train_action = QAction("&Train a model…", window)
    train_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
    train_action.setStatusTip("The training wizard: data, task, model, hyperparameters, live curves")
    menu.addAction(library_action)
    menu.addAction(train_action)
    window.addAction(library_action)
    window.addAction(train_action)
    window.library_window = None
    window.training_wizards = []

    def open_library() -> LibraryWindow:
        if window.library_window is None:
            library = LibraryWindow(window)
            library.setWindowFlag(Qt.WindowType.Window, True)
            library.predict_requested.connect(predict_with)
            library.language_model_requested.connect(use_language_model)
            library.fine_tune_requested.connect(lambda name: open_wizard({"init_from": name}))
            library.train_requested.connect(lambda: open_wizard({}))
            library.model_in_use = model_in_use
            window.library_window = library
        window.library_window.show()
        window.library_window.raise_()
        return window.library_window

    def model_in_use(name: str, path: str) -> str:
        controller = getattr(window, "predict_controller", None)
        running = controller.models_running() if controller is not None else []
        same = [m for m in running if m == name or (path and os.path.abspath(m) == os.path.abspath(path))]
        return "a prediction with it is running" if same else ""

    def predict_with(name: str) -> None:
        controller = getattr(window, "predict_controller", None)
        if window.session.genome is None or controller is None:
            message = "Open a genome first, then predict with the model."
            if window.library_window is not None:
                window.library_window.show_message(message, error=True)
            return
        controller.predict(name)
        window.raise_()

    def use_language_model(name: str) -> None:
        panel = getattr(window, "mutation_panel", None)
        if panel is None:
            return
        panel.use_language_models(name)
        window.show_mutation_panel()
        window.raise_()
        window.statusBar().showMessage(f"Real vs mutated scores with {name}: paste a gene or take the visible "
                                       "region, then Mutate & compare", 10000)

    def open_wizard(initial: dict) -> "object":
        from genoview.gui.wizard import TrainingWizard

        wizard = TrainingWizard(window.session, window, initial=initial)
        wizard.setWindowFlag(Qt.WindowType.Window, True)
        wizard.model_trained.connect(lambda model_dir, name, w=wizard: trained(model_dir, name, w.values.get("task")))
        window.training_wizards.append(wizard)
        wizard.finished.connect(lambda _: window.training_wizards.remove(wizard)
                                if wizard in window.training_wizards else None)
        wizard.show()
        return wizard

    def trained(model_dir: str, name: str, task: str | None = None) -> None:
        """The new model is in the library: show it there and evaluate it on the open genome's held-out part (a
        language model: Real vs mutated takes it; it was run as a gene model and a "Prediction failed" box came up)."""
        if window.library_window is not None:
            window.library_window.refresh(select=name)
        if task == "language-model":
            use_language_model(name)
            return
        genome = window.session.genome
        panel = getattr(window, "evaluation_panel", None)
        controller = getattr(window, "predict_controller", None)
        if genome is not None and controller is not None:
            job = None
            if panel is not None:
                connected = True

                def forget() -> None:   # once: a failed or cancelled prediction left it connected for good
                    nonlocal connected
                    if connected:
                        connected = False
                        controller.finished.disconnect(evaluate)
                        controller.failed.disconnect(ended)
                        controller.cancelled.disconnect(ended)

                def evaluate(key: str) -> None:   # once: the evaluation panel on the new model's track
                    if key.startswith(f"{name} @"):
                        forget()
                        panel.select_track(key)

                def ended(*_) -> None:   # another job's failure leaves it waiting for this one's
                    if job is None or job.state in ("failed", "cancelled"):
                        forget()

                controller.finished.connect(evaluate)
                controller.failed.connect(ended)
                controller.cancelled.connect(ended)
                panel.show()
                panel.raise_()
            job = controller.predict(name)
            if job is None and panel is not None:
                forget()
        window.statusBar().showMessage(f"Model {name} is in the library", 10000)

    library_action.triggered.connect(open_library)
    train_action.triggered.connect(lambda: open_wizard({}))
    window.open_model_library = open_library
    window.open_training_wizard = open_wizard
    from genoview.gui.wizard import prepare_while_idle

    # its modules while idle: imported at the first opening they paused the window 50-90 ms
    # and none while the user drags or zooms the genome view: an import's pause then showed as a stutter;
    # nor while a genome or annotation is read in the background (its worker and an import share the interpreter lock)
    prepare_while_idle(window, busy=lambda: window.runner.busy or bool(getattr(window, "loading", 0))
                       or window.view.interacting())
