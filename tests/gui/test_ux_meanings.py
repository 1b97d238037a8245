"""A newcomer hovering what the GUI shows learns what it means: every number of the evaluation panel, its threshold
and feature types, the colours of the gene-calls row, and what a pair file is in Real vs mutated."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from genoview.gui.genome_view.gene_calls_track import (DISAGREES, KIND_COLORS, LEGEND_TOOLTIP, NOT_CALLED,
                                                       CallFeature, GeneCallsResult, legend_html)
from genoview.gui.panels.evaluation import METRIC_HELP, METRIC_ROWS, EvaluationPanel


def test_every_evaluation_number_says_what_it_means(qtbot, session):
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    table = panel.metrics_table
    assert set(METRIC_HELP) == {key for key, _ in METRIC_ROWS}
    for row, (key, label) in enumerate(METRIC_ROWS):
        header_tip = table.verticalHeaderItem(row).toolTip()
        assert header_tip == table.item(row, 0).toolTip() == METRIC_HELP[key], label
        assert len(header_tip) > 30
    mcc = METRIC_HELP["mcc"]
    assert "-1 to 1" in mcc and "chance" in mcc   # its range and what 0 means
    assert "0.5" in METRIC_HELP["roc_auc"] and "threshold" in METRIC_HELP["roc_auc"]
    assert "bases" in METRIC_HELP["n"]          # the unit: bases, not genes
    assert "Predict" in METRIC_HELP["not_predicted"]   # and the way forward
    for widget in (panel.threshold_slider, panel.threshold_spin, panel.types_list):
        assert widget.toolTip()


def test_gene_calls_row_explains_its_colours(qtbot, session):
    from genoview.gui.genome_view import GenomeView

    view = GenomeView(session)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    seqid = session.seqid
    features = [CallFeature(seqid, 100 + 400 * i, 400 + 400 * i, 1 if i % 2 else -1, kind, f"g{i}")
                for i, kind in enumerate(("CDS", DISAGREES, NOT_CALLED, "CDS"))]
    result = GeneCallsResult("t @ " + seqid, seqid, features, [], ("GenoView", "Prodigal"), 11)
    view.gene_calls.set_result(result)
    label = view._labels[view.gene_calls.plot]
    assert label.isVisible() and label.toolTip() == LEGEND_TOOLTIP
    for word in ("Blue", "Orange", "Grey", "Prodigal", "annotation", "Gene disagreements"):
        assert word in LEGEND_TOOLTIP
    assert legend_html(1) == "Gene calls"   # one row high: no room for a second line (the tooltip still says it)
    two = legend_html(2)
    assert KIND_COLORS[DISAGREES] in two and KIND_COLORS[NOT_CALLED] in two and "disputed" in two and "missed" in two


def test_score_pairs_without_a_file_says_what_a_pair_file_is(qtbot, session, runner, monkeypatch):
    from genoview.gui.panels.mutation import PAIR_FILE_HELP, MutationPanel

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    panel = MutationPanel(session, runner)
    qtbot.addWidget(panel)
    panel.show()
    panel.pairs_path.setText("  ")
    panel.batch_button.click()
    assert panel._job is None   # nothing queued
    assert "Choose a pair file" in panel.status.text() and "genoview mutate" in panel.status.text()
    assert shown and "no such file" not in shown[0]
    assert panel.pairs_path.toolTip() == PAIR_FILE_HELP


def test_a_narrow_evaluation_panel_stacks_its_numbers_instead_of_cutting_them(qtbot, session):
    """At 1280 x 800 the dock is ~370 px: "1,392,…" and "Predictec" before; now the table sits above the matrix."""
    import numpy as np
    from PySide6.QtCore import Qt

    from genoview.gui.session import ProbabilityTrack

    genome = session.genome
    values = genome.label_mask("chrA").astype(np.float32) * 0.8 + 0.1
    session.add_track(ProbabilityTrack("t @ chrA", "t", "chrA", values))
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    panel.resize(370, 900)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.show()
    qtbot.waitUntil(lambda: panel.numbers.orientation() == Qt.Vertical, timeout=5000)
    table = panel.metrics_table
    for row in range(table.rowCount()):   # every number fits its cell
        text = table.item(row, 0).text()
        assert table.fontMetrics().horizontalAdvance(text) < table.columnWidth(0), text
    assert table.height() >= table.verticalHeader().length()   # every row in view, no inner scrolling
    assert panel.pr.caption.toPlainText().startswith("PR AUC ")   # the table's name, not "AP"
    panel.resize(panel.numbers_width() + 60, 900)
    qtbot.waitUntil(lambda: panel.numbers.orientation() == Qt.Horizontal, timeout=5000)


def test_gene_level_scores_say_what_they_mean(qtbot):
    from genoview.gui.panels.evaluation_plots import GENE_SCORE_HELP, GeneScoresView

    view = GeneScoresView()
    qtbot.addWidget(view)
    scores = {"Annotated CDS": 10, "Genes called": 11, "Same stop": 9, "Sensitivity (stop)": 0.9,
              "Precision (stop)": 0.8182, "Same start and stop": 7, "Sensitivity (start and stop)": 0.7,
              "Precision (start and stop)": 0.6364}
    view.set_scores(scores)
    for row, label in enumerate(scores):
        assert view.table.verticalHeaderItem(row).toolTip() == GENE_SCORE_HELP[label] != ""
    assert "stop codon" in GENE_SCORE_HELP["Same stop"] and "0 to 1" in GENE_SCORE_HELP["Precision (stop)"]
    import inspect

    from genoview.core import evaluation_scope

    source = inspect.getsource(evaluation_scope)   # the labels the core produces (a renamed row loses its help)
    assert all(f'"{label}"' in source for label in GENE_SCORE_HELP)


def test_vcf_mode_without_a_file_says_what_to_choose(qtbot, session, runner):
    from genoview.core.errors import GenoViewInputError
    from genoview.gui.panels.mutation import VCF_HELP, MutationPanel

    panel = MutationPanel(session, runner)
    qtbot.addWidget(panel)
    panel.mode.setCurrentText("VCF")
    assert panel.vcf_path.toolTip() == VCF_HELP and panel.vcf_path.placeholderText()
    with pytest.raises(GenoViewInputError, match="Choose a VCF file first"):
        panel.make_mutated("ACGTACGTAC", ("chrA", 100, 110, 1))


@pytest.mark.parametrize("measure", ["log-likelihood ratio", "masked-marginal log-ratio", "change of gene probability"])
def test_heat_map_says_what_a_cell_is_and_its_sign(qtbot, session, runner, measure):
    # every measure saturation_lm / the gene model's map gives has its meaning line (the masked LM's had none)
    import numpy as np

    from genoview.core.variant_effects import SaturationResult
    from genoview.gui.panels.mutation import MEASURE_MEANING, MutationPanel

    panel = MutationPanel(session, runner)
    qtbot.addWidget(panel)
    effects = np.array([[np.nan, -1.0, 0.5, 0.2, np.nan], [0.3, np.nan, -2.0, 0.1, np.nan]])
    panel.show_saturation(SaturationResult("AC", 0, 2, effects, measure, "kn-ecoli-genes", 0.1))
    caption = panel.heat_caption.text()
    assert MEASURE_MEANING[measure] in caption and "blue" in caption
    assert "nats" in caption or measure == "change of gene probability"
    assert panel.heat_bar.getAxis("left").labelText == f"{measure} (variant - real)"   # one sign in the panel


def test_batch_columns_say_what_accuracy_counts(qtbot, session, runner):
    from genoview.gui.panels.mutation import MutationPanel

    panel = MutationPanel(session, runner)
    qtbot.addWidget(panel)
    tips = [panel.batch_table.horizontalHeaderItem(c).toolTip() for c in range(panel.batch_table.columnCount())]
    assert all(tips) and "perplexity" in tips[2] and "chance" in tips[2] and "total probability" in tips[4]
