"""A 1280 x 720 laptop (the window 1216 x 648): the Real vs mutated form beside a genome showed without a sideways
scroll bar. The hidden start page's 560-pixel card kept the genome view at least 640 pixels wide, so the right dock
stayed at the evaluation's ~350 pixels and "Saturation mutagenesis" and the fields' right half were cut off."""
from __future__ import annotations

from PySide6.QtCore import Qt

from genoview.gui.panels.mutation import form_width


def test_hidden_start_page_asks_for_no_width(open_example_window):
    window = open_example_window(size=(1216, 648))
    assert window.central.currentWidget() is window.view
    assert window.central.minimumSizeHint().width() < 400   # was 640: the start page's card, out of sight
    window.session.set_genome(None)   # back to the start page: its card keeps its room
    assert window.central.currentWidget() is window.start_page
    assert window.central.minimumSizeHint().width() >= 560


def test_real_vs_mutated_form_fits_beside_the_genome_on_a_laptop(qtbot, open_example_window):
    window = open_example_window(size=(1216, 648))
    evaluation = window.evaluation_panel
    evaluation.show()
    window.resizeDocks([evaluation], [350], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(evaluation.width() - 350) < 20)
    window.show_mutation_panel()
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.width() >= form_width(panel) - 2)
    assert panel.width() <= window.width() * 0.45 + 2   # the genome view keeps the larger part
    qtbot.waitUntil(lambda: not panel._scroll.horizontalScrollBar().isVisible())
    assert window.view.width() > 400


def test_disagreements_open_as_a_tab_beside_the_evaluation_on_a_short_window(qtbot, open_example_window):
    """Under the view, even at its smallest height, the dock left the track just predicted ~45 pixels high on a
    1280 x 720 laptop; there it opens as a tab beside the evaluation, which stays in front (tall windows: under the
    view as before, tests/gui/test_ux_disagreements_rows.py)."""
    window = open_example_window(size=(1216, 648))
    try:
        panel, evaluation = window.disagreements_panel, window.evaluation_panel
        evaluation.show()
        with qtbot.waitSignal(window.runner.finished, timeout=60000,
                              check_params_cb=lambda job, result: job.context == "gene-calls"):
            window.predict_controller.predict("geneorf-bacteria")
        qtbot.waitUntil(lambda: not panel.isHidden(), timeout=10000)
        assert window.dockWidgetArea(panel) == Qt.DockWidgetArea.RightDockWidgetArea
        assert panel in window.tabifiedDockWidgets(evaluation)
        qtbot.waitUntil(lambda: not evaluation.visibleRegion().isEmpty())   # the evaluation in front
        assert window.view.height() > 0.8 * (window.height() - window.menuBar().height())
    finally:
        window.runner.cancel_all()
        window.runner.wait(20000)


def test_finished_run_brings_its_results_into_view_on_a_short_window(qtbot, make_window):
    """On a 1280 x 720 laptop the verdicts, plots and heat map sat wholly under the form: a finished Mutate & compare
    showed only its status line at the panel's bottom edge; the panel scrolls them to its top."""
    window = make_window(size=(1216, 648))
    from genoview.gui.panels.mutation import install_mutation_panel

    panel = getattr(window, "mutation_panel", None) or install_mutation_panel(window)
    window.show_mutation_panel()
    qtbot.waitUntil(lambda: panel._scroll.verticalScrollBar().maximum() > 0)
    bar = panel._scroll.verticalScrollBar()
    bar.setValue(0)
    body = panel._scroll.widget()
    from PySide6.QtCore import QPoint

    def status_top() -> int:
        return panel.status.mapTo(body, QPoint(0, 0)).y() - bar.value()

    assert status_top() > panel._scroll.viewport().height() // 2   # under the form
    panel.bring_results_into_view()
    assert 0 <= status_top() <= 20 or bar.value() == bar.maximum()
    assert not panel.tabs.visibleRegion().isEmpty()
