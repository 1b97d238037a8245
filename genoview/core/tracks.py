"""Probability tracks at reduced precision: uint16 codes for the predicted regions only.

A probability p in [0, 1] is stored as ``round(p * 65534)`` (steps of 1.5e-5, far below anything a
track, a bedGraph's 4 decimals or a threshold slider shows) and 65535 means "not predicted". The
prediction service quantises every tile as it comes, so a fresh prediction, the cache and the GUI
hold the same values bit for bit. :class:`SparseTrack` keeps only the blocks that were predicted:
a 1 Mb region of a 250 Mb chromosome costs 2 MB, not a 1 GB float32 array.
"""
from __future__ import annotations

import bisect

import numpy as np

SCALE = 65534
NOT_PREDICTED = np.uint16(65535)


def quantise(values: np.ndarray) -> np.ndarray:
    """uint16 codes of probabilities (clipped to [0, 1]); NaN becomes :data:`NOT_PREDICTED`."""
    values = np.asarray(values, dtype=np.float32)
    codes = np.rint(np.clip(values, 0.0, 1.0) * np.float32(SCALE))
    codes = np.nan_to_num(codes, nan=float(NOT_PREDICTED))
    return codes.astype(np.uint16)


def dequantise(codes: np.ndarray) -> np.ndarray:
    """float32 probabilities of uint16 codes; NaN where not predicted."""
    codes = np.asarray(codes, dtype=np.uint16)
    values = codes.astype(np.float32) / np.float32(SCALE)
    values[codes == NOT_PREDICTED] = np.nan
    return values


def round_trip(values: np.ndarray) -> np.ndarray:
    """``dequantise(quantise(values))``: the values every consumer of a prediction sees."""
    return dequantise(quantise(values))


class SparseTrack:
    """Per-base values of one sequence, stored only over predicted blocks as uint16 codes.

    ``values(start, end)`` is float32 with NaN where nothing was predicted (distinct from 0);
    ``predicted_intervals()`` lists the (start, end) runs that hold values.
    """

    def __init__(self, length: int) -> None:
        self.length = int(length)
        self._starts: list[int] = []          # block starts, sorted; blocks never overlap
        self._blocks: list[np.ndarray] = []   # uint16 codes of each block
        self._intervals: list[tuple[int, int]] | None = []

    @property
    def nbytes(self) -> int:
        return sum(block.nbytes for block in self._blocks)

    def reserve(self, start: int, end: int) -> None:
        """Make room for values over [start, end) (NaN until set); merges with blocks it touches."""
        start, end = max(0, int(start)), min(self.length, int(end))
        if end <= start:
            return
        first = bisect.bisect_right(self._starts, start) - 1
        if first >= 0 and self._starts[first] + len(self._blocks[first]) < start:
            first += 1
        first = max(first, 0)
        last = first
        while last < len(self._starts) and self._starts[last] <= end:
            last += 1
        touched = range(first, last)
        if len(touched) == 1 and self._starts[first] <= start and self._starts[first] + len(self._blocks[first]) >= end:
            return   # already inside one block
        lo = min([start] + [self._starts[i] for i in touched])
        hi = max([end] + [self._starts[i] + len(self._blocks[i]) for i in touched])
        merged = np.full(hi - lo, NOT_PREDICTED, dtype=np.uint16)
        for i in touched:
            a = self._starts[i] - lo
            merged[a:a + len(self._blocks[i])] = self._blocks[i]
        self._starts[first:last] = [lo]
        self._blocks[first:last] = [merged]

    def adopt_room(self, start: int, room: np.ndarray) -> bool:
        """Take ``room`` (uint16, all :data:`NOT_PREDICTED`, made elsewhere: a worker thread) as the reserved block
        over [start, start + len(room)) of a track that holds no block yet; False (nothing done) otherwise.
        Filling a whole genome's block costs 10+ ms (page faults), which the GUI thread need not pay."""
        start = int(start)
        if self._blocks or room.dtype != np.uint16 or start < 0 or start + len(room) > self.length or not len(room):
            return False
        self._starts, self._blocks = [start], [room]
        return True

    def set_codes(self, start: int, codes: np.ndarray) -> None:
        """Store uint16 ``codes`` from ``start`` (reserving the span if needed)."""
        codes = np.asarray(codes, dtype=np.uint16)
        if not len(codes):
            return
        end = int(start) + len(codes)
        self.reserve(start, end)
        i = bisect.bisect_right(self._starts, int(start)) - 1
        a = int(start) - self._starts[i]
        self._blocks[i][a:a + len(codes)] = codes
        if self._intervals is not None and len(codes) and not (codes == NOT_PREDICTED).any():
            self._add_interval(int(start), end)   # a predicted slice: no rescan of the block (a whole genome's)
        else:
            self._intervals = None

    def _add_interval(self, start: int, end: int) -> None:
        """Merge [start, end) into the known predicted runs (kept as ``predicted_intervals`` would find them)."""
        runs = self._intervals
        first = bisect.bisect_left(runs, (start,))
        if first > 0 and runs[first - 1][1] >= start:
            first -= 1
        last, lo, hi = first, start, end
        while last < len(runs) and runs[last][0] <= hi:
            lo, hi = min(lo, runs[last][0]), max(hi, runs[last][1])
            last += 1
        runs[first:last] = [(lo, hi)]

    def set(self, start: int, values: np.ndarray) -> None:
        """Store float probabilities from ``start`` (quantised)."""
        self.set_codes(start, quantise(values))

    def set_known(self, start: int, values: np.ndarray) -> None:
        """Store the runs of ``values`` that are not NaN, from ``start``; its NaN bases are left as they are and take
        no room (``set`` would store them as :data:`NOT_PREDICTED` over one block spanning the gaps: 20 MB for two
        1 kb runs of a bedGraph 10 Mb apart, not 4 kB)."""
        values = np.asarray(values, dtype=np.float32)
        known = ~np.isnan(values)
        if known.all():
            self.set(start, values)
            return
        edges = np.flatnonzero(np.diff(np.concatenate(([0], known.view(np.int8), [0]))))
        for a, b in zip(edges[0::2].tolist(), edges[1::2].tolist()):
            self.set(int(start) + a, values[a:b])

    def clear(self, start: int = 0, end: int | None = None) -> None:
        """Forget the values over [start, end)."""
        end = self.length if end is None else int(end)
        for block_start, block in zip(self._starts, self._blocks):
            a, b = max(start, block_start), min(end, block_start + len(block))
            if b > a:
                block[a - block_start:b - block_start] = NOT_PREDICTED
        self._intervals = None

    def codes(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """uint16 codes of [start, end), :data:`NOT_PREDICTED` outside the predicted blocks."""
        end = self.length if end is None else int(end)
        start = int(start)
        i = max(0, bisect.bisect_right(self._starts, start) - 1)
        if i < len(self._starts) and self._starts[i] <= start and end <= self._starts[i] + len(self._blocks[i]):
            # inside one block (a whole-genome prediction's slices): one copy, not a fill then a copy
            return self._blocks[i][start - self._starts[i]:end - self._starts[i]].copy()
        out = np.full(max(0, end - start), NOT_PREDICTED, dtype=np.uint16)
        while i < len(self._starts) and self._starts[i] < end:
            block_start, block = self._starts[i], self._blocks[i]
            a, b = max(start, block_start), min(end, block_start + len(block))
            if b > a:
                out[a - start:b - start] = block[a - block_start:b - block_start]
            i += 1
        return out

    def values(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """float32 values of [start, end) with NaN where not predicted."""
        return dequantise(self.codes(start, end))

    def predicted_intervals(self) -> list[tuple[int, int]]:
        """(start, end) runs that hold values, sorted."""
        if self._intervals is None:
            intervals = []
            for block_start, block in zip(self._starts, self._blocks):
                known = np.zeros(len(block) + 2, dtype=np.int8)
                known[1:-1] = block != NOT_PREDICTED
                edges = np.flatnonzero(np.diff(known)) + block_start
                intervals.extend(zip(edges[0::2].tolist(), edges[1::2].tolist()))
            merged: list[tuple[int, int]] = []
            for a, b in intervals:
                if merged and merged[-1][1] == a:
                    merged[-1] = (merged[-1][0], b)
                else:
                    merged.append((a, b))
            self._intervals = merged
        return list(self._intervals)

    def is_complete(self, start: int = 0, end: int | None = None) -> bool:
        """True when every base of [start, end) holds a value."""
        end = self.length if end is None else int(end)
        return any(a <= start and end <= b for a, b in self.predicted_intervals())
