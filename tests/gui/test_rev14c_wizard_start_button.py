"""The Review page's Next says "Start training" (87bbf35), checked on the wizard's own buttons as a user walks it
(the page's buttonText alone does not say what the button shows): Back, Next and Cancel keep their words elsewhere,
Enter on the Hyperparameters page goes to the Review page and starts nothing (review rev14c)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from genoview.gui.wizard.pages import START_TRAINING_TEXT
from tests.gui.test_wizard import fill_to_review   # the wizard fixture is tests/gui/conftest.py's


def test_the_start_button_is_the_review_pages_only(qtbot, wizard, data_dir):
    w = fill_to_review(qtbot, wizard, data_dir, name="start-words")
    next_button = w.button(QWizard.WizardButton.NextButton)
    assert next_button.text() == START_TRAINING_TEXT and next_button.isVisible()
    assert w.button(QWizard.WizardButton.CancelButton).isVisible()
    w.back()
    assert w.currentId() == w.HYPERPARAMETERS and next_button.text() != START_TRAINING_TEXT
    field = w.hyper_page.form.fields["epochs"].editor
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Return)   # Enter on the page before: on to the Review, nothing started
    qtbot.waitUntil(lambda: w.currentId() == w.REVIEW, timeout=5000)
    assert next_button.text() == START_TRAINING_TEXT and not w.run_page.process.running
    w.back()
    w.back()
    assert w.currentId() == w.MODEL and next_button.text() != START_TRAINING_TEXT
