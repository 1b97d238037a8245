"""Next from the wizard's Model page imports the chosen architecture's trainer on a worker, not on the GUI thread:
walked under Xvfb (session 16), Next to the Hyperparameters page with GeneCNN from scratch froze the window 1.75 s
(transformers' import; 8.8 s in a process that had not imported torch). The page says it is loading and goes on by
itself; Next pressed again meanwhile does not skip a page."""
from __future__ import annotations

import threading

from genoview.gui.wizard import TrainingWizard


def test_model_page_next_waits_for_the_trainer_imported_on_a_worker(qtbot, monkeypatch, data_dir):
    import genoview.core.training.architectures as architectures
    import genoview.gui.wizard as package

    monkeypatch.setattr(package, "IMPORT_TRAINERS_ON_WORKER", True)
    real = architectures.get_architecture
    loaded: set[str] = set()
    first_call_threads: list[bool] = []
    release = threading.Event()

    def slow_import(name):
        if name == "genecnn" and name not in loaded:   # GeneORF's trainer: the window imports it while idle
            first_call_threads.append(threading.current_thread() is threading.main_thread())
            assert release.wait(60)
            loaded.add(name)
        return real(name)

    monkeypatch.setattr(architectures, "architecture_loaded", lambda name: name != "genecnn" or name in loaded)
    monkeypatch.setattr(architectures, "get_architecture", slow_import)
    w = TrainingWizard()
    w.ask_before_closing = False
    w.remember_settings = False
    qtbot.addWidget(w)
    w.show()
    w.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    w.data_page.annotation_edit.setText(str(data_dir / "engine_tiny.gff3"))
    w.next()
    w.next()
    assert w.currentId() == w.MODEL
    page = w.model_page
    qtbot.waitUntil(lambda: page.loaded, timeout=30000)
    page.scratch_radio.setChecked(True)
    page.arch_combo.setCurrentIndex(page.arch_combo.findData("genecnn"))
    w.next()   # returns at once: the trainer is still being imported
    w.next()   # a second press while it loads
    assert w.currentId() == w.MODEL
    assert "Loading the genecnn trainer" in page.note.text()
    qtbot.waitUntil(lambda: bool(first_call_threads), timeout=60000)   # the worker pool may be busy a moment
    assert not any(first_call_threads), "the trainer was imported on the GUI thread"
    assert w.currentId() == w.MODEL
    release.set()
    qtbot.waitUntil(lambda: w.currentId() == w.HYPERPARAMETERS, timeout=60000)
    assert w.values["architecture"] == "genecnn"
    assert w.hyper_page.form.fields["batch_size"].editor.text()   # the page read the trainer's defaults
    qtbot.waitUntil(lambda: not page._trainer_waiting, timeout=5000)
    assert w.currentId() == w.HYPERPARAMETERS   # pressed twice, went on once
