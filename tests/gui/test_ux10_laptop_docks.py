"""A 1280 x 720 laptop (the window 1216 x 648): the Real vs mutated form beside a genome showed without a sideways
scroll bar. The hidden start page's 560-pixel card kept the genome view at least 640 pixels wide, so the right dock
stayed at the evaluation's ~350 pixels and "Saturation mutagenesis" and the fields' right half were cut off."""
from __future__ import annotations

from PySide6.QtCore import Qt

from genoview.gui.panels.mutation import form_width


def test_hidden_start_page_asks_for_no_width(open_example_window):
    window = open_example_window(size=(1216, 648))
    assert window.central.currentWidget() is window.view
    assert window.central.minimumSizeHint().width() < 400   # was 640: the start page's card, out of sight
    window.session.set_genome(None)   # back to the start page: its card keeps its room
    assert window.central.currentWidget() is window.start_page
    assert window.central.minimumSizeHint().width() >= 560


def test_real_vs_mutated_form_fits_beside_the_genome_on_a_laptop(qtbot, open_example_window):
    window = open_example_window(size=(1216, 648))
    evaluation = window.evaluation_panel
    evaluation.show()
    window.resizeDocks([evaluation], [350], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(evaluation.width() - 350) < 20)
    window.show_mutation_panel()
    panel = window.mutation_panel
    qtbot.waitUntil(lambda: panel.width() >= form_width(panel) - 2)
    assert panel.width() <= window.width() * 0.45 + 2   # the genome view keeps the larger part
    qtbot.waitUntil(lambda: not panel._scroll.horizontalScrollBar().isVisible())
    assert window.view.width() > 400
