"""The training wizard keeps its settings when it closes (Escape, the close button, Cancel): Escape on any page
before the run lost every page's settings (genomes, task, model, hyperparameters). A plain reopened wizard starts
from them, Reset to defaults starts afresh and forgets them; nothing asks a modal question, so closing never waits."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from genoview.gui.wizard import TrainingWizard
from genoview.gui.wizard.window import RESET_BUTTON, last_settings_path


def _open(qtbot, session=None, initial=None) -> TrainingWizard:
    wizard = TrainingWizard(session, initial=initial)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _escape(qtbot, wizard) -> None:
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not wizard.isVisible())


def test_settings_of_every_page_survive_escape_and_reset_restores_defaults(qtbot, data_dir):
    first = _open(qtbot)
    defaults = first.current_settings()
    data = first.data_page
    data.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    data.annotation_edit.setText(str(data_dir / "engine_tiny.gff3"))
    data.train_to.setValue(0.6)
    data.test_from.setValue(0.8)
    first.next()
    assert first.currentId() == first.TASK
    first.task_page.window_spin.setValue(1500)
    first.next()
    model = first.model_page
    model.scratch_radio.setChecked(True)
    model.arch_combo.setCurrentIndex(model.arch_combo.findData("genecnn"))
    first.next()
    assert first.currentId() == first.HYPERPARAMETERS
    first.hyper_page.form.set_values({"learning_rate": 0.0042, "seed": 17})
    _escape(qtbot, first)   # on the Hyperparameters page, before the run
    assert last_settings_path().is_file()

    second = _open(qtbot)
    assert second.data_page.fasta_edit.text() == str(data_dir / "engine_tiny.fa")
    assert second.data_page.annotation_edit.text() == str(data_dir / "engine_tiny.gff3")
    assert round(second.data_page.train_to.value(), 2) == 0.6 and round(second.data_page.test_from.value(), 2) == 0.8
    assert second.task_page.window_spin.value() == 1500
    assert "last training settings" in second.data_page.subTitle()
    reset = second.button(RESET_BUTTON)
    assert reset.isVisible() and reset.isEnabled() and "Reset to defaults" in reset.text().replace("&", "")
    second.next()
    second.next()
    assert second.model_page.source() == "scratch" and second.model_page.architecture() == "genecnn"
    second.next()
    values = second.hyper_page.form.values()
    assert values["learning_rate"] == 0.0042 and values["seed"] == 17

    qtbot.mouseClick(reset, Qt.MouseButton.LeftButton)   # every page back to its defaults, the kept settings gone
    assert second.currentId() == second.DATA and not last_settings_path().exists()
    assert second.data_page.fasta_edit.text() == "" and second.task_page.window_spin.value() == 4000
    assert "last training settings" not in second.data_page.subTitle()
    assert second.current_settings()["data"] == defaults["data"]
    assert second.current_settings()["task"] == defaults["task"]
    _escape(qtbot, second)
    third = _open(qtbot)   # what the reset wizard closed with: the defaults
    assert third.data_page.fasta_edit.text() == "" and third.task_page.window_spin.value() == 4000
    assert third.current_settings()["data"] == defaults["data"]


def test_the_open_genome_comes_first_and_a_fine_tune_brings_its_own(qtbot, session, data_dir):
    first = _open(qtbot)
    first.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    first.task_page.window_spin.setValue(2500)
    first.close()   # the window's close button: the same as Escape
    assert not first.isVisible()
    opened = _open(qtbot, session)   # another genome is open now: it is the one to train on, the rest as left
    assert opened.data_page.fasta_edit.text() == str(session.genome.path)
    assert opened.task_page.window_spin.value() == 2500
    opened.close()
    fine_tune = _open(qtbot, initial={"init_from": "genecnn-ecoli"})   # "Fine-tune from this model": its own prefill
    assert fine_tune.restored == {} and fine_tune.task_page.window_spin.value() == 4000
    assert fine_tune.button(RESET_BUTTON).isVisible()
    fine_tune.close()


def test_no_reset_on_the_run_page_and_a_damaged_file_means_defaults(qtbot):
    last_settings_path().write_text("{not json")
    wizard = _open(qtbot)
    assert wizard.restored == {} and wizard.task_page.window_spin.value() == 4000
    wizard.currentIdChanged.emit(wizard.RUN)
    assert not wizard.button(RESET_BUTTON).isVisible()
    wizard.currentIdChanged.emit(wizard.DATA)
    assert wizard.button(RESET_BUTTON).isVisible()
    assert wizard.testOption(QWizard.WizardOption.HaveCustomButton1)
    wizard.close()
