"""Saturation mutagenesis speed: the gene models on 1 kb of E. coli, the default language model on long genes.

    OMP_NUM_THREADS=1 .venv/bin/python bench/satmut_bench.py [--models genecnn-ecoli geneorf-bacteria]
        [--start 3400000] [--length 1000] [--lm lm-human-genes] [--old-bases 60 12] [--skip-gene-models]
        [--skip-lm] [--json out.json]

Gene models: every base of a 1 kb window of E. coli (its last 30%, the test part) x 3 substitutions. GeneORF
self-trains on the whole genome once (the statistics a variant does not change); that reference pass is timed
apart from the window's 3,000 variants and is kept on the loaded model, so a second heat map on the same genome
pays only the window.

Language model (default ``lm-human-genes``, every base x 3 substitutions, effect = log-likelihood ratio):
- 60 bases (1,501-1,560) of lacZ (E. coli b0344, 3,075 bases, read on its strand);
- the whole longest held-out (test) human gene of ../shared/data/human-genes (lm_data.split_genes, as the
  language models' cards).
Each is timed with the fast path (genoview.core.lm_mutagenesis: what a variant can change, from the reference
read once) and, as "old", with full re-scoring of every mutated sequence over the first ``--old-bases`` bases
of the window (60 for lacZ, 12 for the gene by default; ``--old-bases 60 998`` re-scores the whole gene in full,
about 3.5 CPU minutes); the largest difference between the two heat maps on those bases is printed.

Each run is its own process with one torch thread. Printed: wall clock and CPU seconds (what one free core
does; on a shared machine the wall clock mostly measures the other processes).
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ECOLI_FASTA = ROOT.parent / "shared" / "data" / "ecoli-k12-mg1655" / "GCF_000005845.2_ASM584v2_genomic.fna.gz"
HUMAN_GENES = ROOT.parent / "shared" / "data" / "human-genes" / "train_genes.csv.gz"
LACZ = (363230, 366305)      # b0344, minus strand (0-based, half-open)
LACZ_WINDOW = (1500, 1560)


def run_model(name: str, start: int, length: int) -> dict:
    import torch

    torch.set_num_threads(1)
    from genoview.core.genome import encode, open_genome
    from genoview.core.models import load_model
    from genoview.core.variant_effects import GenomeContext, orf_reference, saturation_gene_model

    with open_genome(ECOLI_FASTA) as genome:
        record = next(iter(genome.sequences.values()))
        model = load_model(name, device="cpu")
        out = {"model": name, "bases": length}
        if getattr(model, "whole_sequence", False):
            codes = {record.id: encode(record.fetch(0, record.length))}
            text = "".join("ACGTN"[c] for c in codes[record.id][start:start + length])
            wall, cpu = time.perf_counter(), time.process_time()
            orf_reference(model, codes, record.id)
            out["reference_wall_s"] = round(time.perf_counter() - wall, 2)
            out["reference_cpu_s"] = round(time.process_time() - cpu, 2)
            wall, cpu = time.perf_counter(), time.process_time()
            result = saturation_gene_model(model, text, genome=GenomeContext(codes, record.id, start, start + length))
        else:
            ctx = int(model.context)
            text = record.text(start - ctx, start + length + ctx).upper()
            wall, cpu = time.perf_counter(), time.process_time()
            result = saturation_gene_model(model, text[ctx:ctx + length], flank_left=text[:ctx],
                                           flank_right=text[ctx + length:])
        out["window_wall_s"] = round(time.perf_counter() - wall, 2)
        out["window_cpu_s"] = round(time.process_time() - cpu, 2)
        out["variants"] = int((result.effects[:, :4] == result.effects[:, :4]).sum())
    return out


def lm_sequences() -> dict:
    """{label: (sequence, window start, window end)} of the language-model runs."""
    from genoview.core.genome import open_genome
    from genoview.core.lm_data import read_genes, reverse_complement, split_genes

    with open_genome(ECOLI_FASTA) as genome:
        record = next(iter(genome.sequences.values()))
        lacz = reverse_complement(record.text(*LACZ).upper())
    gene = max(split_genes(read_genes(HUMAN_GENES)).test, key=lambda g: (len(g.sequence), g.id))
    return {"lacZ": (lacz, *LACZ_WINDOW),
            f"human test gene {gene.id}": (gene.sequence, 0, len(gene.sequence))}


def run_lm(name: str, label: str, sequence: str, start: int, end: int, old_bases: int) -> dict:
    import numpy as np
    import torch

    torch.set_num_threads(1)
    from genoview.core.lm_models import load_language_model
    from genoview.core.variant_effects import saturation_lm

    model = load_language_model(name)
    out = {"model": name, "sequence": label, "length": len(sequence), "window": [start, end]}
    wall, cpu = time.perf_counter(), time.process_time()
    new = saturation_lm(model, sequence, start, end)
    out["wall_s"] = round(time.perf_counter() - wall, 2)
    out["cpu_s"] = round(time.process_time() - cpu, 2)
    out["variants"] = int(np.isfinite(new.effects).sum())
    out["cpu_s_by_member"] = new.extra.get("cpu_seconds_by_member", {})
    if old_bases:
        stop = min(end, start + old_bases)
        wall, cpu = time.perf_counter(), time.process_time()
        old = saturation_lm(model, sequence, start, stop, fast=False)
        out["old_bases"] = stop - start
        out["old_wall_s"] = round(time.perf_counter() - wall, 2)
        out["old_cpu_s"] = round(time.process_time() - cpu, 2)
        diff = np.abs(old.effects - new.effects[:stop - start])
        out["max_abs_difference"] = float(np.nanmax(diff))
        out["max_abs_effect"] = float(np.nanmax(np.abs(old.effects)))
    return out


def print_lm(r: dict) -> None:
    a, b = r["window"]
    text = (f"saturation mutagenesis, {r['model']}, {r['sequence']} ({r['length']} bases), bases {a + 1}-{b} "
            f"x 3 substitutions ({r['variants']} variants): {r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU")
    if "old_bases" in r:
        scale = (b - a) / r["old_bases"]
        text += (f"; old (full re-scoring) on the first {r['old_bases']} bases: {r['old_wall_s']:.1f} s wall, "
                 f"{r['old_cpu_s']:.1f} s CPU" + (f" (x{scale:.0f} for the window: ~{r['old_cpu_s'] * scale:.0f} s CPU)"
                                                  if scale > 1 else "")
                 + f"; largest difference {r['max_abs_difference']:.1e} (effects up to {r['max_abs_effect']:.1f})")
    if r.get("cpu_s_by_member"):
        text += "\n    CPU s by member: " + ", ".join(f"{k} {v:.1f}" for k, v in r["cpu_s_by_member"].items())
    print(text, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["genecnn-ecoli", "geneorf-bacteria"])
    parser.add_argument("--start", type=int, default=3_400_000)
    parser.add_argument("--length", type=int, default=1000)
    parser.add_argument("--lm", default="lm-human-genes", help="language model for the long-gene runs")
    parser.add_argument("--old-bases", type=int, nargs=2, default=[60, 12], metavar=("LACZ", "GENE"),
                        help="bases of each window also scored by full re-scoring (0: skip)")
    parser.add_argument("--skip-gene-models", action="store_true")
    parser.add_argument("--skip-lm", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    rows = []
    ctx = multiprocessing.get_context("spawn")
    if not args.skip_lm:
        with ctx.Pool(1) as pool:
            sequences = pool.apply(lm_sequences)
        for (label, (sequence, start, end)), old_bases in zip(sequences.items(), args.old_bases):
            with ctx.Pool(1) as pool:
                try:
                    r = pool.apply(run_lm, (args.lm, label, sequence, start, end, old_bases))
                except Exception as exc:   # noqa: BLE001 - report and go on
                    print(f"saturation mutagenesis, {args.lm}, {label}: failed: {type(exc).__name__}: {exc}",
                          flush=True)
                    continue
            rows.append(r)
            print_lm(r)
    for name in ([] if args.skip_gene_models else args.models):
        with ctx.Pool(1) as pool:
            try:
                r = pool.apply(run_model, (name, args.start, args.length))
            except Exception as exc:   # noqa: BLE001 - report the model and go on with the next one
                print(f"saturation mutagenesis, {name}: failed: {type(exc).__name__}: {exc}", flush=True)
                continue
        rows.append(r)
        ref = (f"; + once per genome, self-training: {r['reference_wall_s']:.1f} s wall, {r['reference_cpu_s']:.1f} s CPU"
               if "reference_wall_s" in r else "")
        print(f"saturation mutagenesis, {r['bases']} bases x 3 substitutions ({r['variants']} variants), {r['model']}: "
              f"{r['window_wall_s']:.1f} s wall, {r['window_cpu_s']:.1f} s CPU{ref}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
