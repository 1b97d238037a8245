"""The evaluation histogram draws no bar for an empty bin: on its log axis an empty bin was drawn at the 1e-6 floor,
an outline along the axis as if some bases were there."""
from __future__ import annotations

import numpy as np

from genoview.gui.panels.evaluation_plots import LOG_FLOOR, ProbabilityHistogram, bar_outline


def test_bar_outline_leaves_empty_bins_out():
    edges = np.linspace(0, 1, 6)
    x, y = bar_outline(edges, [0.5, 0.25, 0.0, 1e-9, 0.0])
    # one run (bins 0-1): up from the floor, two tops, down; bin 3 (below 1e-6) drawn at the floor's height
    # as a bar of its own; bins 2 and 4 nowhere
    assert np.isnan(x).sum() == 1
    first = slice(0, int(np.flatnonzero(np.isnan(x))[0]))
    assert list(x[first]) == [0.0, 0.0, 0.2, 0.2, 0.4, 0.4] and y[first][0] == LOG_FLOOR == y[first][-1]
    assert np.allclose(y[first][1:5], np.log10([0.5, 0.5, 0.25, 0.25]))
    assert not any(0.4 < v < 0.6 or v > 0.8 for v in x[np.isfinite(x)])   # no line over the empty bins
    assert bar_outline(edges, [0, 0, 0, 0, 0])[0].size == 0


def test_the_histogram_draws_only_the_bins_with_bases(qtbot):
    histogram = ProbabilityHistogram()
    qtbot.addWidget(histogram)
    edges = np.linspace(0, 1, 11)
    histogram.set_histogram(edges, [0, 0, 5, 10, 0, 0, 20, 40, 0, 100], [500, 30, 0, 0, 3, 0, 0, 1, 0, 0])
    genic, nongenic = histogram.shares()
    assert genic[0] == 0 and genic[9] == 100 / 175 and nongenic[9] == 0
    x, y = histogram.genic.getData()
    finite = np.isfinite(x)
    assert not np.any((x[finite] > 0) & (x[finite] < 0.2))   # the two empty bins at the start: no line at all
    histogram.clear()   # nothing to show: nothing drawn
    assert histogram.genic.getData()[0] is None or histogram.genic.getData()[0].size == 0
