"""The GUI suite's guard: an exception escaping a Qt slot is caught and fails the test (no traceback goes unnoticed)."""
from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal()


def test_exception_in_slot_is_recorded(qtbot, fail_on_slot_exceptions):
    emitter = Emitter()

    def broken_slot():
        raise KeyError("boom")

    emitter.fired.connect(broken_slot)
    emitter.fired.emit()
    qtbot.wait(1)
    assert len(fail_on_slot_exceptions) == 1 and "KeyError: 'boom'" in fail_on_slot_exceptions[0]
    fail_on_slot_exceptions.clear()   # handled here; any other would fail this test
