"""bench/research/ensemble/merge.py (session 15's seed ensemble) keeps its identity: the merged GeneScorer (one MLP of
hidden K*h) equals the mean of its K members' outputs, members with different normalisations included, and a
merged model folder loads through the product's loaders (GeneORFWeights and transformers) with config hidden K*h.
Small random members, no data, ~1 s."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from genoview.core.models.geneorf.modeling_geneorf import GeneScorer

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "research" / "ensemble" / "merge.py"


@pytest.fixture(scope="module")
def merge():
    spec = importlib.util.spec_from_file_location("ensemble_merge_research", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _member(seed: int, n: int = 6, hidden: int = 5, offset: float = 1.25) -> GeneScorer:
    torch.manual_seed(seed)
    s = GeneScorer(n, hidden)
    rng = np.random.default_rng(seed)
    s.set_normalisation(torch.tensor(rng.normal(0, 10, n), dtype=torch.float32),
                        torch.tensor(rng.uniform(0.01, 50, n), dtype=torch.float32))
    s.offset.fill_(offset)
    return s


def _tensors(scorer: GeneScorer, prefix: str) -> dict:
    return {f"{prefix}.{k}": v.detach().numpy().copy() for k, v in scorer.state_dict().items()}


def test_merged_scorer_is_the_members_mean(merge):
    members = [_member(s) for s in (1, 2, 3)]
    merged_t = merge.merge_scorer([_tensors(m, "gene") for m in members], "gene")
    merged = GeneScorer(6, 15)
    merged.load_state_dict({k[len("gene."):]: torch.from_numpy(v) for k, v in merged_t.items()})
    x = members[0].mean + members[0].std * torch.randn(2000, 6, generator=torch.Generator().manual_seed(0)) * 2
    with torch.no_grad():
        want = torch.stack([m(x) for m in members]).mean(0)
        got = merged(x)
    assert merged.hidden.out_features == 15
    assert torch.max(torch.abs(got - want)) < 1e-4
    # the numpy path prediction uses, in float64 over the float32 tensors
    want_np = np.mean([m.numpy_scorer()(x.numpy().astype(np.float64)) for m in members], axis=0)
    assert np.max(np.abs(merged.numpy_scorer()(x.numpy().astype(np.float64)) - want_np)) < 1e-4


def test_offsets_that_differ_keep_member_ones(merge):
    a, b = _member(1, offset=1.25), _member(2, offset=1.0)
    merged_t = merge.merge_scorer([_tensors(a, "gene"), _tensors(b, "gene")], "gene")
    merged = GeneScorer(6, 10)
    merged.load_state_dict({k[len("gene."):]: torch.from_numpy(v) for k, v in merged_t.items()})
    x = torch.randn(500, 6) * 10
    with torch.no_grad():
        want = (a(x) - 1.25 + b(x) - 1.0) / 2 + 1.25
        assert torch.max(torch.abs(merged(x) - want)) < 1e-4


def test_merged_folder_loads_and_checks(merge, tmp_path):
    from genoview.core.models.geneorf import GeneORFModel, register_auto_classes
    from genoview.core.models.geneorf.configuration_geneorf import GeneORFConfig
    from genoview.core.models.geneorf.weights import GeneORFWeights

    register_auto_classes()
    dirs = []
    for seed in (1, 2):
        torch.manual_seed(seed)
        model = GeneORFModel(GeneORFConfig(n_features=16, hidden=4, rna_channels=4, rna_dilations=[1, 2]))
        for p in model.parameters():
            torch.nn.init.normal_(p, std=0.5)
        model.gene.offset.fill_(1.25)
        d = tmp_path / f"m{seed}"
        model.save_pretrained(str(d))
        dirs.append(d)
    out = tmp_path / "merged"
    worst = merge.merge(out, dirs)
    assert worst < merge.TOLERANCE
    assert json.loads((out / "config.json").read_text())["hidden"] == 8
    feats = np.random.default_rng(0).normal(size=(300, 16))
    g_merged, s_merged = GeneORFWeights(out).scorer()(feats)
    parts = [GeneORFWeights(d).scorer()(feats) for d in dirs]
    assert np.allclose(g_merged, np.mean([p[0] for p in parts], axis=0), atol=1e-5)
    assert np.allclose(s_merged, np.mean([p[1] for p in parts], axis=0), atol=1e-5)
    loaded = GeneORFModel.from_pretrained(str(out), local_files_only=True)   # transformers reads hidden 8
    assert loaded.gene.hidden.out_features == 8
    with pytest.raises(SystemExit):   # never writes into an existing folder
        merge.merge(out, dirs)
