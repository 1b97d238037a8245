"""The Data page reads the genome once for a change and its refresh (session 18, H-left18): a file typed or a fix
button's new value started the 400 ms debounce and the page's refresh read the genome at once; the debounce then read
it a second time and the first preview was thrown away, so the first one shown came later (under load the s16 preview
test timed out waiting: 58-84 s on load 7 with the duplicate's import wait)."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
from genoview.gui.wizard import TrainingWizard
from tests.gui.waits import PREVIEW_MS


def test_a_refresh_after_a_change_reads_the_genome_once(qtbot):
    w = TrainingWizard()
    w.ask_before_closing = False
    qtbot.addWidget(w)
    w.show()
    page = w.data_page
    w.task_page.window_chosen = True   # a window the user set: no second preview for a fitted window
    page.fasta_edit.setText(str(EXAMPLE_GENOME))
    page.annotation_edit.setText(str(EXAMPLE_ANNOTATION))
    assert page._timer.isActive()   # the typed change's debounce
    page.refresh_preview()
    assert not page._timer.isActive()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=PREVIEW_MS)
    assert page._generation == 1 and page.preview["sequences"] == 2
