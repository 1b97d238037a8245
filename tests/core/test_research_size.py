"""bench/research/size/pieces.py (session 17, research only) cuts a sequence as its decision record says: k =
round(L / P) near-equal pieces, each cut at the base nearest to j L / k that no annotated feature covers (a
whole-sequence 'region' does not count), the pieces tiling the scored length. Synthetic features, no data."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

SIZE = Path(__file__).resolve().parents[2] / "bench" / "research" / "size"


def _pieces():
    spec = importlib.util.spec_from_file_location("size_pieces_research", SIZE / "pieces.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Features:
    def __init__(self, features):
        self.features = features

    def on(self, seqid, types=None):
        return [f for f in self.features if types is None or f.type in set(types)]


def _genome(length, spans):
    feats = [SimpleNamespace(type="region", strand=1, parts=[(0, length)])]
    feats += [SimpleNamespace(type=t, strand=1, parts=[(a, b)]) for t, a, b in spans]
    return SimpleNamespace(features=_Features(feats), record=lambda sid: SimpleNamespace(length=length))


def test_cuts_avoid_features_and_tile_the_sequence():
    pieces = _pieces()
    genome = _genome(10_000, [("gene", 3_000, 3_500), ("CDS", 3_000, 3_500), ("repeat_region", 6_600, 6_700)])
    spans = pieces.cuts(genome, "s", 10_000, 3_300)      # k = 3: targets 3,333 (in a gene) and 6,667 (in a repeat)
    assert spans == [(0, 3_500), (3_500, 6_700), (6_700, 10_000)]
    assert pieces.cuts(genome, "s", 10_000, 0) == [(0, 10_000)]
    assert pieces.cuts(genome, "s", 10_000, 30_000) == [(0, 10_000)]
    assert pieces.cuts(genome, "s", 7_000, 3_500) == [(0, 3_500), (3_500, 7_000)]   # E. coli: the scored part only
