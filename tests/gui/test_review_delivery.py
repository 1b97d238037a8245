"""Review of the controller's stepwise delivery: a job that fails or is cancelled forgets only its own queued
slices, never those of a finished job still being written into the same track."""
from __future__ import annotations

import numpy as np

import genoview.gui.predict_controller as predict_controller
from genoview.core.tracks import quantise
from genoview.gui.predict_controller import PredictionContext, PredictController, SequenceTarget
from genoview.gui.workers import Job


def _job(controller, key, seqid, start, end):
    job = Job("test", lambda progress, cancel: None,
              PredictionContext("whole", {}, [SequenceTarget(seqid, start, end, key)]))
    controller._jobs[job.id] = job
    return job


def test_a_stopped_job_keeps_a_finished_jobs_pending_slices_of_the_same_track(qtbot, session, runner, monkeypatch):
    monkeypatch.setattr(predict_controller, "DELIVERY_SLICE", 1000)
    controller = PredictController(session, runner)
    length = session.genome.sequences["chrA"].length
    key = "whole @ chrA"
    first = _job(controller, key, "chrA", 0, length)
    controller._take_partial(first, ("planned", "chrA", None))
    values = np.linspace(0.0, 1.0, length, dtype=np.float32)
    controller._take_partial(first, ("tile", "chrA", 0, length, quantise(values)))
    finished = []
    controller.finished.connect(finished.append)
    controller._on_finished(first, {"chrA": False})   # its first slice now, the other 19 on the next turns
    assert controller._pending_tiles
    second = _job(controller, key, "chrA", 0, 5000)   # the same track, a region of it: queued after and stopped
    controller._on_cancelled(second)
    qtbot.waitUntil(lambda: finished == [key], timeout=5000)
    track = session.tracks[key]
    assert track.complete, "the finished job's slices were dropped with the cancelled job's"
    np.testing.assert_allclose(track.values(0, length), values, atol=1e-4)


def test_a_prediction_of_the_previous_genome_never_fills_the_next_one(qtbot, session, runner, data_dir,
                                                                       monkeypatch):
    """Opening another genome while a prediction runs: the old job is cancelled, its queued slices are dropped, and a
    late report of it (a cached region, a planned row) adds no track to the new genome, even one with the same
    sequence names; stopping it removes no track of the new genome."""
    from genoview.core.genome import open_genome

    monkeypatch.setattr(predict_controller, "DELIVERY_SLICE", 1000)
    controller = PredictController(session, runner)
    length = session.genome.sequences["chrA"].length
    key = "whole @ chrA"
    old = _job(controller, key, "chrA", 0, length)
    old.context.genome = session.genome
    controller._take_partial(old, ("planned", "chrA", None))
    codes = quantise(np.full(length, 0.9, dtype=np.float32))
    controller._take_partial(old, ("tile", "chrA", 0, length, codes))
    new_genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")   # same names, new genome
    try:
        session.set_genome(new_genome)
        assert not controller._pending_tiles
        controller._take_partial(old, ("cached", "chrA", 0, length, codes))   # a late report of the old job
        qtbot.wait(300)
        assert key not in session.tracks
        from genoview.gui.session import ProbabilityTrack

        session.add_track(ProbabilityTrack(key=key, label="whole", seqid="chrA", length=length, model_name="whole",
                                           threshold=0.5, color="#000000"))
        old.context.targets[0].created_track = True
        if controller._mine(old):
            controller._on_cancelled(old)
        assert key in session.tracks   # the new genome's track stays
        assert not controller.busy
    finally:
        session.set_genome(None)
        new_genome.close()
