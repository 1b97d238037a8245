"""A long contig name in a selectable label may break (zero-width spaces after _ . | -), but copying it gives the
name as written: Ctrl+C, the context menu's Copy and the mouse selection gave the invisible characters too, and a
pasted `samtools faidx genome.fa NAME:1-100` or grep then found nothing."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QClipboard, QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu

from genoview.gui.name_wrap import BREAK, NameWrappingLabel

NAME = "NODE_12_length_80412_cov_37.4821_pilon_polished_circular.fixed"


def _label(qtbot) -> NameWrappingLabel:
    label = NameWrappingLabel(f"All sequences: 3 of {NAME} scored")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    qtbot.addWidget(label)
    label.resize(200, 120)
    label.show()
    qtbot.waitExposed(label)
    shown = drawn_text(label)
    assert BREAK in shown and label.text() == f"All sequences: 3 of {NAME} scored"   # it does break
    label.setSelection(0, len(shown))
    assert label.hasSelectedText()
    return label


def drawn_text(label) -> str:   # what Qt draws (with the breaks)
    from PySide6.QtWidgets import QLabel

    return QLabel.text(label)


def test_ctrl_c_copies_the_name_as_written(qtbot):
    label = _label(qtbot)
    QGuiApplication.clipboard().clear()
    label.setFocus()
    qtbot.keyClick(label, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = QGuiApplication.clipboard().text()
    assert copied == f"All sequences: 3 of {NAME} scored"
    assert label.selectedText() == copied


def test_the_context_menus_copy_gives_the_name_as_written(qtbot):
    label = _label(qtbot)
    QGuiApplication.clipboard().clear()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), label.mapToGlobal(QPoint(5, 5)))
    QApplication.sendEvent(label, event)
    menu = label.findChildren(QMenu)[-1]
    copy = next(action for action in menu.actions() if action.text().replace("&", "").startswith("Copy")
                and "Link" not in action.text())
    menu.hide()
    copy.trigger()   # what choosing it does (Qt's own copy), then the label mends the clipboard
    qtbot.waitUntil(lambda: BREAK not in QGuiApplication.clipboard().text(), timeout=2000)
    assert QGuiApplication.clipboard().text() == f"All sequences: 3 of {NAME} scored"
    menu.deleteLater()


def test_the_mouse_selection_clipboard_gets_the_name_as_written(qtbot):
    label = _label(qtbot)
    clipboard = QGuiApplication.clipboard()
    if not clipboard.supportsSelection():   # X11's middle-click clipboard: mend what Qt put there
        mode = QClipboard.Mode.Clipboard
    else:
        mode = QClipboard.Mode.Selection
    clipboard.setText(drawn_text(label), mode)   # what Qt's control puts there on release
    label._copy_unbroken()
    assert clipboard.text(mode) == f"All sequences: 3 of {NAME} scored"


def test_other_clipboard_text_is_left_alone(qtbot):
    label = _label(qtbot)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(f"someone else's{BREAK}text")
    label._copy_unbroken()
    assert clipboard.text() == f"someone else's{BREAK}text"
