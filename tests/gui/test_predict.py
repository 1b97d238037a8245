"""Predicting in the background: the track fills live, progress ends at 1, cancel and errors leave nothing, cache hits are instant."""
from __future__ import annotations

import gc
import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog

import genoview.core.models as models
import genoview.gui.predict_controller as predict_controller
from genoview.core.device import describe_device
from genoview.core.genome import encode, open_genome
from genoview.core.models.base import TrackModel
from genoview.core.store import open_store
from genoview.gui.dialogs.predict import PredictDialog
from genoview.gui.predict_controller import PredictController, format_eta, with_eta
from genoview.gui.session import Session
from genoview.gui.workers import JobRunner, wait_for_background


class FakeModel(TrackModel):
    """0.9 on G/C, 0.1 elsewhere; optionally sleeps per batch (in the worker, releasing the GIL)."""

    name = "fake"
    context = 8
    chunk_size = 400
    default_batch_size = 2

    def __init__(self, delay_s: float = 0.0) -> None:
        self.info = {"version": "1"}
        self.delay_s = delay_s

    def predict_chunk(self, codes: np.ndarray) -> np.ndarray:
        if self.delay_s:
            time.sleep(self.delay_s)
        centre = codes[:, self.context:self.context + self.chunk_size]
        return np.where((centre == 1) | (centre == 2), 0.9, 0.1).astype(np.float32)


def expected_probs(record, start=0, end=None) -> np.ndarray:
    codes = encode(record.fetch(start, record.length if end is None else end))
    return np.where((codes == 1) | (codes == 2), 0.9, 0.1).astype(np.float32)


@pytest.fixture
def fake_models(monkeypatch):
    """Names 'fake' and 'slow' load FakeModels; anything else goes to the real registry. Returns the worker loads."""
    loads = []
    real_load, real_resolve = models.load_model, models.resolve_model_dir

    def load_model(name_or_dir, device=None):
        if name_or_dir in ("fake", "slow"):
            if threading.current_thread() is not threading.main_thread():  # a real load, not a cache-key lookup
                loads.append(name_or_dir)
            model = FakeModel(0.02 if name_or_dir == "slow" else 0.0)
            model.name = name_or_dir
            return model
        return real_load(name_or_dir, device)

    monkeypatch.setattr(models, "load_model", load_model)
    monkeypatch.setattr(models, "resolve_model_dir",
                        lambda name: None if name in ("fake", "slow") else real_resolve(name))
    return loads


@pytest.fixture
def session(qapp, data_dir):
    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    yield session
    genome.close()


@pytest.fixture
def runner(qapp):
    runner = JobRunner()
    yield runner
    runner.cancel_all()
    assert runner.wait(10000)
    assert wait_for_background(10000)  # cache writes


@pytest.fixture
def controller(session, runner, fake_models):
    return PredictController(session, runner)


def test_prediction_fills_the_track_live_and_reaches_the_end(qtbot, session, runner, controller):
    progress, updates, devices = [], [], []
    controller.progress.connect(lambda fraction, eta: progress.append(fraction))
    controller.device_changed.connect(devices.append)
    session.track_updated.connect(lambda key, start, end: updates.append((key, start, end)))
    with qtbot.waitSignal(controller.finished, timeout=20000) as finished:
        job = controller.predict("fake", ["chrA"])
    key = finished.args[0]
    track = session.tracks[key]
    assert job is not None and track.seqid == "chrA" and track.complete
    np.testing.assert_array_equal(track.values, expected_probs(session.genome.sequences["chrA"]))
    assert progress[-1] == 1.0 and progress == sorted(progress)
    assert updates and all(k == key for k, _, _ in updates)
    assert controller.device_text == describe_device("cpu")
    assert not controller.busy and not runner.busy


def test_all_sequences_and_a_region(qtbot, session, controller):
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.predict("fake", ["chrA", "chrB"])
    for seqid in ("chrA", "chrB"):
        np.testing.assert_array_equal(session.tracks[f"fake @ {seqid}"].values,
                                      expected_probs(session.genome.sequences[seqid]))
    session.remove_track("fake @ chrB")
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.predict("fake", ["chrB"], region=(1500, 4321))
    values = session.tracks["fake @ chrB"].values
    assert np.isnan(values[:1500]).all() and np.isnan(values[4321:]).all()
    np.testing.assert_array_equal(values[1500:4321], expected_probs(session.genome.sequences["chrB"], 1500, 4321))


def test_cached_rerun_is_instant_and_submits_no_job(qtbot, session, runner, controller, fake_models):
    with qtbot.waitSignals([controller.finished, controller.cached], timeout=20000):
        controller.predict("fake", ["chrB"])
    first = session.tracks["fake @ chrB"].values.copy()
    session.set_genome(session.genome)  # as on reopening: no tracks left
    assert not session.tracks
    started = []
    runner.started.connect(started.append)
    with qtbot.waitSignal(controller.finished, timeout=1000) as finished:
        job = controller.predict("fake", ["chrB"])
    assert job is None and not runner.busy and not started
    assert fake_models == ["fake"]  # run once, for the first prediction only
    assert finished.args == ["fake @ chrB"]
    np.testing.assert_array_equal(session.tracks["fake @ chrB"].values, first)


def test_cancel_stops_and_caches_nothing(qtbot, session, runner, controller):
    seen = []
    session.track_updated.connect(lambda *args: seen.append(args))
    job = controller.predict("slow", ["chrA"])
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)  # some tiles arrived
    with qtbot.waitSignal(controller.cancelled, timeout=10000):
        controller.cancel()
    assert job.state == "cancelled" and "slow @ chrA" not in session.tracks
    assert open_store().cached_prediction(job.context.targets[0].cache_key) is None
    assert not controller.busy
    job = controller.predict("slow", ["chrB"], region=(0, 800))  # the queue still works afterwards
    assert job is not None
    with qtbot.waitSignal(controller.finished, timeout=20000):
        pass


def test_a_bad_model_folder_reports_and_the_app_keeps_going(qtbot, session, controller, tmp_path):
    with qtbot.waitSignal(controller.failed, timeout=10000) as failed:
        controller.predict(str(tmp_path), ["chrB"])
    assert "config.json" in failed.args[0]
    assert not session.tracks and not controller.busy
    with qtbot.waitSignal(controller.failed, timeout=1000) as failed:
        assert controller.predict("no-such-model", ["chrB"]) is None
    assert "no-such-model" in failed.args[0]
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.predict("fake", ["chrB"])


def test_the_event_loop_stays_responsive_while_predicting(qtbot, session, controller):
    gc.collect()  # earlier tests' garbage (pyqtgraph scenes) would otherwise be collected during the measurement
    gaps, clock = [], QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    with qtbot.waitSignal(controller.finished, timeout=30000):
        controller.predict("slow", ["chrA", "chrB"])
        last[0] = clock.elapsed()
        timer.start()  # from when the job is queued: tiles stream in, the track fills, progress moves
    timer.stop()
    assert len(gaps) > 20
    assert max(gaps) < 100, f"the GUI stalled for {max(gaps)} ms"


def test_progress_messages_carry_percent_and_eta(monkeypatch):
    clock = iter([100.0, 100.0, 104.0])
    monkeypatch.setattr(predict_controller, "time", SimpleNamespace(monotonic=lambda: next(clock)))
    messages = []
    report = with_eta(lambda fraction, message: messages.append(message))
    report(0.005)
    report(0.25)
    assert messages == ["0%", "25% · ETA 12 s"]


def test_format_eta():
    assert format_eta(4.4) == "ETA 4 s"
    assert format_eta(185) == "ETA 3 min 05 s"
    assert format_eta(3720) == "ETA 1 h 02 min"


def test_predict_dialog_builds_requests(qtbot, session, monkeypatch, tmp_path):
    session.set_region(100, 900)
    dialog = PredictDialog(None, session)
    qtbot.addWidget(dialog)
    names = [dialog.model_combo.itemData(i) for i in range(dialog.model_combo.count())]
    assert "prodigal" in names
    request = dialog.request()
    assert request.seqids == ["chrA"] and request.region is None and request.device == "auto"
    assert request.batch_size is None
    dialog.visible_button.setChecked(True)
    dialog.batch_spin.setValue(16)
    request = dialog.request()
    assert request.region == (100, 900) and request.batch_size == 16
    dialog.all_button.setChecked(True)
    assert dialog.request().seqids == ["chrA", "chrB"]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    dialog._on_model_activated(dialog.model_combo.count() - 1)  # "Browse for a model folder…"
    assert dialog.request().model_name_or_dir == str(tmp_path)
    assert set(dialog.request().as_kwargs()) == {"model_name_or_dir", "seqids", "region", "device", "batch_size"}


def test_predict_dialog_get_request(qtbot, session, monkeypatch):
    monkeypatch.setattr(PredictDialog, "exec", lambda self: QDialog.Accepted)
    assert PredictDialog.get_request(None, session).seqids == ["chrA"]
    monkeypatch.setattr(PredictDialog, "exec", lambda self: QDialog.Rejected)
    assert PredictDialog.get_request(None, session) is None


def test_the_main_window_shows_the_device(qtbot):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    window = create_main_window(Settings())
    qtbot.addWidget(window)
    controller = window.predict_controller
    assert controller.device_text == describe_device("cpu")
    assert window.device_label.text() == controller.device_text
    controller.device_changed.emit("GPU: test")
    assert window.device_label.text() == "GPU: test"
