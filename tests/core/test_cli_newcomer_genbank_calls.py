"""H-ux7: `genoview predict genome.gbk --gff-out` wrote other genes than the same genome's FASTA (and than the
window's gene calls): GenBank records did not say which file they came from, so GeneORF's own calls were not found
for the file and a generic decoding of its track was written (Mycoplasma: 821 genes instead of 810, ~90 different).
The same genes now, whichever file holds the genome."""
from __future__ import annotations

from genoview.cli import main as cli_main
from genoview.gui.start_page import EXAMPLE_GENOME


def _genes(path) -> list[list[str]]:
    return [line.split("\t")[3:7] for line in path.read_text().splitlines() if "\tgene\t" in line]


def test_gff_out_of_a_genbank_genome_is_that_of_its_fasta(tmp_path):
    from Bio import SeqIO

    with open(EXAMPLE_GENOME) as handle:
        records = list(SeqIO.parse(handle, "fasta"))
    for record in records:
        record.annotations["molecule_type"] = "DNA"
        record.description = ""
    SeqIO.write(records, tmp_path / "example.gbk", "genbank")
    assert cli_main(["predict", str(EXAMPLE_GENOME), "--gff-out", str(tmp_path / "a.gff3")]) == 0
    assert cli_main(["predict", str(tmp_path / "example.gbk"), "--gff-out", str(tmp_path / "b.gff3")]) == 0
    fasta_genes = _genes(tmp_path / "a.gff3")
    assert len(fasta_genes) > 50 and _genes(tmp_path / "b.gff3") == fasta_genes
