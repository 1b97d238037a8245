"""A status-bar message longer than the room left of the permanent widgets is elided with '…' (the whole text in the
tooltip); Qt cut it mid-word, unmarked: 'genomic.fna.gz: 1 sequence, 4,641,652 bases' read '4,641,6' in a 1216-pixel
window (a 1280 x 720 laptop)."""
from __future__ import annotations


def test_long_status_message_is_elided_with_its_whole_text_in_the_tooltip(qtbot, open_example_window):
    window = open_example_window(size=(700, 500))
    status = window.statusBar()
    window.locus_label.setText("NC_000913.3:1-4,641,652 (4,641,652 bp)")
    full = "GCF_000005845.2_ASM584v2_genomic.fna.gz: 1 sequence, 4,641,652 bases, 50.8% GC, read in 0.4 s"
    status.showMessage(full, 8000)
    qtbot.waitUntil(lambda: status.currentMessage().endswith("…"))
    shown = status.currentMessage()
    assert full.startswith(shown[:-1]) and status.toolTip() == full
    assert status.fontMetrics().horizontalAdvance(shown) <= window.status_fitter.room()
    status.showMessage("Opened", 8000)   # a short one is left as it is
    qtbot.wait(20)
    assert status.currentMessage() == "Opened" and status.toolTip() == ""
