"""Real vs mutated reads its model names (defaults, completers, the bacterial-gene suggestion) on a worker, not on
the GUI thread while the window is made (before its first paint)."""
from __future__ import annotations

import threading

import genoview.core.models as models
from genoview.gui.panels.mutation import MutationModelNames


def test_the_panel_reads_the_model_names_off_the_gui_thread(qtbot, monkeypatch):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    read_on = []
    real = models.list_models

    def list_models(*args, **kwargs):
        read_on.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(models, "list_models", list_models)
    window = create_main_window(Settings())
    window.remember_layout = False
    qtbot.addWidget(window)
    panel = window.mutation_panel
    assert not panel.names_loaded and "Reading the model library" in panel.lm_hint.text()
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    assert read_on and not any(read_on)   # every read (the panel's and the prediction menu's) on a worker
    assert panel.gene_model.text() == models.default_model_name() and panel.gene_model.completer() is not None
    assert panel.lm_names.text() and "Reading" not in panel.lm_hint.text()


def test_names_given_meanwhile_stay(qtbot, open_example_window):
    panel = open_example_window().mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    panel.gene_model.setText("my-gene-model")
    panel.lm_names.setText("kn-human-genes")   # as Library ▸ Use in Real vs mutated does
    panel.use_model_names(MutationModelNames("other-lm", "geneorf-bacteria", None, []))
    assert panel.gene_model.text() == "my-gene-model" and panel.lm_names.text() == "kn-human-genes"


def test_a_failed_read_is_said(qtbot, monkeypatch):
    from genoview.app import create_main_window
    from genoview.gui.panels import mutation
    from genoview.settings import Settings

    def broken():
        raise OSError("models folder unreadable")

    monkeypatch.setattr(mutation, "read_mutation_model_names", broken)
    window = create_main_window(Settings())
    window.remember_layout = False
    qtbot.addWidget(window)
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.names_loaded, timeout=20000)
    assert "unreadable" in panel.lm_hint.text() and "none installed" in panel.lm_names.toolTip()
