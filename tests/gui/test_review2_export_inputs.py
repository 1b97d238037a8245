"""GUI exports never replace a file the session has open (the genome's FASTA or its annotation), as the CLI refuses
(core.prediction.check_outputs): after Qt's own "replace?" question the FASTA was gone. The message names both."""
from __future__ import annotations

import shutil

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMessageBox

from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_exports_onto_the_open_genome_or_annotation_are_refused(qtbot, tmp_path, monkeypatch, open_example_window):
    fasta = tmp_path / EXAMPLE_GENOME.name           # copies: a failing test must not destroy the shipped example
    annotation = tmp_path / EXAMPLE_ANNOTATION.name
    shutil.copy(EXAMPLE_GENOME, fasta)
    shutil.copy(EXAMPLE_ANNOTATION, annotation)
    window = open_example_window(fasta, annotation)
    seqid = window.session.seqid
    values = window.session.genome.label_mask(seqid).astype(np.float32) * 0.9 + 0.05
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {seqid}")
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: warnings.append(text))
    monkeypatch.setattr(window, "report_error", lambda title, text: warnings.append(text))
    before = {p: p.read_bytes() for p in (fasta, annotation)}
    actions = [window.export_actions.bedgraph_action, window.export_actions.view_action,
               window.export_gene_calls_action]
    for target in (fasta, annotation):
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, _t=target, **k: (str(_t), ""))
        for action in actions:
            warnings.clear()
            window.statusBar().clearMessage()
            action.trigger()
            said = " ".join(warnings)
            assert "input file" in said and target.name in said, (action.text(), said)
    from genoview.gui.panels.mutation import MutationPanel

    class Saturation:
        def write_csv(self, path):
            raise AssertionError(f"the heat map was written over {path}")

    mutation = window.findChild(MutationPanel)
    mutation.saturation = Saturation()
    for target in (fasta, annotation):
        warnings.clear()
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, _t=target, **k: (str(_t), ""))
        mutation.export_saturation()
        window.evaluation_panel._report_export(lambda: target.write_text("metrics"), str(target))
        assert len(warnings) == 1 and "input file" in warnings[0]          # the heat map's dialog
        assert "input file" in window.evaluation_panel.status.text()
    assert {p: p.read_bytes() for p in before} == before
    window.runner.cancel_all()
    window.runner.wait(20000)
