"""File ▸ Export ▸ Track as bigWig… (only `genoview predict --bigwig` wrote one), and a long track written on a worker
(E. coli's whole GeneORF track held the window 67 ms as bedGraph; a per-base track takes seconds)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QMenu

from genoview.core.inference import read_bedgraph
from genoview.gui import export
from genoview.gui.export import install_export_actions
from genoview.gui.session import ProbabilityTrack, Session


@pytest.fixture
def setup(qtbot, monkeypatch, tmp_path):
    session = Session()
    values = np.repeat(np.random.default_rng(2).random(200), 25).astype(np.float32)
    values[:500] = np.nan
    session.add_track(ProbabilityTrack("m @ chrB", "m", "chrB", values))
    view = QLabel("view")
    qtbot.addWidget(view)
    menu = QMenu()
    qtbot.addWidget(menu)
    messages = []
    session.status_message.connect(messages.append)
    return session, install_export_actions(menu, session, view), messages, values


def _save_as(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_bigwig_reads_back_equal_to_the_track(setup, tmp_path, monkeypatch):
    import pybigtools

    session, actions, messages, values = setup
    _save_as(monkeypatch, tmp_path / "t.bw")
    actions.bigwig_action.trigger()
    with pybigtools.open(str(tmp_path / "t.bw")) as bw:
        got = np.asarray(bw.values("chrB", 0, len(values), fillna=None), dtype=np.float32)
    assert np.isnan(got[:500]).all()
    np.testing.assert_allclose(got[500:], session.tracks["m @ chrB"].values(500, len(values)), atol=5.1e-5)
    assert "t.bw" in messages[-1] and "runs" in messages[-1]


def test_a_long_track_is_written_on_a_worker(qtbot, setup, tmp_path, monkeypatch):
    session, actions, messages, values = setup
    monkeypatch.setattr(export, "BACKGROUND_EXPORT_BASES", 100)   # this 4,500-base track counts as long
    written = []
    real = export.write_track_bedgraph

    def write(path, track):
        import threading

        written.append(threading.current_thread() is threading.main_thread())
        return real(path, track)

    monkeypatch.setattr(export, "write_track_bedgraph", write)
    _save_as(monkeypatch, tmp_path / "t.bedGraph")
    actions.bedgraph_action.trigger()
    assert messages[-1] == "Writing t.bedGraph…"
    qtbot.waitUntil(lambda: messages[-1].startswith("Saved"), timeout=10000)
    assert written == [False]
    start, got = read_bedgraph(tmp_path / "t.bedGraph")["chrB"]
    assert start == 500 and np.allclose(got, session.tracks["m @ chrB"].values(500, len(values)), atol=5.1e-5)


def test_a_second_export_while_one_is_written_waits_for_it(qtbot, setup, tmp_path, monkeypatch):
    # a second click while a long track is written on a worker started a second writer (the same file: two writers
    # interleaved, or one failed): it is refused with what is being written, and works again once that is saved
    import threading

    from PySide6.QtWidgets import QMessageBox

    session, actions, messages, values = setup
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warnings.append(a))
    monkeypatch.setattr(export, "BACKGROUND_EXPORT_BASES", 100)
    release, calls = threading.Event(), []
    real = export.write_track_bedgraph

    def slow(path, track):
        calls.append(path)
        release.wait(5)
        return real(path, track)

    monkeypatch.setattr(export, "write_track_bedgraph", slow)
    _save_as(monkeypatch, tmp_path / "t.bedGraph")
    try:
        actions.bedgraph_action.trigger()
        actions.bedgraph_action.trigger()
        said = messages[-1]
    finally:
        release.set()
    assert "Still writing t.bedGraph" in said
    qtbot.waitUntil(lambda: messages[-1].startswith("Saved"), timeout=10000)
    assert len(calls) == 1 and not warnings
    actions.bedgraph_action.trigger()   # free again
    qtbot.waitUntil(lambda: len(calls) == 2 and messages[-1].startswith("Saved"), timeout=10000)
