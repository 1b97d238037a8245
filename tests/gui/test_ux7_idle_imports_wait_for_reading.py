"""H-ux7: the wizard's idle-time imports waited for a running model and a drag of the genome view, not for a genome
read in the background (the reader's worker and an import on the GUI thread share the interpreter lock, and the
window pauses for both). They now wait until the file is read (a fake reader that holds until told)."""
from __future__ import annotations

import sys
import threading

import genoview.gui.main_window as main_window_module
import genoview.gui.wizard as wizard_package


def test_no_import_while_a_genome_is_read(qtbot, monkeypatch, fake_prepared_modules):
    from genoview.app import create_main_window
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
    from genoview.settings import Settings

    names = fake_prepared_modules(2)
    monkeypatch.setattr(wizard_package, "PREPARED_MODULES", tuple(names))
    monkeypatch.setattr(wizard_package, "PREPARE_AFTER_MS", 30)
    monkeypatch.setattr(wizard_package, "PREPARE_STEP_MS", 5)
    monkeypatch.setattr(wizard_package, "PREPARE_BUSY_WAIT_MS", 20)
    release = threading.Event()
    reading = threading.Event()
    real_reader = main_window_module.load_genome

    def slow_reader(*args):   # a large genome: still being read
        reading.set()
        release.wait(10)
        return real_reader(*args)

    monkeypatch.setattr(main_window_module, "load_genome", slow_reader)
    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    try:
        qtbot.waitUntil(reading.is_set, timeout=10000)
        qtbot.wait(500)
        assert not any(name in sys.modules for name in names)   # the genome is being read: nothing imported meanwhile
        assert window.loading
    finally:
        with qtbot.waitSignal(window.genome_loaded, timeout=20000):
            release.set()
    qtbot.waitUntil(lambda: all(name in sys.modules for name in names), timeout=5000)
