"""Real vs mutated, Side by side (H-walk19 under Xvfb, PRM1 from the human genes): the verdicts on a training gene of
the language model said nothing of it (the heat map and the Variants tab warn: its verdicts are memorised), and
one edit's variant effect was a subtraction of two totals left to the reader. The status line now warns, and the
verdict table has a signed 'mutated - real' column (log P mutated - log P real, in nats), beside the verdicts."""
from __future__ import annotations

import pytest

from genoview.gui.table_copy import table_text

from tests.gui.test_rev15d_memorised_panel import panel_and_split  # noqa: F401 - the fixture


def _compare(qtbot, panel, sequence, edits):
    panel.pasted.setPlainText(sequence)
    panel.mode.setCurrentText("Typed edits")
    panel.typed_edits.setText(edits)
    with qtbot.waitSignal(panel.runner.finished, timeout=60000):
        panel.run_compare()
    qtbot.waitUntil(lambda: panel._job is None)


def _shown(table):
    header = table.horizontalHeader()
    return [table.horizontalHeaderItem(header.logicalIndex(v)).text() for v in range(table.columnCount())]


def test_compare_of_a_training_gene_warns_and_of_a_held_out_gene_does_not(qtbot, panel_and_split):  # noqa: F811
    panel, split = panel_and_split
    gene = split.train[0].sequence
    _compare(qtbot, panel, gene, f"10{gene[9]}>{'A' if gene[9] != 'A' else 'C'}")
    status = panel.status.text()
    assert "edits: 10" in status and "WARNING: this sequence's 32-mers are in the training genes of kn (100%)" \
        in status and "memorised" in status, status
    held_out = split.test[0].sequence
    _compare(qtbot, panel, held_out, f"10{held_out[9]}>{'A' if held_out[9] != 'A' else 'C'}")
    assert "WARNING" not in panel.status.text()


def test_one_edit_has_its_signed_difference_beside_the_verdicts(qtbot, panel_and_split):  # noqa: F811
    panel, split = panel_and_split
    gene = split.test[1].sequence
    _compare(qtbot, panel, gene, f"20{gene[19]}>{'G' if gene[19] != 'G' else 'T'}")
    c = panel.comparisons[0]
    shown = _shown(panel.verdicts)
    assert shown[:4] == ["model", "perplexity rule", "probability rule", "mutated - real"]
    column = [panel.verdicts.horizontalHeaderItem(k).text() for k in range(panel.verdicts.columnCount())].index(
        "mutated - real")
    text = panel.verdicts.item(0, column).text()
    assert float(text) == pytest.approx(c.mutated.total - c.real.total, abs=0.006) and text[0] in "+-"
    assert "below 0" in panel.verdicts.horizontalHeaderItem(column).toolTip()
    assert table_text(panel.verdicts).splitlines()[0].rstrip().endswith("mutated - real")   # copied: own order, last
