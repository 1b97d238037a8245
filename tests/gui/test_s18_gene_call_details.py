"""Clicking a gene in the Gene calls row opens its details (the row's tooltip and README: 'click a gene for its
details'). H-walk18 under Xvfb on E. coli: the click raised AttributeError: 'CallFeature' object has no attribute
'parts' in feature_fields, and no dialog came (the annotation's Features have parts and line; a call has neither)."""
from __future__ import annotations

import numpy as np

from genoview.gui.dialogs.feature_details import FeatureDetailsDialog
from genoview.gui.genome_view.gene_calls_track import AGREED, DISAGREES
from genoview.gui.session import ProbabilityTrack


def test_a_gene_call_clicked_shows_its_details(qtbot, open_example_window):
    window = open_example_window()
    seqid = window.session.seqid
    key = f"toy @ {seqid}"
    values = window.session.genome.label_mask(seqid).astype(np.float32) * 0.8 + 0.1
    window.session.add_track(ProbabilityTrack(key, "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(key)
    qtbot.waitUntil(lambda: bool(window.view.gene_calls.item.features), timeout=10000)
    call = next(f for f in window.view.gene_calls.item.features if f.type in (AGREED, DISAGREES))
    window.view.gene_calls.item.feature_clicked.emit(call)   # what a click on the call does
    dialogs = [w for w in window.findChildren(FeatureDetailsDialog) if w.isVisible()]
    assert len(dialogs) == 1
    from PySide6.QtWidgets import QLabel

    shown = [label.text() for label in dialogs[0].findChildren(QLabel)]
    assert f"{seqid}:{call.start + 1:,}-{call.end:,}" in shown
    # who has the gene: the colour's reason (orange: missing from Prodigal or the annotation), said in words
    found = shown[shown.index("Found by:") + 1] if "Found by:" in shown else ""
    assert "the track's gene calls" in found
    assert ("Prodigal" in found) == ("Prodigal" in call.systems)
    assert window.session.selection == (seqid, call.start, call.end)
    dialogs[0].close()
