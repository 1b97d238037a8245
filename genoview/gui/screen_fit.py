"""Windows sized for the screen they open on: the main window (1400 x 900), the model library (1300 x 760), the
training wizard and the user guide (760 high) opened larger than a 1280 x 800 laptop screen, their buttons and last
rows below its edge. A window that belongs to another (the library, the wizard, the guide) is sized for its owner's
screen and opens there: with two monitors the library opened on the first, away from the main window."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget

WIDTH_SHARE = 0.95    # of the screen's free area (without task bar and menu bar): room for the window frame
HEIGHT_SHARE = 0.9


def screen_of(widget: QWidget):
    """The screen ``widget`` opens on: its owner window's (a dialog or tool window opens over its owner), else its
    own, else the primary one."""
    parent = widget.parentWidget()
    anchor = parent.window() if parent is not None else widget
    return anchor.screen() or QGuiApplication.primaryScreen()


def free_area(widget: QWidget) -> QRect | None:
    """The free area of the screen ``widget`` opens on; None headless (the offscreen platform's one 800 x 800 screen
    is a stand-in: tests, benchmarks and --screenshot set their own sizes; screens configured for it are used)."""
    if QGuiApplication.platformName() == "offscreen" and len(QGuiApplication.screens()) < 2:
        return None
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else None


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or smaller to fit the screen's free area (a saved window geometry,
    restored afterwards, still wins). A window with an owner that is not a dialog (Qt centres those over their owner
    itself) is placed over its owner, inside that screen."""
    free = free_area(widget)
    if free is not None:
        width = min(width, int(free.width() * WIDTH_SHARE))
        height = min(height, int(free.height() * HEIGHT_SHARE))
    widget.resize(width, height)
    parent = widget.parentWidget()
    if free is None or parent is None or not widget.isWindow() or isinstance(widget, QDialog):
        return
    centre = parent.window().frameGeometry().center()
    x = min(max(centre.x() - width // 2, free.left()), free.right() + 1 - width)
    y = min(max(centre.y() - height // 2, free.top()), free.bottom() + 1 - height)
    widget.move(x, y)
