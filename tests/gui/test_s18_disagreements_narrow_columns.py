"""The gene disagreements list in a narrow dock (a 1280 x 800 screen puts it in a tab beside the Evaluation panel)
keeps the track's column in view: the Locus column stretched over the free width and pushed the columns saying who
has each gene (the track, Prodigal, the annotation) off to the right behind a scroll bar (H-walk18 under Xvfb at
1280 x 800: only 'Locus' and '±' were visible). The locus is sized to its text; the last column takes the rest."""
from __future__ import annotations

from types import SimpleNamespace

from genoview.gui.genome_view.gene_calls_track import GeneCallsResult
from genoview.gui.panels.disagreements import DisagreementsPanel


def _gene(i: int):
    start = 16_580 + 1000 * i
    return SimpleNamespace(seqid="NC_000913.3", start=start, end=start + 140, strand=1,
                           systems=("Prodigal", "Annotation"), annotation=("b0018", "mokC", "protein"),
                           locus=f"NC_000913.3:{start + 1:,}-{start + 140:,}")


def test_the_track_column_stays_in_view_in_a_narrow_dock(qtbot):
    panel = DisagreementsPanel(None)
    qtbot.addWidget(panel)
    panel.resize(360, 500)
    panel.show()
    result = GeneCallsResult("geneorf-bacteria @ NC_000913.3", "NC_000913.3", [], [_gene(i) for i in range(30)],
                             ("GenoView", "Prodigal", "Annotation"), 11)
    panel.set_result(result, "geneorf-bacteria")
    qtbot.waitUntil(lambda: panel.table.item(29, 0) is not None, timeout=5000)
    header = panel.table.horizontalHeader()
    width = panel.table.viewport().width()
    right = header.sectionViewportPosition(2) + header.sectionSize(2)
    assert right <= width, f"the track's column ends at {right} px of a {width} px wide list"
    # not squeezed to nothing: at this width it gives up some width (session 19: every column in view), elided in
    # the middle with the whole locus in its tooltip
    assert header.sectionSize(0) >= panel.table.fontMetrics().horizontalAdvance("NC_0…1,000")
    assert panel.table.item(0, 0).toolTip() == "NC_000913.3:16,581-16,720"
    panel.resize(1200, 500)   # wide: the last column takes the free width, nothing scrolls
    qtbot.waitUntil(lambda: panel.table.viewport().width() > 1000, timeout=2000)
    assert not panel.table.horizontalScrollBar().isVisible()
