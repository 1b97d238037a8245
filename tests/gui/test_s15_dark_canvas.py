"""The genome view and the plots follow the desktop's light or dark palette, at start and when it switches while
GenoView runs: they stayed white slabs with dark grey text in a dark window (session 15). Figures exported from the
plots stay on white."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QPalette

from genoview.gui import canvas
from genoview.gui.genome_view.view import GenomeView
from genoview.gui.session import ProbabilityTrack
from tests.gui.test_ux9_keyboard_dark_theme import _dark_palette, contrast


@pytest.fixture
def palettes(qapp):
    before = QPalette(qapp.palette())
    light = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#efefef"), (QPalette.ColorRole.WindowText, "#000000"),
                        (QPalette.ColorRole.Base, "#ffffff"), (QPalette.ColorRole.Text, "#000000")):
        light.setColor(role, QColor(color))
    yield {"light": light, "dark": _dark_palette()}
    qapp.setPalette(before)
    canvas.canvas_for()


def _background(view: GenomeView) -> QColor:
    return view.graphics.backgroundBrush().color()


def _shown_background(view: GenomeView) -> QColor:
    """The colour painted at the view's bottom-left corner (below the rows: nothing but the canvas)."""
    image = view.graphics.grab().toImage()
    return image.pixelColor(5, image.height() - 5)


def test_the_genome_view_follows_the_palette_at_start_and_on_a_switch(qtbot, qapp, session, palettes):
    qapp.setPalette(palettes["dark"])
    view = GenomeView(session)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    values = np.linspace(0, 1, session.genome.sequences[session.seqid].length, dtype=np.float32)
    session.add_track(ProbabilityTrack("t @ x", "toy", session.seqid, values))
    qtbot.waitUntil(lambda: len(view.track_plots) == 1)
    dark_base = palettes["dark"].color(QPalette.ColorRole.Base)
    assert _background(view) == dark_base and _shown_background(view).lightness() < 60   # was white
    plot = next(iter(view.track_plots.values()))
    label = view._labels[plot]
    assert contrast(QColor(label.opts["color"]), dark_base) >= 7
    assert canvas.DARK.muted in label.text   # the legend under the name
    assert contrast(plot.threshold_line.pen.color(), dark_base) >= 4.5
    assert contrast(plot.getAxis("left").textPen().color(), dark_base) >= 7
    hatch = QColor.fromRgba(plot.columns.palette[-1])   # "not predicted" fill
    assert hatch.lightness() < 60

    qapp.setPalette(palettes["light"])   # the desktop goes light with the window open
    qtbot.waitUntil(lambda: _background(view) == QColor("#ffffff"))
    assert _shown_background(view).lightness() > 240
    assert QColor(view._labels[plot].opts["color"]) == QColor(canvas.LIGHT.text)
    assert canvas.LIGHT.muted in view._labels[plot].text and canvas.DARK.muted not in view._labels[plot].text
    assert QColor.fromRgba(plot.columns.palette[-1]) == QColor(canvas.LIGHT.not_predicted_fill)
    qapp.setPalette(palettes["dark"])
    qtbot.waitUntil(lambda: _background(view) == dark_base)


def test_the_evaluation_plots_follow_the_palette_and_figures_stay_white(qtbot, qapp, palettes):
    from genoview.gui.panels.evaluation_plots import CurvePlot, ProbabilityHistogram

    qapp.setPalette(palettes["dark"])
    curve = CurvePlot("ROC curve", "false positive rate", "true positive rate", diagonal=True)
    histogram = ProbabilityHistogram()
    for widget in (curve, histogram):
        qtbot.addWidget(widget)
    dark_base = palettes["dark"].color(QPalette.ColorRole.Base)
    for widget in (curve, histogram):
        assert widget.plot.backgroundBrush().color() == dark_base
        assert contrast(widget.plot.getPlotItem().getAxis("bottom").textPen().color(), dark_base) >= 7
    assert canvas.LIGHT.text not in histogram.plot.getPlotItem().titleLabel.text   # legend words were #222222
    curve.set_curve([0, 0.5, 1], [0, 0.9, 1], "AUC 0.9")
    twin = curve.figure_copy()
    qtbot.addWidget(twin)
    assert twin.plot.backgroundBrush().color() == QColor("#ffffff")   # a figure is on white
    assert twin.plot.getPlotItem().getAxis("bottom").textPen().color().lightness() < 60
    qapp.setPalette(palettes["light"])
    qtbot.waitUntil(lambda: curve.plot.backgroundBrush().color() == QColor("#ffffff"))
    assert histogram.plot.backgroundBrush().color() == QColor("#ffffff")


def test_the_training_curves_follow_the_palette(qtbot, qapp, palettes):
    from genoview.gui.wizard.curves import TrainingCurves

    qapp.setPalette(palettes["dark"])
    curves = TrainingCurves()
    qtbot.addWidget(curves)
    dark_base = palettes["dark"].color(QPalette.ColorRole.Base)
    assert curves.loss_plot.backgroundBrush().color() == dark_base
    assert curves.metric_plot.backgroundBrush().color() == dark_base
    assert contrast(curves.loss_plot.getPlotItem().getAxis("left").textPen().color(), dark_base) >= 7
    qapp.setPalette(palettes["light"])
    qtbot.waitUntil(lambda: curves.metric_plot.backgroundBrush().color() == QColor("#ffffff"))


def test_a_view_exported_on_a_dark_desktop_is_a_figure_on_white(qtbot, qapp, session, palettes, tmp_path):
    from PySide6.QtGui import QImage

    from genoview.gui.export import save_widget_image

    qapp.setPalette(palettes["dark"])
    view = GenomeView(session)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    save_widget_image(view, tmp_path / "view.png")
    image = QImage(str(tmp_path / "view.png"))
    assert image.pixelColor(10, image.height() - 10).lightness() > 240
    label = next(iter(view._labels.values()))
    assert _background(view) == palettes["dark"].color(QPalette.ColorRole.Base)   # the window stays dark
    assert QColor(label.opts["color"]) == QColor(canvas.DARK.text) and canvas.current() is not canvas.LIGHT
    save_widget_image(view, tmp_path / "view.svg")
    assert "#1e1e1e" not in (tmp_path / "view.svg").read_text().lower()


def test_real_vs_mutated_plots_follow_the_palette_and_the_heat_map_figure_is_on_white(qtbot, qapp, session, runner,
                                                                                       palettes, tmp_path):
    from PySide6.QtGui import QImage

    from tests.gui.test_ux8_heat_figure import _result, shown_panel

    qapp.setPalette(palettes["dark"])
    panel = shown_panel(qtbot, session, runner)
    dark_base = palettes["dark"].color(QPalette.ColorRole.Base)
    for widget in (panel.track_plots, panel.heat_plots, panel.histogram):
        assert widget.backgroundBrush().color() == dark_base
    legend = panel.lm_plot.legend
    assert legend.brush().color().lightness() < 60   # a white box behind light legend words before
    assert contrast(panel.lm_plot.getAxis("left").textPen().color(), dark_base) >= 7
    panel.show_saturation(_result(40))
    qtbot.waitUntil(lambda: panel.heat_plot.getViewBox().width() > 100)
    path = tmp_path / "heat.png"
    panel.save_saturation(str(path))
    image = QImage(str(path))
    assert image.pixelColor(3, 3).lightness() > 240   # a figure on white
    assert panel.heat_plots.backgroundBrush().color() == dark_base   # the panel stays dark
    qapp.setPalette(palettes["light"])
    qtbot.waitUntil(lambda: panel.track_plots.backgroundBrush().color() == QColor("#ffffff"))
    assert legend.brush().color().lightness() > 240
