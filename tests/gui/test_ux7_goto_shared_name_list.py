"""H-ux7: a name several genes share (the example genome has two yfgG, three abcA) typed in the Go-to box went to
the first and named the others in the status bar, with no list to choose from; Real vs mutated's Gene field lists
them. The Go-to box now lists each place too (locus tag, where, strand, the one taken first); choosing one goes
there, by mouse or keyboard, and the keys stay in the box while the list is open."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_the_go_to_box_lists_the_places_of_a_shared_name(qtbot, open_example_window):
    window = open_example_window(size=(1600, 1000))
    box = window.go_to_box
    box.setFocus()
    box.setText("yfgG")
    QTest.keyClick(box, Qt.Key.Key_Return)
    start, end = window.session.region
    assert start <= 48572 and 49046 <= end   # the first, as before
    assert "choose from the list under the Go-to box" in window.statusBar().currentMessage()
    popup = box._described_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    choices = box._described_names.stringList()
    assert [c.split()[0] for c in choices] == ["EX_0047", "EX_0095"]   # the Gene field's labels, in its order
    assert choices[1].startswith("EX_0095 (chrEx:98,152-99,024")
    assert box.hasFocus()   # the keys stayed for the list (Enter did not hand them to the view)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.session.region[0] <= 98151 and window.session.region[1] >= 99024)
    assert not popup.isVisible() and "genes are named" not in window.statusBar().currentMessage()


def test_three_abca_are_listed_and_a_click_goes_to_one(qtbot, open_example_window):
    window = open_example_window(size=(1600, 1000))
    box = window.go_to_box
    assert window.go_to("abcA")
    choices = box._described_names.stringList()
    assert len(choices) == 3 and "3 genes are named abcA" in window.statusBar().currentMessage()
    # the same places, in the same order, as Real vs mutated's Gene field offers
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    panel.source.setCurrentText("Gene by name")
    panel.gene_name.setText("abcA")
    panel.go_to_named_gene()
    assert panel._places.stringList() == choices
    box._described_completer.activated.emit(choices[2])
    feature = window.session.genome.features.find(choices[2].split()[0])[0]
    start, end = window.session.region
    assert start <= feature.start and feature.end <= end and box.text() != "abcA"
    # a name of one gene lists nothing
    assert window.go_to("yfgH") and not box.listing_places


def test_places_without_a_tag_of_their_own_are_gone_to_by_place(qtbot, tmp_path, open_example_window):
    fasta = tmp_path / "g.fa"
    fasta.write_text(">c\n" + "ACGT" * 2500 + "\n")
    gff = tmp_path / "g.gff3"
    gff.write_text("##gff-version 3\n" + "".join(f"c\tx\tgene\t{a}\t{a + 299}\t.\t+\t.\tName=dup\n"
                                                for a in (101, 5001)))
    window = open_example_window(fasta, gff, size=(1600, 1000))
    box = window.go_to_box
    assert window.go_to("dup") and window.session.region[0] <= 100
    choices = box._described_names.stringList()
    assert len(choices) == 2 and choices[1].startswith("dup (c:5,001-5,300")   # no locus tag nor ID: its name
    box._described_completer.activated.emit(choices[1])
    start, end = window.session.region
    assert start <= 5000 and 5300 <= end and start > 1000

    # the Gene field of Real vs mutated: the same place, and a run compares that gene
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    panel.source.setCurrentText("Gene by name")
    panel.gene_name.setText("dup")
    panel.go_to_named_gene()
    labels = panel._places.stringList()
    assert labels == choices
    panel._places_completer.activated.emit(labels[1])
    assert panel.gene_name.text() == "dup" and window.session.region[0] > 1000
    text, region = panel.real_sequence()
    assert region[:3] == ("c", 5000, 5300)
