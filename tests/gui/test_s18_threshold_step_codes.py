"""A threshold step on a whole bacterial genome's track compares the stored uint16 codes, not decoded float32 values.

H-walk18 under Xvfb: dragging the Evaluation panel's threshold slider on E. coli's geneorf-bacteria track froze the
window 205 ms per step (each step decoded all 4.6 M bases to float32 for the strip's runs; 60-90 ms per step under
load, 66 ms best of 7 idle, now 6 ms). The runs must stay the same bit for bit."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from genoview.core.inference import runs_above
from genoview.core.io.features import FeatureTable
from genoview.core.io.sequence import SequenceRecord
from genoview.core.tracks import SCALE
from genoview.gui.genome_view.probability_track import track_runs_above
from genoview.gui.session import ProbabilityTrack
from tests.gui.test_genome_view import view  # noqa: F401  (the view fixture)

LENGTH = 600_000


class PatternRecord(SequenceRecord):
    def _fetch(self, start: int, end: int) -> np.ndarray:
        return np.frombuffer(b"ACGT", dtype=np.uint8)[np.arange(start, end) % 4]


def values_with_gaps() -> np.ndarray:
    rng = np.random.default_rng(3)
    values = np.repeat(rng.random(LENGTH // 250 + 1, dtype=np.float32), 250)[:LENGTH]
    values[10_000:20_000] = np.nan   # not predicted: below any threshold
    values[30_000:30_500] = 0.5
    values[40_000:40_100] = np.float32(347 / SCALE)   # exactly one code
    values[50_000:50_100] = 1.0
    return values


def test_runs_from_codes_equal_runs_from_values():
    values = values_with_gaps()
    track = ProbabilityTrack("m", "m", "chr", values=values)
    stored = track.values(0, LENGTH)   # the quantised values the old path compared
    for threshold in (0.0, 0.5, 0.691, 347 / SCALE, 346.5 / SCALE, 347.5 / SCALE, 0.99999, 1.0, 1.01, -0.1):
        expected_starts, expected_ends = [], []
        for a, b in track.predicted_intervals():
            s, e = runs_above(stored[a:b], threshold)
            expected_starts.append(s + a)
            expected_ends.append(e + a)
        starts, ends = track_runs_above(track, threshold)
        assert np.array_equal(starts, np.concatenate(expected_starts)), threshold
        assert np.array_equal(ends, np.concatenate(expected_ends)), threshold


def test_a_threshold_step_decodes_no_whole_track(view, qtbot):
    view.session.set_genome(SimpleNamespace(path="g.fa", sequences={"chr": PatternRecord("chr", "", LENGTH)},
                                            features=FeatureTable([])))
    track = ProbabilityTrack("m", "Model", "chr", values=values_with_gaps())
    view.session.add_track(track)
    view.flush()
    decoded = []
    read = track.values

    class Counting:   # the float32 values read from the track from here on, in bases
        def __call__(self, start=0, end=None):
            out = read(start, end)
            decoded.append(len(out))
            return out

    track.values = Counting()
    view.session.set_threshold(0.37)
    view.flush()
    plot = view.track_plots["m"]
    starts, ends = plot.gene_calls
    assert len(starts) and (ends > starts).all()
    # the drawing reads the view's envelope (from the pyramid), never the whole track's values
    assert sum(decoded) < LENGTH // 2, f"{sum(decoded):,} bases decoded for one threshold step"
