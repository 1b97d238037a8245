"""The leave-one-out bed's rows: each LOO genome G called by its leave-one-out parent (fits.sh: OUT/loo-G scorers,
OUT/loo-G_stage.json), the tuning genomes M. mazei and B. melitensis (whole) called by session 14's V5 (BASE scorers,
BSTAGE stage, which never saw them), and E. coli's last 30 % called by V5 (the shipped recipe's scorers, a check
that nothing breaks there); all decoded as shipped by gc_shift/evalv.py's assemble (offset 1.25, max_overlap 90,
start_background 0.5, stage cut 0.4 in the track, RNA by homology to the reference genomes less the scored one).
E. coli as a LOO genome is its first int(0.7 n) bases only (the sequence is cut there: its test part is not read).
``--prodigal``: Prodigal's rows (pyrodigal as bench/genomes_bench.py runs it) on the same sequences instead.
``--features markov|rbs``: the stage reads loo/markov.py's (idea A) or rbs.py's (idea B) extra columns (its stages:
OUT/loo-G_stage-IDEA.json and OUT/v5_stage-IDEA.json, made by stage_x.py on the parents' and V5's scorers).

python bench/research/loo/rows.py LABEL [--data DATA] [--outdir OUT] [--base DIR] [--bstage JSON] [--prodigal]
    [--features markov|rbs] [--stage-tag TAG] [--loo G,...]     -> OUT/rows-LABEL.json"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "research" / "gc_shift"))
import torch  # noqa: E402

from genoview.core import gene_level as gl  # noqa: E402
from genoview.core.evaluation import evaluate  # noqa: E402
from genoview.core.models.geneorf import fit  # noqa: E402
from genoview.core.models.geneorf.rna_homology import REFERENCE_GENOMES, reference_records  # noqa: E402
from genoview.core.models.geneorf.track import GeneORFTrackModel  # noqa: E402
import evalv  # noqa: E402  (gc_shift/evalv.py: assemble)

torch.set_num_threads(1)
LOO = "ecoli,yersinia_pestis_KIM,haemophilus_influenzae_RdKW20"
TUNING = ("methanosarcina_mazei_S-6", "brucella_melitensis_16M")


def load(data, name):
    """(genome, sequences, scope): E. coli cut at int(0.7 n) (its design part), others whole."""
    genome, seqs = fit._load(data, name)
    if name == "ecoli":
        seqs = {sid: c[:int(fit.ECOLI_TRAIN_TO * len(c))] for sid, c in seqs.items()}
    return genome, seqs, {sid: (0, len(c)) for sid, c in seqs.items()}


def score(genome, seqs, tracks, genes, scope):
    labels = np.concatenate([genome.label_mask(sid, ("gene",))[a:b] for sid, (a, b) in scope.items()])
    values = np.concatenate([tracks[sid][a:b] for sid, (a, b) in scope.items()])
    rep = evaluate(labels, values, 0.5)
    lev = gl.compare_genes(genes, gl.annotated_cds(genome.features), scope).to_json()
    return {"mcc": rep.mcc, "roc_auc": rep.roc_auc, **lev}


def ours(model, genome, seqs, refs_of, name):
    tm = GeneORFTrackModel(model, None, {})
    tm.rna_references = reference_records([(n,) + refs_of[n] for n in REFERENCE_GENOMES if n != name])
    calls, _, tracks = tm.call_genome(seqs)
    return tracks, gl.genes_of_calls(calls)


def prodigal(seqs):
    pro = gl.prodigal_genes(seqs)
    tracks = {sid: np.zeros(len(c), np.float32) for sid, c in seqs.items()}
    for sid, a, b, strand, conf in pro:
        np.maximum(tracks[sid][a:b], np.float32(conf), out=tracks[sid][a:b])
    return tracks, [g[:4] for g in pro]


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("label")
    p.add_argument("--data", default="/tmp/gc_shift/data")
    p.add_argument("--outdir", default="/tmp/loo")
    p.add_argument("--base", default="/tmp/H-gc/base", help="V5's step-1 scorers (the 6 real training genomes)")
    p.add_argument("--bstage", default="/tmp/H-gc2/v5_stage.json", help="V5's stage")
    p.add_argument("--loo", default=LOO)
    p.add_argument("--prodigal", action="store_true")
    p.add_argument("--features", default="none", choices=("none", "markov", "rbs"))
    p.add_argument("--stage-tag", default=None,
                   help="read the stages OUT/loo-G_stageTAG.json and OUT/v5_stageTAG.json (e.g. -s2: stage seed 2)")
    a = p.parse_args(argv)
    out_dir = Path(a.outdir)
    suffix = a.stage_tag if a.stage_tag is not None else "" if a.features == "none" else f"-{a.features}"
    if a.features != "none":
        import importlib
        import columns
        columns.patch(importlib.import_module(a.features))
    refs_of = {n: fit._load(a.data, n) for n in REFERENCE_GENOMES}
    part = out_dir / f"rows-{a.label}.part.json"
    res = json.load(open(part)) if part.exists() else {}
    jobs = [(g, out_dir / f"loo-{g}", out_dir / f"loo-{g}_stage{suffix}.json", "design") for g in a.loo.split(",")]
    bstage = a.bstage if not suffix else str(out_dir / f"v5_stage{suffix}.json")
    jobs += [(g, Path(a.base), Path(bstage), "design") for g in TUNING]
    jobs += [("ecoli", Path(a.base), Path(bstage), "last30")]
    t = time.time()
    for name, step1, stage, part_of in jobs:
        key = name if part_of == "design" else "ecoli_last30"
        if key in res:
            continue
        assert name not in fit.HELD_OUT_GENOMES
        if part_of == "design":
            genome, seqs, scope = load(a.data, name)
        else:   # E. coli whole, scored on its last 30 % as bench/genomes_bench.py
            genome, seqs = fit._load(a.data, name)
            scope = {sid: (int(fit.ECOLI_TRAIN_TO * len(c)), len(c)) for sid, c in seqs.items()}
        if a.prodigal:
            tracks, genes = prodigal(seqs)
        else:
            model = evalv.assemble(step1, stage, out_dir / f"geneorf-{a.label}-{key}")
            tracks, genes = ours(model, genome, seqs, refs_of, name)
        res[key] = r = score(genome, seqs, tracks, genes, scope)
        json.dump(res, open(part, "w"))
        print(f"[{time.time() - t:5.0f}s] {a.label} {key}: MCC {r['mcc']:.4f} AUC {r['roc_auc']:.4f} "
              f"stop {r['stop_sensitivity']:.4f}/{r['stop_precision']:.4f}", flush=True)
    json.dump(res, open(out_dir / f"rows-{a.label}.json", "w"), indent=1)


if __name__ == "__main__":
    main()
