"""The evaluation dock: its numbers are core evaluate()'s over a scope in the user's words (the model's held-out
part by default), the threshold slider drives every view, FP/FN jump, not-predicted bases are left out and
said so, plots export at figure size, and the panel follows File > Open genome, then Open annotation, then Predict."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QDoubleSpinBox, QFileDialog

from genoview.core.evaluation import error_intervals, evaluate
from genoview.core.genome import open_genome
from genoview.gui.panels.evaluation import METRIC_ROWS, EvaluationPanel
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.workers import wait_for_background

TRAIN, VALID, TEST = (0, 11000), (11000, 14000), (14000, 20000)   # chrA is 20,000 bases


@pytest.fixture
def model_dir(tmp_path):
    """A model folder whose genoview.json records training on chrA's first 55%, validation, then the last 30%."""
    directory = tmp_path / "toy-model"
    directory.mkdir()
    region = lambda bounds: [{"seqid": "chrA", "start": bounds[0], "end": bounds[1]}]
    (directory / "genoview.json").write_text(json.dumps({
        "name": "toy-model", "architecture": "genecnn", "task": "gene-probability",
        "data": {"fasta": "guib_small.fa", "train": region(TRAIN), "valid": region(VALID), "test": region(TEST)},
    }))
    return directory


def synthetic_values(labels: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(3)
    return np.round(np.clip(labels * 0.45 + rng.random(labels.size) * 0.6, 0, 1), 3).astype(np.float32)


@pytest.fixture
def session(qapp, data_dir, model_dir):
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    values = synthetic_values(genome.label_mask("chrA", types=("gene", "pseudogene")))
    session.add_track(ProbabilityTrack("synthetic @ chrA", "synthetic", "chrA", values, model_name=str(model_dir)))
    yield session
    wait_for_background()
    genome.close()


@pytest.fixture
def panel(qtbot, session):
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    panel.resize(1400, 420)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.show()
    return panel


def _values(session, key="synthetic @ chrA"):
    values = session.tracks[key].values
    return np.asarray(values(0, 20000) if callable(values) else values)


def _expected(session, start, end, types=("gene", "pseudogene"), threshold=None):
    labels = session.genome.label_mask("chrA", types=types)[start:end]
    probs = _values(session)[start:end]
    return labels, probs, evaluate(labels, probs, session.threshold if threshold is None else threshold)


def _assert_same(panel, report):
    metrics = panel.current_metrics()
    for key in ("accuracy", "precision", "recall", "f1", "mcc", "roc_auc", "pr_auc", "genic_fraction"):
        assert metrics[key] == pytest.approx(getattr(report, key), abs=1e-12), key
    for key in ("n", "tp", "tn", "fp", "fn"):
        assert metrics[key] == getattr(report, key), key


def test_defaults_to_the_models_held_out_part_and_says_why(panel, session):
    assert panel.checked_types() == ("gene", "pseudogene")
    assert panel.scope_combo.currentText() == "Held-out part (last 30%)"   # the model: the Track box's
    assert (panel.result.scope.start, panel.result.scope.end) == TEST
    assert "held-out part" in panel.scope_note.text() and "first 55%" in panel.scope_note.text()
    assert panel.warning_label.isHidden()
    _assert_same(panel, _expected(session, *TEST)[2])
    # the split is not a free number any more: the only spin box is the threshold's
    assert panel.findChildren(QDoubleSpinBox) == [panel.threshold_spin]


def test_a_model_without_a_record_is_scored_on_the_whole_sequence(qtbot, panel, session):
    session.add_track(ProbabilityTrack("other @ chrA", "other", "chrA", _values(session).copy(), model_name="prodigal"))
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.select_track("other @ chrA")
    assert panel.scope_combo.currentData() == "whole" and panel.scope_kinds()[0] == "whole"
    assert "whole sequence" in panel.scope_note.text()
    assert (panel.result.scope.start, panel.result.scope.end) == (0, 20000)
    assert panel.warning_label.isHidden()


@pytest.mark.parametrize("kind, bounds, warned", [
    ("held-out", TEST, False), ("whole", (0, 20000), True), ("visible", (2500, 9000), True),
    ("selection", (14500, 19000), False),
])
def test_numbers_equal_core_evaluate_and_training_bases_warn(qtbot, panel, session, kind, bounds, warned):
    session.set_region(2500, 9000)
    panel.set_selection("chrA", 14500, 19000)
    panel.set_scope(kind)
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.scope.kind == kind, timeout=10000)
    assert (panel.result.scope.start, panel.result.scope.end) == bounds
    _assert_same(panel, _expected(session, *bounds)[2])
    row = [label for _, label in METRIC_ROWS].index("MCC")
    assert panel.metrics_table.item(row, 0).text() == f"{panel.current_metrics()['mcc']:.4f}"
    assert panel.warning_label.isVisible() == warned
    if warned:
        assert "toy-model was trained on" in panel.warning_label.text()
        assert "flatter" in panel.metrics_for_export()["warning"]


def test_selection_is_offered_only_when_there_is_one(qtbot, panel):
    model = panel.scope_combo.model()
    row = panel.scope_kinds().index("selection")
    assert not model.item(row).isEnabled()
    panel.set_selection("chrA", 100, 900)
    assert model.item(panel.scope_kinds().index("selection")).isEnabled()


def test_a_feature_selected_in_the_session_becomes_the_selection_scope(qtbot, panel, session):
    model = panel.scope_combo.model()
    session.set_selection("chrA", 14500, 19000)   # what clicking a feature in the genome view does
    assert model.item(panel.scope_kinds().index("selection")).isEnabled()
    panel.set_scope("selection")
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.scope.kind == "selection", timeout=10000)
    assert (panel.result.scope.start, panel.result.scope.end) == (14500, 19000)
    session.set_selection(None)
    assert not model.item(panel.scope_kinds().index("selection")).isEnabled()


def test_feature_types_change_the_labels(qtbot, panel, session):
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.set_types(["gene"])
    _assert_same(panel, _expected(session, *TEST, types=("gene",))[2])


def test_threshold_slider_drives_table_matrix_and_markers(qtbot, panel, session):
    labels, probs, _ = _expected(session, *TEST)
    panel.threshold_slider.setValue(300)
    assert session.threshold == pytest.approx(0.3)
    assert panel.threshold_spin.value() == pytest.approx(0.3)
    report = evaluate(labels, probs, 0.3)
    _assert_same(panel, report)
    assert panel.confusion.count_text("fp").splitlines()[1] == f"{report.fp:,}"
    assert panel.confusion.count_text("tp").splitlines()[1] == f"{report.tp:,}"
    fpr = report.fp / (report.fp + report.tn)
    assert panel.roc.marker_position() == pytest.approx((fpr, report.recall))
    assert panel.pr.marker_position() == pytest.approx((report.recall, report.precision))
    assert panel.histogram.threshold_line.value() == pytest.approx(0.3)
    with qtbot.waitSignal(panel.errors_listed, timeout=5000):
        panel.show_errors("fp")
    assert panel.errors_list.count() > 0
    session.set_threshold(0.8)  # the other way round: tracks or another view move the slider
    assert panel.errors_list.count() == 0 and "again" in panel.errors_label.text()  # stale list cleared
    assert panel.threshold_slider.value() == 800
    _assert_same(panel, evaluate(labels, probs, 0.8))


@pytest.mark.parametrize("kind", ["fp", "fn"])
def test_clicking_fp_or_fn_lists_stretches_and_jumps(qtbot, panel, session, kind):
    labels, probs, _ = _expected(session, *TEST)
    expected = error_intervals(labels, probs, session.threshold, kind, offset=TEST[0])
    assert expected
    from genoview.gui.panels.evaluation_plots import CELLS

    row, column = CELLS[kind]
    rect = panel.confusion.visualItemRect(panel.confusion.item(row, column))
    with qtbot.waitSignal(panel.errors_listed, timeout=5000):
        qtbot.mouseClick(panel.confusion.viewport(), Qt.LeftButton, pos=rect.center())
    assert panel.errors_list.count() == len(expected)
    listed = {panel.errors_list.item(i).data(Qt.UserRole) for i in range(panel.errors_list.count())}
    assert listed == {("chrA", a, b) for a, b in expected}
    first = panel.errors_list.item(0)
    seqid, start, end = first.data(Qt.UserRole)
    assert end - start == max(b - a for a, b in expected)  # longest first
    assert first.text().startswith(f"{start + 1:,}-{end:,}")
    rect = panel.errors_list.visualItemRect(first)
    qtbot.mouseClick(panel.errors_list.viewport(), Qt.LeftButton, pos=rect.center())
    view_start, view_end = session.region
    assert view_start <= start and view_end >= end and view_end - view_start < 20000


def test_export_metrics_and_figure_size_plots(qtbot, panel, tmp_path, monkeypatch):
    names = ["m.csv", "m.json", "roc.png", "roc.svg", "pr.svg", "histogram.png", "histogram.svg", "confusion.png",
             "confusion.svg"]
    targets = iter(tmp_path / name for name in names)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), ""))
    panel.export_metrics_dialog()
    panel.export_metrics_dialog()
    for widget, count in ((panel.roc, 2), (panel.pr, 1), (panel.histogram, 2), (panel.confusion, 2)):
        for _ in range(count):
            panel.export_plot_dialog(widget, "plot")
    metrics = panel.current_metrics()
    with open(tmp_path / "m.csv", newline="") as handle:
        rows = dict(csv.reader(handle))
    assert float(rows["mcc"]) == pytest.approx(metrics["mcc"]) and int(rows["tp"]) == metrics["tp"]
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["roc_auc"] == pytest.approx(metrics["roc_auc"]) and data["region"] == "chrA:14001-20000"
    assert data["scope_kind"] == "held-out" and "held-out part of toy-model" in data["scope"]
    for name in names[2:]:
        path = tmp_path / name
        if name.endswith(".png"):
            image = QImage(str(path))
            assert image.width() >= 1200 and image.height() >= 900, name   # publication size
        else:
            renderer = QSvgRenderer(str(path))
            assert renderer.isValid(), name
            assert (renderer.viewBox().width(), renderer.viewBox().height()) == (900, 675)
    # the PR marker is a vector path inside the plot, not a smeared pixmap
    assert "<image" not in (tmp_path / "pr.svg").read_text()


def test_the_histogram_legend_is_outside_the_data(panel):
    """The legend sits in the title row, so the threshold line can never cross it."""
    item = panel.histogram.plot.getPlotItem()
    assert item.legend is None
    assert "annotated genic" in item.titleLabel.text and "threshold" in item.titleLabel.text


def test_gene_level_scores_in_the_genes_tab(qtbot, panel):
    """The slot for gene-level scores: genes called from the track over the scope, matched to annotated CDS."""
    assert panel.gene_scores.button.isEnabled()
    with qtbot.waitSignal(panel.genes_scored, timeout=60000) as blocker:
        panel.gene_scores.button.click()
    scores = blocker.args[0]
    assert isinstance(scores, dict), scores
    assert scores["Annotated CDS"] == 1            # cds6 (15,501-18,900) is the one CDS in the held-out part
    assert panel.gene_scores.value("Annotated CDS") == "1"
    assert 0 <= scores["Sensitivity (stop)"] <= 1


def test_no_track_says_so(qtbot, session):
    session.remove_track("synthetic @ chrA")
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    panel.show()
    panel.evaluate_now()
    assert panel.result is None and "Predict" in panel.status.text()
    assert panel.current_metrics() is None


def test_not_predicted_is_said_and_never_scored_as_zero(qtbot, panel, session):
    """Nothing predicted in the scope: 'Not predicted', not 'No predictions ... yet'. Part of it: those bases only."""
    values = _values(session)
    partial = np.full_like(values, np.nan)
    partial[14000:17000] = values[14000:17000]   # half of the held-out part, as after predicting a visible region
    session.add_track(ProbabilityTrack("part @ chrA", "part", "chrA", partial, model_name=session.tracks[
        "synthetic @ chrA"].model_name))
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.select_track("part @ chrA")
    assert panel.status.text().startswith("Predicted 50% of the held-out part (3,000 of 6,000 bases)")
    assert "predict the rest" in panel.status.text()
    labels = session.genome.label_mask("chrA", types=("gene", "pseudogene"))[14000:17000]
    _assert_same(panel, evaluate(labels, values[14000:17000], session.threshold))
    assert panel.current_metrics()["not_predicted"] == 3000
    empty = np.full_like(values, np.nan)
    empty[:5000] = values[:5000]                # predicted, but only in the training part
    session.add_track(ProbabilityTrack("train-only @ chrA", "train-only", "chrA", empty,
                                       model_name=session.tracks["synthetic @ chrA"].model_name))
    panel.select_track("train-only @ chrA")
    qtbot.waitUntil(lambda: panel.result is None and panel.status.text().startswith("Not predicted"), timeout=5000)
    assert "predict it to score it" in panel.status.text() and "yet" not in panel.status.text()
    assert panel.metrics_table.item(0, 0).text() == ""


def test_the_training_warning_counts_only_the_bases_scored(qtbot, panel, session):
    values = _values(session)
    held_only = np.full_like(values, np.nan)
    held_only[TEST[0]:] = values[TEST[0]:]
    session.add_track(ProbabilityTrack("held @ chrA", "held", "chrA", held_only,
                                       model_name=session.tracks["synthetic @ chrA"].model_name))
    panel.select_track("held @ chrA")
    panel.set_scope("whole")
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.scope.track_key == "held @ chrA"
                    and panel.result.scope.kind == "whole", timeout=10000)
    assert panel.status.text().startswith("Predicted 30% of the whole sequence")
    assert panel.warning_label.isHidden()    # every base scored is in the held-out part
    _assert_same(panel, _expected(session, *TEST)[2])


def test_a_track_still_being_predicted(qtbot, panel, session):
    """No numbers for a scope without predictions; the final numbers follow the last tile."""
    filled = _values(session).copy()
    session.add_track(ProbabilityTrack("live @ chrA", "live", "chrA", np.full_like(filled, np.nan),
                                       model_name=session.tracks["synthetic @ chrA"].model_name))
    panel.select_track("live @ chrA")
    qtbot.waitUntil(lambda: panel.result is None and "Not predicted" in panel.status.text(), timeout=5000)
    session.update_track("live @ chrA", 0, 15000, filled[:15000])
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        session.update_track("live @ chrA", 15000, 20000, filled[15000:])
    assert panel.result.scope.track_key == "live @ chrA"
    _assert_same(panel, _expected(session, *TEST)[2])


def test_panel_agrees_with_the_referee_on_an_exported_track(panel, session, data_dir, tmp_path, score_track_script):
    """Export the track as bedGraph, score it with ../shared/tools/score_track.py, compare with the table."""
    import subprocess
    import sys

    from genoview.gui.export import write_track_bedgraph

    # between the track's 3-decimal values: stored tracks are quantised (|error| < 1e-5) and the bedGraph has 4
    # decimals, so a threshold equal to a value could fall either side of it
    session.set_threshold(0.3005)
    write_track_bedgraph(tmp_path / "t.bedGraph", session.tracks["synthetic @ chrA"])
    run = subprocess.run([sys.executable, str(score_track_script), str(tmp_path / "t.bedGraph"),
                          str(data_dir / "guib_small.gff3"), "--seqid", "chrA", "--from", "0.7", "--to", "1.0",
                          "--threshold", "0.3005"], capture_output=True, text=True, check=True)
    referee = json.loads(run.stdout[:run.stdout.rindex("}") + 1])
    ours = panel.current_metrics()
    assert referee["uncovered"] == 0
    for key in ("n", "tp", "tn", "fp", "fn"):
        assert ours[key] == referee[key], key
    for key in ("accuracy", "precision", "recall", "f1", "mcc", "roc_auc", "genic_fraction"):
        assert ours[key] == pytest.approx(referee[key], abs=1e-4), key


@pytest.mark.filterwarnings("ignore:sequence should be at least:UserWarning")   # pyrodigal on a 20 kb genome
def test_genome_then_annotation_then_predict_file_by_file(qtbot, data_dir, monkeypatch):
    """Issue 13 item 1: File > Open genome, File > Open annotation, Predict: the panel lists the annotation's
    feature types when it arrives, appears with the track and evaluates it against the annotation."""
    from genoview.app import create_main_window
    from genoview.gui.dialogs import files as file_dialogs
    from genoview.settings import load_settings

    from PySide6.QtWidgets import QMessageBox

    errors = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: errors.append((title, text)))
    window = create_main_window(load_settings())
    qtbot.addWidget(window)
    window.resize(1200, 700)
    window.show()
    panel = window.evaluation_panel
    monkeypatch.setattr(file_dialogs, "choose_genome", lambda *a: str(data_dir / "guib_small.fa"))
    monkeypatch.setattr(file_dialogs, "choose_annotation", lambda *a: str(data_dir / "guib_small.gff3"))
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_action.trigger()
    assert not panel.isVisible()        # nothing to evaluate against yet
    with qtbot.waitSignal(window.session.annotation_changed, timeout=10000):
        window.open_annotation_action.trigger()
    # the panel learnt the annotation from the session's annotation_changed (it is shown once a track exists too)
    assert panel.checked_types() == ("gene", "pseudogene")
    assert {"CDS", "gene", "pseudogene"} <= {panel.types_list.item(i).data(Qt.UserRole)
                                             for i in range(panel.types_list.count())}
    with qtbot.waitSignal(panel.evaluated, timeout=60000):   # the real Predict path, with the built-in Prodigal
        window.predict_controller.predict("prodigal", ["chrA"])
        qtbot.waitUntil(lambda: bool(errors or window.session.tracks), timeout=60000)
    assert not errors
    scope = panel.result.scope
    assert (scope.kind, scope.seqid, scope.start, scope.end) == ("whole", "chrA", 0, 20000)
    assert scope.types == ("gene", "pseudogene") and "whole sequence" in panel.scope_note.text()
    track = window.session.tracks[scope.track_key]
    values = track.values
    values = np.asarray(values(0, 20000) if callable(values) else values)
    labels = window.session.genome.label_mask("chrA")
    _assert_same(panel, evaluate(labels, values, window.session.threshold))
    assert panel.isVisible() and panel.current_metrics()["n"] == 20000
    window.close()


def test_confusion_cells_show_all_three_lines_when_squeezed(qtbot, panel):
    """A whole genome's counts with the share under them fit each cell even at the matrix's minimum height
    (a docked disagreements list squeezed it to two lines: "1,214,103..." with the share hidden)."""
    from genoview.core.evaluation import Confusion
    from genoview.gui.panels.evaluation_plots import CELLS, ConfusionMatrixWidget

    matrix = ConfusionMatrixWidget()
    qtbot.addWidget(matrix)
    matrix.resize(240, matrix.minimumHeight())
    matrix.show()
    matrix.set_confusion(Confusion(tp=1_214_103, tn=141_187, fp=13_489, fn=23_717))
    qtbot.waitExposed(matrix)
    metrics = matrix.fontMetrics()
    for kind, (row, column) in CELLS.items():
        rect = matrix.visualItemRect(matrix.item(row, column))
        assert rect.height() >= 3 * metrics.lineSpacing(), kind
        assert rect.width() >= max(metrics.horizontalAdvance(line) for line in matrix.count_text(kind).splitlines())


def test_a_track_being_predicted_says_so_then_predict_it_once_stopped(qtbot, session):
    """A whole-genome model's values come at the end: while it runs the panel said 'predict it to score it'."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QMainWindow

    class Controller(QObject):
        cancelled = Signal()
        failed = Signal(str)
        running = {"live @ chrA"}

        def predicting(self, key):
            return key in self.running

    window = QMainWindow()
    qtbot.addWidget(window)
    window.predict_controller = Controller(window)
    panel = EvaluationPanel(session, window)
    session.add_track(ProbabilityTrack("live @ chrA", "live", "chrA", np.full(20000, np.nan, np.float32),
                                       model_name=session.tracks["synthetic @ chrA"].model_name))
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    window.show()
    panel.select_track("live @ chrA")
    qtbot.waitUntil(lambda: "is being predicted" in panel.status.text(), timeout=5000)
    assert "predict it to score it" not in panel.status.text()
    window.predict_controller.running = set()
    window.predict_controller.cancelled.emit()
    qtbot.waitUntil(lambda: "predict it to score it" in panel.status.text(), timeout=5000)
