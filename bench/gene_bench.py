#!/usr/bin/env python3
"""Gene-prediction benchmark: every shipped model and Prodigal on E. coli, in one table.

For each model it predicts the whole chromosome in a fresh subprocess (so the peak memory is that
model's alone, read with os.wait4), then scores the test part (the last 30 %, from int(0.7 * n))
against the annotation: MCC, ROC AUC, accuracy, F1; and reports load and prediction wall time,
nucleotides per second, peak RSS, and speed relative to Prodigal. One track is cross-checked with
../shared/tools/score_track.py (the independent referee) and the agreement printed.

    python bench/gene_bench.py                       # all shipped models + prodigal, whole genome
    python bench/gene_bench.py --skip-slow           # k-mer BERT predicts only the test part
    python bench/gene_bench.py --models prodigal,genecnn-ecoli --device cpu
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

from genoview import paths  # noqa: E402

SEQID = "NC_000913.3"
TEST_FROM = 0.7
SLOW_ARCHITECTURES = {"kmer-bert"}


def default_data() -> tuple[Path | None, Path | None, Path | None]:
    shared = paths.shared_data_dir()
    if shared is None:
        return None, None, None
    ecoli = shared / "ecoli-k12-mg1655"
    return (ecoli / "GCF_000005845.2_ASM584v2_genomic.fna.gz", ecoli / "GCF_000005845.2_ASM584v2_genomic.gff.gz",
            shared.parent / "tools" / "score_track.py")


# --- the worker: one model, one prediction, in its own process -------------------------------------
def worker(args: argparse.Namespace) -> None:
    """Load the model, predict [start, end) of the sequence, save the track and the timings."""
    started = time.perf_counter()
    import torch  # noqa: F401  (inference imports it for every model; count it as loading, not predicting)

    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region
    from genoview.core.models import load_model

    model = load_model(args.worker, device=args.device)
    with open_genome(args.fasta) as genome:
        record = genome.record(args.seqid)
        loaded = time.perf_counter()
        end = record.length if args.end is None else args.end
        probs = predict_region(model, record, args.start, end, batch_size=args.batch_size)
        predicted = time.perf_counter()
    np.save(args.track_out, np.asarray(probs, dtype=np.float32))
    Path(args.timing_out).write_text(json.dumps({
        "load_s": loaded - started, "predict_s": predicted - loaded, "bases": end - args.start,
        "device": str(model.device)}))


def run_worker(name: str, args: argparse.Namespace, start: int, end: int | None, tmp: Path) -> dict:
    """Run the worker for one model; its timings, track and peak RSS (MiB) from os.wait4."""
    track, timing = tmp / f"{name}.npy", tmp / f"{name}.json"
    command = [sys.executable, __file__, "--worker", name, "--fasta", str(args.fasta), "--seqid", args.seqid,
               "--start", str(start), "--track-out", str(track), "--timing-out", str(timing),
               "--device", args.device]
    if end is not None:
        command += ["--end", str(end)]
    if args.batch_size:
        command += ["--batch-size", str(args.batch_size)]
    wall = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - wall
    if process.returncode != 0:
        raise SystemExit(f"gene_bench: the worker for {name} failed (exit {process.returncode})")
    result = json.loads(timing.read_text())
    result.update(process_s=wall, peak_rss_mib=usage.ru_maxrss / 1024, track=np.load(track))
    return result


# --- the table -----------------------------------------------------------------------------------
def cross_check(score_track: Path, gff: Path, fasta: Path, seqid: str, start: int, probs: np.ndarray,
                report, labels: np.ndarray, tmp: Path) -> str:
    """Score one track written as bedGraph with score_track.py and with GenoView; how far apart they are."""
    from genoview.core.evaluation import evaluate
    from genoview.core.inference import read_bedgraph, write_bedgraph

    bedgraph = tmp / "crosscheck.bedGraph"
    write_bedgraph(bedgraph, seqid, start, probs)
    done = subprocess.run([sys.executable, str(score_track), str(bedgraph), str(gff), "--fasta", str(fasta),
                           "--seqid", seqid, "--from", str(TEST_FROM), "--to", "1.0"],
                          check=True, capture_output=True, text=True)
    reference = json.loads(done.stdout[: done.stdout.rindex("}") + 1])
    read_start, values = read_bedgraph(bedgraph)[seqid]
    track = np.full(len(labels), np.nan, dtype=np.float32)
    track[read_start:read_start + len(values)] = values
    mine = evaluate(labels[start:], track[start:], report.threshold).to_json()
    keys = ("tp", "tn", "fp", "fn", "accuracy", "precision", "recall", "f1", "mcc", "roc_auc", "uncovered")
    worst = max(abs(float(mine[k]) - float(reference[k])) for k in keys)
    rounding = max(abs(float(mine[k]) - float(report.to_json()[k])) for k in ("mcc", "roc_auc", "accuracy", "f1"))
    verdict = "AGREE" if worst <= 1e-4 else "DISAGREE"
    return (f"score_track.py cross-check on the same bedGraph (test part): {verdict}, largest difference {worst:.1e} "
            f"(MCC {reference['mcc']:.6f} vs {mine['mcc']:.6f}, ROC AUC {reference['roc_auc']:.6f} vs "
            f"{mine['roc_auc']:.6f}); writing 4-decimal bedGraph moved the metrics by at most {rounding:.1e}")


def main(argv: list[str] | None = None) -> int:
    fasta, gff, score_track = default_data()
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fasta", type=Path, default=fasta)
    ap.add_argument("--gff", type=Path, default=gff)
    ap.add_argument("--score-track", type=Path, default=score_track)
    ap.add_argument("--seqid", default=SEQID)
    ap.add_argument("--models", help="comma-separated model names or directories (default: every model in "
                                      "models/, then prodigal)")
    ap.add_argument("--skip-slow", action="store_true",
                    help="k-mer BERT models predict only the test part instead of the whole genome (marked in the table)")
    ap.add_argument("--device", default="cpu", help="device for the neural models (default cpu)")
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--json-out", type=Path, help="also write the table rows as JSON")
    # worker mode (internal)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--end", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--track-out", help=argparse.SUPPRESS)
    ap.add_argument("--timing-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args)
        return 0
    if args.fasta is None or not args.fasta.exists() or args.gff is None or not args.gff.exists():
        raise SystemExit("gene_bench: E. coli data not found; pass --fasta and --gff")

    from genoview.core.evaluation import evaluate, split_slice
    from genoview.core.genome import open_genome
    from genoview.core.models import list_models

    infos = {info.name: info for info in list_models()}
    # every shipped gene-track model (a pre-trained masked LM has no gene head to score)
    shipped = [n for n, i in infos.items()
               if Path(i.path).parent == paths.SHIPPED_MODELS_DIR and i.task != "masked-lm"]
    names = args.models.split(",") if args.models else shipped + ["prodigal"]
    if "prodigal" not in names:
        names.append("prodigal")   # the reference for the time ratio
    with open_genome(args.fasta, args.gff) as genome:
        length = genome.record(args.seqid).length
        labels = genome.label_mask(args.seqid)
    test = split_slice(length, TEST_FROM, 1.0)
    print(f"gene_bench: {args.seqid}, {length:,} nt; test part [{test.start:,}, {length:,}) = {test.stop - test.start:,} nt; "
          f"device {args.device}; threshold {args.threshold}", flush=True)

    rows, crosscheck = [], None
    with tempfile.TemporaryDirectory(prefix="gene_bench-") as tmp_name:
        tmp = Path(tmp_name)
        for name in names:
            info = infos.get(name)
            slow = args.skip_slow and info is not None and info.architecture in SLOW_ARCHITECTURES
            start = test.start if slow else 0
            print(f"  {name}: predicting {'the test part' if slow else 'the whole genome'} ...", flush=True)
            result = run_worker(name, args, start, None, tmp)
            probs = result.pop("track")
            report = evaluate(labels[test], probs[test.start - start:], args.threshold)
            rows.append({"model": Path(name).name, "scope": "test part" if slow else "whole genome", **report.to_json(),
                         **result, "nt_per_s": result["bases"] / result["predict_s"]})
            if crosscheck is None and args.score_track and args.score_track.exists():
                crosscheck = cross_check(args.score_track, args.gff, args.fasta, args.seqid, test.start,
                                         probs[test.start - start:], report, labels, tmp)
    reference = next(r for r in rows if r["model"] == "prodigal")
    for row in rows:
        row["time_vs_prodigal"] = reference["nt_per_s"] / row["nt_per_s"]
    print_table(rows)
    if crosscheck:
        print(crosscheck)
    if args.json_out:
        args.json_out.write_text(json.dumps(rows, indent=1))
    return 0


def print_table(rows: list[dict]) -> None:
    header = (f"{'model':<20} {'timed on':<12} {'MCC':>6} {'ROC AUC':>7} {'acc':>6} {'F1':>6} "
              f"{'load s':>7} {'predict s':>9} {'nt/s':>10} {'peak MiB':>8} {'x prodigal':>10}")
    print()
    print("Test part of E. coli (last 30 %): metrics; prediction timed on the part named in 'timed on'")
    print(header)
    print("-" * len(header))
    for r in rows:
        auc = "n/a" if r["roc_auc"] is None else f"{r['roc_auc']:.4f}"
        print(f"{r['model']:<20} {r['scope']:<12} {r['mcc']:>6.4f} {auc:>7} {r['accuracy']:>6.4f} {r['f1']:>6.4f} "
              f"{r['load_s']:>7.1f} {r['predict_s']:>9.1f} {r['nt_per_s']:>10,.0f} {r['peak_rss_mib']:>8,.0f} "
              f"{r['time_vs_prodigal']:>10.1f}")
    print("x prodigal = prediction time per nucleotide relative to Prodigal (training on the genome included); "
          "peak MiB = the worker process's peak RSS (model, genome and track).")


if __name__ == "__main__":
    sys.exit(main())
