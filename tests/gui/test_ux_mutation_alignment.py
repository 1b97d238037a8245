"""Real vs mutated: the alignment opens at the first edit (an edit at base 763 of a 957-base gene was out of sight
at the left end), and an edit past the 3,000 columns drawn is shown (it was cut off: only '…')."""
from __future__ import annotations

import numpy as np

from genoview.core.mutation import apply_edits, parse_edits
from genoview.gui.panels.mutation import MutationPanel, first_difference
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner

RNG = np.random.default_rng(5)


def gene(n):
    return "".join("ACGT"[i] for i in RNG.integers(0, 4, n))


def panel_for(qtbot):
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(500, 800)
    panel.show()
    return panel


def test_alignment_opens_at_the_first_edit(qtbot):
    real = gene(957)
    pair = apply_edits(real, parse_edits("763_764insC", real))
    assert first_difference(pair, *pair.alignment()) == 763
    panel = panel_for(qtbot)
    panel.show_comparison(pair, None, [], None)
    bar = panel.alignment_text.horizontalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)
    advance = panel.alignment_text.fontMetrics().horizontalAdvance("A")
    shown = (bar.value() // advance, (bar.value() + panel.alignment_text.viewport().width()) // advance)
    assert shown[0] <= 8 + 763 <= shown[1]   # the label is 8 columns wide


def test_an_edit_past_the_drawn_columns_is_shown(qtbot):
    real = gene(6000)
    pair = apply_edits(real, parse_edits("5001del", real))
    panel = panel_for(qtbot)
    panel.show_comparison(pair, None, [], None)
    html = panel.alignment_text.toHtml()
    assert "#ffd0d0" in html   # the edit is highlighted in what is drawn
    text = panel.alignment_text.toPlainText()
    assert text.startswith("real    … ") and "mutated … " in text


def test_edits_as_the_status_line_shows_them_can_be_typed_back():
    """The status line said "edits: 763_764insC"; typing that into Typed edits was "cannot read the edit"."""
    real = gene(40)
    rng = np.random.default_rng(2)
    from genoview.core.mutation import mutate_randomly

    for _ in range(200):
        mutated = mutate_randomly(real, 1, rng, ("insertion", "deletion", "substitution", "swap"))
        (edit,) = mutated.edits
        typed = parse_edits(edit.describe(), real)
        assert apply_edits(real, typed).mutated == mutated.mutated, edit.describe()
    assert apply_edits(real, parse_edits("3_5del", real)).mutated == real[:2] + real[5:]


def test_first_difference_of_every_kind_and_none():
    real = gene(50)
    for text, column in (("10A>C" if real[9] == "A" else f"10{real[9]}>{'C' if real[9] != 'C' else 'G'}", 9),
                         ("20del", 19), ("30insG", 29)):
        pair = apply_edits(real, parse_edits(text, real))
        assert first_difference(pair, *pair.alignment()) == column, text
    same = apply_edits(real, [])
    assert first_difference(same, *same.alignment()) == -1
