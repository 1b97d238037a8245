"""A read-only GENOVIEW_HOME (session 17 walk on a read-only mount): the wizard's Review page raised in its slot (the
probe's spec could not be written) and its Run page waited at "Starting the training process…" for ever; Adapt would
adapt for minutes, then fail to write. Each now says plainly, before any work, that the model could not be saved and
what to do, and nothing crashes; made writable again, the wizard goes on."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

import genoview.paths as paths
from genoview.gui.dialogs import adapt
from genoview.gui.dialogs.adapt import AdaptDialog
from test_wizard import fill_to_review   # noqa: E402 - the tiny genome's pages, one place


def _read_only_library(monkeypatch):
    folder = paths.model_library_dir()
    reason = f"{folder} cannot be written (Read-only file system)"
    monkeypatch.setattr(paths, "library_unwritable", lambda: reason)
    return reason


def test_the_review_page_says_the_model_could_not_be_saved_and_keeps_start_off(qtbot, data_dir, monkeypatch):
    from genoview.gui.wizard import TrainingWizard

    w = TrainingWizard()
    w.ask_before_closing = False
    w.remember_settings = False
    qtbot.addWidget(w)
    reason = _read_only_library(monkeypatch)
    fill_to_review(qtbot, w, data_dir, name="never-saved")
    review = w.review_page
    assert review.probe_process is None   # no probe: its spec could not be written either
    assert reason in review.estimate.text() and "could not save its model" in review.estimate.text()
    assert "GENOVIEW_HOME" in review.estimate.text() and not review.isComplete()
    assert not review.measure_button.isEnabled()
    monkeypatch.setattr(paths, "library_unwritable", lambda: None)   # made writable: Back, Next asks again
    w.back()
    w.next()
    assert review.probe_error is None and review.probe_process is not None and review.isComplete()
    review.stop_probe()


def test_the_run_page_says_when_its_spec_cannot_be_written(qtbot, monkeypatch):
    from types import SimpleNamespace

    from genoview.gui.wizard import TrainingWizard

    w = TrainingWizard()
    w.ask_before_closing = False
    w.remember_settings = False
    qtbot.addWidget(w)
    w.values.update(name="unsaved", task="gene-track")
    w.spec = SimpleNamespace(eval_every=50)

    def refuse(spec, probe=False):
        raise OSError(30, "Read-only file system", str(paths.user_data_dir() / "specs"))

    monkeypatch.setattr(w, "save_spec_file", refuse)
    run = w.run_page
    run.start()
    assert run.outcome == "failed" and not run.process.running
    assert "did not start" in run.status.text() and "Read-only file system" in run.status.text()


def test_adapt_says_before_any_work_that_the_model_could_not_be_saved(qtbot, open_example_window, monkeypatch):
    window = open_example_window()
    errors, shown = [], []
    monkeypatch.setattr(window, "report_error", lambda title, text: errors.append(text))
    monkeypatch.setattr(AdaptDialog, "exec", lambda self: shown.append(1) or QDialog.DialogCode.Rejected)
    monkeypatch.setattr(adapt, "adaptable_models", lambda: ["geneorf-bacteria"])
    reason = _read_only_library(monkeypatch)
    window.adapt_action.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=20000)
    assert not shown and reason in errors[0] and "could not be saved" in errors[0] and "Nothing was started" in errors[0]


def test_library_unwritable_names_the_folder(tmp_path, monkeypatch):
    assert paths.library_unwritable() is None   # the test's own home
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setattr(paths, "model_library_dir", lambda: blocker / "models")   # a folder that cannot be made
    assert str(blocker / "models") in paths.library_unwritable()
