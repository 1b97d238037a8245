"""After the verdicts, for reading only: on each bed genome, the calls (before the stage, decoded as shipped by the
bed's model) whose stop Prodigal lacks, true (= an annotated stop) against false: ROC AUC of the baseline stage's
probability, of each idea's stage, and of each new column alone (session 11's measure: the stage ranked them at
0.56-0.79). Also all calls' AUC for the stage.

python bench/research/loo/diag.py [--data DATA] [--outdir OUT]"""
import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE))
import torch  # noqa: E402

from genoview.core import gene_level as gl, genecalls as gc  # noqa: E402
from genoview.core.models.geneorf import GeneORFModel  # noqa: E402
from genoview.core.models.geneorf import precision  # noqa: E402
from genoview.core.models.geneorf.track import own_columns  # noqa: E402
import markov  # noqa: E402
import rbs  # noqa: E402
import rows  # noqa: E402

torch.set_num_threads(1)


def auc(score, y):
    """ROC AUC of ``score`` for ``y``: the Mann-Whitney U over n_true x n_false, tied scores given their mean rank
    (midrank), so a tie between a true and a false call counts a half whatever their order. Session 16's version
    (its DECISIONS.md table of 01:22 UTC) ranked ties by the calls' order instead; session 17 fixed it without
    re-running, so that table was computed the old way (the stage's probabilities rarely tie; the 0/1-like columns,
    rbs, may)."""
    score, y = np.asarray(score, float), np.asarray(y, bool)
    if y.all() or not y.any():
        return float("nan")
    order = np.argsort(score, kind="stable")
    _, first, counts = np.unique(score[order], return_index=True, return_counts=True)
    ranks = np.empty(len(score))
    ranks[order] = np.repeat(first + (counts + 1) / 2.0, counts)   # 1-based mean rank of each run of equal scores
    n_true, n_false = int(y.sum()), int((~y).sum())
    return float((ranks[y].sum() - n_true * (n_true + 1) / 2) / (n_true * n_false))


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/tmp/gc_shift/data")
    p.add_argument("--outdir", default="/tmp/loo")
    a = p.parse_args(argv)
    out = Path(a.outdir)
    names = list(json.load(open(out / "rows-base.json")))
    names = [n for n in names if n != "ecoli_last30"]
    print("| genome | decisive calls true/false | AUC stage base / A / B | mk_per_codon, mk_total, mk_margin | rbs | all calls: base / A / B |")
    print("|---|---|---|---|---|---|")
    for name in names:
        model = GeneORFModel.from_pretrained(str(out / f"geneorf-base-{name}"), local_files_only=True).eval()
        tune = name in rows.TUNING
        stage = {i: json.load(open(out / (f"v5_stage-{i}.json" if tune else f"loo-{name}_stage-{i}.json")))
                 for i in ("markov", "rbs")}
        stage["base"] = model.config.call_filter
        genome, seqs, _ = rows.load(a.data, name)
        scorer = own_columns(model.scorer(), int(model.config.n_features))
        kept = {}
        _, stats = gc.call_genes(seqs, genetic_code=model.config.genetic_code, weights=scorer,
                                 stats=model.stored_statistics(), **gc.self_training_of(model.config), keep=kept)
        keys, x = precision.call_features(kept, stats.gc)
        xm, xr = markov.features(kept, keys), rbs.features(kept, keys)
        prob = {"base": precision.filter_probability(stage["base"], x),
                "markov": precision.filter_probability(stage["markov"], np.hstack([x, xm])),
                "rbs": precision.filter_probability(stage["rbs"], np.hstack([x, xr]))}
        stops = {gl.stop_key(g) for g in gl.annotated_cds(genome.features)}
        pro = {gl.stop_key(g[:4]) for g in gl.prodigal_genes(seqs)}
        y, lack = [], []
        for (i, strand, j) in keys:
            _, _, left, right = kept["scored"][(i, strand)]
            k = gl.stop_key((kept["seqs"][i].seqid, int(left[j]), int(right[j]), strand))
            y.append(k in stops)
            lack.append(k not in pro)
        y, lack = np.array(y), np.array(lack)
        ya = y[lack]
        print(f"| {rows_short(name)} | {int(ya.sum())}/{int((~ya).sum())} | "
              + " / ".join(f"{auc(prob[v][lack], ya):.3f}" for v in ("base", "markov", "rbs")) + " | "
              + ", ".join(f"{auc(xm[lack, c], ya):.3f}" for c in range(3)) + f" | {auc(xr[lack, 0], ya):.3f} | "
              + " / ".join(f"{auc(prob[v], y):.3f}" for v in ("base", "markov", "rbs")) + " |", flush=True)


def rows_short(name):
    return _table.SHORT.get(name, name)


_spec = importlib.util.spec_from_file_location("loo_table", HERE / "table.py")   # not gc_shift's table.py (rows.py
_table = importlib.util.module_from_spec(_spec)                                   # puts gc_shift first on sys.path)
_spec.loader.exec_module(_table)


if __name__ == "__main__":
    main()
