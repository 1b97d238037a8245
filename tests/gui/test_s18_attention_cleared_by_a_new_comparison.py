"""Real vs mutated: a new comparison clears the attention plot of the last one (its curves were of the other
sequences, drawn under the new pair's plots as if they were its own) and the empty plot's hint shows again, saying
to press Attention (rev18b)."""
from __future__ import annotations

import numpy as np

from genoview.core.mutation import apply_edits, parse_edits
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(18)


def _gene(n: int) -> str:
    return "".join("ACGT"[i] for i in RNG.integers(0, 4, n))


def test_a_new_comparison_clears_the_old_attention_and_shows_the_hint(qtbot):
    panel = MutationPanel(Session(), JobRunner(), default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(560, 900)
    panel.show()
    qtbot.waitExposed(panel)
    first = _gene(120)
    panel.show_comparison(apply_edits(first, parse_edits("10del", first)), None, [], None)
    panel.show_attention({"real": np.linspace(0, 1, 120), "mutated": np.linspace(1, 0, 120)})
    assert panel.attention_plot.listDataItems() and not panel.attention_hint.isVisible()
    assert panel.attention_plot.legend.isVisible()

    second = _gene(300)   # another gene: the attention drawn was of the first one's bases
    panel.show_comparison(apply_edits(second, parse_edits("50del", second)), None, [], None)
    assert panel.attention_plot.listDataItems() == []
    assert panel.attention_hint.isVisible() and "Press Attention" in panel.attention_hint.toPlainText()
    assert not panel.attention_plot.legend.isVisible()   # no legend box of the curves gone
    assert panel.attention is None
