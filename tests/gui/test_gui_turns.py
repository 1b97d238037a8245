"""Work split over event-loop turns so the window never pauses long: a new track's room comes from the worker,
the evaluation panel draws its plots a turn after its numbers (``evaluated`` once they are drawn)."""
from __future__ import annotations

import numpy as np

from genoview.core.tracks import NOT_PREDICTED, quantise
from genoview.gui.predict_controller import PredictionContext, PredictController, SequenceTarget
from genoview.gui.workers import Job


def test_a_planned_rows_room_is_the_workers_array(qtbot, session, runner):
    controller = PredictController(session, runner)
    length = session.genome.sequences["chrA"].length
    key = "whole @ chrA"
    job = Job("test", lambda progress, cancel: None,
              PredictionContext("whole", {}, [SequenceTarget("chrA", 0, length, key)]))
    controller._jobs[job.id] = job
    room = np.full(length, NOT_PREDICTED, dtype=np.uint16)
    assert controller._take_partial(job, ("planned", "chrA", None, room))
    track = session.tracks[key]
    assert track.storage._blocks[0] is room   # nothing filled on the GUI thread
    values = np.linspace(0.0, 1.0, length, dtype=np.float32)
    finished = []
    controller.finished.connect(finished.append)
    controller._take_partial(job, ("tile", "chrA", 0, length, quantise(values)))
    controller._on_finished(job, {"chrA": False})
    qtbot.waitUntil(lambda: finished == [key], timeout=5000)
    assert track.complete
    np.testing.assert_allclose(track.values(0, length), values, atol=1e-4)


def test_the_evaluation_plots_follow_a_turn_later_and_only_the_last_results(qtbot, session):
    from genoview.gui.panels.evaluation import EvaluationPanel
    from genoview.gui.session import ProbabilityTrack

    values = session.genome.label_mask("chrA").astype(np.float32) * 0.8 + 0.1
    session.add_track(ProbabilityTrack("t @ chrA", "t", "chrA", values))
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.evaluated, timeout=10000) as blocker:
        panel.show()
    result = blocker.args[0]
    assert panel.result is result and len(panel.roc.curve.getData()[0]) > 1
    seen = []
    panel.evaluated.connect(seen.append)
    panel._show(None, "nothing")
    panel._show(result)             # numbers now, plots on the next turn
    assert panel.roc.curve.getData()[0] is None or len(panel.roc.curve.getData()[0]) == 0
    panel._show(None, "cleared")    # before that turn: its plots are dropped
    qtbot.wait(50)
    assert seen == [] and panel.result is None
    panel._show(result)
    qtbot.waitUntil(lambda: seen == [result], timeout=5000)
    assert len(panel.roc.curve.getData()[0]) > 1 and panel.pr.caption.toPlainText().startswith("PR AUC ")


def test_worker_threads_run_below_the_window(qtbot, runner):
    """Jobs and background calls run at a lower CPU priority than the GUI thread (Linux); the GUI thread keeps its own."""
    import os
    import sys
    import threading

    import pytest

    from genoview.gui.workers import WORKER_NICE, run_in_thread

    if not sys.platform.startswith("linux"):
        pytest.skip("per-thread nice is Linux's")
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen = []
    run_in_thread(lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), seen.append, lambda m, e: seen.append(m))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen[0] >= min(19, max(gui, WORKER_NICE))
    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        job = runner.submit(Job("nice", lambda progress, cancel: os.getpriority(os.PRIO_PROCESS,
                                                                                threading.get_native_id())))
    assert blocker.args[0] is job and blocker.args[1] >= min(19, max(gui, WORKER_NICE))
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == gui
