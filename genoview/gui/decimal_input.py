"""Number boxes that read a decimal point the way the user types it.

A QDoubleSpinBox reads only its locale's decimal point and takes the other one for a group separator: typing 0,5 in
an English box (or 0.5, as the tables and files of GenoView write it, in a German box) set the threshold to 0.000
without a word. The window writes every number with a point (tables, status bar, axes, exported files, the command
line), so its number boxes do too (``use_point_decimals``), and each box takes either key as the decimal point
(``accept_either_decimal_point``).
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox

DECIMAL_KEYS = {".": Qt.Key.Key_Period, ",": Qt.Key.Key_Comma}


def use_point_decimals() -> None:
    """Number boxes show 0.500, as every other number the window shows (they showed 0,500 beside 0.9832 under a
    German locale); whole numbers without group separators, as before."""
    locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    QLocale.setDefault(locale)


class _EitherDecimalPoint(QObject):
    """On the spin box itself: it gets the keys and hands them to its line edit directly (no filter there sees them)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:   # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QDoubleSpinBox):
            return False
        text = event.text()
        point = watched.locale().decimalPoint()
        if text not in DECIMAL_KEYS or text == point:
            return False
        edit = watched.lineEdit()
        if point in edit.text() and point not in edit.selectedText():
            return True   # a second decimal point: ignored, as the box ignores its own
        watched.event(QKeyEvent(QEvent.Type.KeyPress, DECIMAL_KEYS.get(point, Qt.Key.Key_Period),
                                event.modifiers(), point))
        return True


_FILTER: _EitherDecimalPoint | None = None


def accept_either_decimal_point(spin: QAbstractSpinBox) -> QAbstractSpinBox:
    """Let ``spin`` (a QDoubleSpinBox) take '.' and ',' alike as its decimal point; returns it."""
    global _FILTER
    if _FILTER is None:
        _FILTER = _EitherDecimalPoint()
    spin.installEventFilter(_FILTER)
    return spin
