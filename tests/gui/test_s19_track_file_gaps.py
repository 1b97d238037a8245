"""File ▸ Open track… on a bedGraph with gaps (bases no line covers: NaN in the values read): the track shows them
as gaps, and they take no room. The split into covered runs was written twice (ProbabilityTrack and track_opener);
it is core's SparseTrack.set_known now. quantise alone maps NaN to "not predicted" too, but over one block that
spans the gaps (20 MB for two 1 kb runs 10 Mb apart)."""
from __future__ import annotations

import types

import numpy as np


def test_a_bedgraph_with_gaps_opens_as_a_track_with_gaps(tmp_path):
    from genoview.gui.track_opener import load_track_file

    track = tmp_path / "peaks.bedGraph"
    track.write_text("chrA\t100\t1100\t0.8\nchrA\t5000100\t5001100\t0.2\nchrA\t5001100\t5001200\t0.4\n")
    genome = types.SimpleNamespace(path=str(tmp_path / "g.fa"),
                                   sequences={"chrA": types.SimpleNamespace(length=10_000_000)})
    (opened,) = load_track_file(str(track), genome).tracks
    assert opened.predicted_intervals() == [(100, 1100), (5000100, 5001200)]
    values = opened.values(0, 5001300)
    assert np.isnan(values[:100]).all() and np.isnan(values[1100:5000100]).all() and np.isnan(values[5001200:]).all()
    assert np.allclose(values[100:1100], 0.8, atol=1e-4) and np.allclose(values[5001100:5001200], 0.4, atol=1e-4)
    assert opened.storage.nbytes == 2 * (1000 + 1100)   # the covered bases only, as uint16 codes


def test_set_known_leaves_the_gaps_unstored():
    from genoview.core.tracks import SparseTrack

    values = np.full(12, np.nan, dtype=np.float32)
    values[2:5], values[8:10] = 0.5, 1.0
    track = SparseTrack(20)
    track.set_known(3, values)
    assert track.predicted_intervals() == [(5, 8), (11, 13)] and track.nbytes == 2 * 5
    assert np.isnan(track.values(0, 20)[[0, 4, 8, 10, 13, 19]]).all()
