"""The go-to box reads k and M suffixes (H-walk19: chrEx:1.5k-2.5k was "not a region"); the parsing is tested in
tests/core/test_s19_locus_suffixes.py."""
from __future__ import annotations


def test_the_go_to_box_goes_there(qtbot, make_window):
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME

    window = make_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
    assert window.go_to("chrEx:1.5k-2.5k")
    assert window.go_to_box.text() == "chrEx:1,500-2,500", window.go_to_box.text()
