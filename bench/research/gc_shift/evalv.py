"""Evaluate a step-1 model decoded as shipped (offset 1.25, max_overlap 90, start_background 0.5, the given stage at
cut 0.4 in the track, RNA by homology to the reference genomes less the scored one) on the tuning genomes (whole +
seed-1 drafts), their GC-shifted copies (whole) and E. coli's last 30 % (bench/genomes_bench.py --one).
Writes OUTDIR/geneorf-LABEL (the assembled folder), OUTDIR/eval-LABEL.part.json (rows done, so a rerun resumes) and
OUTDIR/eval-LABEL.json.

python bench/research/gc_shift/evalv.py STEP1_DIR STAGE.json LABEL [--data DATA] [--outdir OUTDIR]
(defaults /tmp/gc_shift/data and /tmp/gc_shift)"""
import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
import torch  # noqa: E402

from genoview.core import gene_level as gl  # noqa: E402
from genoview.core.evaluation import evaluate  # noqa: E402
from genoview.core.models.geneorf import GeneORFModel, fit  # noqa: E402
from genoview.core.models.geneorf.rna_homology import REFERENCE_GENOMES, reference_records  # noqa: E402
from genoview.core.models.geneorf.track import GeneORFTrackModel  # noqa: E402

torch.set_num_threads(1)
ROWS = (("methanosarcina_mazei_S-6", None), ("methanosarcina_mazei_S-6", 1), ("brucella_melitensis_16M", None),
        ("brucella_melitensis_16M", 1), ("methanosarcina_mazei_S-6_gc", None), ("brucella_melitensis_16M_gc", None))


def assemble(step1, stage, full):
    full.mkdir(parents=True, exist_ok=True)
    for f in ("model.safetensors", "genoview.json"):
        shutil.copy(Path(step1) / f, full / f)
    shutil.copy(ROOT / "models" / "geneorf-bacteria" / "rna_references.fasta", full / "rna_references.fasta")
    cfg = json.load(open(Path(step1) / "config.json"))
    cfg.update(max_overlap=90, start_background=0.5, rna_threshold=1.01, call_filter=json.load(open(stage)))
    json.dump(cfg, open(full / "config.json", "w"), indent=1)
    model = GeneORFModel.from_pretrained(str(full), local_files_only=True).eval()
    assert abs(float(model.gene.offset) - 1.25) < 1e-6 and model.config.max_overlap == 90
    return model


def row(model, data, refs_of, name, pieces_seed=None):
    base = name[:-3] if name.endswith("_gc") else name
    genome, seqs = fit._load(data, name)
    pieces = {sid: (sid, 0) for sid in seqs}
    if pieces_seed is not None:
        seqs, pieces = fit.draft_pieces(seqs, seed=pieces_seed)
    tm = GeneORFTrackModel(model, None, {})
    tm.rna_references = reference_records([(n,) + refs_of[n] for n in REFERENCE_GENOMES if n != base])
    calls, _, tracks = tm.call_genome(seqs)
    masks = {}
    for sid, (seqid, off) in pieces.items():
        masks.setdefault(seqid, genome.label_mask(seqid, ("gene",)))
    labels = np.concatenate([masks[pieces[s][0]][pieces[s][1]:pieces[s][1] + len(c)] for s, c in seqs.items()])
    values = np.concatenate([tracks[s] for s in seqs])
    rep = evaluate(labels, values, 0.5)
    genes = [(pieces[g[0]][0], g[1] + pieces[g[0]][1], g[2] + pieces[g[0]][1], g[3]) for g in gl.genes_of_calls(calls)]
    lev = gl.compare_genes(genes, gl.annotated_cds(genome.features)).to_json()
    return {"mcc": rep.mcc, "roc_auc": rep.roc_auc, **lev}


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("step1")
    p.add_argument("stage")
    p.add_argument("label")
    p.add_argument("--data", default="/tmp/gc_shift/data")
    p.add_argument("--outdir", default="/tmp/gc_shift")
    a = p.parse_args(argv)
    outdir = Path(a.outdir)
    full = outdir / f"geneorf-{a.label}"
    model = assemble(a.step1, a.stage, full)
    refs_of = {n: fit._load(a.data, n) for n in REFERENCE_GENOMES}
    part = outdir / f"eval-{a.label}.part.json"
    out = json.load(open(part)) if part.exists() else {}
    t = time.time()
    for name, seed in ROWS:
        key = name + ("/draft" if seed is not None else "")
        if key not in out:
            out[key] = row(model, a.data, refs_of, name, seed)
            json.dump(out, open(part, "w"))
        r = out[key]
        print(f"[{time.time()-t:5.0f}s] {a.label} {key}: MCC {r['mcc']:.4f} "
              f"stop {r['stop_sensitivity']:.4f}/{r['stop_precision']:.4f}", flush=True)
    res = outdir / f"ecoli-{a.label}.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "genomes_bench.py"), "--one", str(full), "ecoli", str(res)],
                   check=True, cwd=str(ROOT))
    out["ecoli_last30"] = json.load(open(res))
    r = out["ecoli_last30"]
    print(f"{a.label} ecoli last 30%: MCC {r['mcc']:.4f} AUC {r['roc_auc']:.4f} "
          f"stop {r['stop_sensitivity']:.4f}/{r['stop_precision']:.4f}")
    json.dump(out, open(outdir / f"eval-{a.label}.json", "w"), indent=1)


if __name__ == "__main__":
    main()
