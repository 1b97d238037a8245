"""Training a neural language model on from an existing one (``genoview train-lm --init``), bounded by steps."""
from __future__ import annotations

import json

import numpy as np
import pytest

from genoview.cli import main as cli_main

RNG = np.random.default_rng(3)
# random genes (no near-copies, so the split keeps validation genes), with a skew a model can learn
GENES = ["".join(RNG.choice(list("ACGT"), 60, p=[0.4, 0.1, 0.1, 0.4])) for _ in range(60)]


def test_train_on_from_a_model_bounded_by_steps(tmp_path):
    pytest.importorskip("torch")
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(GENES)))
    common = ["train-lm", "--architecture", "lstm", "--genes", str(genes), "--batch-tokens", "300"]
    first = tmp_path / "first"
    assert cli_main(common + ["--out", str(first), "--max-steps", "3", "--option", "hidden_size=8",
                              "--option", "num_layers=1", "--option", "embedding_size=4"]) == 0
    info = json.loads((first / "genoview.json").read_text())["training"]
    assert info["steps"] == 3 and info["stop_reason"] == "max_steps"
    second = tmp_path / "second"
    assert cli_main(common + ["--out", str(second), "--init", str(first), "--max-steps", "4", "--lr", "0.01"]) == 0
    info2 = json.loads((second / "genoview.json").read_text())["training"]
    assert info2["init"] == str(first) and info2["steps"] == 4
    assert info2["history"][-1]["valid_perplexity"] < info["history"][-1]["valid_perplexity"]
    config = json.loads((second / "config.json").read_text())
    assert config["hidden_size"] == 8       # the --init model's own shape
    # a model reading the other way is refused with a message (exit status 2)
    assert cli_main(common + ["--out", str(tmp_path / "x"), "--init", str(first), "--reverse",
                              "--max-steps", "1"]) != 0
