"""The annotation report: asked before loading a GFF with bad lines ("Load the rest" / Cancel), viewable later."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from genoview.core.io.gff import read_gff
from genoview.gui.dialogs import annotation_report
from genoview.gui.dialogs.annotation_report import AnnotationReportDialog


def test_dialog_lists_lines_with_their_numbers(qtbot, data_dir):
    report = read_gff(data_dir / "gff_partly_bad.gff3").report
    dialog = AnnotationReportDialog(report, asking=True)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 4
    assert [table.item(r, 0).text() for r in range(4)] == ["5", "7", "8", "9"]
    assert "start '.' is not a whole number" in table.item(0, 1).text() and table.item(0, 2).text() == "skipped"
    assert table.item(1, 2).text() == "repaired: read as phase 0" and "NC_000913.3" in table.item(0, 3).text()
    assert dialog.load_button.text() == "Load the rest" and "4 lines" in dialog.message.text()
    dialog.copy_to_clipboard()
    assert QApplication.clipboard().text().startswith("gff_partly_bad.gff3: 2 lines skipped, 2 lines repaired")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.load_button.click()


def test_open_offers_to_load_the_rest_and_the_report_stays_viewable(qtbot, data_dir, make_window):
    window = make_window()
    asked = []

    def click_load_the_rest():  # polled: the question is modal, so the test answers it from a timer
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, AnnotationReportDialog):
            timer.stop()
            asked.append([dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())])
            dialog.load_button.click()

    timer = QTimer(window)
    timer.timeout.connect(click_load_the_rest)
    timer.start(20)
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gff_partly_bad.gff3")
    timer.stop()
    assert asked == [["5", "7", "8", "9"]]
    genome = window.session.genome
    assert len(genome.features) == 5 and len(genome.features.report) == 4
    viewer = annotation_report.viewer(window)
    assert viewer.button.isVisible() and "4 annotation lines" in viewer.button.text()
    assert viewer.action in window.file_menu.actions() and viewer.action.isEnabled()
    viewer.action.trigger()
    assert viewer.dialog.isVisible() and viewer.dialog.table.rowCount() == 4 and viewer.dialog.load_button is None
    viewer.dialog.close()


def test_cancel_keeps_what_was_shown(qtbot, data_dir, monkeypatch, make_window):
    window = make_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gui_tiny.gff3")
    before = window.session.genome
    assert len(before.features) == 11 and not annotation_report.viewer(window).button.isVisible()
    monkeypatch.setattr(annotation_report, "ask_load_rest", lambda parent, report: False)
    window.open_annotation(data_dir / "gff_partly_bad.gff3")
    qtbot.waitUntil(lambda: "was not loaded" in window.statusBar().currentMessage(), timeout=10000)
    assert window.session.genome is before and len(before.features) == 11
    monkeypatch.setattr(annotation_report, "ask_load_rest", lambda parent, report: True)
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_annotation(data_dir / "gff_partly_bad.gff3")
    assert len(window.session.genome.features) == 5 and annotation_report.viewer(window).button.isVisible()


def test_headless_window_loads_the_rest_and_says_so(qtbot, data_dir, make_window):
    window = make_window()
    window.interactive = False
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gff_partly_bad.gff3")
    assert len(window.session.genome.features) == 5


def test_lines_only_kept_or_repaired_load_without_a_question(qtbot, data_dir, tmp_path, monkeypatch, make_window):
    gff = tmp_path / "parts.gff3"  # NCBI writes a gene in two pieces with part=1/2 and part=2/2
    gff.write_text("##gff-version 3\n"
                   "chrA\tRefSeq\tgene\t101\t200\t.\t+\t.\tID=g1;part=1/2\n"
                   "chrA\tRefSeq\tgene\t301\t400\t.\t+\t.\tID=g1;part=2/2\n")
    monkeypatch.setattr(annotation_report, "ask_load_rest", lambda parent, report: pytest.fail("asked"))
    window = make_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "gui_tiny.fa", gff)
    assert window.session.genome.features.find("g1")[0].parts == [(100, 200), (300, 400)]
    assert annotation_report.viewer(window).button.isVisible()
