"""The mouse wheel scrolls a scrolling panel, not the number box or drop-down that passes under the pointer.

Qt gives spin boxes and combo boxes the wheel focus: a user scrolling the Real vs mutated form down to its results
changed the seed from 0 to 4 on the way, silently (the next run's mutated copy was another). Inside a scroll area
that can scroll, a box now takes the wheel only once it was clicked or tabbed into, as desktop settings panels do
(KDE, Qt Creator); elsewhere, and in a box with the focus, the wheel changes the value as before.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox,
                               QScrollBar, QWidget)

_GUARDED = "_genoview_wheel_guard"


class _WheelToScrollArea(QObject):
    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        bar = (self.area.horizontalScrollBar() if event.angleDelta().y() == 0 and event.angleDelta().x() != 0
               else self.area.verticalScrollBar())
        if bar.maximum() <= bar.minimum():
            return False   # nothing to scroll: the box keeps the wheel
        QApplication.sendEvent(bar, event)
        return True


def guard_wheel(area: QAbstractScrollArea) -> None:
    """Let the wheel over the spin boxes, combo boxes and sliders inside ``area`` scroll it unless the box has the
    focus (call once, after the area's widgets are made). A slider takes the wheel without the focus (Qt's
    QAbstractSlider): the evaluation panel's threshold slider, as wide as the panel, moved the threshold while the
    panel was scrolled past it. Scroll bars are left alone."""
    guard = area.findChild(_WheelToScrollArea, _GUARDED)
    if guard is None:
        guard = _WheelToScrollArea(area)
        guard.setObjectName(_GUARDED)
    sliders = [slider for slider in area.findChildren(QAbstractSlider) if not isinstance(slider, QScrollBar)]
    for box in [*area.findChildren(QAbstractSpinBox), *area.findChildren(QComboBox), *sliders]:
        if box.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)   # else the wheel itself gives the focus first
        box.removeEventFilter(guard)
        box.installEventFilter(guard)
