"""With the gene-disagreements dock open under the evaluation dock, the evaluation keeps its content's height (its
ROC/PR plot was scrolled out of view at the bottom of a 1600x1000 window) and the disagreements the rest."""
from __future__ import annotations

from tests.gui.test_gene_calls_gui import predict_and_call_genes


def test_the_evaluation_plots_stay_in_view_with_the_disagreements_dock_open(qtbot, open_example_window):
    from genoview.gui.panels.disagreements import MIN_DISAGREEMENTS_HEIGHT

    window = open_example_window(size=(1600, 1000))
    try:
        panel = predict_and_call_genes(qtbot, window, "geneorf-bacteria")
        evaluation = window.evaluation_panel
        evaluation.show()
        qtbot.waitUntil(lambda: panel.isVisible(), timeout=10000)
        scroll = evaluation.widget()
        # the split is made a moment after the dock shows; then the evaluation does not scroll
        qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() == 0, timeout=5000)
        assert evaluation.tabs.geometry().bottom() < scroll.viewport().height()
        assert panel.height() >= MIN_DISAGREEMENTS_HEIGHT - 10
    finally:
        window.runner.cancel_all()
        window.runner.wait(20000)
