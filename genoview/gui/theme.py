"""Text colours that follow the desktop's palette, light or dark.

Notes, errors and warnings were styled with fixed colours chosen for a light window (``color: #555555`` notes,
``#c0392b`` errors): on a dark desktop theme the grey notes were near-invisible (#555 on #2b2b2b) and the dark reds
hard to read. Notes now take the window text blended towards the window (set when the widget is made); errors
and warnings a red or an amber of the same hue, lighter when the window is dark. The genome view and the plots keep
their white canvas (its track colours are chosen for white), so the text drawn on them keeps its fixed colours.
"""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# (on a light window, on a dark one): each meets WCAG's 4.5:1 contrast on its usual window colour
ERROR_COLORS = ("#c0392b", "#ff8a80")
WARNING_COLORS = ("#a84300", "#ffb74d")
CAUTION_COLORS = ("#8a5700", "#ffcc66")   # light: was #b9770e, 3.2:1 on #efefef


def palette_of(widget: QWidget | None = None) -> QPalette:
    if widget is not None:
        return widget.palette()
    app = QApplication.instance()
    return app.palette() if app is not None else QPalette()


def is_dark(widget: QWidget | None = None) -> bool:
    """Whether the window background is dark (a dark desktop theme): its lightness below the text's."""
    palette = palette_of(widget)
    window, text = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def error_color(widget: QWidget | None = None) -> str:
    return ERROR_COLORS[is_dark(widget)]


def warning_color(widget: QWidget | None = None) -> str:
    return WARNING_COLORS[is_dark(widget)]


def caution_color(widget: QWidget | None = None) -> str:
    return CAUTION_COLORS[is_dark(widget)]


def error_html(text: str, widget: QWidget | None = None) -> str:
    """``text`` (already HTML) in the error colour, for a rich-text label."""
    return f"<span style='color:{error_color(widget)}'>{text}</span>"


def note_color(widget: QWidget | None = None) -> QColor:
    """The muted text colour: the window text blended 35 % towards the window (readable on light and dark)."""
    palette = palette_of(widget)
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = 0.35
    return QColor(*(round(t * (1 - mix) + b * mix) for t, b in ((text.red(), back.red()), (text.green(), back.green()),
                                                                 (text.blue(), back.blue()))))


def note_style(widget: QWidget | None = None) -> str:
    """A style sheet for a muted note label (``label.setStyleSheet(note_style(label))``)."""
    return f"color: {note_color(widget).name()}"
