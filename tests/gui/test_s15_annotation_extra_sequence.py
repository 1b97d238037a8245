"""An annotation of a genome's chromosome and plasmid opened with a FASTA of the chromosome only (the plasmid in
another file): the window offered "Open a copy with plasmidEx as chrEx", which put the plasmid's genes on the
chromosome; now it offers a copy without the plasmid's features (NAME.kept.gff3), and the file is not changed."""
from __future__ import annotations

from genoview.gui.main_window import renaming_box
from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME


def test_a_copy_without_the_missing_sequence_is_offered(qtbot, tmp_path, open_example_window, monkeypatch):
    text = EXAMPLE_GENOME.read_text()
    chromosome = tmp_path / "chromosome.fa"
    chromosome.write_text(text[: text.index(">plasmidEx")])
    annotation = tmp_path / "genes.gff3"
    annotation.write_text(EXAMPLE_ANNOTATION.read_text())
    plasmid_genes = sum(1 for line in annotation.read_text().splitlines() if line.startswith("plasmidEx\t"))
    window = open_example_window(chromosome)
    asked = []

    def ask(path, message, renaming):
        asked.append((message, renaming))
        return True

    monkeypatch.setattr(window, "ask_renaming", ask)
    with qtbot.waitSignal(window.genome_loaded, timeout=20000):
        window.open_annotation(annotation)
    message, offered = asked[0]
    assert offered == {"plasmidEx": None} and "missing from the FASTA" in message
    assert f"'plasmidEx' ({plasmid_genes} features)" in message
    features = window.session.genome.features
    assert {f.seqid for f in features} == {"chrEx"} and len(features) > 90
    copy = tmp_path / "genes.kept.gff3"
    assert window.session.genome.annotation_path == str(copy)
    assert "plasmidEx left out (not in the genome)" in window.statusBar().currentMessage()
    assert "plasmidEx" not in copy.read_text() and annotation.read_text() == EXAMPLE_ANNOTATION.read_text()
    box = renaming_box(window, str(annotation), message, offered)
    assert box.rename_button.text() == "Open a copy without plasmidEx's features" and "kept" in box.informativeText()
    assert box.text().startswith("genes.gff3 describes sequences the genome does not have.")
    box.deleteLater()
