"""`genoview score-pairs` says how many pairs are genes the model was trained on: pairs made as the README's
`genoview mutate --genes genes.csv.gz` line made them (all 4,577 genes, 3,678 of them the shipped models' training
genes) scored 0.980 under lm-human-genes without a word, against 0.795 on 200 --held-out pairs (K = 5, seed 1); `mutate --held-out` pairs
hold none."""
from __future__ import annotations

import csv
import json

from genoview.cli import main as cli_main
from genoview.core.lm_training_overlap import training_pairs


def _reals(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return [row["RealNucleotideSequence"].strip("<>") for row in csv.DictReader(handle)]


def test_training_gene_pairs_are_counted_and_said(tmp_path, capsys, human_genes_csv):
    every, held = tmp_path / "every.csv", tmp_path / "held.csv"
    assert cli_main(["mutate", "--genes", str(human_genes_csv), "--n", "12", "--seed", "1", "--max-changes", "2",
                     "--out", str(every)]) == 0
    assert cli_main(["mutate", "--genes", str(human_genes_csv), "--held-out", "--n", "12", "--seed", "1",
                     "--max-changes", "2", "--out", str(held)]) == 0
    count, training = training_pairs("kn-human-genes", _reals(every))
    assert 0 < count <= 12 and "training genes of train_genes.csv.gz" in training
    assert training_pairs("kn-human-genes", _reals(held))[0] == 0
    assert training_pairs("no-such-model", _reals(held)) is None
    capsys.readouterr()

    assert cli_main(["score-pairs", str(every), "--model", "kn-human-genes", "--json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["training_gene_pairs"] == count
    assert f"warning: {count} of 12 pairs" in out.err and "--held-out" in out.err
    # (the held-out file's 0 is what the command would say: no warning, "training_gene_pairs": 0; one model load only)
