"""SparseTrack's room made on another thread (``adopt_room``) and its one-copy read of a range inside one block:
the same codes and predicted runs as ``reserve`` and the fill-then-copy read."""
from __future__ import annotations

import numpy as np

from genoview.core.tracks import NOT_PREDICTED, SparseTrack


def _codes_the_long_way(track: SparseTrack, start: int, end: int) -> np.ndarray:
    out = np.full(end - start, NOT_PREDICTED, dtype=np.uint16)
    for block_start, block in zip(track._starts, track._blocks):
        a, b = max(start, block_start), min(end, block_start + len(block))
        if b > a:
            out[a - start:b - start] = block[a - block_start:b - block_start]
    return out


def test_adopted_room_holds_the_same_as_reserved_room():
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 65534, 5000).astype(np.uint16)
    reserved, adopted = SparseTrack(10_000), SparseTrack(10_000)
    reserved.reserve(2000, 9000)
    room = np.full(7000, NOT_PREDICTED, dtype=np.uint16)
    assert adopted.adopt_room(2000, room)
    assert adopted._blocks[0] is room   # no copy: the worker's array is the block
    for track in (reserved, adopted):
        track.set_codes(2500, codes[:3000])
        track.set_codes(5500, codes[3000:])
    np.testing.assert_array_equal(adopted.codes(), reserved.codes())
    assert adopted.predicted_intervals() == reserved.predicted_intervals() == [(2500, 7500)]


def test_room_is_refused_where_it_does_not_fit():
    track = SparseTrack(100)
    assert not track.adopt_room(50, np.full(60, NOT_PREDICTED, dtype=np.uint16))    # past the end
    assert not track.adopt_room(0, np.full(10, NOT_PREDICTED, dtype=np.float32))    # not codes
    assert not track.adopt_room(0, np.full(0, NOT_PREDICTED, dtype=np.uint16))      # empty
    track.reserve(0, 10)
    assert not track.adopt_room(20, np.full(10, NOT_PREDICTED, dtype=np.uint16))    # a block is there already
    assert track._starts == [0] and len(track._blocks[0]) == 10


def test_reading_inside_one_block_equals_the_long_way_and_is_a_copy():
    rng = np.random.default_rng(4)
    track = SparseTrack(20_000)
    track.set_codes(1000, rng.integers(0, 65534, 4000).astype(np.uint16))
    track.set_codes(9000, rng.integers(0, 65534, 3000).astype(np.uint16))
    for start, end in ((1000, 5000), (1200, 1300), (0, 20_000), (4000, 10_000), (9500, 12_000), (6000, 7000),
                       (5000, 5000), (11_999, 12_000)):
        np.testing.assert_array_equal(track.codes(start, end), _codes_the_long_way(track, start, end))
    view = track.codes(1200, 1300)
    view[:] = 7
    assert (track.codes(1200, 1300) != 7).any()   # the caller's array, not the block
