"""The model library shows each model's test scores in its first view (they sat after Parent, scrolled off)."""
from __future__ import annotations

from genoview.gui.library import COLUMNS, LibraryWindow


def test_test_scores_are_in_sight(qtbot):
    assert COLUMNS.index("Test MCC") < COLUMNS.index("Architecture")
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    library.show()
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    header = library.table.horizontalHeader()
    right = header.sectionViewportPosition(COLUMNS.index("Test ROC AUC")) + header.sectionSize(COLUMNS.index("Test ROC AUC"))
    assert right <= library.table.viewport().width()
