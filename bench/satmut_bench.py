"""Saturation mutagenesis speed with the gene models: every base of a 1 kb window of E. coli x 3 substitutions.

    OMP_NUM_THREADS=1 .venv/bin/python bench/satmut_bench.py [--models genecnn-ecoli geneorf-bacteria]
        [--start 3400000] [--length 1000] [--json out.json]

The window lies in E. coli's last 30% (test part). Each model runs in its own process with one torch thread.
Printed per model: wall clock and CPU seconds of the mutagenesis (what one free core does; on a shared machine
the wall clock mostly measures the other processes). GeneORF self-trains on the whole genome once (the
statistics a variant does not change); that reference pass is timed apart from the window's 3,000 variants and
is kept on the loaded model, so a second heat map on the same genome pays only the window.
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=["genecnn-ecoli", "geneorf-bacteria"])
    parser.add_argument("--start", type=int, default=3_400_000)
    parser.add_argument("--length", type=int, default=1000)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    rows = []
    ctx = multiprocessing.get_context("spawn")
    for name in args.models:
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
