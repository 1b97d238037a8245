"""A human-scale chromosome in the genome view: a 1 Mb predicted region costs memory in proportion to the region,
never a whole-chromosome array (issue 9), and the view draws the region and the hatched not-predicted rest."""
from __future__ import annotations

import tracemalloc
from types import SimpleNamespace

import numpy as np

from genoview.core.io.features import Feature, FeatureTable
from genoview.core.io.sequence import SequenceRecord
from genoview.gui.genome_view.probability_track import HATCH_CODE, NOT_PREDICTED_CODE, EnvelopePyramid
from genoview.gui.session import ProbabilityTrack
from tests.gui.test_genome_view import view  # noqa: F401  (the view fixture)

LENGTH = 250_000_000
REGION = (100_000_000, 101_000_000)
PATTERN = np.frombuffer(b"ATGAAACGCATTAGCACCACCATTACCACCACCATCACCATTACCACAGGTAACGGTGCGGGCTGA", dtype=np.uint8)


class LazyRecord(SequenceRecord):
    """A chromosome whose bases are made on demand from a repeating pattern: nothing whole-sequence is stored."""

    def _fetch(self, start: int, end: int) -> np.ndarray:
        return PATTERN[np.arange(start, end) % len(PATTERN)]


def lazy_genome():
    features = FeatureTable([Feature("chr1", s, s + 900, 1 if i % 2 else -1, "gene", id=f"g{i}", name=f"gene{i}")
                             for i, s in enumerate(range(REGION[0] - 50_000, REGION[1] + 50_000, 5_000))])
    return SimpleNamespace(path="chr1.fa", sequences={"chr1": LazyRecord("chr1", "synthetic", LENGTH)}, features=features)


def drawn_columns(view, key: str, x0: float, x1: float):
    """Show [x0, x1], paint, and return the track image's codes and the genomic span its columns cover."""
    view.master.setXRange(x0, x1, padding=0)
    view.flush()
    view.graphics.grab()
    plot = view.track_plots[key]
    return plot.columns.codes, plot.columns.span


def hatched(codes: np.ndarray) -> np.ndarray:
    """Per column: drawn as not predicted (hatching on grey from top to bottom)."""
    return np.isin(codes, (HATCH_CODE, NOT_PREDICTED_CODE)).all(axis=0)


def test_a_1_mb_region_of_a_250_mb_chromosome_is_drawn_without_a_whole_chromosome_array(view, qtbot):
    tracemalloc.start()
    try:
        view.session.set_genome(lazy_genome())
        track = ProbabilityTrack("m", "Model", "chr1", length=LENGTH)   # as PredictController makes it
        track.storage.reserve(*REGION)
        view.session.add_track(track)
        rng = np.random.default_rng(0)
        for start in range(REGION[0], REGION[1], 250_000):   # tiles as the prediction service sends them
            values = np.clip(np.convolve(rng.random(250_999, dtype=np.float32), np.full(1000, 2e-3, np.float32), "valid")
                             * 2 - 0.5, 0, 1).astype(np.float32)
            view.session.update_track("m", start, start + 250_000, values)
        plot = view.track_plots["m"]
        plot.take_in_all()
        plot.redraw()
        whole = drawn_columns(view, "m", 0, LENGTH)
        edge = drawn_columns(view, "m", REGION[0] - 50_000, REGION[0] + 50_000)
        bases = drawn_columns(view, "m", REGION[0] - 100, REGION[0] + 100)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the values (2 MB of uint16) and the envelopes over the region, no O(length) array: one float32 copy of the
    # chromosome would be 1,000 MB and the old pyramid held 5 bytes a base (1,250 MB)
    assert track.storage.nbytes == 2 * (REGION[1] - REGION[0])
    assert plot.pyramid.nbytes < 12_000_000
    assert peak < 80_000_000, f"{peak / 1e6:.0f} MB allocated at the peak"

    a, b = REGION
    for codes, (x0, x1) in (whole, edge, bases):
        columns = codes.shape[1]
        position = x0 + (np.arange(columns) + 0.5) * (x1 - x0) / columns   # each column's centre
        width = (x1 - x0) / columns
        inside, outside = (position > a + width) & (position < b - width), (position < a - width) | (position > b + width)
        shown = hatched(codes)
        assert inside.any() and outside.any()
        assert not shown[inside].any(), "the predicted region is drawn hatched"
        assert shown[outside].all(), "bases never predicted are not drawn as not predicted"


def test_sparse_pyramid_matches_a_dense_rebuild_over_scattered_regions():
    rng = np.random.default_rng(5)
    n = 5_000_003
    values = np.full(n, np.nan, dtype=np.float32)
    track = ProbabilityTrack("k", "k", "s", length=n)
    pyramid = EnvelopePyramid(track.values, build=False, length=n)
    for _ in range(30):
        start = int(rng.integers(0, n))
        end = min(n, start + int(rng.integers(1, 200_000)))
        part = np.where(rng.random(end - start) < 0.02, np.nan, rng.random(end - start)).astype(np.float32)
        values[start:end] = part
        track.values[start:end] = part
        pyramid.update(start, end)
    dense = EnvelopePyramid(np.asarray(track.values))
    for (size, *arrays), (dense_size, *dense_arrays) in zip(pyramid.levels, dense.levels, strict=True):
        assert size == dense_size
        for part, whole in zip(arrays, dense_arrays):
            np.testing.assert_allclose(part, whole, rtol=1e-5, atol=1e-6)
    for x0, x1, pixels in ((0, n, 1600), (1_234_567.5, 1_334_567.5, 1000), (42.0, 4042.0, 1000), (77.0, 97.0, 800)):
        for got, want in zip(pyramid.pixels(x0, x1, pixels), dense.pixels(x0, x1, pixels)):
            assert (got is None) == (want is None)
            if got is not None:
                np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
        assert np.array_equal(pyramid.predicted(x0, x1, pixels), dense.predicted(x0, x1, pixels))
    assert pyramid.nbytes == dense.nbytes   # pages only where predicted, however the values came in
    assert EnvelopePyramid(np.full(n, np.nan, dtype=np.float32)).nbytes < 0.03 * n   # nothing predicted: coarse bins only


def test_evaluation_of_a_region_of_a_long_chromosome_uses_arrays_of_the_region_only():
    from genoview.core.evaluation_scope import EvaluationScope, evaluate_scope
    from genoview.core.genome import genic_mask
    from genoview.gui.panels.evaluation import predicted_extent

    n, region = 2_000_000, (1_200_000, 1_300_000)
    features = FeatureTable([Feature("chr1", s, s + 700, 1, "gene", id=f"g{i}") for i, s in
                             enumerate(range(1_150_000, 1_350_000, 2_000))])
    rng = np.random.default_rng(1)
    track = ProbabilityTrack("m", "Model", "chr1", length=n)
    track.storage.set(region[0], rng.random(region[1] - region[0], dtype=np.float32))
    track.storage.set(region[1] + 5_000, rng.random(20_000, dtype=np.float32))   # a second stretch after a gap
    scope = EvaluationScope("m", "chr1", 0, n, ("gene",), "whole sequence chr1", kind="whole")
    lo, hi = predicted_extent(track, scope.start, scope.end)
    assert (lo, hi) == (region[0], region[1] + 25_000)
    assert predicted_extent(track, 0, 1_000_000) == (0, 0)   # nothing predicted in the scope
    cropped = evaluate_scope(genic_mask(features, "chr1", n, ("gene",), window=(lo, hi)), track.values(lo, hi), scope,
                             0.5, start=lo)
    whole = evaluate_scope(genic_mask(features, "chr1", n, ("gene",)), track.values(0, n), scope, 0.5)
    assert len(cropped.probs) == hi - lo and len(whole.probs) == n
    assert cropped.report.to_json() == whole.report.to_json()
    assert cropped.not_predicted == whole.not_predicted == n - 120_000
    assert cropped.predicted_runs() == whole.predicted_runs() == [region, (region[1] + 5_000, region[1] + 25_000)]
    for kind in ("fp", "fn"):
        assert cropped.error_intervals(0.5, kind) == whole.error_intervals(0.5, kind)
