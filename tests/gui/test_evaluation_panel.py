"""The evaluation dock: its numbers are core evaluate()'s, the threshold slider drives every view, FP/FN jump."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from genoview.core.evaluation import error_intervals, evaluate
from genoview.core.genome import open_genome
from genoview.gui.panels.evaluation import METRIC_ROWS, EvaluationPanel
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.workers import wait_for_background


@pytest.fixture
def session(qapp, data_dir):
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    labels = genome.label_mask("chrA", types=("gene", "pseudogene"))
    rng = np.random.default_rng(3)
    values = np.clip(labels * 0.45 + rng.random(labels.size) * 0.6, 0, 1).astype(np.float32)
    values = np.round(values, 3)
    session.add_track(ProbabilityTrack("synthetic @ chrA", "synthetic", "chrA", values))
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


def _expected(session, start, end, types=("gene", "pseudogene")):
    labels = session.genome.label_mask("chrA", types=types)[start:end]
    probs = session.tracks["synthetic @ chrA"].values[start:end]
    return labels, probs, evaluate(labels, probs, session.threshold)


def _assert_same(panel, report):
    metrics = panel.current_metrics()
    for key in ("accuracy", "precision", "recall", "f1", "mcc", "roc_auc", "pr_auc", "genic_fraction"):
        assert metrics[key] == pytest.approx(getattr(report, key), abs=1e-12), key
    for key in ("n", "tp", "tn", "fp", "fn", "uncovered"):
        assert metrics[key] == getattr(report, key), key


def test_defaults_are_gene_and_pseudogene_over_the_test_split(panel, session):
    assert panel.checked_types() == ("gene", "pseudogene")
    assert panel.result.scope.start == 14000 and panel.result.scope.end == 20000
    _assert_same(panel, _expected(session, 14000, 20000)[2])


@pytest.mark.parametrize("scope", ["visible", "whole", "split"])
def test_numbers_equal_core_evaluate(qtbot, panel, session, scope):
    session.set_region(2500, 9000)
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.set_scope(scope, 0.25, 0.8)
    start, end = {"visible": (2500, 9000), "whole": (0, 20000), "split": (5000, 16000)}[scope]
    assert (panel.result.scope.start, panel.result.scope.end) == (start, end)
    _assert_same(panel, _expected(session, start, end)[2])
    row = [label for _, label in METRIC_ROWS].index("MCC")
    assert panel.metrics_table.item(row, 0).text() == f"{panel.current_metrics()['mcc']:.4f}"


def test_feature_types_change_the_labels(qtbot, panel, session):
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        panel.set_types(["gene"])
    _assert_same(panel, _expected(session, 14000, 20000, types=("gene",))[2])


def test_threshold_slider_drives_table_matrix_and_markers(qtbot, panel, session):
    labels, probs, _ = _expected(session, 14000, 20000)
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
    labels, probs, _ = _expected(session, 14000, 20000)
    expected = error_intervals(labels, probs, session.threshold, kind, offset=14000)
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


def test_export_metrics_and_plots(qtbot, panel, tmp_path, monkeypatch):
    targets = iter([tmp_path / "m.csv", tmp_path / "m.json", tmp_path / "roc.png", tmp_path / "roc.svg",
                    tmp_path / "confusion.png"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(next(targets)), ""))
    panel.export_metrics_dialog()
    panel.export_metrics_dialog()
    panel.export_plot_dialog(panel.roc.plot, "roc")
    panel.export_plot_dialog(panel.roc.plot, "roc")
    panel.export_plot_dialog(panel.confusion, "confusion")
    metrics = panel.current_metrics()
    with open(tmp_path / "m.csv", newline="") as handle:
        rows = dict(csv.reader(handle))
    assert float(rows["mcc"]) == pytest.approx(metrics["mcc"]) and int(rows["tp"]) == metrics["tp"]
    data = json.loads((tmp_path / "m.json").read_text())
    assert data["roc_auc"] == pytest.approx(metrics["roc_auc"]) and data["region"] == "chrA:14001-20000"
    for name in ("roc.png", "roc.svg", "confusion.png"):
        assert (tmp_path / name).stat().st_size > 500, name
    assert "<svg" in (tmp_path / "roc.svg").read_text()


def test_no_track_says_so(qtbot, session):
    session.remove_track("synthetic @ chrA")
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    panel.show()
    panel.evaluate_now()
    assert panel.result is None and "predict" in panel.status.text()
    assert panel.current_metrics() is None


def test_a_track_still_being_predicted(qtbot, panel, session):
    """No numbers for a region without predictions; the final numbers follow the last tile."""
    values = session.tracks["synthetic @ chrA"].values
    filled = values.copy()
    session.add_track(ProbabilityTrack("live @ chrA", "live", "chrA", np.full_like(values, np.nan)))
    panel.select_track("live @ chrA")
    qtbot.waitUntil(lambda: panel.result is None and "No predictions" in panel.status.text(), timeout=5000)
    session.update_track("live @ chrA", 0, 15000, filled[:15000])
    with qtbot.waitSignal(panel.evaluated, timeout=10000):
        session.update_track("live @ chrA", 15000, 20000, filled[15000:])
    assert panel.result.scope.track_key == "live @ chrA"
    _assert_same(panel, _expected(session, 14000, 20000)[2])


def test_panel_agrees_with_the_referee_on_an_exported_track(panel, session, data_dir, tmp_path, score_track_script):
    """Export the track as bedGraph, score it with ../shared/tools/score_track.py, compare with the table."""
    import subprocess
    import sys

    from genoview.gui.export import write_track_bedgraph

    session.set_threshold(0.3)
    write_track_bedgraph(tmp_path / "t.bedGraph", session.tracks["synthetic @ chrA"])
    run = subprocess.run([sys.executable, str(score_track_script), str(tmp_path / "t.bedGraph"),
                          str(data_dir / "guib_small.gff3"), "--seqid", "chrA", "--from", "0.7", "--to", "1.0",
                          "--threshold", "0.3"], capture_output=True, text=True, check=True)
    referee = json.loads(run.stdout[:run.stdout.rindex("}") + 1])
    ours = panel.current_metrics()
    for key in ("n", "tp", "tn", "fp", "fn", "uncovered"):
        assert ours[key] == referee[key], key
    for key in ("accuracy", "precision", "recall", "f1", "mcc", "roc_auc", "genic_fraction"):
        assert ours[key] == pytest.approx(referee[key], abs=1e-4), key
