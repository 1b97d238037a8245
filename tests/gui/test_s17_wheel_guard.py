"""The wheel scrolls a scrolling panel instead of changing the number box or drop-down under the pointer (the Real
vs mutated form's seed went from 0 to 4 while a user scrolled to the results); a box with the focus still takes it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from genoview.gui.wheel_guard import guard_wheel


def _wheel(widget, steps=-1):
    event = QWheelEvent(QPointF(5, 5), QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def form(qtbot):
    area = QScrollArea()
    area.setWidgetResizable(True)
    inner = QWidget()
    layout = QVBoxLayout(inner)
    boxes = []
    for _ in range(30):
        box = QSpinBox()
        box.setRange(0, 100)
        box.setValue(50)
        layout.addWidget(box)
        boxes.append(box)
    area.setWidget(inner)
    qtbot.addWidget(area)
    area.resize(300, 200)   # far shorter than its 30 boxes: it scrolls
    area.show()
    qtbot.waitExposed(area)
    guard_wheel(area)
    return area, boxes


def test_the_wheel_scrolls_past_a_box_without_focus(form):
    area, boxes = form
    box = boxes[1]
    assert box.focusPolicy() == Qt.FocusPolicy.StrongFocus   # the wheel no longer gives it the focus
    _wheel(box)
    assert box.value() == 50
    assert area.verticalScrollBar().value() > 0


def test_a_box_with_the_focus_takes_the_wheel(qtbot, form):
    area, boxes = form
    box = boxes[1]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    _wheel(box, steps=1)
    assert box.value() == 51


def test_the_evaluation_panels_boxes_are_guarded(qtbot, qapp):
    from genoview.gui.panels.evaluation import EvaluationPanel
    from genoview.gui.session import Session

    panel = EvaluationPanel(Session(), None)
    qtbot.addWidget(panel)
    assert panel.threshold_spin.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert panel.track_combo.focusPolicy() == Qt.FocusPolicy.StrongFocus
