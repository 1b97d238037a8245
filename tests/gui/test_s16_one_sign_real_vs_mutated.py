"""Real vs mutated uses ONE sign, the variant-effect convention (mutated / variant / ALT minus real / reference: below
0 the change is less likely): the Batch tab's histogram (it was real - mutated while the heat map was mutated - real),
the heat map's colour bar, the Variants tab's columns, and the CLI's tables (score-pairs' last column, saturation's
effect_alt_minus_ref, variant-effects' llr_alt_minus_ref) say it in their labels and headers (session 16)."""
from __future__ import annotations

import csv

import numpy as np

from genoview.core.lm_scoring import PairScores
from genoview.core.variant_effects import SaturationResult
from genoview.gui.panels.mutation import BATCH_HISTOGRAM_TITLE, MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner


def _scores():
    # 3 pairs the real copy wins by 0.5 nats per token, 1 the mutated copy wins by 0.25
    real = np.array([-1.0, -1.0, -1.0, -1.0])
    mutated = np.array([-1.5, -1.5, -1.5, -0.75])
    return PairScores("m", ["a", "b", "c", "d"], real, np.ones(4), mutated, np.ones(4))


def test_pair_scores_difference_is_mutated_minus_real():
    s = _scores()
    np.testing.assert_allclose(s.difference("perplexity"), [-0.5, -0.5, -0.5, 0.25])
    assert s.correct("perplexity").tolist() == [True, True, True, False] and s.accuracy("perplexity") == 0.75


def test_score_pairs_csv_states_the_sign_in_its_last_column(tmp_path):
    out = tmp_path / "scores.csv"
    _scores().write_csv(out)
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0])[-1] == "mean_logprob_mutated_minus_real"
    assert [float(r["mean_logprob_mutated_minus_real"]) for r in rows] == [-0.5, -0.5, -0.5, 0.25]
    assert [r["correct_perplexity"] for r in rows] == ["1", "1", "1", "0"]


def test_saturation_csv_header_says_alt_minus_ref(tmp_path):
    effects = np.full((2, 5), np.nan)
    effects[0, 1], effects[1, 0] = -2.0, 0.5
    out = tmp_path / "map.csv"
    SaturationResult("AC", 0, 2, effects, "log-likelihood ratio", "m", 0.1).write_csv(out)
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[3] == "effect_alt_minus_ref"


def test_the_batch_histogram_puts_pairs_the_real_copy_wins_below_zero(qtbot):
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.show_batch([_scores()])
    assert BATCH_HISTOGRAM_TITLE.startswith("mutated - real") and "below 0: real wins" in BATCH_HISTOGRAM_TITLE
    axis = panel.histogram.getPlotItem().getAxis("bottom").labelText
    # the axis is short (d811acd: the whole sentence ran off the dock's axis); the caption under the plot says the sign
    assert axis.startswith("mutated - real") and "below 0 the mutated copy is less likely" in panel.histogram_caption.text()
    (item,) = panel.histogram.getPlotItem().listDataItems()
    edges, counts = item.getData()
    centres = (edges[:-1] + edges[1:]) / 2 if len(edges) == len(counts) + 1 else edges
    assert counts[centres < 0].sum() == 3 and counts[centres > 0].sum() == 1
    panel.show_saturation(SaturationResult("AC", 0, 2, np.zeros((2, 5)), "log-likelihood ratio", "m", 0.1))
    assert panel.heat_bar.getAxis("left").labelText == "log-likelihood ratio (variant - real)"
    assert "mutated - real" in panel.diff_plot.titleLabel.text
    assert "nats" in panel.diff_plot.getAxis("left").labelText   # its unit, as the plot above has (H-walk19)
    runner.cancel_all()
    runner.wait()
