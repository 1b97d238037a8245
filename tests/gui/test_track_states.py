"""Probability-track states: bases never predicted are drawn hatched, never like a confident 0 (issue 13 item 2)."""
from __future__ import annotations

import numpy as np

from genoview.gui.genome_view.probability_track import (
    HATCH_CODE,
    NOT_PREDICTED_CODE,
    STRIP_CODE,
    EnvelopePyramid,
    track_image_codes,
)
from genoview.gui.session import ProbabilityTrack
from tests.gui.test_genome_view import synthetic_genome, view  # noqa: F401  (the view fixture)


def test_pyramid_knows_which_columns_hold_predictions():
    values = np.full(1_000_000, np.nan, dtype=np.float32)
    values[200_000:300_000] = 0.0          # predicted, probability 0
    values[700_123] = 0.7                  # one predicted base: its column counts as predicted
    pyramid = EnvelopePyramid(values)
    predicted = pyramid.predicted(0, 1_000_000, 1000)
    assert predicted[200:300].all() and predicted[700]
    # a column reduces whole bins of the pyramid, so an edge may reach one column further (as the mean does)
    assert not predicted[:199].any() and not predicted[301:699].any() and not predicted[702:].any()
    zoomed = pyramid.predicted(199_990, 200_010, 20)   # a base a column
    assert zoomed.tolist() == [False] * 10 + [True] * 10
    assert not pyramid.predicted(-100, 0, 10).any()     # columns off the sequence hold nothing


def test_not_predicted_columns_are_hatched_and_predicted_zero_is_not():
    mean = np.zeros(64, dtype=np.float32)
    predicted = np.arange(64) < 32
    called = np.zeros(64, dtype=bool)
    image = track_image_codes(mean, None, None, called, pixels_per_unit=40.0, predicted=predicted)
    assert set(np.unique(image[:, :32])) <= {0, 4}          # predicted 0: empty, the mean line on the base line
    assert (image[39, :32] == 4).all()                      # ... drawn at y = 0
    right = image[:, 32:]
    assert set(np.unique(right)) == {HATCH_CODE, NOT_PREDICTED_CODE} and STRIP_CODE not in right


def test_view_draws_unpredicted_part_of_a_track_hatched(view, qtbot):
    genome = synthetic_genome(20_000, 4)
    view.session.set_genome(genome)
    values = np.full(20_000, np.nan, dtype=np.float32)
    values[:10_000] = 0.0   # the left half predicted "no gene", the right half never predicted
    view.session.add_track(ProbabilityTrack("m", "Model", "syn", values))
    view.session.set_region(0, 20_000)
    view.flush()
    view.graphics.grab()
    codes = view.track_plots["m"].columns.codes
    x0, x1 = view.track_plots["m"].columns.span
    columns = codes.shape[1]
    middle = int(columns * (10_000 - x0) / (x1 - x0))
    left, right = codes[:, : middle - 2], codes[:, middle + 2:]
    assert HATCH_CODE not in left and NOT_PREDICTED_CODE not in left
    assert (right == NOT_PREDICTED_CODE).mean() > 0.8 and (right == HATCH_CODE).any()
