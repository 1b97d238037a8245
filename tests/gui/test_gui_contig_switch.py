"""Switching the shown contig keeps the genome view's probability rows and shows the new contig's tracks in them
(a new row meant laying out every row again: the longest pause of a draft genome's browsing)."""
from __future__ import annotations

import numpy as np

from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_switching_contig_reuses_rows_and_shows_that_contigs_values(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION, size=(1400, 900))
    genome, view = window.session.genome, window.view
    first, second = list(genome.sequences)
    for seqid, level in ((first, 0.9), (second, 0.2)):
        values = np.full(genome.sequences[seqid].length, level, dtype=np.float32)
        window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    qtbot.waitUntil(lambda: list(view.track_plots) == [f"toy @ {first}"], timeout=10000)
    row = view.track_plots[f"toy @ {first}"]
    window.session.set_sequence(second)
    assert list(view.track_plots) == [f"toy @ {second}"]
    assert view.track_plots[f"toy @ {second}"] is row and row.track.seqid == second
    view.flush()
    qtbot.waitUntil(lambda: row.columns.layers is not None and abs(float(np.nanmax(row.columns.layers["mean"])) - 0.2) < 0.01,
                    timeout=10000)   # the second contig's values, not the first's
    asked = []
    view.track_menu_requested.disconnect(window.track_panel.show_menu_for)   # its menu would wait for a choice
    view.track_menu_requested.connect(lambda key, pos: asked.append(key))

    class Click:   # the row's label names the track shown now
        def button(self):
            from PySide6.QtCore import Qt
            return Qt.MouseButton.RightButton

        def accept(self):
            pass

        def screenPos(self):
            from PySide6.QtCore import QPointF
            return QPointF(10, 10)

    view._labels[row].mouseClickEvent(Click())
    assert asked == [f"toy @ {second}"]
    window.session.set_sequence(first)
    assert view.track_plots[f"toy @ {first}"] is row
