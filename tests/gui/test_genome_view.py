"""Genome view pieces: 1-based ruler, row packing, run merging, translation, track items, rendering at scale."""
from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pytest

from genoview.core.io.features import Feature, FeatureTable
from genoview.core.io.sequence import InMemoryRecord
from genoview.gui.genome_view.feature_track import display_features, feature_summary, merge_runs, pack_rows
from genoview.core.inference import runs_above
from genoview.gui.genome_view.probability_track import STRIP_CODE
from genoview.gui.genome_view.ruler import position_label, ruler_ticks, tick_spacing
from genoview.gui.genome_view.sequence_track import translate_frame
from genoview.gui.genome_view.view import MIN_SPAN, GenomeView
from genoview.gui.session import ProbabilityTrack, Session


def test_ruler_ticks_are_one_based_whole_bases_spaced_for_their_labels():
    spacing, major, minor = ruler_ticks(0, 20, 800, label_px=40)   # 0.025 bases a pixel: every base has room
    assert spacing == 1 and major.tolist() == list(range(1, 21)) and len(minor) == 0
    spacing, major, minor = ruler_ticks(0, 4_641_652, 1600, label_px=100)
    assert spacing == 500_000 and major[0] == 500_000 and major[-1] == 4_500_000
    assert minor[:2].tolist() == [100_000, 200_000] and not (minor % spacing == 0).any()
    spacing, major, _ = ruler_ticks(999.3, 1010.7, 2000, label_px=50)
    assert spacing == 1 and major[0] == 1000 and major[-1] == 1011   # base 1,011 (0-based 1010) is in view
    assert [tick_spacing(b, 100) for b in (0.001, 0.03, 0.2, 7, 1234)] == [1, 5, 20, 1000, 200_000]
    assert position_label(2_000_000, 1_000_000) == "2 Mb"
    assert position_label(1_500_000, 500_000) == "1,500,000"


def test_pack_rows_first_free_row():
    starts = np.array([0, 5, 10, 12, 30])
    ends = np.array([10, 20, 15, 40, 35])
    assert pack_rows(starts, ends).tolist() == [0, 1, 0, 2, 0]


def test_feature_rows_in_view_are_packed_from_the_top(view, qtbot):
    features = [Feature("syn", 0, 900, 1, "gene", id="long", name="long"),
                Feature("syn", 100, 300, 1, "gene", id="a", name="a"),        # + strand, second row
                Feature("syn", 5000, 6000, -1, "gene", id="m", name="m")]     # − strand, far away
    genome = synthetic_genome(10_000, 4)
    genome.features = FeatureTable(features)
    view.session.set_genome(genome)
    item = view.feature_item
    assert item.row_count == 3
    view.session.set_region(4800, 6200)
    view.flush()
    view.graphics.grab()
    assert item.drawn_row(features[2]) == 0 and item.drawn_row(features[0]) is None   # no empty + rows above it
    view.session.set_region(0, 1000)
    view.flush()
    view.graphics.grab()
    assert [item.drawn_row(f) for f in features] == [0, 1, None]


def test_merge_runs_joins_close_intervals():
    starts = np.array([0, 5, 50, 52, 100])
    ends = np.array([10, 8, 51, 60, 110])
    s, e = merge_runs(starts, ends, max_gap=2)
    assert s.tolist() == [0, 50, 100] and e.tolist() == [10, 60, 110]


def test_display_features_keeps_genes_not_their_parts():
    features = [
        Feature("c", 0, 1000, 1, "region", id="c"),
        Feature("c", 10, 100, 1, "gene", id="g1", name="a"),
        Feature("c", 10, 100, 1, "CDS", id="cds1", parent="g1"),
        Feature("c", 10, 100, 1, "CDS", id="cds-gb"),  # GenBank: a CDS beside its gene, no Parent
        Feature("c", 200, 300, -1, "repeat_region", id="r1"),
    ]
    assert [f.id for f in display_features(features)] == ["g1", "r1"]
    summary = feature_summary(features[1])
    assert "c:11-100" in summary and "+ strand" in summary and "90 bp" in summary


def test_base_columns_colour_each_screen_pixel_with_gaps_between_wide_bases():
    from genoview.gui.genome_view.sequence_track import COMPLEMENT_INDEX, base_columns

    cols = base_columns("ACgtN", 10, 5.0, -40.0, 10, 25)   # base 10 starts at x = 10, 5 px a base
    assert cols.tolist() == [1, 1, 1, 1, 0, 2, 2, 2, 2, 0, 3, 3, 3, 3, 0, 4, 4, 4, 4, 0, 5, 5, 5, 5, 0]
    assert COMPLEMENT_INDEX[cols[:4]].tolist() == [4, 4, 4, 4]   # A pairs with T
    narrow = base_columns("ACGT", 0, 2.0, 0.0, -2, 12)   # 2 px a base: no gaps; nothing left or right of the bases
    assert narrow.tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0]


def test_translation_frames():
    assert translate_frame("ATGAAATAG", 0) == [(0, "M"), (3, "K"), (6, "*")]
    assert translate_frame("CATGAAATAG", 1) == [(1, "M"), (4, "K"), (7, "*")]


def test_runs_above_threshold_treat_nan_as_below():
    values = np.array([0.1, 0.6, 0.7, np.nan, 0.9, 0.2, 0.5], dtype=np.float32)
    starts, ends = runs_above(values, 0.5)
    assert list(zip(starts.tolist(), ends.tolist())) == [(1, 3), (4, 5), (6, 7)]


def synthetic_genome(length: int, n_genes: int, seed: int = 0):
    """An in-memory genome with ``n_genes`` random genes on both strands (for rendering at scale)."""
    rng = np.random.default_rng(seed)
    bases = rng.choice(np.frombuffer(b"ACGT", dtype=np.uint8), size=length)
    record = InMemoryRecord("syn", "synthetic", bases)
    starts = np.sort(rng.integers(0, length - 3000, size=n_genes))
    features = [
        Feature("syn", int(s), int(s + rng.integers(100, 3000)), int(rng.choice([1, -1])), "gene", id=f"g{i}", name=f"gene{i}")
        for i, s in enumerate(starts)
    ]
    return SimpleNamespace(path="syn.fa", sequences={"syn": record}, features=FeatureTable(features))


@pytest.fixture
def view(qtbot):
    session = Session()
    view = GenomeView(session)
    session.setParent(view)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    return view


def render(view) -> float:
    """Seconds to paint the whole view once."""
    view.flush()
    started = time.perf_counter()
    view.graphics.grab()
    return time.perf_counter() - started


def test_whole_genome_with_many_features_renders_fast(view):
    genome = synthetic_genome(4_600_000, 4_500)
    view.session.set_genome(genome)
    render(view)  # first paint builds caches
    assert render(view) < 0.5
    assert view.feature_item.row_count >= 2
    view.session.set_region(1_000_000, 1_005_000)
    assert render(view) < 0.5
    view.session.set_region(1_000_000, 1_000_100)
    assert render(view) < 0.5


def test_zoom_pan_and_limits(view):
    view.session.set_genome(synthetic_genome(50_000, 20))
    view.show_region(1000, 1001)
    x0, x1 = view.visible_range()
    assert x1 - x0 == pytest.approx(MIN_SPAN, abs=0.5)
    view.pan(-100)
    assert view.visible_range()[0] == pytest.approx(0, abs=0.5)
    for _ in range(30):
        view.zoom_out()
    assert view.visible_range() == pytest.approx((0, 50_000), abs=1)
    view.zoom_in()
    x0, x1 = view.visible_range()
    assert x1 - x0 == pytest.approx(25_000, abs=1)
    view.flush()
    assert view.session.region == (round(x0), round(x1))


def test_translation_rows_follow_toggle(view):
    view.session.set_genome(synthetic_genome(5_000, 3))
    view.session.set_region(100, 160)
    rows = view.sequence_item.row_count
    view.set_show_translation(True)
    assert view.sequence_item.row_count == rows + 6   # six frames
    render(view)


def test_live_track_updates_are_incremental_and_redrawn_at_a_limited_rate(view, qtbot):
    view.session.set_genome(synthetic_genome(100_000, 20))
    track = ProbabilityTrack("m", "Model", "syn", np.full(100_000, np.nan, dtype=np.float32))
    view.session.add_track(track)
    view.session.set_region(0, 60_000)
    view.flush()
    qtbot.wait(50)   # the new row's layout settles (its last resize draws the track once more)
    plot = view.track_plots["m"]
    redrawn, rebuilt = [], []
    original = plot._draw_visible
    plot._draw_visible = lambda *args: (redrawn.append(1), original())
    plot.refresh = lambda: rebuilt.append(1)
    for i in range(50):
        view.session.update_track("m", i * 1000, (i + 1) * 1000, np.full(1000, 0.8, dtype=np.float32))
    qtbot.waitUntil(lambda: len(redrawn) >= 1, timeout=3000)
    qtbot.wait(300)
    assert len(redrawn) == 1 and not rebuilt  # one redraw for the burst; nothing rebuilt from scratch
    assert plot.gene_calls[0].tolist() == [0] and plot.gene_calls[1].tolist() == [50_000]

    def strip_fraction(lo: float, hi: float) -> float:
        """Share of the drawn strip's columns over [lo, hi) of the view that show a called gene."""
        strip = plot.columns.codes[-1] == STRIP_CODE
        (x0, x1), (a, b) = view.master.viewRange()[0], plot.columns.span   # the image reaches past the view
        column = lambda f: int((x0 + f * (x1 - x0) - a) / (b - a) * len(strip))
        return float(strip[column(lo):column(hi)].mean())

    assert strip_fraction(0.0, 0.83) == 1.0 and strip_fraction(0.84, 1.0) == 0.0   # 50,000 of 60,000
    view.session.update_track("m", 70_000, 80_000, np.full(10_000, 0.9, dtype=np.float32))  # out of view
    qtbot.wait(400)
    assert len(redrawn) == 1   # taken in, not drawn
    assert plot.gene_calls[0].tolist() == [0, 70_000] and plot.gene_calls[1].tolist() == [50_000, 80_000]
    view.session.set_region(60_000, 100_000)  # scrolled there: drawn with the new values
    view.flush()
    assert strip_fraction(0.26, 0.49) == 1.0 and strip_fraction(0.0, 0.24) == 0.0 and strip_fraction(0.51, 1.0) == 0.0


def test_gene_call_strip_marks_every_pixel_a_call_touches():
    from genoview.gui.genome_view.probability_track import STRIP_CODE, pixels_covered, track_image_codes

    starts, ends = np.array([10, 500, 503]), np.array([12, 501, 900])
    covered = pixels_covered(starts, ends, 0.0, 1000.0, 100)   # 10 bases a pixel
    assert np.flatnonzero(covered).tolist() == [1, *range(50, 90)]
    assert not pixels_covered(starts, ends, 12.0, 500.0, 10).any()   # half-open: base 12 and base 500 are out
    image = track_image_codes(np.full(100, 0.5, np.float32), None, None, covered, pixels_per_unit=50.0)
    assert image.shape == (61, 100)   # y from 1 down to -0.22 at 50 pixels per unit
    assert (image[55:61, 1] == STRIP_CODE).all() and (image[55:61, 0] == 0).all()
    assert (image[:25, 0] & 2 == 0).all() and (image[26:50, 0] & 2 == 2).all()   # filled below 0.5


def test_pyramid_and_gene_calls_updated_by_ranges_equal_a_full_rebuild():
    from genoview.gui.genome_view.probability_track import EnvelopePyramid, update_intervals

    rng = np.random.default_rng(3)
    n = 300_001  # not a multiple of 8: the last bin of each level is short
    values = np.full(n, np.nan, dtype=np.float32)
    pyramid = EnvelopePyramid(values)
    starts, ends = runs_above(values, 0.5)
    for _ in range(300):
        start = int(rng.integers(0, n))
        end = min(n, start + int(rng.integers(1, 20_000)))
        values[start:end] = np.where(rng.random(end - start) < 0.05, np.nan, rng.random(end - start))
        pyramid.update(start, end)
        starts, ends = update_intervals(starts, ends, values, 0.5, start, end)
    full = EnvelopePyramid(values)
    for (size, *arrays), (full_size, *full_arrays) in zip(pyramid.levels, full.levels, strict=True):
        assert size == full_size
        for part, whole in zip(arrays, full_arrays):
            np.testing.assert_allclose(part, whole, rtol=1e-5, atol=1e-6)
    padded = np.nan_to_num(np.concatenate((values, values[-1:].repeat(7))))[:len(full.levels[0][2]) * 8]
    np.testing.assert_array_equal(full.levels[0][2], padded.reshape(-1, 8).min(axis=1))  # NaN counts as 0
    np.testing.assert_array_equal(full.levels[0][3], padded.reshape(-1, 8).max(axis=1))
    expected = runs_above(values, 0.5)
    assert np.array_equal(starts, expected[0]) and np.array_equal(ends, expected[1])


def test_envelope_pyramid_keeps_peaks_and_bounds_points():
    from genoview.gui.genome_view.probability_track import EnvelopePyramid

    values = np.zeros(1_000_000, dtype=np.float32)
    values[123_456] = 1.0  # a one-base spike must survive whole-genome zoom
    values[500_000:600_000] = np.nan  # not predicted yet: drawn at 0
    pyramid = EnvelopePyramid(values)
    mean, low, high = pyramid.pixels(0, 1_000_000, 1000)
    assert len(mean) == len(low) == len(high) == 1000  # one column per pixel
    assert high.max() == 1.0 and high[123] == 1.0 and low.max() == 0.0 and mean.max() < 0.1
    assert np.isfinite(mean).all()
    mean, low, high = pyramid.pixels(123_446, 123_466, 1000)  # zoomed in: 50 pixels a base, no band
    assert low is None and high is None and len(mean) == 1000
    assert mean.max() > 0.98 and np.argmax(mean) in (524, 525) and mean[0] == 0.0   # the spike at its centre (123,456.5)
    ramp = EnvelopePyramid(np.linspace(0, 1, 100_000, dtype=np.float32))
    mean, low, high = ramp.pixels(-1000.0, 101_000.0, 102)   # columns off both ends read 0
    assert mean[0] == 0.0 and mean[-1] == 0.0 and 0.0 < mean[1] < mean[50] < mean[100]
    assert np.all(low[1:-1] <= mean[1:-1]) and np.all(mean[1:-1] <= high[1:-1])


def test_reverse_frames_read_minus_strand_genes():
    from genoview.gui.genome_view.sequence_track import COMPLEMENT, translate_reverse_frame

    gene = "ATGAAACCCTGGTAA"   # M K P W *
    forward_text = "GG" + gene.translate(COMPLEMENT)[::-1] + "C"   # the gene on the minus strand
    codons = translate_reverse_frame(forward_text, 2)
    assert "".join(aa for _, aa in reversed(codons)) == "MKPW*"   # read right to left
    assert codons[-1] == (14, "M") and codons[0] == (2, "*")     # start codon rightmost, stop leftmost


def test_a_long_track_name_is_elided_to_the_label_column(qapp):
    """'kmer-bert-ecoli-orfs' ran off the label column's left edge, clipping the name and its legend."""
    import re

    from PySide6.QtGui import QFont, QFontMetrics

    from genoview.gui.genome_view.view import LABEL_WIDTH, track_label_html

    font = QFont()
    font.setPointSizeF(9)
    long = track_label_html("kmer-bert-ecoli-orfs @ NC_000913.3", 0.5)
    name = long.split("<br>")[0]
    assert "…" in name and name.startswith("kmer") and name.endswith("913.3")
    assert QFontMetrics(font).horizontalAdvance(name) <= LABEL_WIDTH - 8
    assert "strip: genes p ≥ 0.50" in long
    assert track_label_html("genecnn", 0.5).split("<br>")[0] == "genecnn"
    assert re.match("a &amp; b<br>", track_label_html("a & b", 0.5))
