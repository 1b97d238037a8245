"""File ▸ Export of gene calls on a draft in many contigs: one GFF3 (or protein FASTA) for every sequence the model
predicted, the same genes `genoview predict --gff-out` writes; the shown sequence alone on request. The window had
only the shown contig's calls (87 exports for the Paracoccus draft) and no protein export."""
from __future__ import annotations

from PySide6.QtWidgets import QFileDialog

from genoview.cli import main as cli_main
from genoview.core.io import read_annotation
from genoview.gui.panels import disagreements
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _genes(path):
    features, _ = read_annotation(path)
    return sorted((f.seqid, f.start, f.end, f.strand) for f in features if f.type == "CDS")


def test_export_every_contig_as_the_command_line_does_and_proteins(qtbot, tmp_path, monkeypatch, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    seqids = list(window.session.genome.sequences)
    with qtbot.waitSignal(window.predict_controller.finished, timeout=120000):
        window.predict_controller.predict("geneorf-bacteria", seqids)
    qtbot.waitUntil(lambda: window.view.gene_calls.result is not None, timeout=60000)
    assert window.export_proteins_action.isEnabled()
    asked = []
    monkeypatch.setattr(disagreements, "ask_export_scope", lambda w, m, s, n: asked.append(n) or "all")
    path = tmp_path / "all.gff3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.export_gene_calls_action.trigger()
    assert asked == [2]
    cli = tmp_path / "cli.gff3"
    assert cli_main(["predict", "--fasta", str(EXAMPLE_GENOME), "--gff-out", str(cli), "--no-cache"]) == 0
    assert _genes(path) == _genes(cli) and {g[0] for g in _genes(path)} == set(seqids)
    assert "on 2 sequences" in window.statusBar().currentMessage()
    monkeypatch.setattr(disagreements, "ask_export_scope", lambda w, m, s, n: "one")
    faa = tmp_path / "shown.faa"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(faa), ""))
    window.export_proteins_action.trigger()
    text = faa.read_text()
    shown = window.view.gene_calls.result.seqid
    assert text.startswith(f">{shown}_1 # ") and text.count(">") == sum(
        1 for c in window.view.gene_calls.result.calls if c.kind == "CDS")
    window.runner.cancel_all()
    window.runner.wait(20000)
