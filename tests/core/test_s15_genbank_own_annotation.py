"""A GenBank or EMBL genome carries its genes: `genoview evaluate genome.gbk` and `calibrate` stopped at "the
following arguments are required: --gff" (train read its features already); they now read the file's own features
and say so, and a FASTA without --gff is told what to add."""
from __future__ import annotations

from pathlib import Path

from genoview.cli import main as cli_main

DATA = Path(__file__).resolve().parents[1] / "data"


def test_evaluate_reads_a_genbank_genomes_own_features(capsys):
    genbank = str(DATA / "io_small.gb")
    assert cli_main(["evaluate", genbank, "--model", "prodigal", "--json"]) == 0
    own = capsys.readouterr()
    assert "the annotation is" in own.err and "own features (--gff FILE for another)" in own.err
    assert cli_main(["evaluate", genbank, "--gff", genbank, "--model", "prodigal", "--json"]) == 0
    assert capsys.readouterr().out == own.out   # the same figures as with --gff naming the file


def test_a_fasta_without_annotation_is_told_what_to_add(capsys):
    assert cli_main(["evaluate", str(DATA / "io_small.fa")]) == 2
    err = capsys.readouterr().err
    assert "io_small.fa: evaluate needs the annotation with the true genes: add --gff" in err
    assert "default model" not in err   # refused before naming a model it will not run
    assert cli_main(["calibrate", str(DATA / "io_small.fa"), "--model", "genecnn-ecoli"]) == 2
    assert "calibrate needs the annotation" in capsys.readouterr().err


def test_a_gff3_holding_its_sequences_is_its_own_annotation_too(capsys):
    # `evaluate genome.gff3` (features, then the sequences after ##FASTA) was told "a FASTA file holds no genes"
    gff = str(DATA / "io_embedded.gff3")
    assert cli_main(["evaluate", gff, "--model", "prodigal", "--json"]) == 0
    own = capsys.readouterr()
    assert "own features" in own.err and "holds no genes" not in own.err
    assert cli_main(["evaluate", gff, "--gff", gff, "--model", "prodigal", "--json"]) == 0
    assert capsys.readouterr().out == own.out
