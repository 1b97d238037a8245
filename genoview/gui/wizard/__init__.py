"""The training wizard: a QWizard that fills a TrainingSpec page by page and runs it in a child process.

Pages: Data, Task, Model, Hyperparameters, Review (a timed probe estimates time and memory), Run (live
curves, Stop / Pause / Cancel / Resume). The spec is saved as JSON (``user_data_dir()/specs/NAME.json``) and
`genoview train --spec` runs it the same way from a shell or a cluster job (same seed, same weights).

The package itself is light: ``TrainingWizard`` (``window.py``) is imported when first asked for, so that
``prepare_while_idle`` can import the wizard's modules one at a time while the window is idle. Imported all at once
when the wizard first opened, they paused the window 50-90 ms (the wizard's six files and the training core compiled
and run on the GUI thread, 45 ms for the six files alone).
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

__all__ = ["TrainingWizard", "prepare_while_idle", "PREPARED_MODULES"]

# What the wizard's first opening imports (on the GUI thread, or on its pages' workers, whose imports hold the
# interpreter lock as long), leaves first, so that each step compiles about one file.
PREPARED_MODULES = (
    "genoview.core.training.spec",   # the training package: spec, architectures and the loop (one step, ~15 ms)
    "genoview.core.training.options",
    "genoview.core.training.datasets",
    "genoview.core.training_plan",
    "genoview.core.models.geneorf.fit",
    "genoview.core.training.geneorf",
    "genoview.cli",
    "genoview.gui.wizard.fields",
    "genoview.gui.wizard.curves",
    "genoview.gui.wizard.process",
    "genoview.gui.wizard.run_page",
    "genoview.gui.wizard.pages",
    "genoview.gui.wizard.window",
)
# the Model page imports an architecture's trainer on a worker before the Hyperparameters page reads it (pages.py,
# ModelPage.trainer_ready); GUI tests that walk the pages with synchronous next() calls set this False
# (tests/gui/conftest.py), so the import happens on the GUI thread there
IMPORT_TRAINERS_ON_WORKER = True
PREPARE_AFTER_MS = 3000   # after start-up: the first paints, the genome's reading and the view's warm-up
PREPARE_STEP_MS = 50      # between two imports: the window paints and takes input in between
PREPARE_BUSY_WAIT_MS = 1000   # a model runs or the view is dragged: look again later (no import competes with it)


def __getattr__(name: str) -> Any:
    if name == "TrainingWizard":
        from genoview.gui.wizard.window import TrainingWizard

        return TrainingWizard
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def prepare_while_idle(owner, busy: Callable[[], bool] = lambda: False, start_ms: int | None = None,
                       step_ms: int | None = None) -> None:
    """Import ``PREPARED_MODULES`` on the GUI thread one per timer turn, ``start_ms`` from now, none while ``busy()``
    (the job queue runs a model; the main window also counts a drag or zoom of the genome view): the wizard's first opening then pays only for its widgets. The timers belong to
    ``owner`` (they end with it); a module that fails to import is left to the wizard, which reports it when opened."""
    from PySide6.QtCore import QTimer

    pending = list(PREPARED_MODULES)
    start_ms = PREPARE_AFTER_MS if start_ms is None else start_ms
    step_ms = PREPARE_STEP_MS if step_ms is None else step_ms

    def step() -> None:
        if busy():
            QTimer.singleShot(PREPARE_BUSY_WAIT_MS, owner, step)
            return
        while pending and pending[0] in sys.modules:
            pending.pop(0)
        if not pending:
            return
        try:
            importlib.import_module(pending.pop(0))
        except Exception:   # noqa: BLE001 - the wizard imports it again when opened and says what is wrong
            pass
        if pending:
            QTimer.singleShot(step_ms, owner, step)

    QTimer.singleShot(start_ms, owner, step)
