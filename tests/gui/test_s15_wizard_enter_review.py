"""Enter in a field of the Review page starts no training (it pressed the wizard's default button, "Start training":
minutes to hours of CPU from a key meant for the field); the Start button itself, focused, starts it with Space or
Enter, as a keyboard user expects (session 15)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWizard

from tests.gui.test_wizard import fill_to_review   # the wizard fixture is tests/gui/conftest.py's


@pytest.fixture
def started(monkeypatch):
    """The runs the Run page would start (recorded, not run: the real child process is test_wizard's business)."""
    calls = []
    monkeypatch.setattr("genoview.gui.wizard.run_page.RunPage.start", lambda self, resume=False: calls.append(resume))
    return calls


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_in_a_review_field_starts_nothing(qtbot, wizard, data_dir, started, key):
    w = fill_to_review(qtbot, wizard, data_dir, name="enter-in-field")
    review = w.review_page
    qtbot.waitUntil(lambda: review.unfinished_known("enter-in-field"), timeout=10000)
    start = w.button(QWizard.WizardButton.NextButton)
    assert start.isEnabled() and not start.isDefault()   # no button drawn as the one Enter presses
    for field in (review.name_edit, review.summary):
        field.setFocus()
        QTest.keyClick(field, key)
        QTest.keyClick(field, key, Qt.KeyboardModifier.KeypadModifier)
    # focus passed through the page's own buttons and out again (an autoDefault button made Next the default anew)
    review.measure_button.setFocus()
    review.name_edit.setFocus()
    QTest.keyClick(review.name_edit, key)
    assert w.currentId() == w.REVIEW and started == []
    assert not start.isDefault()


@pytest.mark.parametrize("key", [Qt.Key.Key_Space, Qt.Key.Key_Return])
def test_the_focused_start_button_starts_with_space_or_enter(qtbot, wizard, data_dir, started, key):
    w = fill_to_review(qtbot, wizard, data_dir, name="start-by-key")
    qtbot.waitUntil(lambda: w.review_page.unfinished_known("start-by-key"), timeout=10000)
    start = w.button(QWizard.WizardButton.NextButton)
    start.setFocus()
    qtbot.waitUntil(start.hasFocus, timeout=5000)
    QTest.keyClick(start, key)
    qtbot.waitUntil(lambda: w.currentId() == w.RUN, timeout=5000)
    assert started == [False]


def test_enter_on_the_pages_before_still_goes_next(qtbot, wizard, data_dir, started):
    w = fill_to_review(qtbot, wizard, data_dir, name="enter-before")
    w.back()
    field = w.hyper_page.form.fields["epochs"].editor
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.currentId() == w.REVIEW, timeout=5000)
    assert started == []
    w.back()
    assert w.button(QWizard.WizardButton.NextButton).isDefault()   # Next is the default again off the Review page
