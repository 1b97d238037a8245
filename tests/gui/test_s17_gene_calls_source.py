"""File ▸ Export ▸ Gene calls as GFF3… names the model in the GFF source column, as `genoview predict --gff-out`
does ('GenoView:prodigal', not 'GenoView'): the window's file of one sequence is the command's line for line, so
two models' calls loaded side by side in a genome browser stay told apart."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from genoview.cli import main as cli_main
from genoview.gui.start_page import EXAMPLE_GENOME


def _features(path):
    return [line for line in path.read_text().splitlines() if line and not line.startswith("#")]


def test_exported_gene_calls_are_what_predict_writes(qtbot, tmp_path, monkeypatch, open_example_window):
    window = open_example_window()
    with qtbot.waitSignal(window.runner.finished, timeout=60000,
                          check_params_cb=lambda job, result: job.context == "gene-calls"):
        window.predict_controller.predict("prodigal")
    seqid = window.session.seqid
    path = tmp_path / "window.gff3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    window.export_gene_calls_action.trigger()
    window.runner.cancel_all()
    window.runner.wait(20000)
    lines = _features(path)
    assert lines and {line.split("\t")[1] for line in lines} == {"GenoView:prodigal"}
    cli = tmp_path / "cli.gff3"
    assert cli_main(["predict", str(EXAMPLE_GENOME), "--model", "prodigal", "--gff-out", str(cli)]) == 0
    assert lines == [line for line in _features(cli) if line.split("\t")[0] == seqid]
