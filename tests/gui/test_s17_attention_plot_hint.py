"""The Real vs mutated attention plot was empty with no hint (H-walk, session 17): it now says what to press and
why a model may have no attention to show, and the hint goes once the plot has its curve."""
from __future__ import annotations

import numpy as np

from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner


def test_the_empty_attention_plot_says_what_to_press(qtbot):
    panel = MutationPanel(Session(), JobRunner(), default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(560, 900)
    panel.show()
    qtbot.waitExposed(panel)
    hint = panel.attention_hint
    assert hint.isVisible() and "Press Attention" in hint.toPlainText() and "k-mer BERT" in hint.toPlainText()
    assert hint.parentItem() is panel.attention_plot.getViewBox()
    assert hint.textItem.textWidth() <= panel.attention_plot.getViewBox().boundingRect().width()   # wrapped to it
    panel.show_attention({"real": np.linspace(0, 1, 50)})
    assert not hint.isVisible() and panel.attention_plot.listDataItems()
