"""rev12: Real vs mutated, Gene by name moves the genome view to the gene, as the Go-to box does: Enter in the Gene
field goes there, and a run on the gene shows it (the view stayed where it was, on another place than the gene
compared); a mistyped name says so in the status line and leaves the view."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest


def test_the_gene_named_is_shown_in_the_genome_view(qtbot, open_example_window):
    window = open_example_window(size=(1600, 1000))
    window.show_mutation_panel()
    panel = window.mutation_panel
    panel.quiet = True
    genome, seqid = window.session.genome, window.session.seqid
    length = window.session.sequence_length()
    genes = [f for f in genome.features.query(seqid, 0, length, types=("gene",)) if f.name and len(f.name) >= 3
             and genome.features.find(f.name)[0].start == f.start]   # the example genome repeats some names
    far = max(genes, key=lambda f: f.start)   # the last gene: the view starts at the sequence's start
    window.view.show_region(0, 2000)
    window.view.flush()
    assert window.session.region[1] <= far.start
    panel.source.setCurrentText("Gene by name")
    panel.gene_name.setText(far.name)
    panel.gene_name.setFocus()
    QTest.keyClick(panel.gene_name, Qt.Key.Key_Return)
    start, end = window.session.region
    assert window.session.seqid == far.seqid and start <= far.start and far.end <= end
    assert "shown in the genome view" in panel.status.text()
    # a typo: the view stays, the status says what was meant
    panel.gene_name.setText(far.name + "zz")
    QTest.keyClick(panel.gene_name, Qt.Key.Key_Return)
    assert window.session.region == (start, end) and "no feature named" in panel.status.text()
    # taking the gene for a run shows it too
    first = min(genes, key=lambda f: f.start)
    panel.gene_name.setText(first.name)
    text, region = panel.real_sequence()
    start, end = window.session.region
    assert region[:3] == (first.seqid, first.start, first.end) and start <= first.start and first.end <= end
    assert len(text) == first.end - first.start
