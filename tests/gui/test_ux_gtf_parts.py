"""A GTF of exon and CDS lines only (no gene or transcript lines) drew every gene twice, its exon and its CDS in two
rows; each transcript is now drawn by its CDS (else its exons), and files with genes draw as before."""
from __future__ import annotations

from genoview.core.genome import Feature
from genoview.gui.genome_view.feature_track import display_features


def test_a_gtf_of_exons_and_cds_draws_each_gene_once():
    features = [
        Feature("c", 10, 100, 1, "exon", parent="t1"), Feature("c", 10, 100, 1, "CDS", parent="t1"),
        Feature("c", 200, 260, -1, "exon", parent="t2"), Feature("c", 300, 380, -1, "exon", parent="t2"),
        Feature("c", 210, 260, -1, "CDS", parent="t2"), Feature("c", 300, 350, -1, "CDS", parent="t2"),
        Feature("c", 500, 600, 1, "exon", parent="t3"),                       # a non-coding transcript
        Feature("c", 700, 703, 1, "start_codon", parent="t4"),                # only its codons given
    ]
    shown = display_features(features)
    assert [(f.type, f.parent, f.start) for f in shown] == [
        ("CDS", "t1", 10), ("CDS", "t2", 210), ("CDS", "t2", 300), ("exon", "t3", 500), ("start_codon", "t4", 700)]


def test_a_gtf_file_read_draws_its_gene_once(tmp_path):
    from genoview.core.io import read_annotation

    gtf = tmp_path / "genes.gtf"
    gtf.write_text('c\tx\texon\t11\t100\t.\t+\t.\tgene_id "g1"; transcript_id "g1.t1";\n'
                   'c\tx\tCDS\t11\t100\t.\t+\t0\tgene_id "g1"; transcript_id "g1.t1";\n', encoding="utf-8")
    features = list(read_annotation(gtf)[0])
    assert [f.type for f in display_features(features)] == ["CDS"]
