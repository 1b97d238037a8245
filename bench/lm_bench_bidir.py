"""Choose the exponents of the bidirectional pseudo-log-likelihood (genoview/core/lm_bidirectional.py) on
VALIDATION pairs and write the model folder.

    OMP_NUM_THREADS=1 .venv/bin/python bench/lm_bench_bidir.py --out models/lm-human-genes-bidir

The two members (default lm-human-genes-causal and lm-human-genes-causal-rev) give whole next-token
distributions of the validation pair files (pairs made from the validation genes exactly as bench/lm_bench.py
makes them, K = 1, 5, 10, seeds 101 and 102, 1,000 pairs each); every (wf, wr, wp) of the grid is scored by the
perplexity rule and the best mean accuracy over K wins (ties: the first in grid order). The prior P(base) is the
base frequency of the training genes. No test gene or test pair is read. The test figures come from
bench/lm_bench.py --models ... lm-human-genes-bidir.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.lm_bench import HUMAN, VALID_SEEDS   # the same gene file and validation pair seeds

# the first values tried, then the grid around the best of them
GRID = ([(1.0, 1.0, 1.0), (1.0, 1.0, 0.0), (1.0, 1.0, 0.5), (0.8, 0.8, 1.0), (1.2, 1.2, 1.0), (0.6, 0.6, 1.0),
         (0.4, 0.4, 1.0), (0.2, 0.2, 1.0), (0.05, 0.05, 0.05), (0.4, 0.4, 0.0), (0.4, 0.4, 0.4)]
        + [(a, b, c) for a in (0.3, 0.4, 0.5) for b in (0.3, 0.4, 0.5) for c in (0.0, 0.5, 1.0)])


def main(argv=None) -> int:
    import torch

    torch.set_num_threads(1)
    from genoview.core.lm import gene_tokens
    from genoview.core.lm_bidirectional import bidirectional_logprobs
    from genoview.core.lm_data import read_genes, split_genes
    from genoview.core.lm_models import load_language_model, read_info, write_metadata
    from genoview.core.models.lm_ensemble import write_ensemble
    from genoview.core.mutation import make_pairs

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forward", default="lm-human-genes-causal")
    parser.add_argument("--reverse", default="lm-human-genes-causal-rev")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", help="write the chosen model folder here (next to its members)")
    args = parser.parse_args(argv)

    split = split_genes(read_genes(HUMAN))
    counts = np.zeros(4)
    for gene in split.train:
        counts += np.bincount(gene_tokens(gene.sequence)[1:-1] - 1, minlength=4)[:4]
    prior = (counts / counts.sum()).round(4).tolist()
    jobs = {}
    for k in (1, 5, 10):
        for seed in VALID_SEEDS:
            pairs = make_pairs(split.valid, args.n, k, seed)
            jobs[(k, seed, "real")] = [p.real for p in pairs]
            jobs[(k, seed, "mutated")] = [p.mutated for p in pairs]
    dists, paths = {}, {}
    for name in (args.forward, args.reverse):
        model = load_language_model(name)
        paths[name] = model.path
        dists[name] = {key: model.token_distributions(seqs) for key, seqs in jobs.items()}
        print(f"... {name}: distributions of the validation pairs", file=sys.stderr, flush=True)
    bases = {key: [gene_tokens(s)[1:-1].astype(np.int64) - 1 for s in seqs] for key, seqs in jobs.items()}

    def accuracy(wf, wr, wp):
        def means(key):
            return np.array([bidirectional_logprobs(f, r, b, (wf, wr), prior, wp).mean() for f, r, b in
                             zip(dists[args.forward][key], dists[args.reverse][key], bases[key])])
        per_k = [np.mean([np.mean(means((k, s, "real")) > means((k, s, "mutated"))) for s in VALID_SEEDS])
                 for k in (1, 5, 10)]
        return float(np.mean(per_k)), per_k

    best = None
    for wf, wr, wp in GRID:
        value, per_k = accuracy(wf, wr, wp)
        print(f"wf={wf} wr={wr} wp={wp}: validation accuracy {' / '.join(f'{a:.4f}' for a in per_k)} "
              f"mean {value:.4f}", flush=True)
        if best is None or value > best[0] + 1e-12:
            best = (value, (wf, wr, wp))
    value, (wf, wr, wp) = best
    print(f"chosen: wf={wf} wr={wr} wp={wp} (validation mean accuracy {value:.4f}); prior {prior}", flush=True)
    if args.out:
        out = Path(args.out)
        write_ensemble(out, [args.forward, args.reverse], weights=[1.0, 1.0], combine="linear",
                       bidirectional={"weights": [wf, wr], "prior": prior, "prior_weight": wp})
        write_metadata(out, name=out.name, architecture="lm-ensemble", task="language-model", default=False,
                       description=f"bidirectional pseudo-log-likelihood of {args.forward} and {args.reverse}: each "
                                   f"base given both sides, P ∝ P_F^{wf} P_R^{wr} / P(base)^{wp} over A, C, G, T "
                                   "(exponents chosen on validation pairs); its perplexity is a pseudo-perplexity "
                                   "(a score), not a language-model perplexity",
                       data=read_info(paths[args.forward]).get("data", {}),
                       command="python bench/lm_bench_bidir.py " + " ".join(sys.argv[1:] if argv is None else argv),
                       training={"validation_mean_accuracy": round(value, 4), "grid": [list(g) for g in GRID]})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
