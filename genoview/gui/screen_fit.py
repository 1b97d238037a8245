"""Windows sized for the screen they open on: the main window (1400 x 900), the model library (1300 x 760), the
training wizard and the user guide (760 high) opened larger than a 1280 x 800 laptop screen, their buttons and last
rows below its edge."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

WIDTH_SHARE = 0.95    # of the screen's free area (without task bar and menu bar): room for the window frame
HEIGHT_SHARE = 0.9


def free_area(widget: QWidget) -> QRect | None:
    """The free area of the screen ``widget`` opens on; None headless (the offscreen platform's 800 x 800 screen is a
    stand-in: tests, benchmarks and --screenshot set their own sizes)."""
    if QGuiApplication.platformName() == "offscreen":
        return None
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or smaller to fit the screen's free area (a saved window geometry,
    restored afterwards, still wins)."""
    free = free_area(widget)
    if free is not None:
        width = min(width, int(free.width() * WIDTH_SHARE))
        height = min(height, int(free.height() * HEIGHT_SHARE))
    widget.resize(width, height)
