"""read_then_ask: the one shape of Tools > Predict… and Models > Adapt to this genome… (read on a worker, a second
click does nothing, then ask from a timer on the GUI thread; a failed read is said and the action works again)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject

from genoview.gui.workers import read_then_ask


def test_read_then_ask(qtbot):
    owner = QObject()
    read_on, shown, failures = [], [], []

    def read():
        read_on.append(threading.current_thread() is threading.main_thread())
        return 42

    def show(value):
        shown.append((value, threading.current_thread() is threading.main_thread(), owner._reading))

    assert read_then_ask(owner, "_reading", read, show, lambda m, e: failures.append(m))
    assert not read_then_ask(owner, "_reading", read, show, lambda m, e: failures.append(m))   # a second click
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    assert read_on == [False] and shown == [(42, True, False)] and not failures

    def broken():
        raise OSError("unreadable")

    assert read_then_ask(owner, "_reading", broken, show, lambda m, e: failures.append(m))
    qtbot.waitUntil(lambda: bool(failures), timeout=20000)
    assert "unreadable" in failures[0] and owner._reading is False and len(shown) == 1
    assert read_then_ask(owner, "_reading", read, show, lambda m, e: failures.append(m))   # works again
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
