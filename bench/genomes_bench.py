#!/usr/bin/env python3
"""Gene models on genomes they never saw: one table, genome x system.

Systems: each shipped gene model (GeneCNN, GeneORF, optionally the k-mer BERT), GeneORF after
`genoview adapt` on the genome (annotation-free), and Prodigal (pyrodigal, trained on the genome, code 11
as the prodigal command runs by default). Genomes: E. coli's last 30 % (from int(0.7 * n)) and the
held-out genomes of ../shared/data/bacteria (never used to train or choose anything).

Per cell: nucleotide MCC (threshold 0.5) and ROC AUC, labels = `gene` features on either strand as
../shared/tools/score_track.py counts them; gene-level stop and start sensitivity/precision against the
annotated CDS (genecalls decodes a track model's output into genes; GeneORF and Prodigal call genes
themselves); wall time and peak memory of the whole run in a fresh subprocess (os.wait4). Then the mean
over the held-out genomes. Tracks can be written as bedGraph (--tracks DIR) for score_track.py.

    python bench/genomes_bench.py                          # everything but the k-mer BERT
    python bench/genomes_bench.py --systems prodigal,geneorf-bacteria --genomes ecoli
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("GENOVIEW_SHARED_DATA", ROOT.parent / "shared" / "data"))
HELD_OUT = ["mycoplasma_gallisepticum_Rlow", "chlamydia_trachomatis_D-LC", "treponema_pallidum_Nichols",
            "paracoccus_sp_SCN68-21"]
SYSTEMS = ["prodigal", "genecnn-ecoli", "geneorf-bacteria", "geneorf-bacteria+adapt"]


def genome_files(name: str) -> tuple[Path, Path, float]:
    """(fasta, gff, scored-from fraction)."""
    if name == "ecoli":
        d = SHARED / "ecoli-k12-mg1655"
        return d / "GCF_000005845.2_ASM584v2_genomic.fna.gz", d / "GCF_000005845.2_ASM584v2_genomic.gff.gz", 0.7
    d = SHARED / "bacteria" / name
    return d / "genome.fna.gz", d / "annotation.gff3.gz", 0.0


def run_one(system: str, genome: str, out_json: str, track_dir: str | None) -> None:
    """Predict with one system on one genome (in this process) and write metrics as JSON."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    import torch

    torch.set_num_threads(1)
    from genoview.core import genecalls as gc
    from genoview.core import gene_level as gl
    from genoview.core.evaluation import evaluate
    from genoview.core.genome import encode, open_genome

    fasta, gff, frac = genome_files(genome)
    started = time.time()
    g = open_genome(fasta, gff)
    seqs = {sid: encode(r.fetch(0, r.length)) for sid, r in g.sequences.items()}
    lengths = {sid: len(c) for sid, c in seqs.items()}
    genes = None
    if system in ("prodigal", "prodigal-g4"):   # prodigal-g4: as `prodigal -g 4` (TGA = Trp) for code-4 genomes
        pro = gl.prodigal_genes(seqs, genetic_code=4 if system.endswith("g4") else 11)
        tracks = {sid: np.zeros(n, np.float32) for sid, n in lengths.items()}
        for sid, a, b, strand, conf in pro:
            np.maximum(tracks[sid][a:b], np.float32(conf), out=tracks[sid][a:b])
        genes = [p[:4] for p in pro]
    elif system.split("+")[0].rstrip("/").split("/")[-1].startswith("geneorf"):
        from genoview.core.models import load_model

        name = system.split("+")[0]
        model = load_model(name)
        if system.endswith("+adapt"):
            from genoview.cli.adapt import adapt_model

            with tempfile.TemporaryDirectory() as tmp:
                os.environ["GENOVIEW_HOME"] = tmp
                t0 = time.time()
                out = adapt_model(name, str(fasta), Path(tmp) / "adapted").path   # (its folder; and listed_as)
                adapt_seconds = time.time() - t0
                model = load_model(str(out))
        calls, stats, tracks = model.call_genome(seqs)
        genes = gl.genes_of_calls(calls)
    else:
        from genoview.core.inference import predict_region
        from genoview.core.models import load_model

        model = load_model(system, device="cpu")
        tracks = {sid: predict_region(model, g.sequences[sid]) for sid in seqs}
        calls, _ = gc.call_genes(seqs, tracks=tracks)
        genes = gl.genes_of_calls(calls)
    seconds = time.time() - started
    scope = {sid: (int(n * frac), n) for sid, n in lengths.items()}
    labels = np.concatenate([g.label_mask(sid, ("gene",))[scope[sid][0]:] for sid in seqs])
    values = np.concatenate([tracks[sid][scope[sid][0]:] for sid in seqs])
    report = evaluate(labels, values, 0.5)
    ref = gl.annotated_cds(g.features)
    level = gl.compare_genes(genes, ref, scope)
    result = {"system": system, "genome": genome, "mcc": report.mcc, "roc_auc": report.roc_auc,
              "seconds": seconds, **{k: v for k, v in level.to_json().items()}}
    if system.endswith("+adapt"):
        result["adapt_seconds"] = adapt_seconds
    if track_dir:
        from genoview.core.inference import write_bedgraph

        path = Path(track_dir) / f"{genome}.{system}.bedGraph"
        with open(path, "w") as handle:
            for sid in seqs:
                write_bedgraph(handle, sid, 0, tracks[sid])
        result["bedgraph"] = str(path)
    Path(out_json).write_text(json.dumps(result))


def measure(system: str, genome: str, track_dir: str | None) -> dict:
    """Run one cell in a fresh subprocess: its metrics plus whole-process wall time and peak RSS."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    cmd = [sys.executable, __file__, "--one", system, genome, out] + (["--tracks", track_dir] if track_dir else [])
    started = time.time()
    proc = subprocess.Popen(cmd, env={**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.time() - started
    if status != 0:
        return {"system": system, "genome": genome, "error": f"exit status {status}"}
    result = json.loads(Path(out).read_text())
    os.unlink(out)
    result.update(wall_seconds=wall, peak_mib=usage.ru_maxrss / 1024)
    return result


def table(results: list[dict]) -> str:
    cols = ("genome", "system", "mcc", "roc_auc", "stop_sensitivity", "stop_precision", "start_sensitivity",
            "start_precision", "wall_seconds", "peak_mib")
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['genome']} | {r['system']} | {r['error']} |")
            continue
        cells = [r["genome"], r["system"]] + [f"{r[c]:.4f}" if c in ("mcc", "roc_auc") else
                                               f"{r[c]:.3f}" if "sens" in c or "prec" in c else f"{r[c]:.1f}"
                                               for c in cols[2:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--systems", default=",".join(SYSTEMS))
    p.add_argument("--genomes", default=",".join(["ecoli"] + HELD_OUT))
    p.add_argument("--tracks", metavar="DIR", help="also write each track as bedGraph here")
    p.add_argument("--json", metavar="OUT", help="write all results as JSON")
    p.add_argument("--one", nargs=3, metavar=("SYSTEM", "GENOME", "OUT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        run_one(*args.one, args.tracks)
        return 0
    if args.tracks:
        Path(args.tracks).mkdir(parents=True, exist_ok=True)
    results = []
    for genome in args.genomes.split(","):
        for system in args.systems.split(","):
            result = measure(system, genome, args.tracks)
            results.append(result)
            print(json.dumps(result), flush=True)
    held = [r for r in results if r["genome"] in HELD_OUT and "error" not in r]
    for system in args.systems.split(","):
        rows = [r for r in held if r["system"] == system]
        if rows:
            mean = {k: float(np.mean([r[k] for r in rows])) for k in
                    ("mcc", "roc_auc", "stop_sensitivity", "stop_precision", "start_sensitivity",
                     "start_precision", "wall_seconds", "peak_mib")}
            results.append({"genome": f"mean of {len(rows)} held-out", "system": system, **mean})
    print(table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
