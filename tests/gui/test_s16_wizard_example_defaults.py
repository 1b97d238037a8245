"""A newcomer's first wizard run on the shipped example genome (the README's quick start, the start page's "Open example
genome") works with the defaults: GeneCNN's default window of 4,000 bases with 2 x 2,143 bases of context does not fit
the example's 7 kb validation stretch, and the Data page said so in red and the Review page's probe refused the run
(session 16 walk). The default window shown is now the largest that fits (2,700 bases), said on the Data page with a
one-click way to keep 4,000 (and raise the validation fraction instead); a window the user set is never changed: the
message stays, with one-click buttons to the window or the fraction that fits."""
from __future__ import annotations

import pytest

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
from tests.gui.waits import PREVIEW_MS


@pytest.fixture
def wizard(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    yield w
    w.review_page.stop_probe()


def _example(qtbot, w):
    page = w.data_page
    page.fasta_edit.setText(str(EXAMPLE_GENOME))
    page.annotation_edit.setText(str(EXAMPLE_ANNOTATION))
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None and page.preview["valid"]["windows"] > 0
                    or page.fit_window_button.isVisible(), timeout=PREVIEW_MS)
    return page


@pytest.mark.parametrize("source", ["default", "genecnn"])
def test_the_defaults_on_the_example_genome_reach_review_with_no_refusal(qtbot, wizard, source):
    w = wizard
    page = _example(qtbot, w)
    text = page.preview_label.text()
    assert page.preview["window"] == 2700 and page.preview["valid"]["windows"] == 1, text
    assert "no checkpoint" not in text and "The window is 2,700 bases, not the default 4,000" in text
    assert page.fit_fraction_button.isVisible() and "Keep the 4,000-base window" in page.fit_fraction_button.text()
    assert not page.fit_window_button.isVisible()
    w.next()
    assert w.currentId() == w.TASK and w.task_page.window_spin.value() == 2700 and not w.task_page.window_chosen
    assert w.task_page.window_note.isVisible() and "not the default 4,000" in w.task_page.window_note.text()
    w.next()
    qtbot.waitUntil(lambda: w.model_page.loaded, timeout=PREVIEW_MS)
    if source == "genecnn":   # a new GeneCNN, the model whose windows the preview counts
        w.model_page.scratch_radio.setChecked(True)
        w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("genecnn"))
    w.next()
    w.next()
    assert w.currentId() == w.REVIEW, w.hyper_page.error.text()
    review = w.review_page
    qtbot.waitUntil(lambda: review.probe_result is not None or review.probe_error is not None, timeout=PREVIEW_MS)
    assert review.probe_error is None and review.isComplete(), review.estimate.text()


def test_keep_the_default_window_raises_the_fraction_and_a_set_window_is_never_changed(qtbot, wizard):
    w = wizard
    page = _example(qtbot, w)
    page.fit_fraction_button.click()   # keep 4,000: the validation fraction that fits instead
    qtbot.waitUntil(lambda: page.preview is not None and page.preview["window"] == 4000
                    and page.preview["valid"]["windows"] == 1, timeout=PREVIEW_MS)
    assert page.valid_fraction.value() == pytest.approx(0.12) and w.task_page.window_chosen
    assert w.task_page.window_note.isHidden()
    # a window the user set is kept: the message, with the two one-click fixes
    page.valid_fraction.setValue(0.1)
    w.task_page.window_spin.setValue(5000)
    w.values["window"] = 5000
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None and page.preview["window"] == 5000, timeout=PREVIEW_MS)
    assert "no checkpoint can be chosen" in page.preview_label.text()
    assert page.fit_window_button.isVisible() and page.fit_window_button.text() == "Use a window of 2,700 bases"
    assert page.fit_fraction_button.text().startswith("Raise the validation fraction to")
    assert w.task_page.window_spin.value() == 5000
    page.fit_window_button.click()
    qtbot.waitUntil(lambda: page.preview is not None and page.preview["window"] == 2700
                    and page.preview["valid"]["windows"] == 1, timeout=PREVIEW_MS)
    assert w.task_page.window_spin.value() == 2700 and not page.fit_window_button.isVisible()
    assert "not the default" not in page.preview_label.text()


def test_a_validation_part_that_holds_the_default_window_gets_it_back(qtbot, wizard):
    w = wizard
    page = _example(qtbot, w)
    assert w.task_page.window_spin.value() == 2700
    page.valid_fraction.setValue(0.2)   # 14 kb of validation: the default window fits again
    qtbot.waitUntil(lambda: page.preview is not None and page.preview["window"] == 4000, timeout=PREVIEW_MS)
    assert page.preview["valid"]["windows"] >= 1 and w.task_page.window_spin.value() == 4000
    assert not w.task_page.window_chosen and "not the default" not in page.preview_label.text()
    assert not page.fit_window_button.isVisible() and not page.fit_fraction_button.isVisible()
