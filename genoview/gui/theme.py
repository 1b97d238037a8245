"""Text colours that follow the desktop's palette, light or dark.

Notes, errors and warnings were styled with fixed colours chosen for a light window (``color: #555555`` notes,
``#c0392b`` errors): on a dark desktop theme the grey notes were near-invisible (#555 on #2b2b2b) and the dark reds
hard to read. Notes now take the window text blended towards the window (set when the widget is made); errors
and warnings a red or an amber of the same hue, lighter when the window is dark. The genome view and the plots take
a light or dark canvas of their own (``gui/canvas.py``: its text colours, and figures exported on white).

A palette changed while the application runs (the desktop switched to its dark theme at dusk, or back) recolours what
was set before: style sheets and rich-text labels holding these colours, and the items of tables marked with
:func:`follow_items`, get the new palette's (one walk over the widgets per change, nothing per frame; set a stale
grey #545454 note stayed on the new dark window, 1.9:1).
"""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget, QWidget

# (on a light window, on a dark one): each meets WCAG's 4.5:1 contrast on its usual window colour
ERROR_COLORS = ("#c0392b", "#ff8a80")
WARNING_COLORS = ("#a84300", "#ffb74d")
CAUTION_COLORS = ("#8a5700", "#ffcc66")   # light: was #b9770e, 3.2:1 on #efefef
# a verdict that came out right / wrong, on a table's base colour (white; a dark theme's #1e1e1e-#2b2b2b: >= 6:1):
# light green was #2ca02c (3.4:1 on white), the red stays; on dark, #d62728 was 3.3:1 on #1e1e1e
GOOD_COLORS = ("#1e7b1e", "#7bd67b")
BAD_COLORS = ("#d62728", "#f28b82")   # each value in one pair only: a switch maps it back
PAIRS = (ERROR_COLORS, WARNING_COLORS, CAUTION_COLORS, GOOD_COLORS, BAD_COLORS)
ITEMS_PROPERTY = "genoview_theme_items"   # a table whose items' text colours follow a palette change


def palette_of(widget: QWidget | None = None) -> QPalette:
    if widget is not None:
        return widget.palette()
    app = QApplication.instance()
    return app.palette() if app is not None else QPalette()


def is_dark(widget: QWidget | None = None) -> bool:
    """Whether the window background is dark (a dark desktop theme): its lightness below the text's."""
    _follow_palette()
    return _palette_is_dark(palette_of(widget))


def _palette_is_dark(palette: QPalette) -> bool:
    window, text = palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def error_color(widget: QWidget | None = None) -> str:
    return ERROR_COLORS[is_dark(widget)]


def warning_color(widget: QWidget | None = None) -> str:
    return WARNING_COLORS[is_dark(widget)]


def caution_color(widget: QWidget | None = None) -> str:
    return CAUTION_COLORS[is_dark(widget)]


def good_color(widget: QWidget | None = None) -> str:
    return GOOD_COLORS[is_dark(widget)]


def bad_color(widget: QWidget | None = None) -> str:
    return BAD_COLORS[is_dark(widget)]


def error_html(text: str, widget: QWidget | None = None) -> str:
    """``text`` (already HTML) in the error colour, for a rich-text label."""
    return f"<span style='color:{error_color(widget)}'>{text}</span>"


def note_color(widget: QWidget | None = None) -> QColor:
    """The muted text colour: the window text blended 35 % towards the window (readable on light and dark)."""
    _follow_palette()
    color = _blend(palette_of(widget))
    _notes_given.add(color.name())
    return color


def _blend(palette: QPalette) -> QColor:
    text = palette.color(QPalette.ColorRole.WindowText)
    back = palette.color(QPalette.ColorRole.Window)
    mix = 0.35
    return QColor(*(round(t * (1 - mix) + b * mix) for t, b in ((text.red(), back.red()), (text.green(), back.green()),
                                                                 (text.blue(), back.blue()))))


def note_style(widget: QWidget | None = None) -> str:
    """A style sheet for a muted note label (``label.setStyleSheet(note_style(label))``)."""
    return f"color: {note_color(widget).name()}"


def follow_items(table: QTableWidget) -> None:
    """Let ``table``'s item text colours (set from this module's pairs) follow a palette change."""
    table.setProperty(ITEMS_PROPERTY, True)


_notes_given: set[str] = set()   # note colours handed out since the last palette change
_following: list = []            # the application whose paletteChanged is connected (once)


def _follow_palette() -> None:
    app = QApplication.instance()
    if app is None or (_following and _following[0] is app):
        return
    signal = getattr(app, "paletteChanged", None)   # deprecated in Qt 6 but emitted (6.11); absent: colours stay
    if signal is None:
        return
    _following[:] = [app]
    signal.connect(recolour)


def recolour(palette: QPalette | None = None) -> int:
    """Give what was coloured for the previous palette the colours of ``palette`` (the application's); returns how
    many widgets changed."""
    if palette is None:
        palette = palette_of()
    dark = _palette_is_dark(palette)
    swaps = {pair[not dark]: pair[dark] for pair in PAIRS}
    note = _blend(palette).name()
    swaps.update({old: note for old in _notes_given if old != note})
    _notes_given.clear()
    _notes_given.add(note)
    pattern = re.compile("|".join(re.escape(old) for old in swaps), re.IGNORECASE)

    def swapped(text: str) -> str:
        return pattern.sub(lambda match: swaps[match.group(0).lower()], text)

    changed = 0
    for widget in QApplication.allWidgets():
        sheet = widget.styleSheet()
        if sheet and pattern.search(sheet):
            widget.setStyleSheet(swapped(sheet))
            changed += 1
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText:
            text = widget.text()
            if "color" in text and pattern.search(text):
                widget.setText(swapped(text))
                changed += 1
        if isinstance(widget, QTableWidget) and widget.property(ITEMS_PROPERTY):
            for row in range(widget.rowCount()):
                for column in range(widget.columnCount()):
                    item = widget.item(row, column)
                    if item is not None and item.foreground().style() != Qt.BrushStyle.NoBrush:
                        new = swaps.get(item.foreground().color().name())
                        if new is not None:
                            item.setForeground(QBrush(QColor(new)))
                            changed += 1
    return changed
