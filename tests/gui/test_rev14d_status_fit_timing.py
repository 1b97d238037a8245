"""rev14d, review of 30fcd11: an elided status message keeps its sender's timing and its whole text for the code that
reads it back. The fitter re-showed its '…' copy for 8 s whatever the sender asked ('Reading genome…', shown until
the reading ends, went blank after 8 s in a narrow window), and code comparing currentMessage() with what it had
shown missed the copy: a go-to error stayed up after a successful jump."""
from __future__ import annotations

from PySide6.QtWidgets import QStatusBar

LONG = "GCF_000005845.2_ASM584v2_genomic.fna.gz: 1 sequence, 4,641,652 bases, 50.8% GC, read in 0.4 s and more"


def test_an_elided_message_is_shown_for_its_senders_time(qtbot, open_example_window, monkeypatch):
    window = open_example_window(size=(700, 500))
    status = window.statusBar()
    timeouts: list[tuple[str, int]] = []
    show = QStatusBar.showMessage

    def spy(self, text, timeout=0):
        timeouts.append((text, timeout))
        return show(self, text, timeout)
    monkeypatch.setattr(QStatusBar, "showMessage", spy)
    status.showMessage(LONG)   # until replaced
    qtbot.waitUntil(lambda: status.currentMessage().endswith("…"))
    assert timeouts[-1] == (status.currentMessage(), 0) and status.whole_message() == LONG
    status.showMessage(LONG + " again", 5000)
    qtbot.waitUntil(lambda: status.currentMessage().endswith("…"))
    assert 4000 < timeouts[-1][1] <= 5000 and status.whole_message() == LONG + " again"


def test_a_successful_jump_clears_an_elided_go_to_error(qtbot, open_example_window):
    window = open_example_window(size=(700, 500))
    status = window.statusBar()
    assert not window.go_to("no_such_gene_with_a_name_long_enough_to_be_cut_in_a_narrow_window_of_a_laptop")
    qtbot.waitUntil(lambda: status.currentMessage().endswith("…"))
    assert "no_such_gene" in status.whole_message()
    assert window.go_to("1000-2000")
    assert status.currentMessage() == ""


def test_an_elided_status_tip_stays_while_it_is_pointed_at(qtbot, open_example_window, monkeypatch):
    """Qt shows a menu item's status tip past the Python showMessage (no timeout): its '…' copy was given what was
    left of the previous message's time (1 ms, long gone) and vanished."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QStatusTipEvent

    window = open_example_window(size=(700, 500))
    status = window.statusBar()
    status.showMessage("Opened", 10)
    qtbot.wait(30)
    timeouts: list[int] = []
    show = QStatusBar.showMessage

    def spy(self, text, timeout=0):
        timeouts.append(timeout)
        return show(self, text, timeout)
    monkeypatch.setattr(QStatusBar, "showMessage", spy)
    QCoreApplication.sendEvent(window, QStatusTipEvent(LONG))   # as a hovered menu item does
    qtbot.waitUntil(lambda: status.currentMessage().endswith("…"))
    assert timeouts[-1] == 0 and status.whole_message() == LONG
