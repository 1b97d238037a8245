"""Keyboard walk of the window: after typing a locus and Enter, the arrows and + / - typed into the go-to box (only a
click on the view gave them back); Tab went into the pasted-sequence box (and the wizard's spec, the run log) and never
came out; Enter on a library row did nothing (a double click predicts)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def test_a_typed_jump_hands_the_keys_to_the_view(qtbot, open_example_window):
    window = open_example_window(size=(1200, 700))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)   # shortcuts (+, arrows) need the active window
    window.focus_go_to()
    qtbot.waitUntil(lambda: window.go_to_box.hasFocus(), timeout=5000)
    QTest.keyClicks(window.go_to_box, "1000-3000")
    QTest.keyClick(window.go_to_box, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.view.graphics
    start, end = window.session.region
    QTest.keyClick(window.view.graphics, Qt.Key.Key_Plus)
    # + zooms in (the region follows the view a moment later), and is not typed into the box
    qtbot.waitUntil(lambda: window.session.region[1] - window.session.region[0] < end - start, timeout=5000)
    assert window.go_to_box.text() != "1000-3000+"
    window.focus_go_to()
    QTest.keyClicks(window.go_to_box, "5000-")   # typed, then Esc: not gone there, and the box says where the view is
    QTest.keyClick(window.go_to_box, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.view.graphics
    assert window.go_to_box.text() != "5000-" and window.go_to_box.text().endswith(f"{window.session.region[1]:,}")


def test_tab_leaves_the_text_boxes(qtbot):
    from genoview.gui.library import LibraryWindow
    from genoview.gui.wizard import TrainingWizard

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    assert wizard.review_page.summary.tabChangesFocus() and wizard.run_page.log.tabChangesFocus()
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    assert library.spec_text.tabChangesFocus()
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    library.select("geneorf-bacteria")
    asked = []
    library.predict_requested.connect(asked.append)
    library.show()
    library.activateWindow()
    qtbot.waitUntil(library.isActiveWindow, timeout=5000)
    library.table.setFocus()
    QTest.keyClick(library.table, Qt.Key.Key_Return)
    assert asked == ["geneorf-bacteria"]


def test_the_pasted_sequence_box_passes_tab_on(qtbot, open_example_window):
    window = open_example_window()
    assert window.mutation_panel.pasted.tabChangesFocus()


def test_enter_on_a_listed_name_goes_there_once(qtbot, open_example_window):
    """Enter on a name in the go-to box's list went there twice (the list's activated, then the box's returnPressed):
    every look-up ran twice on the GUI thread. Once now, and the keys still go to the view."""
    window = open_example_window(size=(1200, 700))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    box = window.go_to_box
    name = "yfgH"   # one gene's name (the first, abcA, is three genes': their places are listed, the keys stay)
    went = []
    box.went_to.connect(went.append)
    window.focus_go_to()
    QTest.keyClicks(box, name)
    popup = box.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert len(went) == 1 and QApplication.focusWidget() is window.view.graphics
    qtbot.wait(10)   # the entry's mark is cleared after its key press: a later Enter goes again
    window.focus_go_to()
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert len(went) == 2
