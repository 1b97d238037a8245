"""The go-to box and a feature type or product: "tRNA" jumped to the first feature whose ID starts with "trna-";
now it lists the tRNAs (name, type, product, place) and says how many; choosing one goes there."""
from __future__ import annotations

from genoview.core.genome import open_genome
from genoview.gui.genome_view.navigation import GoToBox, described_matches
from genoview.gui.session import Session

GFF = """##gff-version 3
chr1\t.\tgene\t101\t400\t.\t+\t.\tID=gene-A1;locus_tag=A1;Name=dnaA
chr1\t.\ttRNA\t501\t576\t.\t+\t.\tID=trna-A2;locus_tag=A2;product=tRNA-Ala
chr1\t.\ttRNA\t601\t676\t.\t-\t.\tID=trna-A3;locus_tag=A3;product=tRNA-Gly
chr1\t.\tCDS\t701\t900\t.\t+\t0\tID=cds-A4;locus_tag=A4;product=50S ribosomal protein L2
"""


def genome_in(tmp_path):
    (tmp_path / "g.fa").write_text(">chr1\n" + "ACGT" * 500 + "\n")
    (tmp_path / "g.gff3").write_text(GFF)
    return open_genome(tmp_path / "g.fa", tmp_path / "g.gff3")


def test_type_and_product_are_listed(qtbot, tmp_path):
    genome = genome_in(tmp_path)
    found, words = described_matches("tRNA", genome)
    assert [t for t, _ in found] == ["A2", "A3"] and words == "2 tRNA features"
    assert "tRNA-Ala" in found[0][1] and "chr1:501" in found[0][1]
    found, words = described_matches("ribosomal", genome)
    assert [t for t, _ in found] == ["A4"] and "product mentions 'ribosomal'" in words
    assert described_matches("dna", genome) == ([], "")

    session = Session()
    session.set_genome(genome)
    box = GoToBox(session)
    qtbot.addWidget(box)
    said = []
    box.failed.connect(said.append)
    assert not box.go("tRNA")                       # listed, not a jump to the first
    assert said == ["2 tRNA features: choose one from the list"]
    assert box._described_names.stringList()[1].startswith("A3  (tRNA tRNA-Gly")
    box._go_described(box._described_names.stringList()[1])
    assert session.region[0] <= 600 and session.region[1] >= 676
    assert box.go("dnaA") and box.go("chr1:10-20")   # names and coordinates as before
    assert box.go("trna-A2")                         # an exact ID still jumps
