"""Design choices of the k-mer BERT's ORF decoder (kmer_bert/orfs.py) on training/tuning genomes only.

    OMP_NUM_THREADS=1 python bench/kmer_bert_bench.py cache --model models/kmer-bert-ecoli-orfs \
        --genomes methanosarcina_mazei_S-6,brucella_melitensis_16M --bases 1200000 --out /tmp/kb
    OMP_NUM_THREADS=1 python bench/kmer_bert_bench.py tune --cache /tmp/kb/methanosarcina_mazei_S-6-1200000.npz,... \
        --grid '{"centre": ["median"], "coding_weight": [0.01, 0.02], "bias": [-6, -10]}'

``cache`` stores the BERT's class probabilities (both strands) of one contiguous slice per genome (the
middle ``--bases`` of its longest sequence) with its bases and its `gene` labels; ``tune`` calls genes on
each slice with every decoder setting of the grid (genetic code detected from the slice, no annotation)
and prints nucleotide MCC / ROC AUC / called fraction / hexamer share per slice, then the mean and the
smallest MCC. Held-out genomes are refused.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from genoview.core.models.kmer_bert.multigenome import HELD_OUT_GENOMES, genome_files  # noqa: E402


def cache(args) -> None:
    import torch

    from genoview.core.genome import open_genome
    from genoview.core.models.kmer_bert.modeling import load_track_model
    from genoview.core.models.kmer_bert.orfs import record_classes

    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = load_track_model(args.model).with_setting("threshold_rule", None).with_setting("orf_decoder", None)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in args.genomes.split(","):
        if name in HELD_OUT_GENOMES:
            raise SystemExit(f"{name} is a held-out genome: no design choice is made on it")
        out = out_dir / f"{name}-{args.bases}.npz"
        if out.exists():
            continue
        fasta, gff = genome_files(name)
        t0 = time.time()
        with open_genome(fasta, gff) as genome:
            record = max(genome.sequences.values(), key=lambda r: r.length)
            lo = max(0, (record.length - args.bases) // 2)
            lo -= lo % 3
            hi = min(record.length, lo + args.bases)
            codes = record.codes(lo, hi)
            genic = genome.label_mask(record.id, ("gene",))[lo:hi]
            classes = record_classes(model, codes)
        np.savez(out, classes=classes.astype(np.float16), codes=codes, genic=genic, lo=lo, seqid=record.id)
        print(name, record.id, lo, hi, f"{time.time() - t0:.0f}s", flush=True)


def score_slice(data, decoder, fallback=None) -> tuple[float, float, float, float]:
    """(MCC, ROC AUC, called fraction, hexamer share) of one cached slice with one decoder setting."""
    from genoview.core.evaluation import evaluate
    from genoview.core.genecalls import detect_genetic_code
    from genoview.core.models.kmer_bert.orfs import call_genes_bert, calls_track, decoded_fallback

    codes, classes, genic = data
    code = detect_genetic_code({"s": codes})
    report = {}
    calls = call_genes_bert({"s": codes}, {"s": classes}, decoder, code, report=report)
    track = calls_track(calls, len(codes), decoded_fallback(classes, 121) if fallback is None else fallback)
    result = evaluate(genic, track, 0.5)
    return result.mcc, result.roc_auc, float((track > 0.5).mean()), report.get("hexamer_share", 0.0)


def tune(args) -> None:
    from genoview.core.models.kmer_bert.orfs import OrfDecoder, decoded_fallback

    slices, fallbacks = [], []
    for path in args.cache.split(","):
        z = np.load(path)
        slices.append((z["codes"], z["classes"].astype(np.float32), z["genic"].astype(bool)))
        fallbacks.append(decoded_fallback(slices[-1][1], 121))   # the same for every setting: made once
    grid = json.loads(args.grid)
    keys = list(grid)
    for values in itertools.product(*[grid[k] for k in keys]):
        decoder = OrfDecoder.from_dict(dict(zip(keys, values)))
        results = [score_slice(s, decoder, f) for s, f in zip(slices, fallbacks)]
        print(json.dumps(dict(zip(keys, values))),
              " ".join(f"{m:.4f}/{a:.3f}/{g:.2f}/{h:.2f}" for m, a, g, h in results),
              f"mean {np.mean([r[0] for r in results]):.4f} min {np.min([r[0] for r in results]):.4f}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("cache")
    c.add_argument("--model", default="models/kmer-bert-ecoli-orfs")
    c.add_argument("--genomes", required=True)
    c.add_argument("--bases", type=int, default=1_200_000)
    c.add_argument("--out", required=True)
    t = sub.add_parser("tune")
    t.add_argument("--cache", required=True, help="comma-separated .npz files written by `cache`")
    t.add_argument("--grid", required=True, help="JSON: OrfDecoder field -> list of values")
    args = parser.parse_args(argv)
    cache(args) if args.command == "cache" else tune(args)


if __name__ == "__main__":
    main()
