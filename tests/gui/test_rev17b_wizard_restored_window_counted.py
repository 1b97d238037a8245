"""A wizard opened again with the last settings counted the Data page's windows with the default 4,000-base window,
not the window the user had set on the Task page (walked under Xvfb, session 17 review: the example genome with a
window of 2,000 reopened to "Validation: 0 windows of 4,000" and the red "holds no whole window" refusal, the Task
page showing 2,000). The restored window is the one counted."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
from tests.gui.waits import PREVIEW_MS, fill_data_page


def test_the_data_page_counts_the_restored_window(qtbot):
    first = TrainingWizard()
    first.ask_before_closing = False
    qtbot.addWidget(first)
    fill_data_page(qtbot, first, EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    first.next()
    first.task_page.window_spin.setValue(2000)   # the user's window
    first.next()
    first.reject()   # its settings are kept

    again = TrainingWizard()
    again.ask_before_closing = False
    qtbot.addWidget(again)
    again.show()
    assert again.task_page.window_spin.value() == 2000
    page = again.data_page
    qtbot.waitUntil(lambda: page.preview is not None, timeout=PREVIEW_MS)
    assert page.preview["window"] == 2000
    assert not page.preview.get("valid_too_short")
    assert "no whole window" not in page.preview_label.text()
