"""rev12: the wizard's idle-time imports wait while the user drags or zooms the genome view (they waited only for a
running model: a 15-40 ms import in the middle of a drag showed as a stutter)."""
from __future__ import annotations

import sys

import genoview.gui.genome_view.view as view_module
import genoview.gui.wizard as wizard_package


def test_no_import_while_the_view_is_zoomed_or_a_button_is_held(qtbot, open_example_window, tmp_path, monkeypatch,
                                                                fake_prepared_modules):
    from PySide6.QtCore import Qt, QTimer

    names = fake_prepared_modules(2)
    monkeypatch.setattr(wizard_package, "PREPARED_MODULES", tuple(names))
    monkeypatch.setattr(wizard_package, "PREPARE_AFTER_MS", 30)
    monkeypatch.setattr(wizard_package, "PREPARE_STEP_MS", 5)
    monkeypatch.setattr(wizard_package, "PREPARE_BUSY_WAIT_MS", 20)
    held = [False]
    monkeypatch.setattr(view_module.QApplication, "mouseButtons",
                        staticmethod(lambda: Qt.MouseButton.LeftButton if held[0] else Qt.MouseButton.NoButton))
    window = open_example_window(size=(1000, 600))
    view = window.view
    length = window.session.sequence_length()
    # a wheel zoom that goes on (no button held): the view moves every 40 ms
    zooming = QTimer(window)
    steps = [0]

    def zoom() -> None:
        steps[0] += 1
        view.show_region(length // 4, length // 4 + 2000 + 50 * steps[0])

    zooming.timeout.connect(zoom)
    zooming.start(40)
    qtbot.wait(600)
    assert not any(name in sys.modules for name in names)   # zooming: nothing imported meanwhile
    zooming.stop()
    held[0] = True   # then a drag: the button is held and the view stands still
    qtbot.wait(view_module.SETTLED_S * 1000 + 300)
    assert not any(name in sys.modules for name in names)
    held[0] = False
    qtbot.waitUntil(lambda: all(name in sys.modules for name in names), timeout=5000)
    assert not view.interacting()
