"""Nothing the user had is lost: the GUI's writers that replaced a file in place (heat-map figure, evaluation plot,
gene-calls export, session) now write beside it and rename, so one that fails halfway leaves the earlier file
byte-identical and no temporary file; and a session is never saved over the genome it names."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

EARLIER = b"the user's earlier file\n"


def _half_then_fail(path, *args, **kwargs):
    with open(path, "w") as handle:
        handle.write("half of the new file")
    raise OSError("disk full")


def _only(folder, name):
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_session_save_over_the_genome_is_refused_naming_the_file(tmp_path):
    from genoview.core.errors import GenoViewInputError
    from genoview.gui.session_file import SessionState, write_session

    genome = tmp_path / "genome.json"   # a genome file with a session-like name
    genome.write_bytes(b">chr\nACGT\n")
    with pytest.raises(GenoViewInputError, match="genome.json"):
        write_session(genome, SessionState(str(genome)))
    assert genome.read_bytes() == b">chr\nACGT\n"


def test_a_session_save_that_fails_halfway_keeps_the_earlier_session(tmp_path, monkeypatch):
    import pathlib

    from genoview.gui.session_file import SessionState, write_session

    genome = tmp_path / "genome.fa"
    genome.write_bytes(b">chr\nACGT\n")
    session = tmp_path / "s.genoview.json"
    session.write_bytes(EARLIER)
    monkeypatch.setattr(pathlib.Path, "write_text", lambda self, *a, **k: _half_then_fail(self))
    with pytest.raises(OSError):
        write_session(session, SessionState(str(genome)))
    assert session.read_bytes() == EARLIER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["genome.fa", "s.genoview.json"]


@pytest.mark.parametrize("name", ["roc.png", "roc.svg"])
def test_an_evaluation_plot_that_fails_halfway_keeps_the_earlier_image(tmp_path, monkeypatch, name):
    from genoview.gui.panels import evaluation

    path = tmp_path / name
    path.write_bytes(EARLIER)
    monkeypatch.setattr(evaluation, "save_plot", lambda widget, out: _half_then_fail(out))
    with pytest.raises(OSError):
        evaluation.write_plot(None, str(path))
    assert path.read_bytes() == EARLIER
    _only(tmp_path, name)


def test_a_heat_map_figure_that_fails_halfway_keeps_the_earlier_image(qtbot, tmp_path, monkeypatch):
    from genoview.gui import export
    from genoview.gui.panels import mutation
    from genoview.gui.session import Session
    from genoview.gui.workers import JobRunner

    runner = JobRunner()
    panel = mutation.MutationPanel(Session(), runner, default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    warnings = []
    monkeypatch.setattr(mutation.QMessageBox, "warning", lambda *a: warnings.append(a[-1]))
    monkeypatch.setattr(export, "save_widget_image", lambda widget, out: _half_then_fail(out))
    path = tmp_path / "heat.svg"
    path.write_bytes(EARLIER)
    panel.save_saturation(str(path))
    assert path.read_bytes() == EARLIER and warnings and "disk full" in warnings[0]
    _only(tmp_path, "heat.svg")
    runner.cancel_all()
    runner.wait()


def test_a_gene_calls_export_that_fails_halfway_keeps_the_earlier_file(qtbot, tmp_path, monkeypatch,
                                                                          open_example_window):
    import genoview.core.genecalls as genecalls
    from genoview.gui.session import ProbabilityTrack

    window = open_example_window()
    seqid = window.session.seqid
    values = window.session.genome.label_mask(seqid).astype(np.float32) * 0.9 + 0.05
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {seqid}")
    assert window.export_gene_calls_action.isEnabled()
    path = tmp_path / "calls.gff3"
    path.write_bytes(EARLIER)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(genecalls, "write_gene_calls", lambda gff, *a, **k: _half_then_fail(gff))
    window.export_gene_calls_action.trigger()
    assert path.read_bytes() == EARLIER
    assert "disk full" in window.statusBar().currentMessage()
    _only(tmp_path, "calls.gff3")
    window.session.remove_track(f"toy @ {seqid}")
    window.runner.cancel_all()
    window.runner.wait(20000)
