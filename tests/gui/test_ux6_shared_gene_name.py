"""H-ux6: a gene name several genes share (the example genome has two yfgG, at 48,573 and 98,152): Real vs
mutated's Gene by name silently took the first, and the Go-to box did too. Both now take the same one (the Go-to
box's rule: the current sequence, a gene, the first), say which and where the others are; the Gene field lists
the places to choose from, and choosing one puts its locus tag in the field and shows it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def _gene_by_name_yfgg(open_example_window):
    """The example genome's window with Real vs mutated on "Gene by name", yfgG typed and Enter pressed."""
    window = open_example_window(size=(1600, 1000))
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    panel.source.setCurrentText("Gene by name")
    panel.gene_name.setText("yfgG")
    panel.gene_name.setFocus()
    QTest.keyClick(panel.gene_name, Qt.Key.Key_Return)
    return window, panel


def test_gene_by_name_says_which_of_two_yfgg_it_took_and_offers_the_other(qtbot, open_example_window):
    window, panel = _gene_by_name_yfgg(open_example_window)
    status = panel.status.text()
    assert "2 genes are named yfgG: took EX_0047 (chrEx:48,573-49,046" in status and "EX_0095" in status
    start, end = window.session.region
    assert start <= 48572 and 49046 <= end
    choices = panel._places.stringList()
    assert [c.split()[0] for c in choices] == ["EX_0047", "EX_0095"]
    # the Go-to box takes the same one, and says so in the status bar
    window.go_to_box.go("yfgG")
    assert window.session.region == (start, end)
    message = window.statusBar().currentMessage()
    assert "2 genes are named yfgG: took EX_0047" in message and "EX_0095" in message
    # choosing the other from the list: its locus tag in the field, the view there, no note (one gene of that tag)
    panel._places_completer.activated.emit(choices[1])
    assert panel.gene_name.text() == "EX_0095"
    start, end = window.session.region
    assert start <= 98151 and 99024 <= end and "genes are named" not in panel.status.text()
    # a run on the shared name compares the same gene the view shows, and says so
    panel.gene_name.setText("yfgG")
    text, region = panel.real_sequence()
    assert region[:3] == ("chrEx", 48572, 49046) and "took EX_0047" in panel._namesake_note
    panel.gene_name.setText("EX_0095")
    text, region = panel.real_sequence()
    assert region[:3] == ("chrEx", 98151, 99024) and panel._namesake_note == ""
    window.go_to_box.go("EX_0095")
    assert "genes are named" not in window.statusBar().currentMessage()


def test_the_other_place_is_chosen_with_the_keyboard(qtbot, open_example_window):
    window, panel = _gene_by_name_yfgg(open_example_window)
    popup = panel._places_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.gene_name.text() == "EX_0095")
    start, end = window.session.region
    assert start <= 98151 and 99024 <= end and not popup.isVisible()
