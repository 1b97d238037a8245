"""A genome opened with an annotation whose skipped lines the user declines (Cancel in the annotation report's
question) is not opened either; the status line said only '<annotation> was not loaded; fix the lines listed, or
load the rest', over the genome shown before, which read as the new genome opened without its annotation (H-walk19
under Xvfb: example.fa with a broken GFF3, cancelled; io_small's chr1 stayed in view). It now names the genome."""
from __future__ import annotations

from genoview.gui.dialogs import annotation_report


def test_declining_the_annotation_says_the_genome_was_not_opened(qtbot, data_dir, monkeypatch, make_window):
    window = make_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "io_small.fa")
    before = window.session.genome
    monkeypatch.setattr(annotation_report, "ask_load_rest", lambda parent, report: False)   # "Cancel"
    failed = []
    window.load_failed.connect(failed.append)
    window.open_genome(data_dir / "gui_tiny.fa", data_dir / "gff_partly_bad.gff3", confirm=False)
    qtbot.waitUntil(lambda: bool(failed), timeout=10000)
    assert failed == ["gui_tiny.fa was not opened: gff_partly_bad.gff3 was not loaded; fix its lines listed, or "
                      "open both and load the rest"]
    assert window.statusBar().currentMessage().startswith("gui_tiny.fa was not opened")
    assert window.session.genome is before


def test_declining_an_annotation_added_to_the_open_genome_names_the_annotation_only(qtbot, data_dir, monkeypatch,
                                                                                      make_window):
    window = make_window()
    with qtbot.waitSignal(window.genome_loaded, timeout=10000):
        window.open_genome(data_dir / "gui_tiny.fa")
    monkeypatch.setattr(annotation_report, "ask_load_rest", lambda parent, report: False)
    window.open_annotation(data_dir / "gff_partly_bad.gff3")
    qtbot.waitUntil(lambda: "was not loaded" in window.statusBar().currentMessage(), timeout=10000)
    assert window.statusBar().currentMessage().startswith("gff_partly_bad.gff3 was not loaded")
