"""The training wizard's first opening: its modules (the wizard's six files, the training core) are imported while
the window is idle, one per timer turn and none while a model runs, not all at once when Models > Train a model… is
clicked (a 50-90 ms pause in a cold process; `bench/wizard_open_bench.py` measures it)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import genoview.gui.wizard as wizard_package

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_package_imports_no_page():
    code = ("import sys, genoview.gui.wizard as w; print(sorted(m for m in sys.modules if m.startswith("
            "'genoview.gui.wizard.') or m.startswith('genoview.core.training')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"
    from genoview.gui.wizard import TrainingWizard   # asked for: the window's module comes with it
    from genoview.gui.wizard.window import TrainingWizard as same

    assert TrainingWizard is same
    assert all(name.startswith("genoview.") for name in wizard_package.PREPARED_MODULES)


def test_modules_are_imported_one_per_turn_and_not_while_busy(qtbot, tmp_path, monkeypatch, fake_prepared_modules):
    from PySide6.QtCore import QObject

    names = fake_prepared_modules(3)
    monkeypatch.setattr(wizard_package, "PREPARED_MODULES", ("h_ux5_missing_module", *names))
    monkeypatch.setattr(wizard_package, "PREPARE_BUSY_WAIT_MS", 20)
    owner = QObject()
    busy = [True]
    imported_at_once = []
    real_import = wizard_package.importlib.import_module

    def import_module(name):
        before = {n for n in names if n in sys.modules}
        try:
            return real_import(name)
        finally:
            imported_at_once.append(len({n for n in names if n in sys.modules} - before))

    monkeypatch.setattr(wizard_package.importlib, "import_module", import_module)
    wizard_package.prepare_while_idle(owner, busy=lambda: busy[0], start_ms=0, step_ms=5)
    qtbot.wait(100)
    assert not any(name in sys.modules for name in names)   # a model runs: nothing imported meanwhile
    busy[0] = False
    qtbot.waitUntil(lambda: all(name in sys.modules for name in names), timeout=5000)
    assert imported_at_once == [0, 1, 1, 1]   # the missing one is skipped (the wizard would say so), then one a turn


def test_the_main_window_prepares_the_wizard_while_idle(qtbot, open_example_window, tmp_path, monkeypatch,
                                                        fake_prepared_modules):
    names = fake_prepared_modules(2)
    monkeypatch.setattr(wizard_package, "PREPARED_MODULES", tuple(names))
    monkeypatch.setattr(wizard_package, "PREPARE_AFTER_MS", 10)
    monkeypatch.setattr(wizard_package, "PREPARE_STEP_MS", 5)
    window = open_example_window()
    qtbot.waitUntil(lambda: all(name in sys.modules for name in names), timeout=5000)
    wizard = window.open_training_wizard({})   # opens as before
    wizard.ask_before_closing = False
    assert wizard.isVisible() and wizard.currentId() == wizard.DATA
    wizard.reject()
