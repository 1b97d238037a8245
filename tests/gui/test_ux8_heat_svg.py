"""The heat map's SVG figure draws its axes where its data are (at the generator's default 72 dpi pyqtgraph's axes,
replayed from pictures recorded at the screen's resolution, came out at 3/4 size: ticks and rows did not match)."""
from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from genoview.core.variant_effects import SaturationResult
from tests.gui.test_ux8_heat_figure import shown_panel


def _difference(a: QImage, b: QImage) -> float:
    def grey(image):
        image = image.convertToFormat(QImage.Format.Format_Grayscale8)
        data = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
        data = data[:, :image.width()].astype(float)
        h, w = data.shape[0] // 8 * 8, data.shape[1] // 8 * 8   # 8 x 8 blocks: the layout, not antialiasing
        return data[:h, :w].reshape(h // 8, 8, w // 8, 8).mean(axis=(1, 3))

    return float(np.abs(grey(a) - grey(b)).mean())


def test_the_heat_map_svg_looks_like_the_panel(qtbot, session, runner, tmp_path):
    panel = shown_panel(qtbot, session, runner)
    rng = np.random.default_rng(0)
    sequence = "".join(rng.choice(list("ACGT"), 300))
    effects = rng.normal(-3, 1, (300, 5))
    effects[:, 4] = np.nan
    panel.show_saturation(SaturationResult(sequence, 0, 300, effects, "log-likelihood ratio", "kn", 1.0))
    qtbot.waitUntil(lambda: panel.heat_plot.getViewBox().viewRange()[0][1] > 290)
    shown = panel.heat_plots.grab().toImage()
    panel.save_saturation(str(tmp_path / "heat.svg"))
    back = QImage(shown.size(), QImage.Format.Format_ARGB32)
    back.fill(QColor(shown.pixel(2, 2)))
    painter = QPainter(back)
    QSvgRenderer(str(tmp_path / "heat.svg")).render(painter)
    painter.end()
    assert _difference(shown, back) < 2.0   # 1.0 now; 3.1 with the axes at 3/4 size
