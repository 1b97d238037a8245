"""rev14d: a window reopened with docks saved as tabs (Evaluation and Real vs mutated, as Ctrl+M beside a shown
evaluation leaves them) showed a stray one-tab bar 'Real vs m…' at the window's top-left corner, over the File and
View menus (xvfb, 1280 x 720: File could not be clicked). The window restored its saved dock state twice, first in
MainWindow's constructor when the evaluation dock did not exist yet: Qt made a tab group for the mutation dock alone
and kept its tab bar shown when the full state was restored."""
from __future__ import annotations

from PySide6.QtWidgets import QTabBar


def _window(qtbot, settings):
    from genoview.app import create_main_window

    window = create_main_window(settings)
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    window.resize(1216, 648)
    window.show()
    return window


def test_docks_saved_as_tabs_reopen_without_a_stray_tab_bar(qtbot):
    from genoview.settings import Settings

    settings = Settings()
    first = _window(qtbot, settings)
    first.evaluation_panel.show()
    first.show_mutation_panel()
    qtbot.waitUntil(lambda: first.mutation_panel in first.tabifiedDockWidgets(first.evaluation_panel))
    first.save_layout()
    first.close()

    second = _window(qtbot, settings)
    qtbot.waitExposed(second)
    bars = [bar for bar in second.findChildren(QTabBar) if bar.parentWidget() is second and bar.isVisible()]
    assert [sorted(bar.tabText(i) for i in range(bar.count())) for bar in bars] == [["Evaluation",
                                                                                      "Real vs mutated"]]
    assert second.childAt(20, 8) is second.menuBar()   # File is the File menu's, not a tab's
