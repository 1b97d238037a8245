"""The first things on screen: the QApplication and a splash painted before the slow imports.

`genoview gui` imports pyqtgraph, the window's modules and torch's C core (``app.import_model_core``) before the
window exists, so that no import ever freezes a shown window; that takes 1-3 s, in which a user saw nothing. This
module imports only Qt, so the splash is on screen a moment after the process starts; it is a picture with a line
of text (nothing to click, so nothing that could look frozen) and closes when the window is shown.
Not a QSplashScreen: its show() waited 1.0 s for the window manager on Xvfb and offscreen (a plain splash-flagged
label is on screen in 1-12 ms).
"""
from __future__ import annotations

import sys
import time

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from genoview.paths import RESOURCES_DIR

GUI_SWITCH_INTERVAL_S = 0.001
SPLASH_SIZE = (420, 180)   # logical pixels
SPLASH_EXPOSE_WAIT_S = 0.3   # at most this long for the window system to map the splash before it is painted
HEADLESS_PLATFORMS = ("offscreen", "minimal")   # Qt platforms no person looks at: a box there is never answered


def application() -> QApplication:
    """The QApplication (created once), named so Qt and platformdirs agree on where things live."""
    app = QApplication.instance()
    if app is None:
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("GenoView")
        app.setOrganizationName("GenoView")
        app.setApplicationDisplayName("GenoView")
        # the installed packaging/linux/genoview.desktop: on Wayland the window's app id, so the dock and the window
        # switcher show GenoView's name and icon (a generic icon without it)
        app.setDesktopFileName("genoview")
        from genoview.gui.decimal_input import use_point_decimals

        use_point_decimals()   # number boxes write 0.500 as the rest of the window does (0,500 under de_DE)
        # Model jobs run Python on a worker thread; with the default 5 ms switch interval the GUI thread waits
        # up to 5 ms for the interpreter at every hand-over, and a repaint needs many. 1 ms keeps the GUI fluid.
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    return app


def splash_pixmap(ratio: float = 1.0, message: str = "") -> QPixmap:
    """The splash picture: the icon, the name and what is happening, drawn here (no image file to ship or miss)."""
    width, height = SPLASH_SIZE
    pixmap = QPixmap(int(width * ratio), int(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(QColor("#1f3a5f"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    icon = QPixmap(str(RESOURCES_DIR / "icons" / "genoview.png"))
    if not icon.isNull():
        painter.drawPixmap(QRectF(24, 40, 96, 96), icon, QRectF(icon.rect()))
    painter.setPen(QColor("white"))
    font = QFont()
    font.setPointSize(22)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(QRectF(140, 44, width - 150, 44), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                     "GenoView")
    font.setPointSize(10)
    font.setBold(False)
    painter.setFont(font)
    painter.setPen(QColor("#c9d6e8"))
    painter.drawText(QRectF(140, 88, width - 150, 40), Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                     "genome browser\ngene and language models")
    painter.drawText(QRectF(0, height - 34, width, 24), Qt.AlignmentFlag.AlignHCenter, message)
    painter.end()
    return pixmap


class StartSplash(QLabel):
    """The start-up picture in a frameless splash window; ``finish(window)`` closes it once the window shows."""

    def __init__(self, message: str) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
        screen = QGuiApplication.primaryScreen()
        self.setPixmap(splash_pixmap(screen.devicePixelRatio() if screen is not None else 1.0, message))
        self.resize(*SPLASH_SIZE)
        self.setAccessibleName("GenoView is starting")
        if screen is not None:   # centred, as a QSplashScreen would be
            self.move(screen.availableGeometry().center() - self.rect().center())

    def finish(self, window: QWidget) -> None:
        self.close()
        self.deleteLater()


def show_splash(app: QApplication, message: str = "Starting… (loading the model runtime)") -> StartSplash:
    """A splash on screen and painted now, before the slow imports; ``splash.finish(window)`` closes it."""
    splash = StartSplash(message)
    splash.show()
    handle = splash.windowHandle()
    ends = time.monotonic() + SPLASH_EXPOSE_WAIT_S
    while handle is not None and not handle.isExposed() and time.monotonic() < ends:
        app.processEvents()
        time.sleep(0.005)
    splash.repaint()
    app.processEvents()
    return splash


def show_start_error(message: str, splash: QWidget | None = None) -> None:
    """A start-up error in a box: started from the desktop menu (no terminal), the splash closed and nothing said why
    (an unwritable home folder: "GenoView's data folder cannot be made ... set GENOVIEW_HOME ..." went to stderr)."""
    if splash is not None:
        splash.close()
        splash.deleteLater()
    if has_screen():   # headless (CI, a server's offscreen run): a modal box nobody can close hung the run, stderr only
        QMessageBox.critical(None, "GenoView cannot start", message)


def has_screen() -> bool:
    """Whether a person can see (and answer) a window: not Qt's offscreen or minimal platform."""
    return QGuiApplication.platformName() not in HEADLESS_PLATFORMS
