"""A biologist's second genome and a pasted human gene: after a prediction on S. aureus, opening H. influenzae left the
gene-disagreements column titled with the last genome's model over "No gene calls yet"; with no genome open, Real vs
mutated kept its ~430-pixel dock beside an empty start page (the verdict table showed one row, the heat map was cut),
and gives the room back when a genome opens."""
from __future__ import annotations

from PySide6.QtWidgets import QTableWidgetItem

from genoview.gui.panels.disagreements import HEADERS
from genoview.gui.panels.mutation import NARROW_SHARE
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_no_calls_leave_no_model_name_on_the_column(qtbot, open_example_window):
    window = open_example_window()
    panel = window.disagreements_panel
    panel.table.setHorizontalHeaderItem(2, QTableWidgetItem("genecnn-ecoli"))
    panel.set_result(None)
    assert panel.table.horizontalHeaderItem(2).text() == HEADERS[2] and panel.summary.text() == "No gene calls yet."


def test_real_vs_mutated_takes_the_room_until_a_genome_opens(qtbot, open_example_window):
    window = open_example_window(size=(1400, 900))
    window.session.set_genome(None)   # the start page again: nothing in the middle
    window.show_mutation_panel()
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.width() >= window.width() * 0.5, timeout=5000)   # the start page keeps its minimum
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    qtbot.waitUntil(lambda: panel.width() <= window.width() * NARROW_SHARE + 20, timeout=5000)


def test_a_refused_run_is_red_and_says_the_results_are_the_last_runs(qtbot, open_example_window):
    """A VCF whose REF did not match was refused in the status line above the previous random edits' alignment, in
    the same grey as a result: it read as the VCF's result."""
    from genoview.core.mutation import MutatedSequence

    panel = open_example_window().mutation_panel
    panel.quiet = True
    panel._fail("mismatch.vcf, line 3: REF C does not match the genome")
    assert "c0392b" in panel.status.styleSheet() and "last run" not in panel.status.text()
    panel.pair = MutatedSequence("ACGT", "AGGT", [])
    panel._fail("mismatch.vcf, line 3: REF C does not match the genome")
    assert panel.status.text().endswith("(the results below are from the last run)")
