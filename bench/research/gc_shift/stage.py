"""Fit the per-call precision stage (config.json call_filter) on a gene model's calls, session-8 recipe:
calls of the model's scorers at gene offset 1.0 (self-training as its config says: a step-1 fit's max_overlap is
None = 60, start_background 0.5; --max-overlap overrides, e.g. 60 for a shipped folder whose config says 90) on the
genomes named; E. coli: only calls whose stop lies in its first 70 %; true = the stop of an annotated CDS; genomes
weighted equally; 19 -> 16 ReLU -> 1, inputs standardised, seed 1, 600 full-batch Adam steps, lr 0.01; written as the
call_filter dict with cut 0.4, track true.

python bench/research/gc_shift/stage.py MODEL_DIR OUT.json GENOME,... [--data DATA] [--max-overlap N] [--seed 1]
    [--weights NAME=W,...]
(DATA: the folder gc_shift.py wrote, holding the copies NAME_gc and links to the design genomes; default
/tmp/gc_shift/data). --weights (session 17, loo/DECISIONS.md idea C; not the recipe): a genome's calls weigh W / (its
number of calls) instead of 1 / (its number of calls); genomes not named keep 1.)"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
import torch  # noqa: E402

from genoview.core import gene_level as gl, genecalls as gc  # noqa: E402
from genoview.core.models.geneorf import GeneORFModel, fit  # noqa: E402
from genoview.core.models.geneorf.precision import call_features  # noqa: E402
from genoview.core.models.geneorf.track import own_columns  # noqa: E402

torch.set_num_threads(1)


def collect(model, data, name):
    genome, seqs = fit._load(data, name)
    scorer = own_columns(model.scorer(), int(model.config.n_features))
    kept = {}
    calls, stats = gc.call_genes(seqs, weights=scorer, **gc.self_training_of(model.config), keep=kept)
    keys, x = call_features(kept, stats.gc)
    stops = {gl.stop_key(g) for g in gl.annotated_cds(genome.features)}
    scope = fit._label_scope(name, seqs)
    y, ok = [], []
    for (i, strand, j) in keys:
        _, _, left, right = kept["scored"][(i, strand)]
        sid = kept["seqs"][i].seqid
        g = (sid, int(left[j]), int(right[j]), strand)
        stop = gl.stop_key(g)
        y.append(stop in stops)
        p = int(right[j]) if strand > 0 else int(left[j])
        ok.append(scope is None or scope[sid][0] <= p <= scope[sid][1])
    ok = np.array(ok)
    return x[ok], np.array(y)[ok]


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("out")
    p.add_argument("genomes")
    p.add_argument("--data", default="/tmp/gc_shift/data")
    p.add_argument("--max-overlap", type=int, default=None)
    p.add_argument("--seed", type=int, default=1, help="the classifier's seed (the recipe: 1)")
    p.add_argument("--weights", default="", help="NAME=W,...: genome weight factors (the recipe: none, 1 each)")
    a = p.parse_args(argv)
    names = a.genomes.split(",")
    factor = {k: float(v) for k, v in (kv.split("=") for kv in a.weights.split(",") if kv)}
    assert not set(names) & set(fit.HELD_OUT_GENOMES), "held-out genomes never fit anything"
    model = GeneORFModel.from_pretrained(a.model, local_files_only=True).eval()
    if a.max_overlap is not None:
        model.config.max_overlap = a.max_overlap
    print("self-training:", gc.self_training_of(model.config), flush=True)
    with torch.no_grad():
        model.gene.offset.fill_(1.0)
    xs, ys, ws = [], [], []
    t = time.time()
    for name in names:
        x, y = collect(model, a.data, name)
        xs.append(x); ys.append(y); ws.append(np.full(len(y), factor.get(name, 1.0) / len(y)))
        print(f"[{time.time()-t:5.0f}s] {name}: {len(y)} calls, {int(y.sum())} true, weight {factor.get(name, 1.0)}",
              flush=True)
    x = np.concatenate(xs); y = np.concatenate(ys).astype(np.float32); w = np.concatenate(ws)
    w = w / w.mean()
    mean, scale = x.mean(0), x.std(0)
    scale = np.where(scale < 1e-6, 1.0, scale)
    z = torch.tensor((x - mean) / scale, dtype=torch.float32)
    yt, wt = torch.tensor(y), torch.tensor(w, dtype=torch.float32)
    torch.manual_seed(a.seed)
    net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], 16), torch.nn.ReLU(), torch.nn.Linear(16, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    for step in range(600):
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(net(z)[:, 0], yt, reduction="none") * wt).mean()
        opt.zero_grad(); loss.backward(); opt.step()
    print("loss", float(loss.detach()))
    spec = {"mean": mean.tolist(), "scale": scale.tolist(), "w1": net[0].weight.detach().numpy().T.tolist(),
            "b1": net[0].bias.detach().numpy().tolist(), "w2": net[2].weight.detach().numpy()[0].tolist(),
            "b2": float(net[2].bias.detach()[0]), "cut": 0.4, "track": True}
    with open(a.out, "w") as h:
        json.dump(spec, h)


if __name__ == "__main__":
    main()
