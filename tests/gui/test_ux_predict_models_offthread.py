"""Tools > Predict… reads the model folders (config, genoview.json, cards) on a worker, never on the GUI thread: the
dialog's read grew with the library (~2.5 ms a model; 40 ms with 17 models on a busy machine)."""
from __future__ import annotations

import threading

from PySide6.QtWidgets import QDialog

from genoview.gui.dialogs import predict as predict_dialog
from genoview.gui.dialogs.predict import PredictDialog


def test_predict_reads_the_models_off_the_gui_thread(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    read_on, shown = [], []
    real = predict_dialog.gene_models

    def gene_models():
        read_on.append(threading.current_thread() is threading.main_thread())
        return real()

    monkeypatch.setattr(predict_dialog, "gene_models", gene_models)

    def fake_exec(self):
        shown.append([self.model_combo.itemData(i) for i in range(self.model_combo.count())])
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PredictDialog, "exec", fake_exec)
    window.predict_action.trigger()
    window.predict_action.trigger()   # a second click while the models are read opens no second dialog
    assert not shown and "Reading the model library" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: bool(shown), timeout=20000)
    qtbot.wait(50)
    assert read_on == [False] and len(shown) == 1 and "prodigal" in shown[0]
    assert window.statusBar().currentMessage() == ""
    window.predict_action.trigger()   # and again after it closed
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=20000)
    assert read_on == [False, False]


def test_a_failed_read_is_said_and_predict_works_again(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    errors = []
    monkeypatch.setattr(window, "report_error", lambda title, message: errors.append((title, message)))

    def broken():
        raise OSError("models folder unreadable")

    monkeypatch.setattr(predict_dialog, "gene_models", broken)
    window.predict_action.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert errors[0][0] == "Could not read the model library" and "unreadable" in errors[0][1]
    assert not window._reading_models
