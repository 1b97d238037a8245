"""Opening a genome with a broken annotation: the message blamed the genome ("GenoView could not open slice.fna")
for an error in the annotation; it now names the annotation as what could not be read, with its line, and the way on."""
from __future__ import annotations


def test_a_broken_annotation_is_named_not_the_genome(qtbot, tmp_path):
    from genoview.app import create_main_window
    from genoview.settings import Settings

    fasta = tmp_path / "slice.fna"
    fasta.write_text(">c1\n" + "ACGT" * 50 + "\n", encoding="utf-8")
    gff = tmp_path / "genes.gff3"
    gff.write_text("##gff-version 3\nc1    x    gene    1    90    .    +    .    ID=a\n", encoding="utf-8")
    window = create_main_window(Settings())
    window.interactive = False
    window.remember_layout = False
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.load_failed, timeout=20000) as blocker:
        window.open_genome(fasta, gff)
    shown = window.statusBar().currentMessage()
    assert shown.startswith("GenoView could not read the annotation genes.gff3, so slice.fna was not opened")
    assert "line 2" in blocker.args[0] and "tabs, not spaces" in blocker.args[0]
    bad_fasta = tmp_path / "bad.fna"
    bad_fasta.write_text("not a fasta\n", encoding="utf-8")
    with qtbot.waitSignal(window.load_failed, timeout=20000):
        window.open_genome(bad_fasta, gff)
    assert window.statusBar().currentMessage().startswith("GenoView could not open bad.fna")
