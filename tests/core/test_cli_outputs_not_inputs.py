"""CLI commands never write their output over their own input: `genoview mutate --out` naming the --genes file
(or a hard link to it) and `genoview score-pairs --out` naming the --pairs file are refused before any work (exit
2, both files named), as `genoview predict` refuses it; the input is left as it was."""
from __future__ import annotations

import os

from genoview.cli import main as cli_main

GENES = "NCBIGeneID,NucleotideSequence\ng1,<ATGAAACCCGGGTTTTAA>\ng2,<ATGCCCAAATTTGGGTAA>\n"


def test_mutate_refuses_to_write_over_its_genes(tmp_path, capsys):
    genes = tmp_path / "genes.csv"
    genes.write_text(GENES)
    assert cli_main(["mutate", "--genes", str(genes), "--out", str(genes), "--max-changes", "2", "--n", "5"]) == 2
    assert genes.read_text() == GENES and "genes.csv" in capsys.readouterr().err
    os.link(genes, tmp_path / "link.csv")
    assert cli_main(["mutate", "--genes", str(genes), "--out", str(tmp_path / "link.csv"), "--max-changes", "2",
                     "--n", "5"]) == 2
    assert genes.read_text() == GENES
    assert cli_main(["mutate", "--genes", str(genes), "--out", str(tmp_path / "pairs.csv"), "--max-changes", "2",
                     "--n", "5"]) == 0


def test_score_pairs_refuses_to_write_over_its_pairs(tmp_path, capsys):
    genes = tmp_path / "genes.csv"
    genes.write_text(GENES)
    pairs = tmp_path / "pairs.csv"
    assert cli_main(["mutate", "--genes", str(genes), "--out", str(pairs), "--max-changes", "2", "--n", "5"]) == 0
    before = pairs.read_text()
    assert cli_main(["score-pairs", "--model", "kn-ecoli-genes", "--pairs", str(pairs), "--out", str(pairs)]) == 2
    assert pairs.read_text() == before and "pairs.csv" in capsys.readouterr().err


def test_predict_refuses_to_write_over_the_models_files(tmp_path, capsys):
    import shutil

    import pytest

    from genoview import paths

    shipped = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"
    if not shipped.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    model = tmp_path / "m"
    shutil.copytree(shipped, model)
    weights = (model / "model.safetensors").read_bytes()
    fasta = tmp_path / "g.fa"
    fasta.write_text(">a\n" + "ACGT" * 50 + "\n")
    for flag in ("--bedgraph", "--gff-out"):
        assert cli_main(["predict", "--fasta", str(fasta), "--model", str(model), flag,
                         str(model / "model.safetensors")]) == 2
        assert "model.safetensors" in capsys.readouterr().err
    assert (model / "model.safetensors").read_bytes() == weights
