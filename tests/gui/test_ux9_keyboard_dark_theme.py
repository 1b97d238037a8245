"""A keyboard user on a dark desktop theme (walked at QT_SCALE_FACTOR=2 under Xvfb with a dark Fusion palette):
the Predict dialog's model note was grey #555 on the dark window (contrast 1.8:1, unreadable) and the errors dark red;
Tab inside the model library went from cell to cell and never left the table; Esc did not close the library (it is a
window of its own) and Ctrl+Shift+N (Train a model…) did nothing while it was in front."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from genoview.gui import theme


def _luminance(color: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1 .. 21); 4.5 is the floor for body text."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.WindowText, "#e8e8e8"),
                        (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e8e8e8"),
                        (QPalette.ColorRole.Button, "#353535"), (QPalette.ColorRole.ButtonText, "#e8e8e8")):
        palette.setColor(role, QColor(color))
    return palette


@pytest.fixture
def dark_desktop(qapp):
    """The application's palette set to a dark theme's for one test (put back after)."""
    before = QPalette(qapp.palette())
    qapp.setPalette(_dark_palette())
    yield qapp.palette()
    qapp.setPalette(before)


def _style_color(label: QLabel) -> QColor:
    sheet = label.styleSheet()
    assert sheet.startswith("color:"), sheet
    return QColor(sheet.split(":", 1)[1].split(";")[0].strip())


def test_notes_and_errors_are_readable_on_a_dark_theme(qtbot, session, dark_desktop):
    from genoview.gui.dialogs.predict import PredictDialog

    window = dark_desktop.color(QPalette.ColorRole.Window)
    assert theme.is_dark()
    dialog = PredictDialog(None, session)
    qtbot.addWidget(dialog)
    assert contrast(_style_color(dialog.model_note), window) >= 4.5   # was #555555: 1.8
    assert contrast(_style_color(dialog.message), window) >= 4.5      # was #b00020: 2.0
    for colors in (theme.ERROR_COLORS, theme.WARNING_COLORS, theme.CAUTION_COLORS):
        assert contrast(QColor(colors[1]), window) >= 4.5
    # the note is still muted: nearer the window than the text is
    text = dark_desktop.color(QPalette.ColorRole.WindowText)
    assert contrast(_style_color(dialog.model_note), window) < contrast(text, window)


def test_the_light_theme_keeps_its_colours(qtbot):
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setPalette(light)
    assert not theme.is_dark(widget)
    assert theme.error_color(widget) == "#c0392b"
    assert contrast(theme.note_color(widget), QColor("#efefef")) >= 4.5
    for colors in (theme.ERROR_COLORS, theme.WARNING_COLORS, theme.CAUTION_COLORS):
        assert contrast(QColor(colors[0]), QColor("#efefef")) >= 4.5


def test_an_edit_highlight_sets_its_own_text_colour():
    from genoview.gui.panels.mutation import MutationPanel

    pair = SimpleNamespace(real="ACGT", mutated="AGGT")
    html = MutationPanel._alignment_html(pair, np.arange(4), np.arange(4))
    assert 'style="background:#ffd0d0; color:#000000">C<' in html   # light theme text on the pink was unreadable


def test_the_library_by_keyboard(qtbot):
    from genoview.gui.library import LibraryWindow

    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    library.select("geneorf-bacteria")
    library.show()
    library.activateWindow()
    qtbot.waitUntil(library.isActiveWindow, timeout=5000)
    library.table.setFocus()
    QTest.keyClick(library.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not library.table   # Tab leaves the table (arrows move within it)
    assert not (library.runs_table.tabKeyNavigation() or library.metrics_table.tabKeyNavigation())
    train = []
    library.train_requested.connect(lambda: train.append(True))
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert train == [True]
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not library.isVisible(), timeout=5000)


def test_the_review_pages_next_says_it_starts_the_run(qtbot):
    """Walking the wizard with Enter or Alt+N, the Review page's "Next >" started a training run unannounced."""
    from PySide6.QtWidgets import QWizard

    from genoview.gui.wizard import TrainingWizard
    from genoview.gui.wizard.pages import START_TRAINING_TEXT

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    assert wizard.review_page.buttonText(QWizard.WizardButton.NextButton) == START_TRAINING_TEXT
    assert wizard.data_page.buttonText(QWizard.WizardButton.NextButton) != START_TRAINING_TEXT



def test_the_application_names_its_desktop_entry():
    """On Wayland the app id: without it the dock showed a generic icon, not genoview.desktop's. (A child process: the
    tests' QApplication is pytest-qt's, not application()'s.)"""
    import os
    import subprocess
    import sys

    code = "from genoview.gui.startup import application; print(application().desktopFileName())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "genoview", out.stderr


def test_the_predict_dialogs_fields_have_keys(qtbot, session):
    """Alt+D reaches Device and Alt+B Batch size (a keyboard user tabbed through the whole form before)."""
    from genoview.gui.dialogs.predict import PredictDialog

    dialog = PredictDialog(None, session)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    QTest.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.device_combo.hasFocus, timeout=2000)
    QTest.keyClick(dialog, Qt.Key.Key_B, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.batch_spin.hasFocus, timeout=2000)


def test_the_wizards_file_boxes_by_keyboard(qtbot):
    """Tab goes from each file box to its own Browse…; Alt+A jumps to the annotation box."""
    from genoview.gui.wizard import TrainingWizard

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    page = wizard.data_page
    assert page.fasta_edit.nextInFocusChain() is page.fasta_browse
    assert page.fasta_browse.nextInFocusChain() is page.annotation_edit
    assert page.annotation_edit.nextInFocusChain() is page.annotation_browse
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    QTest.keyClick(wizard, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(page.annotation_edit.hasFocus, timeout=2000)


def test_a_panel_opened_by_its_key_takes_the_keys(qtbot, open_example_window):
    """Ctrl+M / Ctrl+E showed the dock but left the keys in the genome view."""
    window = open_example_window(size=(1400, 900))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.view.graphics.setFocus()
    QTest.keyClick(window.view.graphics, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.mutation_panel.isVisible() and window.mutation_panel.source.hasFocus(), timeout=5000)
    window.view.graphics.setFocus()
    if window.evaluation_panel.isVisible():
        window.evaluation_panel.hide()
    QTest.keyClick(window.view.graphics, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.evaluation_panel.isVisible() and window.evaluation_panel.track_combo.hasFocus(),
                    timeout=5000)


def test_enter_on_a_confusion_cell_lists_its_stretches(qtbot):
    """FP / FN stretches were listed on a click only."""
    from genoview.gui.panels.evaluation_plots import CELLS, ConfusionMatrixWidget

    table = ConfusionMatrixWidget()
    qtbot.addWidget(table)
    chosen = []
    table.cell_chosen.connect(chosen.append)
    table.setCurrentCell(*CELLS["fn"])
    QTest.keyClick(table, Qt.Key.Key_Down)   # the arrows move between the cells: FN -> TN
    QTest.keyClick(table, Qt.Key.Key_Left)   # TN -> FP
    QTest.keyClick(table, Qt.Key.Key_Return)
    assert chosen == ["fp"]


def test_tab_leaves_every_table_of_the_window(qtbot, open_example_window):
    """Qt's default Tab walks a table cell by cell and never out of it: the evaluation metrics, the gene
    disagreements, Real vs mutated's verdicts kept a keyboard user inside."""
    from PySide6.QtWidgets import QTableView

    window = open_example_window(size=(1400, 900))
    tables = window.findChildren(QTableView)
    assert window.evaluation_panel.metrics_table in tables and window.mutation_panel.verdicts in tables
    assert not [t.objectName() or type(t.parent()).__name__ for t in tables if t.tabKeyNavigation()]


def test_the_sequence_box_shows_the_whole_length_on_a_wide_window(qtbot, open_example_window):
    """At 14 characters "NC_000913.3 (4,641,652 bp)" read "NC_000913.3 (4,641,6" (seen at 1600 px, scale 1 to 2)."""
    window = open_example_window(size=(1600, 900))
    combo = window.sequence_combo
    text = "NC_000913.3 (4,641,652 bp)"
    combo.addItem(text, "chrEx")   # E. coli's entry in the example window's box (the same seqid's data: no switch)
    combo.setCurrentIndex(combo.count() - 1)
    window.resize(1601, 900)   # as a user's resize does, or opening the genome
    qtbot.waitUntil(lambda: combo.width() >= combo.fontMetrics().horizontalAdvance(text), timeout=5000)
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: combo.minimumContentsLength() == 14, timeout=5000)   # small windows keep the buttons


def test_a_start_up_error_is_shown_in_a_box(monkeypatch, qtbot):
    """Started from the desktop menu (Terminal=false), an unwritable home folder closed the splash and said nothing."""
    import types

    import pytest as _pytest

    import genoview.app
    from genoview.cli import gui as gui_cli
    from genoview.core.errors import GenoViewInputError
    from genoview.gui import startup

    shown = []
    message = "GenoView's data folder cannot be made (Permission denied); set GENOVIEW_HOME to a writable folder"

    def fake_launch(args, splash=None):
        raise GenoViewInputError(message, "/home/lab/.config/GenoView")

    monkeypatch.setattr(genoview.app, "launch", fake_launch)
    monkeypatch.setattr(startup.QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(startup, "has_screen", lambda: True)   # a desktop (the tests run offscreen: no box there)
    args = types.SimpleNamespace(fasta=None, gff=None, model=None, locus=None, screenshot=None, width=1600,
                                 height=1000, device="auto")
    with _pytest.raises(GenoViewInputError):   # still on stderr with exit code 2 (the CLI's handler)
        gui_cli.run(args)
    assert shown and shown[0][0] == "GenoView cannot start" and "GENOVIEW_HOME" in shown[0][1]
    assert "/home/lab/.config/GenoView" in shown[0][1]
    qtbot.waitUntil(lambda: not any(isinstance(w, startup.StartSplash) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=2000)


def test_a_start_up_error_without_a_screen_shows_no_box(monkeypatch, qtbot):
    """Offscreen (CI, `QT_QPA_PLATFORM=offscreen genoview gui ...` on a server) the box of 09862cd was modal with no one
    to close it: `GENOVIEW_HOME=/dev/null/x genoview gui example.fa` hung instead of exiting 2 with the message on
    stderr (review rev14c)."""
    import types

    import pytest as _pytest

    import genoview.app
    from genoview.cli import gui as gui_cli
    from genoview.core.errors import GenoViewInputError
    from genoview.gui import startup

    assert QApplication.platformName() == "offscreen" and not startup.has_screen()
    shown = []

    def fake_launch(args, splash=None):
        raise GenoViewInputError("GenoView's data folder cannot be made (Not a directory)", "/dev/null/x/config")

    monkeypatch.setattr(genoview.app, "launch", fake_launch)
    monkeypatch.setattr(startup.QMessageBox, "critical", lambda *a: shown.append(a))
    args = types.SimpleNamespace(fasta=None, gff=None, model=None, locus=None, screenshot=None, width=1600,
                                 height=1000, device="auto")
    with _pytest.raises(GenoViewInputError):   # the CLI's handler prints it and exits 2
        gui_cli.run(args)
    assert shown == []
