"""The Data page's preview counts windows in words that fit the count: the shipped example genome's validation part
holds one 4 kb window, which read "1 windows of 4,000"."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard


def test_one_window_is_said_in_the_singular(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    page = w.data_page
    page.fasta_edit.setText(str(EXAMPLE_GENOME))
    page.annotation_edit.setText(str(EXAMPLE_ANNOTATION))
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=60000)
    text = page.preview_label.text()
    assert page.preview["valid"]["windows"] == 1
    assert "1 window of 4,000" in text and "1 windows" not in text
    assert f"{page.preview['train']['windows']} windows of 4,000" in text
