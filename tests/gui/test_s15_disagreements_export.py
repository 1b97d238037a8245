"""The gene disagreements list can be saved (it had no way out: a user checking its genes copied them one by one):
the dock's Export… and File ▸ Export ▸ Gene disagreements write every gene as TSV or CSV a spreadsheet reads, with
the annotation's names; `genoview evaluate --genes --disagreements FILE` writes the same columns."""
from __future__ import annotations

import csv
import gzip

import numpy as np
from PySide6.QtWidgets import QFileDialog

from genoview.cli import main as cli_main
from genoview.core.gene_disagreements import disagreements, write_disagreements
from genoview.core.io import read_annotation
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_rows_are_the_stops_not_every_system_has(tmp_path):
    rows = disagreements({"model": [("s", 0, 30, 1), ("s", 40, 70, -1)],
                          "Prodigal": [("s", 3, 30, 1)],                          # same stop, another start
                          "Annotation": [("s", 0, 30, 1), ("s", 80, 95, 1)]})
    assert rows == [("s", 40, 70, -1, ("model",)), ("s", 80, 95, 1, ("Annotation",))]
    path = tmp_path / "d.csv.gz"
    assert write_disagreements(path, rows, ["model", "Prodigal", "Annotation"]) == 2
    with gzip.open(path, "rt", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert table[0]["start"] == "41" and table[0]["end"] == "70" and table[0]["strand"] == "-"
    assert (table[1]["model"], table[1]["Prodigal"], table[1]["Annotation"]) == ("no", "no", "yes")


def test_the_dock_and_the_menu_save_every_gene_with_its_names(qtbot, tmp_path, monkeypatch, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    panel, action = window.disagreements_panel, window.export_disagreements_action
    assert action in window.export_menu.actions() and not action.isEnabled() and not panel.export_button.isEnabled()
    seqid = window.session.seqid
    mask = window.session.genome.label_mask(seqid)
    values = mask.astype(np.float32) * 0.9 + 0.05
    values[: len(values) // 2] = 0.05   # misses the first half's genes: the annotation alone has them
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, values, model_name=""))
    with qtbot.waitSignal(window.runner.finished, timeout=60000):
        window.call_genes(f"toy @ {seqid}")
    result = window.view.gene_calls.result
    assert result.disagreements and panel.export_button.isEnabled() and action.isEnabled()
    qtbot.waitUntil(lambda: panel.table.item(panel.table.rowCount() - 1, 5) is not None, timeout=10000)
    row = next(i for i, g in enumerate(panel.rows) if "Annotation" in g.systems)
    assert panel.table.horizontalHeaderItem(5).text() == "Annotated as"
    assert panel.table.item(row, 5).text().split()[-1] == panel.rows[row].annotation[0].strip() != ""   # locus tag
    path = tmp_path / "genes.tsv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "Tab-separated (*.tsv *.txt)"))
    import genoview.core.gene_disagreements as gene_disagreements

    def read_again(*_args):   # the worker found them for the dock: not read again on the GUI thread (70 ms/1,000)
        raise AssertionError("annotated_names on the GUI thread")
    monkeypatch.setattr(gene_disagreements, "annotated_names", read_again)
    panel.export_button.click()
    with open(path, newline="") as handle:
        table = list(csv.DictReader(handle, delimiter="\t"))
    assert len(table) == len(result.disagreements)
    assert list(table[0])[5:8] == ["toy", "Prodigal", "Annotation"]   # the model's column carries its name
    annotated_only = [row for row in table if row["toy"] == "no" and row["Annotation"] == "yes"]
    assert annotated_only and all(row["annotation_locus_tag"] for row in annotated_only)
    features, _ = read_annotation(EXAMPLE_ANNOTATION)
    first = annotated_only[0]
    cds = [f for f in features if f.type == "CDS" and f.start == int(first["start"]) - 1 and f.end == int(first["end"])]
    assert cds and first["annotation_locus_tag"] == cds[0].attributes.get("locus_tag")
    # a CSV chosen by the filter, without a suffix typed; never over the open annotation
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "genes"), "Comma-separated (*.csv)"))
    action.trigger()
    assert (tmp_path / "genes.csv").read_text().startswith("seqid,start,end,strand,")
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(EXAMPLE_ANNOTATION), ""))
    before = EXAMPLE_ANNOTATION.read_bytes()
    action.trigger()
    assert errors and "destroy the input" in errors[0] and EXAMPLE_ANNOTATION.read_bytes() == before
    window.session.remove_track(f"toy @ {seqid}")
    assert not action.isEnabled() and not panel.export_button.isEnabled()
    window.runner.cancel_all()
    window.runner.wait(20000)


def test_evaluate_writes_the_disagreements_and_refuses_an_input(tmp_path, capsys):
    out = tmp_path / "dis.csv"
    args = ["evaluate", str(EXAMPLE_GENOME), "--gff", str(EXAMPLE_ANNOTATION)]   # the default model, GeneORF
    assert cli_main(args + ["--disagreements", str(out)]) == 0
    captured = capsys.readouterr()
    assert "stop sens" in captured.out and f"to {out}" in captured.err   # --genes implied
    with open(out, newline="") as handle:
        table = list(csv.DictReader(handle))
    assert table and list(table[0])[5:8] == ["geneorf-bacteria", "Prodigal", "Annotation"]
    named = [row for row in table if row["Annotation"] == "yes"]
    assert named and all(row["annotation_locus_tag"].startswith("EX_") for row in named)
    before = EXAMPLE_ANNOTATION.read_bytes()
    assert cli_main(args + ["--disagreements", str(EXAMPLE_ANNOTATION)]) == 2
    assert "destroy the input" in capsys.readouterr().err and EXAMPLE_ANNOTATION.read_bytes() == before
