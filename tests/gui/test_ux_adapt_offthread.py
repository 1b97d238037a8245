"""Models ▸ Adapt to this genome… read every model folder on the GUI thread before its dialog (~2.5 ms a model):
the library is now read on a worker and the dialog opens when it is; a second click meanwhile does nothing more."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QDialog

from genoview.gui.dialogs import adapt
from genoview.gui.dialogs.adapt import AdaptDialog


def test_adapt_reads_the_library_off_the_gui_thread(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    read_on, shown = [], []

    def models():
        read_on.append(threading.current_thread() is threading.main_thread())
        return ["geneorf-bacteria"]

    monkeypatch.setattr(adapt, "adaptable_models", models)
    monkeypatch.setattr(AdaptDialog, "exec", lambda self: shown.append(self.model_box.currentText())
                        or QDialog.DialogCode.Rejected)
    window.adapt_action.trigger()
    window.adapt_action.trigger()
    assert not shown
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    qtbot.wait(50)
    assert read_on == [False] and shown == ["geneorf-bacteria"]


def test_no_model_to_start_from_is_said(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(adapt, "adaptable_models", lambda: [])
    window.adapt_action.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert "No GeneORF model" in errors[0]
