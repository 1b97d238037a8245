"""The gene-disagreements list is walked with single clicks and the arrow keys (a double-click was the only way, and
newcomers did not try it); cancelling the gene-calls job in the status bar says how to get the calls back."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from PySide6.QtCore import Qt

from genoview.gui.genome_view.gene_calls_track import GeneCallsResult
from genoview.gui.panels.disagreements import DisagreementsPanel
from genoview.gui.session import ProbabilityTrack
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def _gene(i: int):
    start = 1000 * i
    return SimpleNamespace(seqid="chrA", start=start, end=start + 300, strand=1, systems=("Prodigal",),
                           locus=f"chrA:{start + 1}-{start + 300}")


def test_click_and_arrow_keys_step_through_the_disagreements(qtbot):
    panel = DisagreementsPanel(None)
    qtbot.addWidget(panel)
    shown = []
    panel.locus_activated.connect(lambda seqid, start, end: shown.append(start))
    panel.show()
    result = GeneCallsResult("t @ chrA", "chrA", [], [_gene(i) for i in range(5)], ("GenoView", "Prodigal"), 11)
    panel.set_result(result, "t")
    qtbot.waitUntil(lambda: panel.table.item(4, 0) is not None, timeout=5000)
    assert shown == []   # filling the table shows nothing by itself
    assert "Click a row" in panel.table.toolTip() and "arrow keys" in panel.table.toolTip()
    rect = panel.table.visualItemRect(panel.table.item(1, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown[-1] == 1000
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert shown[-1] == 2000
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert shown[-1] == 3000
    panel.set_result(None)   # clearing the table is not a step either
    assert shown[-1] == 3000


def test_cancelling_gene_calls_says_how_to_get_them_back(qtbot, monkeypatch, open_example_window):
    import threading

    import genoview.gui.genome_view.gene_calls_track as gene_calls_track
    release = threading.Event()

    def slow_calls(genome, key, seqid, parts, model_name, progress, cancel):   # runs until cancelled or released
        while not release.wait(0.01):
            cancel.check()
        return None

    monkeypatch.setattr(gene_calls_track, "gene_calls_job", slow_calls)
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    seqid = window.session.seqid
    length = window.session.sequence_length()
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid, np.full(length, 0.7, np.float32),
                                              model_name="prodigal"))
    messages = []
    window.session.status_message.connect(messages.append)
    with qtbot.waitSignal(window.runner.started, timeout=20000):
        window.call_genes(f"toy @ {seqid}")
    with qtbot.waitSignal(window.runner.cancelled, timeout=20000):
        window.job_status.cancel_button.click()   # the status bar's Cancel
    assert any("Gene calls of toy cancelled" in m and "Predict" in m for m in messages), messages
    assert "Predict" in window.disagreements_panel.summary.text()
    # a new call replacing a running one is not reported as cancelled by the user
    messages.clear()
    with qtbot.waitSignal(window.runner.started, timeout=20000):
        window.call_genes(f"toy @ {seqid}")
    with qtbot.waitSignal(window.runner.cancelled, timeout=20000):
        window.call_genes(f"toy @ {seqid}")
    release.set()
    window.runner.wait(20000)
    assert not any("cancelled" in m for m in messages), messages


def test_which_tracks_calls_are_shown_is_said_and_can_be_changed(qtbot):
    from genoview.gui.genome_view.gene_calls_track import legend_html

    panel = DisagreementsPanel(None)
    qtbot.addWidget(panel)
    result = GeneCallsResult("prodigal @ chrA", "chrA", [], [_gene(1)], ("GenoView", "Prodigal"), 11)
    panel.set_result(result, "prodigal")
    assert panel.table.horizontalHeaderItem(2).text() == "prodigal"   # the calls' column is the track's, not "GenoView"
    assert "prodigal's calls" in panel.summary.text() and "Show its gene calls" in panel.summary.toolTip()
    assert "of prodigal" in legend_html(3, "prodigal") and "missed" in legend_html(3, "prodigal")
    assert "of " not in legend_html(2, "prodigal")   # two rows: the colours first (the tooltip names the track)


def test_track_menu_offers_its_gene_calls(qtbot, monkeypatch, open_example_window):
    window = open_example_window(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    seqid = window.session.seqid
    window.session.add_track(ProbabilityTrack(f"toy @ {seqid}", "toy", seqid,
                                              np.full(window.session.sequence_length(), 0.7, np.float32)))
    asked = []
    window.call_genes = asked.append
    menu = window.track_panel.track_menu(f"toy @ {seqid}")
    action = [a for a in menu.actions() if a.text() == "Show its gene calls"][0]
    action.trigger()
    assert asked == [f"toy @ {seqid}"]
    menu.deleteLater()
