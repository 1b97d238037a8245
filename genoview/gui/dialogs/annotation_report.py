"""The lines of an annotation GenoView could not load as written: asked about before loading, viewable later.

A lenient read (:mod:`genoview.core.io.gff`) loads every sound line and lists the rest in
``features.report``. Before such an annotation replaces what is shown, :func:`accept` shows the list and
offers "Load the rest" or Cancel (nothing changes, as a strict read would refuse the file). Afterwards the
list stays one click away: File > Annotation report… and a status-bar button, which :func:`accept` adds to
the window the first time it runs, so the window needs no other wiring.
"""
from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from genoview.gui.table_copy import make_copyable

COLUMNS = ("Line", "Problem", "What GenoView did", "Text of the line")


def _name(report) -> str:
    return os.path.basename(report.path) if report.path else "the annotation"


def describe(report) -> str:
    """One sentence on what was skipped and repaired."""
    counts = report.counts()
    parts = [f"{n:,} line{'s' if n != 1 else ''} {kind}" for kind, n in counts.items() if n]
    return f"{_name(report)}: " + (", ".join(parts) if parts else "loaded as written")


class AnnotationReportDialog(QDialog):
    """A table of the skipped or repaired lines (line number, problem, action, text), with a copy button.

    ``asking=True`` makes it the question before loading: "Load the rest" accepts, Cancel rejects.
    """

    def __init__(self, report, parent: QWidget | None = None, asking: bool = False) -> None:
        super().__init__(parent)
        self.report = report
        self.setObjectName("AnnotationReportDialog")
        self.setWindowTitle(f"Annotation report — {_name(report)}")
        layout = QVBoxLayout(self)
        if asking:
            skipped = report.counts().get("skipped", 0)
            text = (f"<b>{_name(report)}</b> has {len(report):,} line{'s' if len(report) != 1 else ''} GenoView "
                    f"cannot load exactly as written ({skipped:,} to skip; all listed below). Load the rest of "
                    "the file, with these lines skipped or repaired as shown, or cancel and fix the file?")
        else:
            text = describe(report) + ". Everything else was loaded as written."
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText if asking else Qt.TextFormat.PlainText)
        layout.addWidget(self.message)

        self.table = QTableWidget(len(report), len(COLUMNS), self)
        make_copyable(self.table)
        self.table.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, entry in enumerate(report):
            cells = ("" if entry.line is None else str(entry.line), entry.reason, entry.action,
                     (entry.text or "").replace("\t", "  →  "))
            for column, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(1, 340)
        self.table.setColumnWidth(2, 200)
        layout.addWidget(self.table)

        self.buttons = QDialogButtonBox(self)
        self.copy_button = QPushButton("Copy list")
        self.copy_button.setToolTip("Copy the lines and what was done to the clipboard")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        if asking:
            self.load_button = self.buttons.addButton("Load the rest", QDialogButtonBox.ButtonRole.AcceptRole)
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            self.load_button.setDefault(True)
        else:
            self.load_button = None
            self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(900, 420)

    def text(self) -> str:
        """The list as plain text, one entry per line pair (what the copy button copies)."""
        return describe(self.report) + "\n" + "\n".join(self.report.lines())

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text())


def ask_load_rest(parent: QWidget | None, report) -> bool:
    """The modal question before loading a file with skipped or repaired lines: True to load the rest."""
    dialog = AnnotationReportDialog(report, parent, asking=True)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


class ReportViewer:
    """File > Annotation report… and a status-bar button, both showing the current annotation's report."""

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.dialog: AnnotationReportDialog | None = None
        self.action = QAction("Annotation &report…", window)
        self.action.setStatusTip("The annotation lines GenoView skipped or repaired when it loaded the file")
        self.action.triggered.connect(self.show)
        self.button = QToolButton(window)
        self.button.setObjectName("AnnotationReportButton")
        self.button.setAutoRaise(True)
        self.button.clicked.connect(self.show)
        window.statusBar().addPermanentWidget(self.button)
        menu = getattr(window, "file_menu", None)
        if menu is not None:
            anchor = getattr(window, "open_annotation_action", None)
            actions = menu.actions()
            after = actions[actions.index(anchor) + 1] if anchor in actions and actions.index(anchor) + 1 < len(
                actions) else None
            menu.insertAction(after, self.action) if after is not None else menu.addAction(self.action)
        signal = getattr(window, "genome_loaded", None)
        if signal is not None:
            signal.connect(lambda *_: self.refresh())
        self.refresh()

    def report(self):
        genome = getattr(getattr(self.window, "session", None), "genome", None)
        return getattr(getattr(genome, "features", None), "report", None)

    def refresh(self) -> None:
        report = self.report()
        self.action.setEnabled(report is not None)
        if report:
            self.button.setText(f"⚠ {len(report):,} annotation line{'s' if len(report) != 1 else ''} not as written")
            self.button.setToolTip(describe(report) + " — click for the list")
        self.button.setVisible(bool(report))

    def show(self) -> AnnotationReportDialog | None:
        report = self.report()
        if report is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = AnnotationReportDialog(report, self.window)
        self.dialog.show()
        return self.dialog


def viewer(window: QMainWindow) -> ReportViewer:
    """The window's report viewer, made on first use."""
    existing = getattr(window, "_annotation_report_viewer", None)
    if existing is None:
        existing = ReportViewer(window)
        window._annotation_report_viewer = existing
    return existing


def accept(window: QMainWindow, report, opening: str | None = None) -> bool:
    """Called where the window is about to show a freshly read annotation: True to go ahead.

    An annotation loaded as written goes ahead; one with skipped lines asks first (headless windows,
    ``window.interactive`` False, load the rest and say so in the status bar). Lines only repaired or kept
    (e.g. NCBI's ``part=1/2`` on the pieces of one gene) load without a question: the status bar says so
    and the report button lists them. ``opening``: the genome file opened with the annotation, which a Cancel
    leaves unopened too (the status line said only that the annotation was not loaded, over the last genome).
    """
    viewer(window)
    if not report:
        return True
    if not report.counts().get("skipped") or not getattr(window, "interactive", True):
        window.statusBar().showMessage(describe(report) + " (File > Annotation report lists them)", 10000)
        return True
    if ask_load_rest(window, report):
        return True
    if opening:
        window.statusBar().showMessage(f"{opening} was not opened: {_name(report)} was not loaded; fix its lines "
                                       "listed, or open both and load the rest", 15000)
        return False
    window.statusBar().showMessage(f"{_name(report)} was not loaded; fix the lines listed, or load the rest", 10000)
    return False
