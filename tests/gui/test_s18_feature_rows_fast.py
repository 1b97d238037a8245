"""Laying out a sequence's features (a genome opened, another sequence shown, gene calls arriving) does no per-feature
Qt or key-function work. H-walk18 under Xvfb: reopening E. coli's session held the window 225 ms in
FeatureTrackItem.set_features (9,590 features: a QColor per feature, a Python sort key per feature, numpy scalars
compared one by one in pack_rows); best of 7 offscreen, same load: 49 ms -> 14 ms. The layout is the same."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from genoview.gui.genome_view import feature_track
from genoview.gui.genome_view.feature_track import FeatureTrackItem, display_features, pack_rows


def _features(n: int = 3000):
    rng = np.random.default_rng(5)
    starts = rng.integers(0, 200_000, n)
    return [SimpleNamespace(seqid="s", start=int(a), end=int(a + rng.integers(60, 3000)), strand=int(rng.choice((1, -1))),
                            type=str(rng.choice(("gene", "tRNA", "rRNA", "pseudogene"))), parent=None, name=f"g{i}",
                            id=f"g{i}", attributes={}) for i, a in enumerate(starts)]


def test_one_colour_per_type_and_the_same_layout(qtbot, monkeypatch):
    features = _features()
    features.append(SimpleNamespace(**{**vars(features[0]), "name": "twin", "id": "twin"}))   # a tie: file order kept
    item = FeatureTrackItem()
    made = []
    real = feature_track.QColor
    monkeypatch.setattr(feature_track, "QColor", lambda *a: made.append(a) or real(*a))
    item.set_features(features, 300_000)
    assert len(made) <= len({f.type for f in features})
    expected = sorted(display_features(features), key=lambda f: (f.start, f.end))
    assert [f.id for f in item.features] == [f.id for f in expected]
    starts = np.array([f.start for f in expected])
    ends = np.array([f.end for f in expected])
    assert np.array_equal(item._starts, starts) and np.array_equal(item._ends, ends)
    plus = np.array([f.strand >= 0 for f in expected])
    assert np.array_equal(item._rows[plus], pack_rows(starts[plus], ends[plus]))
