"""The evaluation panel's Genes tab shows every row of its gene-level table (2 of 8 showed in the dock, the rest
scrolled inside a small table)."""
from __future__ import annotations

from genoview.gui.panels.evaluation_plots import GeneScoresView


def test_all_rows_in_sight(qtbot):
    view = GeneScoresView()
    qtbot.addWidget(view)
    scores = {"Annotated CDS": 161, "Genes called": 165, "Same stop": 157, "Stop sensitivity": 0.9752,
              "Stop precision": 0.9515, "Same start": 134, "Start sensitivity": 0.83, "Start precision": 0.81}
    view.set_scores(scores)
    header = view.table.verticalHeader()
    assert view.table.minimumHeight() >= header.length()
    view.resize(400, 200)
    view.show()
    assert view.table.height() >= header.length()   # the widget grows; an outer scroll area reaches it
    view.set_scores(None)
    assert view.table.minimumHeight() == 0
