"""rev12: End / Ctrl+End / Ctrl+Home (session 12) and Home / arrows move the genome view from anywhere in the window,
except where the focused widget uses the key: typing End in the Go-to box or a text field moves its cursor (kept),
End in a drop-down chooses its last entry and in a list its last row (they moved the genome view instead)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget, QListWidget

CTRL, NONE = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.NoModifier


def _window(open_example_window):
    window = open_example_window(size=(1200, 800))
    length = window.session.sequence_length()
    window.view.show_region(length // 3, length // 3 + 1000)
    window.view.flush()
    window.activateWindow()
    return window


def _press(qtbot, window, widget, key, modifier=NONE) -> bool:
    """Press ``key`` in ``widget``; whether the genome view moved."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    before = window.view.visible_range()
    QTest.keyClick(widget, key, modifier)
    window.view.flush()
    return window.view.visible_range() != before


def test_end_in_text_fields_moves_the_cursor_not_the_view(qtbot, open_example_window):
    window = _window(open_example_window)
    box = window.go_to_box
    box.setText("NC_000913 1000")
    box.setCursorPosition(0)
    assert not _press(qtbot, window, box, Qt.Key.Key_End)
    assert box.cursorPosition() == len(box.text())
    assert not _press(qtbot, window, box, Qt.Key.Key_Home)
    assert box.cursorPosition() == 0
    window.show_mutation_panel()
    pasted = window.mutation_panel.pasted
    pasted.setPlainText("ACGT\nACGTACGT")
    assert not _press(qtbot, window, pasted, Qt.Key.Key_End, CTRL)
    assert pasted.textCursor().position() == len(pasted.toPlainText())
    assert not _press(qtbot, window, pasted, Qt.Key.Key_Home, CTRL)
    assert pasted.textCursor().position() == 0


def test_end_in_a_drop_down_or_list_is_theirs_and_the_view_keeps_it(qtbot, open_example_window):
    window = _window(open_example_window)
    window.show_mutation_panel()
    source = window.mutation_panel.source
    source.setCurrentIndex(0)
    assert not _press(qtbot, window, source, Qt.Key.Key_End)
    assert source.currentIndex() == source.count() - 1
    assert not _press(qtbot, window, source, Qt.Key.Key_Home)
    assert source.currentIndex() == 0
    dock = QDockWidget("rows", window)
    rows = QListWidget(dock)
    rows.addItems([f"row {i}" for i in range(5)])
    rows.setCurrentRow(0)
    dock.setWidget(rows)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.show()
    assert not _press(qtbot, window, rows, Qt.Key.Key_End, CTRL)
    assert rows.currentRow() == 4
    # the genome view itself: End goes to the sequence's end
    length = window.session.sequence_length()
    assert _press(qtbot, window, window.view.graphics, Qt.Key.Key_End)
    assert abs(window.view.visible_range()[1] - length) < 1


def test_end_in_a_floating_panels_drop_down_is_its_own(qtbot, open_example_window):
    """A floating panel is a window of its own: the override stopped there and End moved the genome view."""
    window = _window(open_example_window)
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.setFloating(True)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    source = panel.source
    source.setCurrentIndex(0)
    assert not _press(qtbot, window, source, Qt.Key.Key_End)
    assert source.currentIndex() == source.count() - 1
    panel.setFloating(False)
