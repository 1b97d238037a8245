"""Real vs mutated: the alignment's "real"/"mutated" row labels stay in view when it is scrolled sideways (it opens
scrolled to the first edit, so they were out of view at once and the two rows could not be told apart)."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from genoview.core.mutation import apply_edits, parse_edits
from genoview.gui.panels.mutation import MutationPanel
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner


def test_row_labels_stay_in_view_when_the_alignment_is_scrolled(qtbot):
    rng = np.random.default_rng(3)
    real = "".join("ACGT"[i] for i in rng.integers(0, 4, 957))
    pair = apply_edits(real, parse_edits("763_764insC", real))
    panel = MutationPanel(Session(), JobRunner(), default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(500, 800)
    panel.show()
    panel.show_comparison(pair, None, [], None)
    text, labels = panel.alignment_text, panel.alignment_labels
    bar = text.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)   # opened at the edit, far right of the labels in the text
    qtbot.waitUntil(labels.isVisible)
    assert labels.geometry().left() == 0 and labels.width() >= text.fontMetrics().horizontalAdvance("mutated")
    tops = labels.line_tops()
    assert len(tops) == 2 and tops[0].bottom() < tops[1].top() + 2   # one label per row, where the rows are
    image = labels.grab().toImage()
    dark = [(x, y) for x in range(0, image.width(), 2) for y in range(image.height())
            if QColor(image.pixel(x, y)).lightness() < 100]
    assert any(tops[0].top() <= y <= tops[0].bottom() for _, y in dark)   # "real" is painted on its row
    assert any(tops[1].top() <= y <= tops[1].bottom() for _, y in dark)   # and "mutated" on its row
    bar.setValue(0)   # at the left end the text's own labels show; the strip steps aside
    assert not labels.isVisible()
    assert text.toPlainText().startswith("real")
