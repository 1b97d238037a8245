"""The evaluation scores the prediction just made: after Models ▸ Adapt to this genome (or any second model) it
kept scoring the first track while the gene calls and disagreements had moved to the new one; the disagreements'
column names the model by both ends (an adapted model's name starts as its parent's)."""
from __future__ import annotations

from genoview.gui.genome_view.gene_calls_track import GeneCallsResult
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_evaluation_moves_to_the_newest_prediction(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    seqid = window.session.seqid
    for model in ("prodigal", "geneorf-bacteria"):
        with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
            window.predict_controller.predict(model, [seqid])
        assert window.evaluation_panel.track_combo.currentData() == f"{model} @ {seqid}"
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_disagreements_column_keeps_both_ends_of_a_long_model_name(qtbot):
    from genoview.gui.panels.disagreements import DisagreementsPanel

    panel = DisagreementsPanel(None)
    qtbot.addWidget(panel)
    result = GeneCallsResult("k", "chr", [], [], ("GenoView", "Prodigal"), 4, [])
    panel.set_result(result, "geneorf-bacteria-mycoplasma_gallisepticum_Rlow")
    header = panel.table.horizontalHeaderItem(2).text()
    assert header.startswith("geneorf") and header.endswith("cum_Rlow") and len(header) <= 16
    panel.set_result(result, "geneorf-bacteria")
    assert panel.table.horizontalHeaderItem(2).text() == "geneorf-bacteria"   # the default model's name, whole


def test_gene_calls_row_names_its_model_when_two_tracks_are_shown():
    from genoview.gui.genome_view.gene_calls_track import legend_html

    name = "geneorf-bacteria-mycoplasma_gallisepticum_Rlow"
    two_tracks = legend_html(2, name, name_first=True)
    assert "of geneorf…cum_Rlow" in two_tracks and "disputed" not in two_tracks   # the tooltip keeps the colours
    assert "disputed" in legend_html(2, name) and "of " not in legend_html(2, name)   # one track: colours first
