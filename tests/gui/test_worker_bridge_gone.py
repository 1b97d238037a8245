"""A one-off background call whose bridge was deleted meanwhile (the window closed, a test's teardown) ends quietly:
its emit raised "Signal source has been deleted" on the worker thread, a traceback with no one to read it."""
import shiboken6

from genoview.gui.workers import _CallBridge, _CallRunnable


def test_a_call_whose_bridge_is_gone_ends_without_a_traceback(qtbot):
    for fn in (lambda: 42, lambda: 1 / 0):
        bridge = _CallBridge()
        runnable = _CallRunnable(fn, bridge)
        shiboken6.delete(bridge)
        runnable.run()   # on this thread: no RuntimeError escapes
