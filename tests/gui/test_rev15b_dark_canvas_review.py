"""Review of session 15's dark canvas (rev15b): what stayed hard to see on a dark desktop."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from genoview.gui import canvas
from tests.gui.test_ux9_keyboard_dark_theme import _dark_palette, contrast


def _over(color: QColor, base: QColor) -> QColor:
    """``color`` (with its alpha) painted over ``base``."""
    a = color.alphaF()
    return QColor(*(round(c * a + b * (1 - a)) for c, b in ((color.red(), base.red()), (color.green(), base.green()),
                                                              (color.blue(), base.blue()))))


def test_the_step_by_step_loss_is_seen_on_a_dark_canvas_and_unchanged_on_a_light_one(qtbot, qapp):
    from genoview.gui.wizard.curves import TrainingCurves

    before = QPalette(qapp.palette())
    light = QColor(31, 119, 180, 70)
    try:
        qapp.setPalette(_dark_palette())
        curves = TrainingCurves()
        qtbot.addWidget(curves)
        base = _dark_palette().color(QPalette.ColorRole.Base)
        pen = curves.raw_curve.opts["pen"].color()
        # the light canvas's faint blue was 1.4:1 on the dark Base: a line hardly seen, a blank legend key
        assert contrast(_over(light, base), base) < 1.5
        assert contrast(_over(pen, base), base) >= 1.8
        assert contrast(_over(pen, base), base) < contrast(QColor(31, 119, 180), base)   # still under the smoothed
        qapp.setPalette(before)   # the desktop goes light again: the light canvas's pen as it was
        qtbot.waitUntil(lambda: curves.raw_curve.opts["pen"].color() == light)
    finally:
        qapp.setPalette(before)
        canvas.canvas_for()


def test_the_heat_maps_unscored_deletion_row_is_the_canvas_not_a_white_band(qtbot, qapp, session, runner, tmp_path):
    """Deletions not asked for: their row was the map's white (0, "no effect") — a white band across a dark canvas.
    It takes the canvas's colour; the exported figure stays on white; a map with deletions shows its row."""
    from PySide6.QtGui import QImage

    from tests.gui.test_ux8_heat_figure import _result, shown_panel

    before = QPalette(qapp.palette())
    try:
        qapp.setPalette(_dark_palette())
        panel = shown_panel(qtbot, session, runner)
        panel.show_saturation(_result(40))   # column 4 (deletions) all NaN: not scored
        qtbot.waitUntil(lambda: panel.heat_plot.getViewBox().width() > 100)
        dark_base = _dark_palette().color(QPalette.ColorRole.Base)
        band = panel.heat_off_row
        assert band.isVisible() and band.brush().color() == dark_base
        # the middle of the deletion row, on screen: the canvas, not white
        view = panel.heat_plot.getViewBox()
        point = view.mapViewToScene(band.rect().center())
        spot = panel.heat_plots.mapFromScene(point)
        image = panel.heat_plots.grab().toImage()
        ratio = image.devicePixelRatio()
        assert image.pixelColor(int(spot.x() * ratio), int(spot.y() * ratio)).lightness() < 80
        path = tmp_path / "heat.png"
        panel.save_saturation(str(path))   # the figure: on white, its deletion row too
        assert QImage(str(path)).pixelColor(3, 3).lightness() > 240
        assert band.brush().color() == dark_base   # the panel's canvas back after the export
        scored = _result(40)
        scored.effects[:, 4] = -1.0
        panel.show_saturation(scored)
        assert not band.isVisible()
    finally:
        qapp.setPalette(before)
        canvas.canvas_for()


def test_a_switch_from_one_dark_theme_to_another_takes_the_new_base(qtbot, qapp, session):
    """Breeze Dark to another dark theme while GenoView runs: the canvas kept the first theme's Base (the follower
    restyled on a light/dark switch only), a slab of another grey in the new window."""
    from genoview.gui.genome_view.view import GenomeView

    before = QPalette(qapp.palette())
    try:
        qapp.setPalette(_dark_palette())
        view = GenomeView(session)
        qtbot.addWidget(view)
        assert view.graphics.backgroundBrush().color() == QColor("#1e1e1e")
        other = _dark_palette()
        other.setColor(QPalette.ColorRole.Base, QColor("#232629"))   # Breeze Dark's
        qapp.setPalette(other)
        qtbot.waitUntil(lambda: view.graphics.backgroundBrush().color() == QColor("#232629"))
    finally:
        qapp.setPalette(before)
        canvas.canvas_for()
