"""File ▸ Export ▸ Gene calls as GFF3: the genes a newcomer sees in the Gene calls row can be saved (only the track's
strand-less stretches above the threshold could be), and greyed-out export items say what they need."""
from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QFileDialog

from genoview.core.io import read_annotation
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_gene_calls_export_writes_the_calls_of_the_row(qtbot, tmp_path, monkeypatch, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    action = window.export_gene_calls_action
    assert action in window.export_menu.actions() and not action.isEnabled()
    assert "Gene calls row" in action.toolTip() and window.export_menu.toolTipsVisible()
    for other in window.export_actions.bedgraph_action, window.export_actions.genes_action:
        assert not other.isEnabled() and "Tools ▸ Predict" in other.toolTip()   # says what it needs
    seqid = window.session.seqid
    genome = window.session.genome
    values = genome.label_mask(seqid).astype(np.float32) * 0.9 + 0.05   # a track that follows the annotation
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {seqid}")
    result = window.view.gene_calls.result
    assert result is not None and result.calls and action.isEnabled()
    path = tmp_path / "calls.gff3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    action.trigger()
    features, _ = read_annotation(path)
    cds = sorted((f.start, f.end, f.strand) for f in features if f.type == "CDS")
    assert cds == sorted((c.start, c.end, c.strand) for c in result.calls if c.kind == "CDS")
    assert "gene calls of toy" in window.statusBar().currentMessage()
    window.session.remove_track(f"toy @ {seqid}")
    assert not action.isEnabled()
    window.runner.cancel_all()
    window.runner.wait(20000)
