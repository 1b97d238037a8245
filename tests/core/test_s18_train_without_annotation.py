"""H-cli18: `genoview train --fasta genome.fa --out m` (the --gff forgotten) said "no gene/pseudogene features in
the training part; check the annotation and --feature-types", though no annotation was given: it now says to give
one. A given annotation without those types keeps the first message."""
from __future__ import annotations

from pathlib import Path

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example"


def test_train_without_an_annotation_asks_for_one(tmp_path, capsys):
    assert cli_main(["train", "--fasta", str(EXAMPLE / "example.fa"), "--out", str(tmp_path / "m"),
                     "--max-steps", "1"]) == 2
    err = capsys.readouterr().err
    assert "example.fa: has no annotation to learn the genes from: give the genome's genes with --gff" in err
    assert "Traceback" not in err and not (tmp_path / "m").exists()
    assert cli_main(["train", "--fasta", str(EXAMPLE / "example.fa"), "--gff", str(EXAMPLE / "example.gff3"),
                     "--feature-types", "nope", "--out", str(tmp_path / "m"), "--max-steps", "1"]) == 2
    assert "no nope features in the training part; check the annotation and --feature-types" in \
        capsys.readouterr().err
