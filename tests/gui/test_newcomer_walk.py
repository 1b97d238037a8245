"""A newcomer's first hour, as one walk through the real window (issue 13's target), with no dead end:

start page -> File > Open genome (FASTA) -> File > Open annotation (GFF, separately) -> Tools > Predict (the
bundled example genome, the fast built-in Prodigal) -> the evaluation panel appears and scores it -> File >
Export > View as SVG (vector) -> File > Save session -> a new window opens the session: same files, place,
threshold and track (name, colour) back from the prediction cache.
"""
from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from genoview.app import create_main_window
from genoview.gui.dialogs import files as file_dialogs
from genoview.gui.dialogs.predict import PredictDialog
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.settings import Settings


@pytest.fixture
def no_modal_boxes(monkeypatch):
    """Any error box would be a dead end: record them (the walk asserts there were none)."""
    shown = []
    for name in ("critical", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a, _n=name, **k: shown.append((title, text)))
    return shown


@pytest.fixture(autouse=True)
def no_gc_freeze(monkeypatch):
    """Start-up's gc.freeze() (a speed-up for a long-lived app) would keep this test's windows' parentless pyqtgraph
    menus from ever being collected, and the leak guard would see them."""
    import genoview.gui.predict_controller as predict_controller

    monkeypatch.setattr(predict_controller.gc, "freeze", lambda: None)


def new_window(qtbot):
    window = create_main_window(Settings())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    return window


def test_newcomer_walk_open_predict_evaluate_export_save_reopen(qtbot, tmp_path, monkeypatch, no_modal_boxes):
    window = new_window(qtbot)
    # 1. the start page says what to do; nothing that needs a genome can be pressed yet
    assert window.central.currentWidget() is window.start_page
    assert not window.predict_action.isEnabled() and not window.zoom_in_action.isEnabled()
    assert "drag and drop" in window.start_page.steps_html

    # 2. File > Open genome: the FASTA alone
    monkeypatch.setattr(file_dialogs, "choose_genome", lambda parent, directory: str(EXAMPLE_GENOME))
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_action.trigger()
    assert window.central.currentWidget() is window.view and window.predict_action.isEnabled()
    assert window.recent_menu.isEnabled() and window.recent_menu.actions()   # Open recent filled at once
    assert not window.evaluation_panel.isVisible()   # nothing to evaluate yet: no empty panel

    # 3. File > Open annotation: the GFF, separately
    monkeypatch.setattr(file_dialogs, "choose_annotation", lambda parent, directory: str(EXAMPLE_ANNOTATION))
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_annotation_action.trigger()
    assert len(window.session.genome.features) > 0 and window.view.feature_item.features

    # 4. Tools > Predict with Prodigal (remembered as the model to offer next time)
    window.settings.default_model = "prodigal"
    monkeypatch.setattr(PredictDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    finished, failed = [], []
    window.predict_controller.finished.connect(finished.append)
    window.predict_controller.failed.connect(failed.append)
    window.predict_action.trigger()
    qtbot.waitUntil(lambda: bool(finished or failed), timeout=120000)
    assert not failed and not no_modal_boxes
    key = "prodigal @ chrEx"
    assert key in window.session.tracks and key in window.view.track_plots
    assert window.track_panel.isVisible() and window.track_panel.list.count() == 1

    # 5. the evaluation panel appeared (annotation + track) and scores the track
    panel = window.evaluation_panel
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    assert panel.width() <= 0.45 * window.width()
    if panel.result is None:
        with qtbot.waitSignal(panel.evaluated, timeout=60000):
            panel.evaluate_now()
    metrics = panel.current_metrics()
    assert metrics is not None and metrics["mcc"] > 0.8   # Prodigal finds the synthetic genes

    # 6. File > Export > View as SVG: a vector figure
    svg = tmp_path / "figure.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(svg), "SVG image (*.svg)"))
    window.go_to("chrEx:1-8000")
    window.view.flush()
    window.export_actions.view_action.trigger()
    text = svg.read_text()
    assert "<image" not in text and "<polyline" in text

    # 7. rename and recolour the track, then File > Save session
    window.session.set_track_style(key, label="Prodigal (example)", color="#2ca02c")
    window.session.set_threshold(0.6)
    session_path = tmp_path / "walk.genoview.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(session_path), ""))
    window.save_session_action.trigger()
    saved = json.loads(session_path.read_text())
    assert saved["tracks"][0]["label"] == "Prodigal (example)" and saved["locus"]["seqid"] == "chrEx"
    window.close()

    # 8. a new window reopens it: files, place, threshold and the track from the cache, as it was
    again = new_window(qtbot)
    with qtbot.waitSignal(again.predict_controller.finished, timeout=60000):
        assert again.open_session(session_path)
    again.view.flush()
    assert again.session.genome.annotation_path.endswith("example.gff3")
    assert again.session.threshold == pytest.approx(0.6)
    assert again.session.region == (0, 8000)
    track = again.session.tracks[key]
    assert track.label == "Prodigal (example)" and track.color == "#2ca02c"
    assert not no_modal_boxes
    again.close()
