"""A whole-sequence model (GeneORF's shape) hands a whole track over at once: the controller writes it into the
session in slices, one per turn of the event loop, says ``finished`` only after the last one, and the track is
the same as written at once. A track reopened from the cache gets its row before the worker streams the codes."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

import genoview.core.models as models
import genoview.gui.predict_controller as predict_controller
from genoview.core.genome import encode
from genoview.core.models.base import TrackModel
from genoview.core.tracks import round_trip
from genoview.gui.predict_controller import PredictController


class WholeSequenceModel(TrackModel):
    """0.9 on G/C, 0.1 elsewhere, for a whole region at once (as GeneORF hands over a genome of <= 8 Mb)."""

    name = "whole"
    whole_sequence = True

    def __init__(self) -> None:
        self.info = {"version": "1"}

    def predict_record(self, record, start, end, cancel=None) -> np.ndarray:
        codes = encode(record.fetch(start, end))
        return np.where((codes == 1) | (codes == 2), 0.9, 0.1).astype(np.float32)


def expected(record) -> np.ndarray:
    return round_trip(WholeSequenceModel().predict_record(record, 0, record.length))


@pytest.fixture
def whole_model(monkeypatch):
    real_load, real_resolve = models.load_model, models.resolve_model_dir
    monkeypatch.setattr(models, "load_model",
                        lambda name, device=None: WholeSequenceModel() if name == "whole" else real_load(name, device))
    monkeypatch.setattr(models, "resolve_model_dir", lambda name: None if name == "whole" else real_resolve(name))






def test_a_whole_sequence_track_is_written_in_slices_one_per_turn_and_finished_after_the_last(
        qtbot, session, runner, whole_model, monkeypatch):
    monkeypatch.setattr(predict_controller, "DELIVERY_SLICE", 1000)
    controller = PredictController(session, runner)
    record = session.genome.sequences["chrA"]
    turns, events = [0], []
    heartbeat = QTimer()
    heartbeat.setInterval(0)
    heartbeat.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    session.track_updated.connect(lambda key, start, end: events.append(("update", start, end, turns[0])))
    controller.finished.connect(lambda key: events.append(("finished", session.tracks[key].complete)))
    heartbeat.start()
    with qtbot.waitSignal(controller.finished, timeout=20000):
        controller.predict("whole", ["chrA"])
    heartbeat.stop()
    updates = [e for e in events if e[0] == "update"]
    assert events[-1] == ("finished", True)   # said only once the last slice is in
    assert len(updates) == -(-record.length // 1000)   # the one whole-sequence tile, 1000 bases at a time
    assert [(s, e) for _, s, e, _ in updates] == [(a, min(a + 1000, record.length))
                                                 for a in range(0, record.length, 1000)]
    assert all(later[3] > earlier[3] for earlier, later in zip(updates, updates[1:]))   # the event loop turned between
    np.testing.assert_array_equal(session.tracks["whole @ chrA"].values, expected(record))   # as written at once
    assert session.tracks["whole @ chrA"].predicted_intervals() == [(0, record.length)]
    assert not controller.busy


def test_a_cached_track_gets_its_row_before_the_codes_stream_in(qtbot, session, runner, whole_model, monkeypatch):
    monkeypatch.setattr(predict_controller, "DELIVERY_SLICE", 4096)
    controller = PredictController(session, runner)
    with qtbot.waitSignals([controller.finished, controller.cached], timeout=20000):
        controller.predict("whole", ["chrB"])
    first = session.tracks["whole @ chrB"].values.copy()
    session.set_genome(session.genome)   # as on reopening: no tracks left
    kinds = []
    runner.partial.connect(lambda job, payload: kinds.append(payload[0]))
    with qtbot.waitSignal(controller.finished, timeout=20000) as finished:
        controller.predict("whole", ["chrB"])
    assert finished.args == ["whole @ chrB"]
    assert kinds[0] == "planned" and "cached" in kinds   # the row first; the worker waited for it
    np.testing.assert_array_equal(session.tracks["whole @ chrB"].values, first)


def test_the_window_stays_usable_while_a_whole_sequence_track_arrives(qtbot, whole_model, monkeypatch, tmp_path):
    """The real window (genome view, evaluation panel, track list) while a 1.5 Mb whole-sequence track is delivered
    in 256 kb slices: every session update is one slice, and the event loop keeps its pace."""
    import gc

    from test_predict import window_on_genome, write_gene_blocks_genome   # same folder (no packages in tests/)

    monkeypatch.setattr(predict_controller, "DELIVERY_SLICE", 1 << 18)
    fasta, gff = write_gene_blocks_genome(tmp_path, 1_500_000)
    window, genome = window_on_genome(qtbot, fasta, gff)
    controller = window.predict_controller
    controller.finished.disconnect(window.call_genes_when_predicted)   # the gene-calls job (Prodigal on 1.5 Mb) is not measured here
    qtbot.wait(200)
    gc.collect()
    sizes, gaps, clock, timer = [], [], QElapsedTimer(), QTimer()
    window.session.track_updated.connect(lambda key, start, end: sizes.append(end - start))
    timer.setInterval(10)
    timer.timeout.connect(lambda: gaps.append(clock.restart()))
    with qtbot.waitSignal(controller.finished, timeout=60000):
        clock.start()
        timer.start()
        controller.predict("whole", ["blocks"])
    qtbot.wait(500)
    timer.stop()
    track = window.session.tracks["whole @ blocks"]
    assert track.complete and sizes and max(sizes) <= 1 << 18 and sum(sizes) == 1_500_000
    np.testing.assert_array_equal(track.values(0, 1_500_000), expected(genome.sequences["blocks"]))
    plot = window.view.track_plots["whole @ blocks"]
    plot.take_in_all()
    assert len(plot.gene_calls[0]) == len(genome.features.query("blocks", 0, 1_500_000))   # one called gene per gene
    p90 = float(np.percentile(gaps, 90))
    print(f"GUI gaps while a 1.5 Mb whole-sequence track arrived: {len(gaps)} ticks, p90 {p90:.0f} ms, "
          f"max {max(gaps)} ms")
    assert len(gaps) > 20 and p90 < 100, f"the GUI turned slowly: p90 gap {p90:.0f} ms, max {max(gaps)} ms"
    window.close()
    genome.close()
