"""File ▸ Open session… with tracks shown asks 'Opening the session closes the N tracks', not 'Opening another
genome' (H-walk18 under Xvfb: reopening E. coli's own session asked about another genome); a genome still says so."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QMessageBox

from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_GENOME


def test_the_question_names_what_is_opened(qtbot, open_example_window, monkeypatch, tmp_path):
    window = open_example_window()
    seqid = window.session.seqid
    values = np.full(window.session.sequence_length(), 0.5, dtype=np.float32)
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    path = tmp_path / "view.genoview.json"
    assert window.save_session(path)
    window.session.set_threshold(0.7)   # the view changed since: the question is asked
    window.interactive = True
    texts = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: texts.append(self.text()) or 0)   # Cancel
    assert not window.open_session(path)
    window.open_genome(EXAMPLE_GENOME)
    assert texts[0].startswith("Opening the session closes the 1 track shown now")
    assert texts[1].startswith("Opening another genome closes the 1 track shown now")
    window.interactive = False
