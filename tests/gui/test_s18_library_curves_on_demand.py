"""The model library opens without making its Curves tab's plots; they are made, with the selected model's history,
when the tab is first shown (H-walk18 under Xvfb: Models ▸ Library… froze the window 406 ms under load; offscreen,
idle, the two pyqtgraph plots were 65 of the 133 ms the first opening took)."""
from __future__ import annotations

from genoview.gui.library import LibraryWindow

HISTORY = [{"step": 5, "loss": 0.3}, {"step": 10, "loss": 0.2, "eval_mcc": 0.5, "best": True}]


def test_curves_are_made_when_their_tab_is_shown(qtbot):
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    assert library._curves is None   # not made by opening the library
    library._history = HISTORY   # what selecting a model with a training history sets (_show_details)
    library.details.setCurrentIndex(library.details.indexOf(library._curves_page))
    assert library._curves is not None and library._curves.parent() is library._curves_page
    assert not library.curves.empty_note.isVisibleTo(library.curves)   # the history drawn
    library.curves.load_history([])
    assert library.curves.empty_note.isVisibleTo(library.curves)
