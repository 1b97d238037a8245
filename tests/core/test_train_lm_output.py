"""``genoview train-lm --out``: an existing model (the --init model above all) is never overwritten in place. The
run trains in a hidden ``.NAME.partial`` folder beside the target and is renamed into place when finished; an
existing non-empty folder is replaced only with --overwrite, and only by a finished model."""
from __future__ import annotations

import json

import numpy as np
import pytest

from genoview.cli import main as cli_main

RNG = np.random.default_rng(4)
GENES = ["".join(RNG.choice(list("ACGT"), 60, p=[0.4, 0.1, 0.1, 0.4])) for _ in range(60)]


def _common(tmp_path):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(GENES)))
    return ["train-lm", "--architecture", "lstm", "--genes", str(genes), "--batch-tokens", "300"]


def test_train_lm_never_overwrites_a_model_in_place(tmp_path, capsys, monkeypatch):
    pytest.importorskip("torch")
    common = _common(tmp_path)
    first = tmp_path / "first"
    assert cli_main(common + ["--out", str(first), "--max-steps", "2", "--option", "hidden_size=8",
                              "--option", "num_layers=1", "--option", "embedding_size=4"]) == 0
    weights = (first / "model.safetensors").read_bytes()
    assert not list(tmp_path.glob(".first*"))   # the partial folder was renamed into place
    # continuing the model into its own folder without --overwrite: refused before any work
    assert cli_main(common + ["--out", str(first), "--init", str(first), "--max-steps", "2"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    assert cli_main(common + ["--out", str(tmp_path / "notes"), "--max-steps", "1"]) == 2
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"
    # with --overwrite a run that fails leaves the old model as it was
    import genoview.core.lm_training as lm_training

    def broken(*args, **kwargs):
        raise RuntimeError("killed mid-run")

    monkeypatch.setattr(lm_training, "train_causal_lm", broken)
    with pytest.raises(RuntimeError):
        cli_main(common + ["--out", str(first), "--init", str(first), "--max-steps", "2", "--overwrite"])
    assert (first / "model.safetensors").read_bytes() == weights
    monkeypatch.undo()
    # and a finished one replaces it
    assert cli_main(common + ["--out", str(first), "--init", str(first), "--max-steps", "2", "--overwrite",
                              "--lr", "0.01"]) == 0
    info = json.loads((first / "genoview.json").read_text())["training"]
    assert info["steps"] == 2 and info["init"] == str(first)
    assert (first / "model.safetensors").read_bytes() != weights
    assert not list(tmp_path.glob(".first*"))
