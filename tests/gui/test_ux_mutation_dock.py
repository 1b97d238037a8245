"""Real vs mutated opened while the evaluation dock is shown: it shares the evaluation's place as a tab, in front, with
the room to work (it was squeezed to ~200 pixels under the evaluation and disagreements docks, its heat map out of
sight)."""
from __future__ import annotations


def test_opens_as_a_tab_beside_the_evaluation(qtbot):
    from genoview.app import create_main_window

    window = create_main_window()
    qtbot.addWidget(window)
    window.resize(1600, 1000)
    window.show()
    evaluation, panel = window.evaluation_panel, window.mutation_panel
    evaluation.show()
    qtbot.waitUntil(lambda: evaluation.isVisible())
    action = next(a for a in window.tools_menu.actions() if a.text().startswith("&Real vs mutated"))
    action.trigger()
    qtbot.waitUntil(lambda: panel.isVisible())
    assert evaluation in window.tabifiedDockWidgets(panel)
    qtbot.waitUntil(lambda: panel.height() > 600)   # the right-hand column's height, not a slice of it
    action.trigger()   # again: still one tab group, nothing moves
    assert window.tabifiedDockWidgets(panel) == [evaluation]
    window.close()
