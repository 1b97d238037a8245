"""The main window: opening files on a worker, sequence selector, go-to, zoom limits, details, errors, settings."""
from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage

from genoview.gui.dialogs.feature_details import FeatureDetailsDialog, feature_fields
from genoview.gui.genome_view.view import MIN_SPAN
from genoview.gui.main_window import MainWindow
from genoview.gui.session import ProbabilityTrack, Session
from genoview.settings import load_settings, settings_path


@pytest.fixture
def tiny(data_dir):
    return data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3"


@pytest.fixture
def window(make_window, errors):
    return make_window()


def open_tiny(qtbot, window, tiny):
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(*tiny)
    window.view.flush()


def visible(window):
    x0, x1 = window.view.visible_range()
    return round(x0), round(x1)


def test_open_through_worker_fills_window(qtbot, window, tiny):
    loaded_on = []
    window.session.genome_changed.connect(lambda genome: loaded_on.append(genome))
    open_tiny(qtbot, window, tiny)
    assert window.session.seqid == "chrA" and len(loaded_on) == 1
    assert [window.sequence_combo.itemData(i) for i in range(window.sequence_combo.count())] == ["chrA", "chrB"]
    assert window.locus_label.text() == "chrA:1-1,200 (1,200 bp)"
    assert {f.name for f in window.view.feature_item.features} == {"alpha", "beta", "gamma", "delta"}
    assert window.view.feature_item.row_count == 3  # alpha/gamma overlap on +, beta and delta share a − row
    assert "gui_tiny.fa" in window.windowTitle()
    assert window.settings.recent_files[0].endswith("gui_tiny.fa")


def test_sequence_selector_switches_sequence(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    window.sequence_combo.setCurrentIndex(1)
    window.sequence_combo.activated.emit(1)
    assert window.session.seqid == "chrB"
    assert visible(window) == (0, 600)
    assert [f.name for f in window.view.feature_item.features] == ["epsilon"]
    window.session.set_sequence("chrA")
    assert window.sequence_combo.currentData() == "chrA"


@pytest.mark.parametrize(
    "text, seqid, region",
    [
        ("chrA:101-400", "chrA", (100, 400)),
        ("201-210", "chrA", (195, 215)),  # widened to the closest zoom
        ("beta", "chrA", (315, 735)),  # the gene with 10% context
        ("gt_0005", "chrB", (25, 325)),  # a locus tag, on the other sequence
    ],
)
def test_go_to(qtbot, window, tiny, text, seqid, region):
    open_tiny(qtbot, window, tiny)
    assert window.go_to(text)
    window.view.flush()
    assert window.session.seqid == seqid
    assert window.session.region == region
    assert visible(window) == region


def test_go_to_bad_input_reports_in_status_bar(qtbot, window, tiny, errors):
    open_tiny(qtbot, window, tiny)
    assert not window.go_to("nosuchgene")
    assert "no region, sequence, gene name or locus tag" in window.statusBar().currentMessage()
    assert not window.go_to("chrA:900-100")
    assert "before the start" in window.statusBar().currentMessage()
    assert window.session.region == (0, 1200) and errors == []


def test_go_to_box_completes_gene_names(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    model = window.go_to_box.completer().model()
    names = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert "alpha" in names and "GT_0004" in names


def test_zoom_limits_and_keys(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    for _ in range(12):
        window.zoom_in_action.trigger()
    x0, x1 = window.view.visible_range()
    assert x1 - x0 == pytest.approx(MIN_SPAN, abs=0.5)
    window.view.show_region(500, 503)
    x0, x1 = window.view.visible_range()
    assert x1 - x0 >= MIN_SPAN - 0.5 and x0 <= 500 and x1 >= 503
    window.pan_right_action.trigger()
    assert window.view.visible_range()[0] > x0
    for _ in range(12):
        window.zoom_out_action.trigger()
    assert visible(window) == (0, 1200)
    window.go_to("chrA:101-400")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Home)
    window.view.flush()
    assert window.session.region == (0, 1200)


def test_region_change_in_session_moves_view(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    window.session.set_region(300, 600)
    assert visible(window) == (300, 600)
    assert window.locus_label.text() == "chrA:301-600 (300 bp)"


def _click_point(window, x: float, row: float) -> QPoint:
    item = window.view.feature_item
    scene = item.mapToScene(QPointF(x, row))
    return window.view.graphics.mapFromScene(scene)


def test_feature_click_opens_details(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    window.go_to("chrA:1-1200")
    window.view.flush()
    qtbot.waitUntil(lambda: window.view.feature_item.getViewBox().width() > 100, timeout=5000)
    item = window.view.feature_item
    alpha = next(f for f in item.features if f.name == "alpha")
    window.view.graphics.grab()   # painted: rows with a feature in view are packed from the top
    row = item.drawn_row(alpha)
    assert row is not None
    with qtbot.waitSignal(window.view.feature_clicked, timeout=3000) as blocker:
        qtbot.mouseClick(window.view.graphics.viewport(), Qt.MouseButton.LeftButton, pos=_click_point(window, 250, row + 0.5))
    assert blocker.args[0] is alpha
    dialogs = window.findChildren(FeatureDetailsDialog)
    assert len(dialogs) == 1
    fields = dict(feature_fields(alpha))
    assert fields["Location"] == "chrA:101-400" and fields["Strand"].startswith("+") and fields["Length"] == "300 bp"
    table = dialogs[0].attribute_table
    keys = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "locus_tag" in keys
    assert window.session.selection == ("chrA", alpha.start, alpha.end)   # the evaluation's "Selection" scope
    dialogs[0].close()


def test_bad_annotation_shows_error_and_keeps_genome(qtbot, window, tiny, errors, data_dir):
    open_tiny(qtbot, window, tiny)
    before = window.session.genome
    with qtbot.waitSignal(window.load_failed, timeout=10000) as blocker:
        window.open_genome(tiny[0], data_dir / "gui_bad.gff3")
    assert "gui_bad.gff3, line 3" in blocker.args[0]
    assert len(errors) == 1 and "gui_bad.gff3, line 3" in errors[0][1]
    assert window.session.genome is before and window.session.seqid == "chrA"
    with qtbot.waitSignal(window.load_failed, timeout=10000):
        window.open_annotation(data_dir / "gui_bad.gff3")
    assert window.session.genome is before and len(before.features) == 11


def test_open_annotation_later_keeps_tracks(qtbot, window, tiny):
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(tiny[0])
    assert window.view.feature_item.features == []
    track = ProbabilityTrack("t", "Test", "chrA", np.full(1200, 0.3, dtype=np.float32))
    window.session.add_track(track)
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_annotation(tiny[1])
    assert len(window.view.feature_item.features) == 4
    assert "t" in window.session.tracks and "t" in window.view.track_plots


def test_drag_and_drop_opens_genome_with_annotation(qtbot, window, tiny):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in (tiny[1], tiny[0])])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.dropEvent(event)
    assert window.session.genome.annotation_path.endswith("gui_tiny.gff3")
    assert len(window.view.feature_item.features) == 4


def test_probability_tracks_follow_session(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    values = np.full(1200, np.nan, dtype=np.float32)
    window.session.add_track(ProbabilityTrack("m", "Model", "chrA", values))
    plot = window.view.track_plots["m"]
    window.session.update_track("m", 100, 400, np.full(300, 0.9, dtype=np.float32))
    qtbot.waitUntil(lambda: len(plot.gene_calls[0]) == 1, timeout=3000)
    assert (plot.gene_calls[0][0], plot.gene_calls[1][0]) == (100, 400)
    window.session.set_threshold(0.95)
    assert plot.threshold_line.value() == pytest.approx(0.95) and len(plot.gene_calls[0]) == 0
    plot.threshold_line.setValue(0.4)
    plot.threshold_line.sigPositionChangeFinished.emit(plot.threshold_line)
    assert window.session.threshold == pytest.approx(0.4)
    window.session.set_sequence("chrB")
    assert window.view.track_plots == {}
    window.session.remove_track("m")
    window.session.set_sequence("chrA")
    assert window.view.track_plots == {}


def test_cursor_position_is_one_based(qtbot, window, tiny):
    open_tiny(qtbot, window, tiny)
    window.session.set_region(0, 100)
    window.view.cursor_moved.emit(41)
    assert window.cursor_label.text() == "Position 42"


def test_settings_persist_between_windows(qtbot, tiny, errors, make_window):
    first = make_window()
    open_tiny(qtbot, first, tiny)
    first.translation_action.setChecked(True)
    first.resize(900, 640)
    first.close()
    saved = json.loads(settings_path().read_text())
    assert saved["recent_files"][0].endswith("gui_tiny.fa")
    assert saved["recent_annotations"][saved["recent_files"][0]].endswith("gui_tiny.gff3")
    assert saved["show_translation"] is True and saved["window_geometry"]
    second = make_window()
    second.restore_layout()
    assert second.translation_action.isChecked() and second.view.sequence_item.show_translation
    second._fill_recent_menu()
    assert [a.text() for a in second.recent_menu.actions()] == ["gui_tiny.fa + gui_tiny.gff3"]
    with qtbot.waitSignal(second.genome_loaded, timeout=10000):
        second.recent_menu.actions()[0].trigger()
    assert second.session.genome.annotation_path.endswith("gui_tiny.gff3")


def test_close_during_a_job_cancels_it(qtbot, tiny, errors, make_window):
    from genoview.gui.workers import Job

    window = make_window()
    started = []

    def endless(progress, cancel):
        started.append(1)
        while True:
            cancel.check()
            progress(0.5, "working")

    job = window.runner.submit(Job("endless", endless))
    qtbot.waitUntil(lambda: bool(started), timeout=5000)
    window.close()
    assert not window.runner.busy and job.state == "cancelled"


def test_screenshot_command_writes_png(qtbot, tiny, tmp_path):
    from genoview.cli import main

    out = tmp_path / "shot.png"
    code = main([
        "gui", str(tiny[0]), "--gff", str(tiny[1]), "--locus", "alpha", "--screenshot", str(out),
        "--width", "800", "--height", "500",
    ])
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (800, 500)
    assert not settings_path().exists()  # a headless run leaves the user's layout alone


def test_screenshot_command_reports_bad_locus(qtbot, tiny, tmp_path, capsys):
    from genoview.cli import main

    code = main(["gui", str(tiny[0]), "--locus", "nosuchgene", "--screenshot", str(tmp_path / "x.png")])
    assert code == 2
    assert "nosuchgene" in capsys.readouterr().err


def test_screenshot_with_a_model_waits_for_the_gene_calls(qtbot, tmp_path, monkeypatch):
    """The picture shows the gene-calls row and the disagreements dock, not a moment before they arrive."""
    from pathlib import Path

    import genoview.app as app_module
    from genoview.cli import main

    example = Path(__file__).resolve().parents[2] / "resources" / "example"
    seen = {}
    original = app_module.ScreenshotRun._save

    def save(self):
        if "running" not in seen:
            seen["running"] = [job.title for job in self.window.runner.jobs if job.context == "gene-calls"]
            seen["calls"] = self.window.view.gene_calls.result is not None
        return original(self)

    monkeypatch.setattr(app_module.ScreenshotRun, "_save", save)
    out = tmp_path / "shot.png"
    code = main(["gui", str(example / "example.fa"), "--gff", str(example / "example.gff3"), "--model",
                 "geneorf-bacteria", "--screenshot", str(out), "--width", "900", "--height", "600"])
    assert code == 0 and out.exists()
    assert seen["running"] == [] and seen["calls"]
