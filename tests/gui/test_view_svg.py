"""View as SVG: vector tracks (no embedded bitmaps), gene bars cut to the plot, rendered back as it looks."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from genoview.core.io.features import Feature, FeatureTable
from genoview.gui.export import save_widget_image
from genoview.gui.genome_view.view import LABEL_WIDTH
from genoview.gui.session import ProbabilityTrack
from tests.gui.test_genome_view import synthetic_genome, view  # noqa: F401  (the view fixture)


def render_back(path) -> QImage:
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    size = renderer.defaultSize()
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image.scaled(renderer.viewBox().size())   # back to the view's pixels


def colours(image: QImage, x0: int, x1: int, y0: int, y1: int) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(x0, x1) for y in range(y0, y1)}


def test_view_svg_is_vector_clipped_and_renders_like_the_view(view, tmp_path):
    genome = synthetic_genome(20_000, 0)
    genome.features = FeatureTable([Feature("syn", 0, 9_000, 1, "gene", id="long", name="long"),
                                    Feature("syn", 12_000, 14_000, -1, "gene", id="m", name="m")])
    view.session.set_genome(genome)
    values = np.full(20_000, np.nan, dtype=np.float32)
    values[:10_000] = np.where(np.arange(10_000) % 4000 < 2000, 0.9, 0.05)
    view.session.add_track(ProbabilityTrack("m", "Model", "syn", values, color="#d62728"))
    view.session.set_region(5_000, 15_000)   # the long gene starts left of the view
    view.flush()
    view.graphics.grab()
    path = tmp_path / "view.svg"
    save_widget_image(view, path)
    text = path.read_text()
    assert "<image" not in text   # tracks as paths, no bitmap layer
    assert text.count("<polyline") >= 1 and "#d62728" in text.lower()
    image = render_back(path)
    assert image.height() < view.height()   # cut below the last row
    plot = view.track_plots["m"]
    box = plot.getViewBox().sceneBoundingRect()
    top, bottom = int(box.top()) + 2, int(box.bottom()) - 2
    # gene bars stop at the plot's left edge: nothing blue over the row labels
    genes = view.feature_plot.getViewBox().sceneBoundingRect()
    label_column = colours(image, 0, LABEL_WIDTH, int(genes.top()), int(genes.bottom()))
    assert not any(QColor(c).blue() > 150 and QColor(c).red() < 120 for c in label_column)
    # predicted part: the track's red; never-predicted part (right of base 10,000): grey hatching, no red
    middle = int(box.left() + box.width() / 2)   # base 10,000 is the middle of the view
    left_part = colours(image, int(box.left()) + 5, middle - 5, top, bottom)
    right_part = colours(image, middle + 5, int(box.right()) - 5, top, bottom)
    assert any(QColor(c).red() > 180 and QColor(c).green() < 120 for c in left_part)
    assert not any(QColor(c).red() > 180 and QColor(c).green() < 120 for c in right_part)
    assert "#efefef" in right_part and any(QColor(c).red() == QColor(c).green() < 220 for c in right_part)


def test_bases_are_vector_in_svg_too(view, tmp_path):
    genome = synthetic_genome(2_000, 0)
    view.session.set_genome(genome)
    view.session.set_region(100, 160)   # letters and colours
    view.flush()
    view.graphics.grab()
    path = tmp_path / "bases.svg"
    save_widget_image(view, path)
    text = path.read_text()
    assert "<image" not in text
    image = render_back(path)
    sequence = view.sequence_plot.getViewBox().sceneBoundingRect()
    found = colours(image, int(sequence.left()) + 2, int(sequence.right()) - 2, int(sequence.top()) + 3,
                    int(sequence.top()) + 12)
    assert {"#2e9e44", "#2f6fcc", "#d68a00", "#d23a3a"} & found   # base colours (A C G T)
