"""H-ux7: `genoview predict genome.fna --gff-out genes.gtf` (the annotation's name typed or tab-completed for the
output) silently replaced the user's annotation with the predicted genes. An output that exists and is a genome or
an annotation GenoView did not write is refused now, naming it; GenoView's own earlier outputs are replaced as before."""
from __future__ import annotations

from genoview.cli import main as cli_main
from genoview.gui.start_page import EXAMPLE_GENOME

GTF = 'chrEx\tRefSeq\tCDS\t101\t400\t.\t+\t0\tgene_id "g1"; transcript_id "g1.t1";\n'


def test_an_annotation_or_genome_is_not_replaced_by_an_output(tmp_path, capsys):
    annotation = tmp_path / "genes.gtf"
    annotation.write_text(GTF)
    code = cli_main(["predict", str(EXAMPLE_GENOME), "--seqid", "chrEx", "--end", "5000",
                     "--gff-out", str(annotation)])
    err = capsys.readouterr().err
    assert code == 2 and annotation.read_text() == GTF
    assert "genes.gtf exists and is an annotation GenoView did not write (source RefSeq)" in err
    genome = tmp_path / "other.fa"
    genome.write_text(">x\nACGTACGTNNACGT\n")
    assert cli_main(["predict", str(EXAMPLE_GENOME), "--seqid", "chrEx", "--end", "5000",
                     "--bedgraph", str(genome)]) == 2
    assert "other.fa exists and is a genome (nucleotide FASTA)" in capsys.readouterr().err
    assert genome.read_text() == ">x\nACGTACGTNNACGT\n"


def test_genoviews_own_outputs_are_replaced(tmp_path, capsys):
    out = tmp_path / "genes.gff3"
    args = ["predict", str(EXAMPLE_GENOME), "--seqid", "chrEx", "--end", "5000", "--gff-out", str(out)]
    assert cli_main(args) == 0
    first = out.read_text()
    assert cli_main(args) == 0, capsys.readouterr().err   # a second run replaces its own file
    assert out.read_text() == first
