"""Prodigal's (pyrodigal, as bench/genomes_bench.py runs it) rows on evalv.py's rows: the tuning genomes whole and as
seed-1 drafts, their GC-shifted copies, and E. coli's last 30 % (genomes_bench.py --one prodigal ecoli); the same
gene-level comparison (gene_level.compare_genes) and nucleotide MCC (the track = Prodigal's confidence over its genes).
Writes OUTDIR/eval-prodigal.json in evalv.py's layout, so table.py reads it as a row.

python bench/research/ensemble/prodigal_rows.py [--data DATA] [--outdir OUTDIR]"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from genoview.core import gene_level as gl  # noqa: E402
from genoview.core.evaluation import evaluate  # noqa: E402
from genoview.core.models.geneorf import fit  # noqa: E402

ROWS = (("methanosarcina_mazei_S-6", None), ("methanosarcina_mazei_S-6", 1), ("brucella_melitensis_16M", None),
        ("brucella_melitensis_16M", 1), ("methanosarcina_mazei_S-6_gc", None), ("brucella_melitensis_16M_gc", None))


def row(data, name, pieces_seed):
    genome, seqs = fit._load(data, name)
    pieces = {sid: (sid, 0) for sid in seqs}
    if pieces_seed is not None:
        seqs, pieces = fit.draft_pieces(seqs, seed=pieces_seed)
    pro = gl.prodigal_genes(seqs)
    tracks = {sid: np.zeros(len(c), np.float32) for sid, c in seqs.items()}
    for sid, a, b, strand, conf in pro:
        np.maximum(tracks[sid][a:b], np.float32(conf), out=tracks[sid][a:b])
    masks = {}
    for sid, (seqid, off) in pieces.items():
        masks.setdefault(seqid, genome.label_mask(seqid, ("gene",)))
    labels = np.concatenate([masks[pieces[s][0]][pieces[s][1]:pieces[s][1] + len(c)] for s, c in seqs.items()])
    rep = evaluate(labels, np.concatenate([tracks[s] for s in seqs]), 0.5)
    genes = [(pieces[g[0]][0], g[1] + pieces[g[0]][1], g[2] + pieces[g[0]][1], g[3]) for g in pro]
    level = gl.compare_genes(genes, gl.annotated_cds(genome.features)).to_json()
    return {"mcc": rep.mcc, "roc_auc": rep.roc_auc, **level}


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/tmp/gc_shift/data")
    p.add_argument("--outdir", default="/tmp/ensemble")
    a = p.parse_args(argv)
    out = {}
    for name, seed in ROWS:
        key = name + ("/draft" if seed is not None else "")
        out[key] = r = row(a.data, name, seed)
        print(f"prodigal {key}: MCC {r['mcc']:.4f} stop {r['stop_sensitivity']:.4f}/{r['stop_precision']:.4f}",
              flush=True)
    res = Path(a.outdir) / "ecoli-prodigal.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "genomes_bench.py"), "--one", "prodigal", "ecoli", str(res)],
                   check=True, cwd=str(ROOT))
    out["ecoli_last30"] = json.load(open(res))
    json.dump(out, open(Path(a.outdir) / "eval-prodigal.json", "w"), indent=1)


if __name__ == "__main__":
    main()
