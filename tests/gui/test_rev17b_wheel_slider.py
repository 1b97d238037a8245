"""The wheel guard (8478d50) left sliders out: Qt's QAbstractSlider takes the wheel without the focus, so scrolling the
evaluation panel past its threshold slider (as wide as the panel) moved the threshold, 0.125 -> 0.128 per notch
(walked under Xvfb with xdotool, session 17 review). A slider inside a scrolling panel now takes the wheel only once
it has the focus, as the spin and combo boxes; the panel's own scroll bars still scroll."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QSlider, QVBoxLayout, QWidget

from genoview.gui.wheel_guard import guard_wheel


def _wheel(widget, steps=-1):
    event = QWheelEvent(QPointF(5, 5), QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_past_a_slider_without_focus_and_moves_one_with_it(qtbot):
    area = QScrollArea()
    area.setWidgetResizable(True)
    inner = QWidget()
    layout = QVBoxLayout(inner)
    sliders = []
    for _ in range(30):
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setRange(0, 1000)
        slider.setValue(500)
        layout.addWidget(slider)
        sliders.append(slider)
    area.setWidget(inner)
    qtbot.addWidget(area)
    area.resize(300, 200)
    area.show()
    qtbot.waitExposed(area)
    guard_wheel(area)
    assert area.verticalScrollBar().maximum() > 0
    _wheel(sliders[1])
    assert sliders[1].value() == 500 and area.verticalScrollBar().value() > 0
    sliders[2].setFocus()
    qtbot.waitUntil(sliders[2].hasFocus)
    _wheel(sliders[2], steps=1)
    assert sliders[2].value() != 500   # clicked or tabbed into: the wheel moves it, as before
    before = area.verticalScrollBar().value()
    _wheel(area.verticalScrollBar())   # the area's own bar is no slider to guard
    assert area.verticalScrollBar().value() > before


def test_the_evaluation_panels_threshold_slider_does_not_take_a_passing_wheel(qtbot):
    from genoview.gui.panels.evaluation import EvaluationPanel
    from genoview.gui.session import Session

    session = Session()
    panel = EvaluationPanel(session, None)
    qtbot.addWidget(panel)
    panel.resize(420, 250)   # shorter than its form: the panel scrolls
    panel.show()
    qtbot.waitExposed(panel)
    scroll = panel.widget()
    assert scroll.verticalScrollBar().maximum() > 0
    slider = panel.threshold_slider
    value, threshold = slider.value(), session.threshold
    _wheel(slider)
    assert slider.value() == value and session.threshold == threshold
    assert scroll.verticalScrollBar().value() > 0   # the panel scrolled instead
