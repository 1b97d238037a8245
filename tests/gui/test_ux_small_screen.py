"""A 1280 x 800 laptop screen: the main window, the model library, the training wizard and the user guide open inside
it (they opened at 1400 x 900, 1300 x 760 and 760 high: buttons and last rows below the screen's edge); End and
Ctrl+Home/Ctrl+End go to the sequence's end and start at the zoom shown (End did nothing)."""
from __future__ import annotations

from PySide6.QtCore import QRect

import genoview.gui.screen_fit as screen_fit

LAPTOP = QRect(0, 0, 1280, 760)   # 1280 x 800 less a 40-pixel task bar


def test_windows_open_inside_a_laptop_screen(qtbot, monkeypatch):
    from genoview.app import create_main_window
    from genoview.gui.dialogs.help import GuideDialog
    from genoview.gui.library import LibraryWindow
    from genoview.gui.wizard import TrainingWizard
    from genoview.settings import Settings

    monkeypatch.setattr(screen_fit, "free_area", lambda widget: LAPTOP)
    window = create_main_window(Settings())
    window.remember_layout = False
    qtbot.addWidget(window)
    library = LibraryWindow()
    qtbot.addWidget(library)
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    guide = GuideDialog()
    qtbot.addWidget(guide)
    for widget in (window, library, wizard, guide):
        assert widget.width() <= 1280 * 0.95 and widget.height() <= 760 * 0.9, type(widget).__name__
    assert wizard.width() == 900 and library.height() == int(760 * 0.9)   # only what does not fit is made smaller
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)


def test_headless_sizes_stay_as_they_were(qtbot):
    from genoview.gui.library import LibraryWindow

    library = LibraryWindow()   # offscreen: no real screen, the size asked for
    qtbot.addWidget(library)
    assert (library.width(), library.height()) == (1300, 760)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)


def test_end_and_ctrl_home_keep_the_zoom(qtbot, open_example_window):
    window = open_example_window(size=(1200, 700))
    length = window.session.sequence_length()
    window.view.show_region(length // 3, length // 3 + 1000)
    window.view.flush()
    x0, x1 = window.view.visible_range()
    window.end_action.trigger()
    window.view.flush()
    e0, e1 = window.view.visible_range()
    assert abs(e1 - length) < 1 and abs((e1 - e0) - (x1 - x0)) < 1
    window.start_action.trigger()
    window.view.flush()
    s0, s1 = window.view.visible_range()
    assert abs(s0) < 1 and abs((s1 - s0) - (x1 - x0)) < 1
    assert "End" in [k.toString() for k in window.end_action.shortcuts()]
    assert window.end_action in window.view_menu.actions()
