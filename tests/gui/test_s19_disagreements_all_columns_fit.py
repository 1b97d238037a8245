"""The gene disagreements list in a dock as narrow as a 1280 x 800 screen gives it beside another panel shows every
column: 'Annot.' and 'Annotated as' were behind a sideways scroll bar. The Locus and 'Annotated as' columns give up
width there, their text elided with the whole text in the cell's tooltip; a wide dock keeps each column's text."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.gui.genome_view.gene_calls_track import GeneCallsResult
from genoview.gui.panels.disagreements import DisagreementsPanel


def _gene(i: int):
    start = 1_216_580 + 1000 * i
    return SimpleNamespace(seqid="NC_000913.3", start=start, end=start + 1400, strand=1 if i % 2 else -1,
                           systems=("Prodigal", "Annotation") if i % 3 else ("GenoView",),
                           annotation=("b0018", "mokC", "regulatory protein MokC") if i % 3 else (),
                           locus=f"NC_000913.3:{start + 1:,}-{start + 1400:,}")


def test_every_column_is_in_view_in_a_narrow_dock(qtbot):
    panel = DisagreementsPanel(None)
    qtbot.addWidget(panel)
    panel.resize(440, 500)
    panel.show()
    result = GeneCallsResult("genecnn-ecoli-finetuned @ NC_000913.3", "NC_000913.3", [], [_gene(i) for i in range(30)],
                             ("GenoView", "Prodigal", "Annotation"), 11)
    panel.set_result(result, "genecnn-ecoli-finetuned", "ecoli.gff3")
    qtbot.waitUntil(lambda: panel.table.item(29, 0) is not None, timeout=5000)
    table, header = panel.table, panel.table.horizontalHeader()
    qtbot.wait(50)
    last = table.columnCount() - 1
    right = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert right <= table.viewport().width(), [header.sectionSize(c) for c in range(table.columnCount())]
    assert not table.horizontalScrollBar().isVisible()
    for column in (1, 3, 4):   # the marks' columns keep their headers' width
        assert header.sectionSize(column) >= header.sectionSizeHint(column) - 1
    assert header.sectionSize(0) >= 60 and header.sectionSize(2) >= 50
    assert header.sectionSize(last) >= 40
    assert table.item(1, 0).toolTip() == "NC_000913.3:1,217,581-1,218,980"
    assert table.item(1, last).toolTip() == "mokC b0018\nregulatory protein MokC"
    panel.resize(1200, 500)   # wide: Locus as wide as its text again
    qtbot.waitUntil(lambda: header.sectionSize(0) >= table.sizeHintForColumn(0), timeout=2000)
    assert not table.horizontalScrollBar().isVisible()
