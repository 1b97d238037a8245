"""GUI test setup: offscreen Qt, and a guard that fails any test leaving top-level widgets behind."""
from __future__ import annotations

import gc
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def _flush_deletes() -> None:
    gc.collect()  # pyqtgraph's parentless context menus go when their plot items are collected
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def fail_on_leaked_widgets(qapp):
    """napari's guard: a test must close and delete every top-level widget it made (qtbot.addWidget does)."""
    before = {id(w) for w in QApplication.topLevelWidgets()}
    yield
    _flush_deletes()
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in before]
    if leaked:
        names = ", ".join(f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})" for w in leaked)
        for widget in leaked:
            widget.close()
            widget.deleteLater()
        _flush_deletes()
        pytest.fail(f"test leaked top-level widgets: {names}")
