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
