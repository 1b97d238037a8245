"""Export dialogs open where the user's data is, with names that say what they hold, and a name typed without a
suffix gets the chosen type's: "metrics.csv" and "roc.png" opened in the folder GenoView was started from (the same
names for every genome and model), and "results" with JSON chosen was written as CSV into a file without a suffix."""
from __future__ import annotations

import json
import os
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QWidget

from genoview.core.genome import open_genome
from genoview.gui import export
from genoview.gui.panels.evaluation import EvaluationPanel
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.workers import wait_for_background


@pytest.fixture
def dialog(monkeypatch):
    export._export_folder.clear()
    asked = []

    def answer(reply):
        def fake(parent, title, default, filters, *rest, **kwargs):
            asked.append(default)
            return reply(default)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    yield answer, asked
    export._export_folder.clear()


def test_the_dialog_opens_in_the_last_export_folder_never_the_genomes(qtbot, tmp_path, dialog):
    answer, asked = dialog
    window = QWidget()
    qtbot.addWidget(window)
    (tmp_path / "exports").mkdir()
    # the genome's folder (shared data, perhaps not the user's to write) is not where exports go (session 17)
    window.settings = SimpleNamespace(last_directory=str(tmp_path / "genomes"),
                                      last_export_directory=str(tmp_path / "exports"))
    answer(lambda default: (default, "CSV (*.csv)"))
    path = export.ask_save_path(window, "Export metrics", "toy @ chrA.metrics.csv", "CSV (*.csv);;JSON (*.json)")
    assert asked[-1] == os.path.join(tmp_path, "exports", "toy.chrA.metrics.csv") and path == asked[-1]
    elsewhere = tmp_path / "figures"
    elsewhere.mkdir()
    answer(lambda default: (str(elsewhere / "results"), "JSON (*.json)"))   # typed without a suffix, JSON chosen
    assert export.ask_save_path(window, "Export metrics", "m.csv", "CSV (*.csv);;JSON (*.json)") == \
        str(elsewhere / "results.json")
    answer(lambda default: ("", ""))
    assert export.ask_save_path(window, "Export plot", "roc.png", "PNG image (*.png);;SVG image (*.svg)") is None
    assert asked[-1] == str(elsewhere / "roc.png")   # the next export opens where the last one went
    assert window.settings.last_export_directory == str(elsewhere)   # and the next run's too


def test_metrics_typed_without_a_suffix_are_json_when_json_is_chosen(qtbot, tmp_path, dialog, eval_panel):
    answer, asked = dialog
    answer(lambda default: (str(tmp_path / "results"), "JSON (*.json)"))
    eval_panel.export_metrics_dialog()
    assert json.loads((tmp_path / "results.json").read_text())["track"] == "toy @ chrA"
    assert os.path.basename(asked[-1]) == "toy.chrA.metrics.csv"   # the track and sequence, not "metrics.csv"
    answer(lambda default: (str(tmp_path / "curve"), "SVG image (*.svg)"))
    eval_panel.export_plot_dialog(eval_panel.roc, "roc")
    assert (tmp_path / "curve.svg").read_text().lstrip().startswith("<?xml") and asked[-1].endswith("toy.chrA.roc.png")



@pytest.fixture
def eval_panel(qtbot, qapp, data_dir):
    """An evaluation panel evaluated on a toy track of the small test genome."""
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    values = genome.label_mask("chrA").astype(np.float32) * 0.8 + 0.1
    session.add_track(ProbabilityTrack("toy @ chrA", "toy", "chrA", values, model_name=""))
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    panel.resize(1400, 420)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.show()
    yield panel
    wait_for_background()
    genome.close()


def test_the_curves_table_from_the_panel_and_the_command_line(qtbot, tmp_path, dialog, eval_panel, capsys):
    import csv

    from genoview.cli import main as cli_main
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

    answer, asked = dialog
    answer(lambda default: (str(tmp_path / "curves"), "Comma-separated (*.csv)"))
    assert "ROC and precision-recall curves as a table…" in [a.text() for a in eval_panel._export_menu().actions()]
    eval_panel.export_curves_dialog()
    with open(tmp_path / "curves.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1001 and rows[0]["threshold"] == "1.000" and rows[-1]["tpr_recall"] == "1.000000"
    at_half = next(row for row in rows if row["threshold"] == "0.500")
    metrics = eval_panel.current_metrics()
    assert int(at_half["tp"]) == metrics["tp"] and abs(float(at_half["mcc"]) - metrics["mcc"]) < 1e-6
    out = tmp_path / "cli.tsv"
    assert cli_main(["evaluate", str(EXAMPLE_GENOME), "--gff", str(EXAMPLE_ANNOTATION), "--model", "prodigal",
                     "--curves", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    with open(out, newline="") as handle:
        half = next(row for row in csv.DictReader(handle, delimiter="\t") if row["threshold"] == "0.500")
    assert int(half["tp"]) == summary["tp"] and int(half["fn"]) == summary["fn"]
    assert cli_main(["evaluate", str(EXAMPLE_GENOME), "--gff", str(EXAMPLE_ANNOTATION), "--curves",
                     str(EXAMPLE_GENOME)]) == 2   # never over an input


def test_the_metrics_export_carries_the_genes_tab(qtbot, tmp_path, dialog, eval_panel):
    answer, asked = dialog
    answer(lambda default: (str(tmp_path / "m.json"), "JSON (*.json)"))
    eval_panel.export_metrics_dialog()
    assert not [key for key in json.loads((tmp_path / "m.json").read_text()) if key.startswith("genes: ")]
    with qtbot.waitSignal(eval_panel.genes_scored, timeout=60000) as blocker:
        eval_panel.gene_scores.button.click()
    eval_panel.export_metrics_dialog()
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["genes: Annotated CDS"] == blocker.args[0]["Annotated CDS"] and "mcc" in data
    eval_panel._reset_gene_scores(eval_panel.result)   # what a new evaluation does: its rows leave the export too
    eval_panel.export_metrics_dialog()
    assert not [key for key in json.loads((tmp_path / "m.json").read_text()) if key.startswith("genes: ")]


def test_file_export_lists_the_evaluation_exports(qtbot, open_example_window):
    window = open_example_window()
    menu = window.export_evaluation_menu
    assert menu.menuAction() in window.export_menu.actions() and menu.title() == "Evaluation"
    assert window.export_menu.actions()[-1] is menu.menuAction()   # after the track and gene exports (it came first)
    assert [a.text() for a in menu.actions() if a.text()][:2] == ["Metrics as CSV or JSON…",
                                                                  "ROC and precision-recall curves as a table…"]
    window.export_menu.aboutToShow.emit()
    assert not menu.menuAction().isEnabled()   # nothing evaluated yet


def test_the_heat_map_export_is_named_after_its_region(qtbot, tmp_path, dialog):
    from genoview.gui.panels.mutation import MutationPanel
    from genoview.gui.workers import JobRunner

    answer, asked = dialog
    runner = JobRunner()
    panel = MutationPanel(Session(), runner, default_lm="", default_gene_model="")
    qtbot.addWidget(panel)
    panel.saturation = SimpleNamespace(region=("NC_000907.1", 9, 1030, 1))
    answer(lambda default: ("", ""))
    panel.export_saturation()
    assert os.path.basename(asked[-1]) == "saturation.NC_000907.1_10-1030.csv"   # was saturation.csv for every map
    runner.cancel_all()
    runner.wait(5000)


def test_a_suffix_added_to_a_typed_name_never_replaces_an_existing_file_unasked(qtbot, tmp_path, dialog, monkeypatch):
    """The file dialog asks "replace?" of the name as typed ("results"); the ".json" added after it made
    "results.json", an existing file, which was replaced without a word."""
    from PySide6.QtWidgets import QMessageBox

    answer, _asked = dialog
    window = QWidget()
    qtbot.addWidget(window)
    (tmp_path / "results.json").write_text("the user's own file\n")
    questions = []

    def reply(button):
        def ask(parent, title, text, *rest, **kwargs):
            questions.append(text)
            return button
        monkeypatch.setattr(QMessageBox, "question", ask)

    answer(lambda default: (str(tmp_path / "results"), "JSON (*.json)"))
    reply(QMessageBox.StandardButton.No)
    assert export.ask_save_path(window, "Export metrics", "m.csv", "CSV (*.csv);;JSON (*.json)") is None
    assert "results.json already exists" in questions[-1]
    reply(QMessageBox.StandardButton.Yes)
    assert export.ask_save_path(window, "Export metrics", "m.csv", "CSV (*.csv);;JSON (*.json)") == \
        str(tmp_path / "results.json")
    questions.clear()
    answer(lambda default: (str(tmp_path / "fresh"), "JSON (*.json)"))   # nothing there: not asked
    assert export.ask_save_path(window, "Export metrics", "m.csv", "CSV (*.csv);;JSON (*.json)") == \
        str(tmp_path / "fresh.json") and not questions


def test_a_folder_genoview_may_not_write_in_is_named_with_the_way_out(qtbot, tmp_path, monkeypatch, eval_panel):
    # the message named the hidden temporary file: "[Errno 13] Permission denied: '/x/.a.9.genoview-part.csv'"
    import errno

    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a, **k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.text()))
    target = str(tmp_path / "toy.bedGraph")   # root writes anywhere: the refusal is the writer's

    def refused(tmp):
        raise PermissionError(errno.EACCES, "Permission denied", tmp)

    from PySide6.QtWidgets import QMenu

    menu, view = QMenu(), QWidget()
    qtbot.addWidget(menu)
    qtbot.addWidget(view)
    actions = export.ExportActions(menu, Session(), view)
    actions._run(refused, target)
    assert shown and shown[-1].startswith(f"{target} could not be written: Permission denied")
    assert "choose another folder" in shown[-1] and "genoview-part" not in shown[-1]
    eval_panel._report_export(lambda: refused(str(tmp_path / ".x.1.genoview-part.csv")), str(tmp_path / "m.csv"))
    assert "m.csv could not be written" in shown[-1] and "genoview-part" not in shown[-1]
