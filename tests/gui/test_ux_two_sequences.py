"""A genome of two sequences predicted by one model: switching the shown sequence brings the evaluation and the gene
calls to that sequence's track (they stayed on the first chromosome), and the track list tells the two tracks apart."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_switching_sequence_follows_with_evaluation_gene_calls_and_names(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION, size=(1400, 900))
    genome = window.session.genome
    first, second = list(genome.sequences)
    for seqid in (first, second):
        values = genome.label_mask(seqid).astype(np.float32) * 0.9 + 0.05
        window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    panel = window.evaluation_panel
    panel.select_track(f"toy @ {first}")
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {first}")
    assert window.view.gene_calls.result.seqid == first
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.session.set_sequence(second)
    assert panel.track_combo.currentData() == f"toy @ {second}"            # the numbers are the shown sequence's
    qtbot.waitUntil(lambda: window.view.gene_calls.result is not None
                    and window.view.gene_calls.result.seqid == second, timeout=20000)   # and the calls too
    texts = [window.track_panel.list.item(r).text() for r in range(window.track_panel.list.count())]
    assert texts == [f"toy  ({first})", f"toy  ({second})"]
    assert window.track_panel.list.textElideMode() == Qt.TextElideMode.ElideMiddle
    item = window.track_panel.list.item(0)
    item.setText(f"renamed  ({first})")   # an in-place rename keeps the shown sequence out of the name
    assert window.session.tracks[f"toy @ {first}"].label == "renamed"
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_one_model_keeps_one_colour_on_every_sequence(qtbot, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    seqids = list(window.session.genome.sequences)
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        window.predict_controller.predict("prodigal", seqids)
    qtbot.waitUntil(lambda: len(window.session.tracks) == 2, timeout=60000)
    colors = {track.color for track in window.session.tracks.values()}
    assert len(colors) == 1   # chromosome and plasmid of one model: one colour (the second took the next one)
    window.runner.cancel_all()
    window.runner.wait(20000)
