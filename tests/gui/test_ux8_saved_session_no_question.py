"""A teacher saves the lesson's session, then opens another genome or session: the window no longer asks to
"Save session first…" the view it has just saved (the default button led to a second save dialog)."""
from __future__ import annotations

import numpy as np

from genoview.gui.session import ProbabilityTrack


def test_a_view_just_saved_is_closed_without_asking(qtbot, open_example_window, tmp_path):
    window = open_example_window()
    seqid = next(iter(window.session.genome.sequences))
    length = window.session.genome.sequences[seqid].length
    window.session.add_track(ProbabilityTrack("m", "model", seqid, np.full(length, 0.7, dtype=np.float32),
                                              model_name="model"))
    window.interactive = True
    asked = []
    window.ask_closing_tracks = lambda count: asked.append(count) or "cancel"
    assert not window.confirm_closing_tracks() and asked == [1]     # unsaved: asks
    assert window.save_session(tmp_path / "lesson.genoview.json")
    assert window.confirm_closing_tracks() and asked == [1]         # saved as it is: goes ahead without asking
    window.session.set_threshold(0.8)                                # changed since: asks again
    assert not window.confirm_closing_tracks() and asked == [1, 1]
    window.interactive = False
