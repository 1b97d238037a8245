"""Export actions: bedGraph and GFF3 read back with core's readers, the view as PNG/SVG, failures shown."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QDialog, QLabel, QFileDialog, QMenu, QMessageBox

from genoview.core.inference import predicted_genes, read_bedgraph
from genoview.core.io.gff import read_gff
from genoview.gui import export
from genoview.gui.export import GeneExportDialog, install_export_actions, write_track_bedgraph
from genoview.gui.session import ProbabilityTrack, Session


@pytest.fixture
def session(qapp):
    session = Session()
    rng = np.random.default_rng(5)
    values = np.repeat(rng.random(300), 40).astype(np.float32)  # 12,000 bases in runs of 40
    values[:1000] = np.nan                                     # not predicted yet
    session.add_track(ProbabilityTrack("model @ chrA", "model", "chrA", values))
    return session


@pytest.fixture
def actions(qtbot, session):
    view = QLabel("GenoView: chrA 1-12,000")  # image export treats any widget alike (grab / render)
    view.setStyleSheet("background: white; font-size: 24px")
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.show()
    menu = QMenu()
    qtbot.addWidget(menu)
    return install_export_actions(menu, session, view)


def _save_as(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_actions_are_added_and_follow_the_tracks(actions, session):
    texts = [action.text() for action in actions.menu.actions()]
    assert texts == ["Track as bedGraph…", "Track as bigWig…", "Stretches above the threshold as GFF3…", "View as PNG or SVG…"]
    assert actions.bedgraph_action.isEnabled() and actions.genes_action.isEnabled()
    session.remove_track("model @ chrA")
    assert not actions.bedgraph_action.isEnabled() and not actions.genes_action.isEnabled()


def test_bedgraph_reads_back_equal_to_the_track(actions, session, tmp_path, monkeypatch):
    messages = []
    session.status_message.connect(messages.append)
    _save_as(monkeypatch, tmp_path / "track.bedGraph")
    actions.bedgraph_action.trigger()
    start, values = read_bedgraph(tmp_path / "track.bedGraph")["chrA"]
    track = session.tracks["model @ chrA"].values
    assert start == 1000 and len(values) == len(track) - 1000
    np.testing.assert_allclose(values, track[1000:], atol=5e-5)
    assert messages and "track.bedGraph" in messages[-1]


def test_predicted_genes_gff3_parses_back(actions, session, tmp_path, monkeypatch):
    _save_as(monkeypatch, tmp_path / "genes.gff3")
    monkeypatch.setattr(GeneExportDialog, "exec", lambda self: QDialog.Accepted)
    monkeypatch.setattr(GeneExportDialog, "choice", lambda self: ("model @ chrA", 0.6, 80))
    actions.genes_action.trigger()
    features = list(read_gff(tmp_path / "genes.gff3").features)
    expected = predicted_genes(session.tracks["model @ chrA"].values, 0.6, 80)
    assert expected and [(f.start, f.end) for f in features] == expected
    assert {f.type for f in features} == {"gene"} and {f.seqid for f in features} == {"chrA"}


def test_gene_dialog_defaults_to_the_session_threshold(qtbot, session):
    session.set_threshold(0.42)
    dialog = GeneExportDialog(None, session)
    qtbot.addWidget(dialog)
    key, threshold, min_length = dialog.choice()
    assert key == "model @ chrA" and threshold == pytest.approx(0.42) and min_length == export.DEFAULT_MIN_GENE_LENGTH


@pytest.mark.parametrize("name", ["view.png", "view.svg"])
def test_view_image(actions, tmp_path, monkeypatch, name):
    _save_as(monkeypatch, tmp_path / name)
    actions.view_action.trigger()
    assert (tmp_path / name).stat().st_size > 1000


def test_a_failed_export_is_shown_and_the_app_goes_on(actions, session, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    session.tracks["model @ chrA"].values[:] = np.nan
    _save_as(monkeypatch, tmp_path / "empty.bedGraph")
    actions.bedgraph_action.trigger()
    assert warnings and "no predicted bases" in warnings[0]
    _save_as(monkeypatch, tmp_path / "view.txt")
    actions.view_action.trigger()
    assert ".png or .svg" in warnings[1]


def test_write_track_bedgraph_directly(tmp_path):
    track = ProbabilityTrack("k", "k", "chrZ", np.array([0.1, 0.1, 0.25, np.nan, 0.9], dtype=np.float32))
    assert write_track_bedgraph(tmp_path / "t.bedGraph", track) == 3
    start, values = read_bedgraph(tmp_path / "t.bedGraph")["chrZ"]
    assert start == 0
    np.testing.assert_allclose(values, track.values, atol=5e-5)
