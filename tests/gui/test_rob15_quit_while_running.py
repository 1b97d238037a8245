"""H-rob (session 15): closing the main window while a prediction (or adaptation) ran stopped it without a word, and
a training wizard's run was killed with the window that owned the wizard, without the wizard's own question. The
window now asks first: the wizard's question for its run, then "Stop and quit / Keep running" for long jobs."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from genoview.gui.workers import Job


def _window(qtbot):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    window = create_main_window(Settings())
    window.remember_layout = False
    qtbot.addWidget(window)
    return window


def _long_job(window, qtbot):
    def work(progress, cancel):
        while not cancel.is_cancelled():
            cancel._event.wait(0.05)
        cancel.check()

    job = window.runner.submit(Job("Adapt geneorf-bacteria to example.fa", work, context="adapt"))
    qtbot.waitUntil(lambda: job.state == "running", timeout=5000)
    return job


def _answer(monkeypatch, text, asked):
    def exec_(box):
        asked.append(box.text())
        box_button = next(b for b in box.buttons() if b.text() == text)
        box_button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)


def test_keep_running_keeps_the_window_and_the_job(qtbot, monkeypatch):
    window = _window(qtbot)
    window.interactive = True
    job = _long_job(window, qtbot)
    asked = []
    _answer(monkeypatch, "Keep running", asked)
    window.show()
    assert window.close() is False
    assert asked and "Adapt geneorf-bacteria to example.fa" in asked[0]
    assert job.state == "running" and window.isVisible()
    _answer(monkeypatch, "Stop and quit", asked)
    assert window.close() is True
    assert job.state == "cancelled"


def test_not_interactive_closes_without_asking(qtbot, monkeypatch):
    window = _window(qtbot)
    window.interactive = False
    job = _long_job(window, qtbot)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: (_ for _ in ()).throw(AssertionError("asked")))
    window.show()
    assert window.close() is True
    assert job.state == "cancelled"


class _Process:
    def __init__(self):
        self.running = True


class _Wizard:
    """Stands for a TrainingWizard: close() asks its question (here: answered by ``keep``)."""

    def __init__(self, keep: bool):
        self.run_page = type("RunPage", (), {})()
        self.run_page.process = _Process()
        self.keep = keep
        self.asked = 0

    def show(self):
        pass

    def raise_(self):
        pass

    def close(self):
        self.asked += 1
        if self.keep:
            return False
        self.run_page.process.running = False
        return True


def test_a_training_wizard_is_asked_before_the_window_closes(qtbot):
    window = _window(qtbot)
    window.interactive = True
    keeping = _Wizard(keep=True)
    window.training_wizards = [keeping]
    window.show()
    assert window.close() is False and keeping.asked == 1 and keeping.run_page.process.running
    stopping = _Wizard(keep=False)
    window.training_wizards = [stopping]
    assert window.close() is True and stopping.asked == 1 and not stopping.run_page.process.running
