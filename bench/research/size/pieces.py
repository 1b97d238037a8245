"""The size bed (issue 12 research, session 17, H-size): does our stop precision fall behind Prodigal's as the genome
shrinks? Each genome of the leave-one-out bed (bench/research/loo) is cut into pieces of about ``--piece`` bases
(each sequence of length L into k = max(1, round(L / piece)) near-equal parts; each cut moved to the nearest base no
annotated feature covers, so no annotated gene is cut) and every piece is called as a genome of its own: by its LOO
parent as loo/rows.py calls the whole genome (decoded as shipped by gc_shift/evalv.py's assemble; RNA by homology to
the reference genomes less the scored one; the tuning genomes by session 14's V5), or (``--prodigal``) by pyrodigal
self-trained on the piece alone as the bench runs it. ``--piece 0``: the whole genome (all its sequences called
together), which must give loo/rows.py's rows. E. coli is its first int(0.7 n) bases only (loo/rows.py's load): its
test part is never read.
Never reads a held-out genome. Output OUT/pieces-LABEL.json: per genome, per piece, its span, nucleotide MCC and
gene-level counts (annotated, predicted, stop_matches) in the piece (a gene counts where its stop lies).

python bench/research/size/pieces.py LABEL [--piece 1000000] [--prodigal] [--stage-tag -s2] [--data DATA]
    [--loo-dir /tmp/H-loo] [--outdir /tmp/H-size] [--base DIR] [--bstage JSON]"""
import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "research" / "gc_shift"))
sys.path.insert(0, str(ROOT / "bench" / "research" / "loo"))
from genoview.core.genome import genic_mask  # noqa: E402

LOO = ("ecoli,yersinia_pestis_KIM,haemophilus_influenzae_RdKW20,neisseria_meningitidis_MC58,staphylococcus_aureus_COL,"
       "methanococcus_maripaludis_S2")   # loo/rows.py's LOO and the block session 16 added
NOT_LOCI = ("region", "source")   # features that span a whole sequence, not a locus


def cuts(genome, sid, length, piece):
    """[(lo, hi)] pieces of sequence ``sid`` (of the scored ``length``); each cut at the free base nearest j L / k."""
    k = max(1, round(length / piece)) if piece else 1
    if k == 1:
        return [(0, length)]
    types = sorted({f.type for f in genome.features.on(sid)} - set(NOT_LOCI))
    covered = genic_mask(genome.features, sid, genome.record(sid).length, types)[:length].astype(bool)
    free = np.flatnonzero(~covered)
    bounds = [0]
    for j in range(1, k):
        target = round(j * length / k)
        i = np.searchsorted(free, target)
        near = [free[m] for m in (i - 1, i) if 0 <= m < len(free)]
        bounds.append(int(min(near, key=lambda x: abs(x - target))))
    bounds.append(length)
    return list(zip(bounds[:-1], bounds[1:]))


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("label")
    p.add_argument("--piece", type=int, default=1_000_000, help="target piece length; 0 = whole sequences")
    p.add_argument("--prodigal", action="store_true")
    p.add_argument("--stage-tag", default="", help="the stages loo-G_stageTAG.json, v5_stageTAG.json (-s2: seed 2)")
    p.add_argument("--data", default="/tmp/H-gc/data")
    p.add_argument("--loo-dir", default="/tmp/H-loo", help="loo/fits.sh's OUT: loo-G scorers and stages")
    p.add_argument("--outdir", default="/tmp/H-size")
    p.add_argument("--base", default="/tmp/H-gc/base", help="V5's step-1 scorers")
    p.add_argument("--bstage", default="/tmp/H-gc2/v5_stage.json", help="V5's stage (seed 1)")
    p.add_argument("--loo", default=LOO)
    a = p.parse_args(argv)
    import torch

    from genoview.core.models.geneorf import fit
    from genoview.core.models.geneorf.rna_homology import REFERENCE_GENOMES
    import evalv   # gc_shift/evalv.py: assemble
    import rows    # loo/rows.py: load, score, ours, prodigal (the heavy imports here, not for cuts alone)

    torch.set_num_threads(1)
    out_dir, loo_dir = Path(a.outdir), Path(a.loo_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    refs_of = {n: fit._load(a.data, n) for n in REFERENCE_GENOMES}
    bstage = Path(a.bstage) if not a.stage_tag else loo_dir / f"v5_stage{a.stage_tag}.json"
    jobs = [(g, loo_dir / f"loo-{g}", loo_dir / f"loo-{g}_stage{a.stage_tag}.json") for g in a.loo.split(",")]
    jobs += [(g, Path(a.base), bstage) for g in rows.TUNING]
    part = out_dir / f"pieces-{a.label}.part.json"
    res = json.load(open(part)) if part.exists() else {}
    t = time.time()
    for name, step1, stage in jobs:
        assert name not in fit.HELD_OUT_GENOMES
        if name in res:
            continue
        genome, seqs, _ = rows.load(a.data, name)
        model = None if a.prodigal else evalv.assemble(step1, stage, out_dir / f"geneorf-{a.label}-{name}")
        out = []
        if a.piece == 0:   # the whole genome, every sequence together, as loo/rows.py
            groups = [{sid: (0, len(c)) for sid, c in seqs.items()}]
        else:              # each piece a genome of its own
            groups = [{sid: span} for sid, c in seqs.items() for span in cuts(genome, sid, len(c), a.piece)]
        for group in groups:
            piece = {sid: seqs[sid][lo:hi] for sid, (lo, hi) in group.items()}
            if a.prodigal:
                tracks, genes = rows.prodigal(piece)
            else:
                tracks, genes = rows.ours(model, genome, piece, refs_of, name)
            full = {}
            for sid, (lo, hi) in group.items():
                full[sid] = np.zeros(len(seqs[sid]), np.float32)
                full[sid][lo:hi] = tracks[sid]
            genes = [(g[0], g[1] + group[g[0]][0], g[2] + group[g[0]][0], g[3]) for g in genes]
            r = rows.score(genome, seqs, full, genes, group)
            lo, hi = 0, sum(h - lo_ for lo_, h in group.values())   # its length, for the pooled table
            if len(group) == 1:
                (sid, (lo, hi)), = group.items()
            out.append({"seqid": ",".join(group), "lo": lo, "hi": hi, **r})
            print(f"[{time.time() - t:5.0f}s] {a.label} {name} {','.join(group)}:{lo}-{hi}: MCC {r['mcc']:.4f} "
                  f"stop {r['stop_sensitivity']:.4f}/{r['stop_precision']:.4f} ({r['predicted']} calls)",
                  flush=True)
        res[name] = out
        json.dump(res, open(part, "w"))
    json.dump(res, open(out_dir / f"pieces-{a.label}.json", "w"), indent=1)


if __name__ == "__main__":
    main()
