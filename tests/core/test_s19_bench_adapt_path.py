"""rev19a: bench/genomes_bench.py's geneorf-bacteria+adapt row loaded ``str(adapt_model(...))``; since afd57d6
adapt_model returns AdaptedModel(path, listed_as), so the row asked for a model named "AdaptedModel(path=...)".
Here on the example genome with adapt_model and load_model stood in for (no training)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def test_the_adapt_row_loads_the_adapted_models_folder(tmp_path, monkeypatch):
    import torch

    import genoview.cli.adapt as cli_adapt
    import genoview.core.models as models

    spec = importlib.util.spec_from_file_location("genomes_bench", ROOT / "bench" / "genomes_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    example = ROOT / "resources" / "example"
    monkeypatch.setattr(bench, "genome_files", lambda name: (example / "example.fa", example / "example.gff3", 0.7))
    monkeypatch.setenv("GENOVIEW_HOME", str(tmp_path / "home"))   # the row sets it to its own folder: restored after
    adapted = tmp_path / "adapted-model"
    monkeypatch.setattr(cli_adapt, "adapt_model", lambda *a, **k: cli_adapt.AdaptedModel(adapted, None))
    loaded = []

    def load_model(name, *a, **k):
        loaded.append(name)
        return SimpleNamespace(call_genome=lambda seqs: ([], None, {s: np.zeros(len(c), np.float32)
                                                                     for s, c in seqs.items()}))

    monkeypatch.setattr(models, "load_model", load_model)
    out = tmp_path / "row.json"
    threads = torch.get_num_threads()
    try:
        bench.run_one("geneorf-bacteria+adapt", "example", str(out), None)
    finally:
        torch.set_num_threads(threads)   # the row sets 1 for its own process
    assert loaded == ["geneorf-bacteria", str(adapted)]
    assert json.loads(out.read_text())["system"] == "geneorf-bacteria+adapt"
