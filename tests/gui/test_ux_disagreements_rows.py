"""The gene-disagreements dock opens under the genome view with room to step through the list: under the evaluation
dock it kept about two rows (the evaluation needs its whole height), so a user could not see where the arrow keys
were going."""
from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_gene_calls_gui import predict_and_call_genes


def test_the_disagreements_open_under_the_view_with_rows_to_step_through(qtbot, open_example_window):
    from genoview.gui.panels.disagreements import ROWS_SHOWN

    window = open_example_window(size=(1600, 1000))
    try:
        panel = window.disagreements_panel
        evaluation = window.evaluation_panel
        with qtbot.waitSignal(window.runner.finished, timeout=60000,
                              check_params_cb=lambda job, result: job.context == "gene-calls"):
            window.predict_controller.predict("geneorf-bacteria")
        evaluation.show()
        qtbot.waitUntil(lambda: panel.isVisible(), timeout=10000)
        row = panel.table.verticalHeader().defaultSectionSize()
        qtbot.waitUntil(lambda: panel.table.viewport().height() >= ROWS_SHOWN * row, timeout=5000)
        assert window.dockWidgetArea(panel) == Qt.DockWidgetArea.BottomDockWidgetArea
        # under the genome view only: the evaluation keeps the window's height beside it, and the view stays usable
        assert panel.geometry().right() < evaluation.geometry().left()
        assert evaluation.geometry().bottom() > panel.geometry().top()
        assert window.view.height() >= 400
        assert panel.height() <= 0.4 * window.height() + 10
    finally:
        window.runner.cancel_all()
        window.runner.wait(20000)


def test_the_dock_gives_way_when_the_tracks_no_longer_fit(qtbot, open_example_window):
    """With six tracks the last one (often the one just predicted) was cut off under the dock; with ten the dock
    keeps its smallest height and the view its rows."""
    import numpy as np

    from genoview.gui.panels.disagreements import MIN_DISAGREEMENTS_HEIGHT
    from genoview.gui.session import ProbabilityTrack

    window = open_example_window(size=(1600, 1000))
    try:
        panel = predict_and_call_genes(qtbot, window, "geneorf-bacteria")
        qtbot.waitUntil(lambda: panel.isVisible() and panel.height() > 300, timeout=10000)
        session, view = window.session, window.view
        seqid = session.seqid
        length = session.genome.sequences[seqid].length
        for k in range(9):
            values = np.random.default_rng(k).random(length).astype(np.float32)
            session.add_track(ProbabilityTrack(f"extra{k} @ {seqid}", f"extra{k}", seqid, values, model_name="prodigal"))
        qtbot.waitUntil(lambda: view.content_height() <= view.graphics.height() + 6 or
                        panel.height() <= MIN_DISAGREEMENTS_HEIGHT + 2, timeout=10000)
        assert panel.isVisible() and panel.height() >= MIN_DISAGREEMENTS_HEIGHT - 10
    finally:
        window.runner.cancel_all()
        window.runner.wait(20000)
