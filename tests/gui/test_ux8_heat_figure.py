"""A saturation heat map of a whole 1 kb gene, exported for a slide or a paper: reference dots that do not bury
the rows, and a PNG at twice the widget's size."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from genoview.core.variant_effects import SaturationResult
from genoview.gui.panels.mutation import MutationPanel
from tests.gui.test_genome_view import view  # noqa: F401  (the view fixture)


def shown_panel(qtbot, session, runner) -> MutationPanel:
    """A Real vs mutated panel shown at a dock's size (480 x 1000), quiet (no message boxes)."""
    panel = MutationPanel(session, runner, default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(480, 1000)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def _result(n: int) -> SaturationResult:
    rng = np.random.default_rng(0)
    sequence = "".join(rng.choice(list("ACGT"), n))
    effects = rng.normal(-3, 1, (n, 5))
    effects[:, 4] = np.nan
    for i, base in enumerate(sequence):
        effects[i, "ACGT".index(base)] = np.nan
    return SaturationResult(sequence, 0, n, effects, "log-likelihood ratio", "kn", 1.0)


def test_reference_dots_fit_the_columns_and_the_png_is_twice_the_widget(qtbot, session, runner, tmp_path):
    panel = shown_panel(qtbot, session, runner)
    panel.show_saturation(_result(991))
    qtbot.waitUntil(lambda: panel.heat_plot.getViewBox().width() > 100)
    # 991 positions in ~220 pixels: 4-pixel dots merged into grey bars over every row (the figure read "grey")
    qtbot.waitUntil(lambda: panel.heat_plot.getViewBox().viewRange()[0][1] > 900)   # the range follows on a paint
    assert not panel.reference_marks.isVisible()
    assert "too dense for dots" in panel.heat_caption.text()
    panel.show_saturation(_result(40))
    qtbot.waitUntil(lambda: panel.heat_plot.getViewBox().viewRange()[0][1] < 100)
    assert panel.reference_marks.isVisible() and panel.reference_marks.opts["size"] <= 4.0
    panel.heat_plot.getViewBox().setXRange(1, 400, padding=0)   # zoomed out: dots shrink to the columns, then go
    qtbot.waitUntil(lambda: not panel.reference_marks.isVisible())
    path = tmp_path / "heat.png"
    panel.save_saturation(str(path))
    image = QImage(str(path))
    # was a screen grab, 448 x 504 for a 991-base gene: blurred on a slide
    assert image.width() == 2 * panel.heat_plots.width() and image.height() == 2 * panel.heat_plots.height()



def test_view_png_is_twice_the_view_and_cut_below_the_last_track(view, tmp_path):  # noqa: F811
    from tests.gui.test_genome_view import synthetic_genome

    from genoview.gui.export import save_widget_image

    view.session.set_genome(synthetic_genome(20_000, 0))
    view.session.set_region(0, 10_000)
    view.flush()
    view.graphics.grab()
    path = tmp_path / "view.png"
    save_widget_image(view, path)
    image = QImage(str(path))
    content = int(view.content_height())
    # the slide's PNG was a screen grab with the window's empty lower part (the SVG was already cut there)
    assert content < view.height()
    assert image.width() == 2 * view.width() and image.height() == 2 * content
