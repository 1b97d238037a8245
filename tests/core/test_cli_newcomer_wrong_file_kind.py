"""A biologist opening the wrong file: the proteins (.faa) instead of the genome was told "'L' is not a nucleotide
letter; fix or remove it"; a FASTQ of reads "unrecognised file". Each now says what the file looks like and what to
open instead."""
from __future__ import annotations

from genoview.cli import main as cli_main


def test_a_protein_fasta_is_named_as_one(tmp_path, capsys):
    faa = tmp_path / "proteins.faa"
    faa.write_text(">p1\nMKLVVLGAGGVGKSALTIQLIQNHFVDEYDPTIEDSY\n")
    assert cli_main(["info", str(faa)]) == 2
    err = capsys.readouterr().err
    assert "proteins.faa, line 2:" in err and "protein FASTA" in err and "fix or remove it" not in err


def test_a_dna_typo_keeps_the_plain_advice(tmp_path, capsys):
    fa = tmp_path / "g.fa"
    fa.write_text(">c\nACGTACGTXACGT\n")
    assert cli_main(["info", str(fa)]) == 2
    err = capsys.readouterr().err
    assert "fix or remove it" in err and "protein" not in err


def test_fastq_reads_are_named_as_reads(tmp_path, capsys):
    fq = tmp_path / "reads.fastq"
    fq.write_text("@r1\nACGTACGT\n+\nIIIIIIII\n")
    assert cli_main(["info", str(fq)]) == 2
    assert "FASTQ sequencing reads" in capsys.readouterr().err
