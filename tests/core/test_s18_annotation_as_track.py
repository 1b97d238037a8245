"""H-cli18: an annotation given as the track (`evaluate --bedgraph genes.gff3`, the two options swapped) said
"genes.gff3, line 3: the start 'GenBank' is not a whole number of bases; fix or remove this line", as if the
annotation were a broken track; it now says it is an annotation and where it goes."""
from __future__ import annotations

from genoview.cli import main as cli_main

GFF = ("##gff-version 3\n##sequence-region chr1 1 100\n"
       "chr1\tGenBank\tgene\t11\t60\t.\t+\t.\tID=g1\nchr1\tGenBank\tCDS\t11\t60\t.\t+\t0\tID=c1;Parent=g1\n")


def test_an_annotation_given_as_the_track_is_named_so(tmp_path, capsys):
    gff = tmp_path / "genes.gff3"
    gff.write_text(GFF)
    assert cli_main(["evaluate", "--bedgraph", str(gff), "--gff", str(gff)]) == 2
    err = capsys.readouterr().err
    assert "genes.gff3, line 3: this is an annotation (GFF3 or GTF" in err and "not a track" in err
    assert "is not a whole number" not in err and err.count("\n") == 1


def test_a_fasta_given_as_the_pair_file_is_named_so(tmp_path, capsys):
    """`score-pairs genes.fa` said "line 1: missing column(s) RealNucleotideSequence, MutatedNucleotideSequence"."""
    fasta = tmp_path / "genes.fa"
    fasta.write_text(">g1\nATGAAACCCGGGTTTTAA\n>g2\nATGCCCAAATTTGGGTAA\n")
    assert cli_main(["score-pairs", str(fasta), "--model", "kn-human-genes"]) == 2
    err = capsys.readouterr().err
    assert "genes.fa, line 1: this is a FASTA file, not a pair file" in err and "genoview mutate --genes genes.fa" in err
    assert "missing column" not in err
