"""rev13: the Go-to box's list of a shared name's places (or of features by type) outlived the genome it was made
for: after another genome (or annotation) opened, choosing an entry still went to the old genome's place. A new
genome or annotation empties the list."""
from __future__ import annotations

from genoview.gui.start_page import EXAMPLE_GENOME


def test_a_new_genome_empties_the_list_of_places(qtbot, open_example_window):
    window = open_example_window(size=(1600, 1000))
    box = window.go_to_box
    assert window.go_to("abcA")
    choices = box._described_names.stringList()
    assert len(choices) == 3
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_genome(EXAMPLE_GENOME, confirm=False)   # the same sequence names, no annotation
    window.go_to("chrEx:1-5,000")
    before = window.session.region
    box._go_described(choices[2])   # what choosing the old entry does
    assert window.session.region == before and box._described_names.stringList() == []
