"""Tools opens on Predict…, the step every user takes (the start page's step 3, the README's quick start); it came
after Real vs mutated…, which is installed first."""
from __future__ import annotations


def test_predict_comes_first_in_tools(qtbot):
    from genoview.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    names = [a.text().replace("&", "") for a in window.tools_menu.actions() if not a.isSeparator()]
    assert names[:2] == ["Predict…", "Real vs mutated…"], names


def test_tools_added_later_keep_their_order_before_real_vs_mutated(qtbot):
    from PySide6.QtGui import QAction

    from genoview.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    later = QAction("Later tool…", window)
    window.add_tool_action(later)
    names = [a.text().replace("&", "") for a in window.tools_menu.actions() if not a.isSeparator()]
    assert names[:3] == ["Predict…", "Later tool…", "Real vs mutated…"], names
