"""A Prodigal track's gene disagreements leave out the Prodigal column, which held the track's own genes.

H-walk18 under Xvfb, example genome: Tools ▸ Predict… with prodigal listed 'prodigal' and 'Prodigal' side by side
with the same ✓ / – on every row, under 'prodigal: 97 protein genes called; 2 genes where prodigal's calls, Prodigal
and Annotation disagree' (gene_calls_job takes a Prodigal track's own calls as Prodigal's genes)."""
from __future__ import annotations

import numpy as np

from genoview.gui.genome_view.gene_calls_track import SYSTEMS
from genoview.gui.session import ProbabilityTrack

PRODIGAL_COLUMN = 2 + SYSTEMS.index("Prodigal")


def _call(qtbot, window, model_name):
    seqid = window.session.seqid
    key = f"{model_name or 'toy'} @ {seqid}"
    values = np.full(window.session.sequence_length(), 0.9, dtype=np.float32)
    window.session.add_track(ProbabilityTrack(key, model_name or "toy", seqid, values, model_name=model_name))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(key)
    qtbot.waitUntil(lambda: window.disagreements_panel.summary.text().startswith(model_name or "toy"), timeout=10000)
    return window.disagreements_panel


def test_a_prodigal_track_is_not_compared_with_itself(qtbot, open_example_window):
    window = open_example_window()
    panel = _call(qtbot, window, "prodigal")
    assert panel.table.isColumnHidden(PRODIGAL_COLUMN)
    summary = panel.summary.text()
    assert "calls and the annotation disagree" in summary and "Prodigal and" not in summary
    assert "same genes" in summary
    for row, gene in enumerate(panel.rows):   # what is left: the annotation has the gene or it does not
        assert ("Annotation" in gene.systems) != ("GenoView" in gene.systems), row
    panel = _call(qtbot, window, "")   # another model's track: Prodigal's column again
    assert not panel.table.isColumnHidden(PRODIGAL_COLUMN)
    assert "calls, Prodigal and Annotation disagree" in panel.summary.text()
