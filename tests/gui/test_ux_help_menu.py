"""Help holds what a newcomer looks for there: the user guide and every keyboard shortcut (read from the menus, so
tools added later are listed), besides Getting started and About."""
from __future__ import annotations

from genoview.gui.dialogs.help import MOUSE, GuideDialog, ShortcutsDialog, guide_path, shortcut_rows
from genoview.settings import Settings


def _window(qtbot):
    from genoview.app import create_main_window

    window = create_main_window(Settings())
    window.remember_layout = False
    qtbot.addWidget(window)
    return window


def test_help_menu_has_the_guide_and_the_shortcuts(qtbot):
    window = _window(qtbot)
    texts = [a.text().replace("&", "") for a in window.help_menu.actions() if not a.isSeparator()]
    assert texts[:1] == ["Getting started"] and "User guide" in texts and "Keyboard and mouse" in texts
    assert texts[-1] == "About GenoView"
    rows = shortcut_rows(window)
    actions = {(menu, action): keys for menu, action, keys in rows}
    assert actions[("File", "Open genome")] == "Ctrl+O"
    assert actions[("Tools", "Predict")] == "Ctrl+P"          # installed after the window was built
    assert actions[("Models", "Library")] == "Ctrl+Shift+L"
    assert actions[("Help", "Keyboard and mouse")] == "Ctrl+/"
    window.shortcuts_action.trigger()
    dialog = window.help_dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.keys.rowCount() == len(rows)
    assert dialog.mouse.rowCount() == len(MOUSE)
    dialog.close()


def test_user_guide_shows_the_readme_in_the_app(qtbot):
    dialog = GuideDialog(None)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    if guide_path() is not None:
        assert "GenoView" in text and len(text) > 2000
    else:   # an install without the README says where to look instead of an empty window
        assert "genoview --help" in text


def test_about_before_the_device_check_says_it_is_being_checked(qtbot):
    from genoview.gui.predict_controller import DEVICE_PENDING_TEXT

    window = _window(qtbot)
    window.predict_controller.device_text = DEVICE_PENDING_TEXT
    text = window.about_text()
    assert "device: auto" not in text and "being checked" in text
    window.predict_controller.device_text = "CPU (2 threads)"
    assert "CPU (2 threads)" in window.about_text()


def test_user_guide_has_contents_and_find(qtbot):
    """A 48,000-character guide without contents or search: Adapt, VCF or the CLI took scrolling to find."""
    if guide_path() is None:
        return
    dialog = GuideDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    titles = [dialog.contents.item(i).text().strip() for i in range(dialog.contents.count())]
    assert titles and titles[0] == "GenoView"
    last = dialog.contents.item(dialog.contents.count() - 1)
    dialog.go_to_section(last)
    assert dialog.browser.verticalScrollBar().value() > 0
    dialog.find_edit.setText("Adapt to this genome")
    assert dialog.find_next() and dialog.browser.textCursor().selectedText() == "Adapt to this genome"
    dialog.find_edit.setText("no such words in the guide")
    assert not dialog.find_next() and dialog.find_note.text() == "not found"
