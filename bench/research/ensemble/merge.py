"""Merge K GeneORF model folders into one whose gene and start scorers are the MEAN of the members' scorers.

A GeneScorer is normalise -> Linear(n, h) -> ReLU -> Linear(h, 1) + offset. The mean of K of them is exactly one
GeneScorer of hidden K*h: each member's hidden layer is re-expressed in member 1's normalisation
(x - m_1) / s_1 (with x = m_1 + s_1 z, member k's pre-activation W_k (x - m_k) / s_k + b_k equals
(W_k * s_1 / s_k) z + b_k + W_k (m_1 - m_k) / s_k), the hidden layers are stacked, the out weights divided by K and
the out biases averaged. The offset (the decision shift, chosen on tuning genomes) is member 1's: the merged scorer
is mean_k(scorer_k - offset_k) + offset_1, which is the plain mean when the offsets agree. So an ensemble needs no
product-code change: config.json "hidden" K*h, the same safetensors keys.

Everything else (the RNA head, the statistics buffers, config.json, genoview.json, rna_references.fasta) comes from
member 1. The merged folder is checked on random feature rows: its scorers (read back through the product's own
loader, weights.GeneORFWeights, float32 tensors as stored) against the mean of the members' (the same loader) to
1e-5 (absolute, on log-odds of order 10).

python bench/research/ensemble/merge.py OUT MEMBER1 MEMBER2 [MEMBER3 ...]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

SCORERS = ("gene", "start")
TOLERANCE = 1e-5


def merge_scorer(members: list[dict], prefix: str) -> dict:
    """The merged tensors ``prefix.*`` (float32) of the members' ``prefix.*`` tensors (numpy dicts)."""
    t1 = members[0]
    m1 = t1[f"{prefix}.mean"].astype(np.float64)
    s1 = t1[f"{prefix}.std"].astype(np.float64)
    weights, biases, outs = [], [], []
    for t in members:
        mk = t[f"{prefix}.mean"].astype(np.float64)
        sk = t[f"{prefix}.std"].astype(np.float64)
        w = t[f"{prefix}.hidden.weight"].astype(np.float64)   # (h, n)
        b = t[f"{prefix}.hidden.bias"].astype(np.float64)
        weights.append(w * (s1 / sk)[None, :])
        biases.append(b + w @ ((m1 - mk) / sk))
        outs.append(t[f"{prefix}.out.weight"].astype(np.float64))   # (1, h)
    k = len(members)
    out_bias = np.mean([t[f"{prefix}.out.bias"].astype(np.float64) for t in members], axis=0)
    merged = {
        f"{prefix}.mean": m1, f"{prefix}.std": s1,
        f"{prefix}.hidden.weight": np.concatenate(weights, axis=0),
        f"{prefix}.hidden.bias": np.concatenate(biases),
        f"{prefix}.out.weight": np.concatenate(outs, axis=1) / k,
        f"{prefix}.out.bias": out_bias,
    }
    if f"{prefix}.offset" in t1:
        merged[f"{prefix}.offset"] = t1[f"{prefix}.offset"].astype(np.float64)
    return {key: np.ascontiguousarray(v, dtype=np.float32) for key, v in merged.items()}


def merge_tensors(members: list[dict]) -> dict:
    """Member 1's tensors with the gene and start scorers replaced by the members' merged ones."""
    out = dict(members[0])
    for prefix in SCORERS:
        out.update(merge_scorer(members, prefix))
    return out


def offset_of(tensors: dict, prefix: str) -> float:
    return float(tensors[f"{prefix}.offset"][0]) if f"{prefix}.offset" in tensors else 0.0


def expected(members_scorers, offsets, offset1, feats):
    """mean_k(scorer_k(feats) - offset_k) + offset_1, for one scorer kind."""
    return np.mean([s(feats) - o for s, o in zip(members_scorers, offsets)], axis=0) + offset1


def check(out_dir: Path, member_dirs: list[Path], rows: int = 4096, seed: int = 0) -> float:
    """Largest absolute difference between the merged folder's scorers and the members' mean on random rows
    (drawn around member 1's normalisation: mean + std * N(0, 2^2), plus exact zeros/ones as binary features
    take)."""
    from safetensors.numpy import load_file

    from genoview.core.models.geneorf.weights import _numpy_scorer

    members = [load_file(str(d / "model.safetensors")) for d in member_dirs]
    merged = load_file(str(out_dir / "model.safetensors"))
    rng = np.random.default_rng(seed)
    worst = 0.0
    for prefix in SCORERS:
        m = members[0][f"{prefix}.mean"].astype(np.float64)
        s = members[0][f"{prefix}.std"].astype(np.float64)
        feats = m + s * rng.normal(0.0, 2.0, size=(rows, len(m)))
        feats[: rows // 4] = np.round(feats[: rows // 4])
        want = expected([_numpy_scorer(t, prefix) for t in members], [offset_of(t, prefix) for t in members],
                        offset_of(members[0], prefix), feats)
        got = _numpy_scorer(merged, prefix)(feats)
        worst = max(worst, float(np.max(np.abs(got - want))))
    return worst


def merge(out_dir: Path, member_dirs: list[Path]) -> float:
    from safetensors.numpy import load_file, save_file

    if len(member_dirs) < 2:
        raise SystemExit("merge.py: give at least two member folders")
    members = [load_file(str(d / "model.safetensors")) for d in member_dirs]
    configs = [json.loads((d / "config.json").read_text()) for d in member_dirs]
    for d, c in zip(member_dirs, configs):
        if c.get("n_features") != configs[0].get("n_features"):
            raise SystemExit(f"merge.py: {d}/config.json n_features {c.get('n_features')} differs from "
                             f"{member_dirs[0]}'s {configs[0].get('n_features')}")
        if c.get("adapted_to"):
            raise SystemExit(f"merge.py: {d} is adapted to {c['adapted_to']}; merge self-training models only")
    for prefix in SCORERS:
        offsets = [offset_of(t, prefix) for t in members]
        if len(set(offsets)) > 1:
            print(f"note: {prefix}.offset differs between members {offsets}; the merged folder keeps member 1's "
                  f"{offsets[0]} (the scorers are averaged without their offsets)")
    if out_dir.exists():
        raise SystemExit(f"merge.py: {out_dir} exists; give a new folder")
    shutil.copytree(member_dirs[0], out_dir)
    tensors = merge_tensors(members)
    save_file(tensors, str(out_dir / "model.safetensors"), metadata={"format": "pt"})
    cfg = dict(configs[0])
    cfg["hidden"] = int(tensors["gene.hidden.weight"].shape[0])
    assert cfg["hidden"] == int(tensors["start.hidden.weight"].shape[0])
    (out_dir / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    meta = out_dir / "genoview.json"
    if meta.exists():
        info = json.loads(meta.read_text())
        info.setdefault("training", {})["ensemble"] = {
            "members": [str(d) for d in member_dirs],
            "how": "bench/research/ensemble/merge.py: gene and start scorers = mean of the members' (one MLP of "
                   "hidden K*h); offset, RNA head, statistics and config of member 1"}
        meta.write_text(json.dumps(info, indent=2) + "\n")
    worst = check(out_dir, member_dirs)
    print(f"merged {len(member_dirs)} members into {out_dir} (hidden {cfg['hidden']}); "
          f"largest |merged - mean of members| on random rows: {worst:.2e}")
    if worst > TOLERANCE:
        raise SystemExit(f"merge.py: the merged scorer differs from the members' mean by {worst:.2e} > {TOLERANCE}")
    return worst


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("members", nargs="+")
    a = p.parse_args(argv)
    merge(Path(a.out), [Path(m) for m in a.members])


if __name__ == "__main__":
    main()
