"""MainWindow.after_genome_loads(slot): the one "run once this genome loads, else forget it" of a reopened session,
files dropped with their genome and `genoview gui --locus/--model` (three hand-written copies until session 19)."""
from __future__ import annotations


def _open(qtbot, window, fasta, signal):
    with qtbot.waitSignal(signal, timeout=30000):
        window.open_genome(fasta)


def test_the_slot_runs_once_on_the_genome_that_loads(qtbot, make_window):
    from genoview.gui.start_page import EXAMPLE_GENOME

    window = make_window()
    window.interactive = False
    ran = []
    window.after_genome_loads(ran.append)
    _open(qtbot, window, EXAMPLE_GENOME, window.genome_loaded)
    assert len(ran) == 1 and ran[0] is window.session.genome
    _open(qtbot, window, EXAMPLE_GENOME, window.genome_loaded)   # a later File ▸ Open: not again
    assert len(ran) == 1


def test_a_failed_load_drops_the_slot_for_good(qtbot, make_window, tmp_path, errors):
    from genoview.gui.start_page import EXAMPLE_GENOME

    window = make_window()
    window.interactive = False
    bad = tmp_path / "broken.fa"
    bad.write_text("this is not a genome\n")
    ran = []
    window.after_genome_loads(ran.append)
    _open(qtbot, window, bad, window.load_failed)
    _open(qtbot, window, EXAMPLE_GENOME, window.genome_loaded)   # another genome, opened next: not its slot
    assert ran == []
