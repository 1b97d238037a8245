#!/usr/bin/env python3
"""Prediction benchmark: `genoview predict` as whole processes (wall time, CPU time, peak RSS per process).

ecoli: the default model on the E. coli FASTA without the cache, side by side with the `pyrodigal`
command on the same file, alternating, several runs; prints each run and the medians with the wall
ratio (issue 9 target: <= 3x, peak < 600 MB). Then one cache hit.

    python bench/predict_bench.py ecoli --runs 3 --threads 2

scale: synthetic chromosomes (random sequence, one per size) predicted to bigWig and bedGraph in one
run, then again from the cache; prints peak RSS per size and the growth (targets: < 1.5 GB, < 100 MB
from 25 to 250 Mb). ``--stub`` runs a stand-in chunked model (GeneCNN's tile geometry, values from a
GC window: bedGraph runs of a real track's length) to measure the pipeline alone; without it the default
model runs (or ``--model NAME``).

    nice -n 10 python bench/predict_bench.py scale --sizes 25,250 --stub --workdir /tmp/predict-bench
    nice -n 10 python bench/predict_bench.py scale --sizes 25 --workdir /tmp/predict-bench

Peak RSS comes from os.wait4 of each child (its own ru_maxrss), not from sampling.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ECOLI = "ecoli-k12-mg1655/GCF_000005845.2_ASM584v2_genomic.fna.gz"


def genoview_command() -> list[str]:
    return [str(Path(sys.executable).parent / "genoview")]


def measure(command: list[str], env: dict | None = None) -> dict:
    """Run ``command``; wall seconds, user+system CPU seconds and peak RSS (MB) of that process alone."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(command)}\n{err[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def default_model() -> str:
    from genoview.core.models import default_model_name

    return default_model_name()


def shared_data() -> Path | None:
    from genoview import paths

    return paths.shared_data_dir()


def bench_ecoli(args) -> None:
    data = shared_data()
    if data is None or not (data / ECOLI).is_file():
        raise SystemExit("needs ../shared/data/" + ECOLI)
    fasta = data / ECOLI
    pyrodigal = str(Path(sys.executable).parent / "pyrodigal")
    threads = ["--threads", str(args.threads)] if args.threads else []
    model = ["--model", args.model] if args.model else []
    ours, theirs = [], []
    with tempfile.TemporaryDirectory(prefix="predict-bench-") as work:
        work = Path(work)
        print(f"E. coli {fasta.name}; model {args.model or default_model() + ' (the default)'}; {os.cpu_count()} CPUs; "
              f"load {os.getloadavg()[0]:.1f}; threads {args.threads or 'torch default'}")
        for i in range(args.runs):
            home = work / f"home{i}"
            env = {"GENOVIEW_HOME": str(home)}
            ours.append(measure([*genoview_command(), "predict", "--fasta", str(fasta), "--bedgraph",
                                 str(work / "out.bedGraph"), "--no-cache", *model, *threads], env))
            theirs.append(measure([pyrodigal, "-i", str(fasta), "-o", os.devnull]))
            print(f"  run {i + 1}: genoview {ours[-1]['wall']:.2f} s wall, {ours[-1]['cpu']:.2f} s CPU, "
                  f"{ours[-1]['rss_mb']:.0f} MB | pyrodigal {theirs[-1]['wall']:.2f} s wall, {theirs[-1]['cpu']:.2f} s CPU, "
                  f"{theirs[-1]['rss_mb']:.0f} MB "
                  f"| ratio {ours[-1]['wall'] / theirs[-1]['wall']:.2f}x")
        hit = measure([*genoview_command(), "predict", "--fasta", str(fasta), "--bedgraph", str(work / "hit.bedGraph"),
                       *model, *threads], {"GENOVIEW_HOME": str(work / "home0")})
    med = {k: statistics.median(r[k] for r in ours) for k in ("wall", "cpu", "rss_mb")}
    ref = {k: statistics.median(r[k] for r in theirs) for k in ("wall", "cpu", "rss_mb")}
    print(f"median genoview predict: {med['wall']:.2f} s wall, {med['cpu']:.2f} s CPU, peak {med['rss_mb']:.0f} MB")
    print(f"median pyrodigal:        {ref['wall']:.2f} s wall, {ref['cpu']:.2f} s CPU, peak {ref['rss_mb']:.0f} MB")
    print(f"wall ratio (median of per-run ratios): "
          f"{statistics.median(o['wall'] / t['wall'] for o, t in zip(ours, theirs)):.2f}x  (target <= 3x); "
          f"CPU-time ratio {med['cpu'] / ref['cpu']:.2f}x (less sensitive to a busy machine)")
    print(f"cache hit: {hit['wall']:.2f} s wall, peak {hit['rss_mb']:.0f} MB")


def write_synthetic(path: Path, seqid: str, length: int, seed: int = 1) -> None:
    """A random ACGT chromosome as FASTA (80 bases a line), written in 8 Mb slices."""
    import numpy as np

    rng = np.random.default_rng(seed)
    alphabet = np.frombuffer(b"ACGT", dtype=np.uint8)
    with open(path, "wb") as fh:
        fh.write(f">{seqid} synthetic {length:,} bases\n".encode())
        step = 80 * 100_000
        for a in range(0, length, step):
            n = min(step, length - a)
            bases = alphabet[rng.integers(0, 4, n)]
            full = n // 80 * 80
            lines = np.concatenate((bases[:full].reshape(-1, 80), np.full((full // 80, 1), 10, np.uint8)), axis=1)
            fh.write(lines.tobytes())
            if n > full:
                fh.write(bases[full:].tobytes() + b"\n")


def bench_scale(args) -> None:
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    stub = ["--stub"] if args.stub else []
    runner = [sys.executable, str(Path(__file__).resolve()), "_run", *stub]
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        fasta = work / f"synthetic-{size}mb.fa"
        if not fasta.is_file():
            write_synthetic(fasta, f"syn{size}", size * 1_000_000)
        home = work / f"home-{size}"
        shutil.rmtree(home, ignore_errors=True)
        bw, bg = work / f"syn{size}.bw", work / f"syn{size}.bedGraph"
        threads = ["--threads", str(args.threads)] if args.threads else []
        model = ["--model", args.model] if args.model and not args.stub else []
        command = [*runner, "predict", "--fasta", str(fasta), "--bigwig", str(bw), "--bedgraph", str(bg), *model,
                   *threads]
        env = {"GENOVIEW_HOME": str(home)}
        fresh = measure(command, env)
        hit = measure(command, env)
        row = {"size": size, **{f"fresh_{k}": v for k, v in fresh.items()}, **{f"hit_{k}": v for k, v in hit.items()},
               "bedgraph_mb": bg.stat().st_size / 1e6, "bigwig_mb": bw.stat().st_size / 1e6}
        rows.append(row)
        label = "stub model" if args.stub else (args.model or default_model() + ", the default")
        print(f"{size} Mb ({label}): predicted {fresh['wall']:.1f} s wall, "
              f"{fresh['cpu']:.1f} s CPU, peak {fresh['rss_mb']:.0f} MB | from the cache {hit['wall']:.1f} s, "
              f"peak {hit['rss_mb']:.0f} MB | bedGraph {row['bedgraph_mb']:.0f} MB, bigWig {row['bigwig_mb']:.0f} MB",
              flush=True)
        if not args.keep:
            bg.unlink(missing_ok=True)
            bw.unlink(missing_ok=True)
    if len(rows) > 1:
        print(f"peak growth {rows[0]['size']} -> {rows[-1]['size']} Mb: "
              f"{rows[-1]['fresh_rss_mb'] - rows[0]['fresh_rss_mb']:+.0f} MB predicting, "
              f"{rows[-1]['hit_rss_mb'] - rows[0]['hit_rss_mb']:+.0f} MB from the cache (target < 100 MB)")


def run_with_stub(argv: list[str]) -> int:
    """`genoview ...` in this process, with the model named by the command (or the default) replaced by a stub
    when --stub is first: GeneCNN's geometry, values = GC fraction over 9-base windows (runs ~ a real track's)."""
    import numpy as np

    if argv and argv[0] == "--stub":
        argv = argv[1:]
        from genoview.core import models
        from genoview.core.models.base import TrackModel

        class StubModel(TrackModel):
            name, context, chunk_size, default_batch_size = "stub", 2143, 30000, 2

            def __init__(self):
                self.info, self.device = {"version": "stub-1"}, "cpu"

            def predict_chunk(self, codes):
                gc = ((codes == 1) | (codes == 2)).astype(np.float32)
                window = np.cumsum(np.pad(gc, ((0, 0), (1, 0))), axis=1)
                mean = (window[:, 9:] - window[:, :-9]) / 9.0
                c = self.context
                return mean[:, c - 4:c - 4 + self.chunk_size].astype(np.float32)

        models.load_model = lambda name, device=None, **kw: StubModel()
        models.resolve_model_dir = lambda name: None
        models.default_model_name = lambda: "stub"
    from genoview.cli import main

    return main(argv)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_run":
        sys.exit(run_with_stub(sys.argv[2:]))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    e = sub.add_parser("ecoli", help="default model vs the pyrodigal command on E. coli")
    e.add_argument("--runs", type=int, default=3)
    e.add_argument("--threads", type=int, help="--threads for genoview predict (default: torch's choice)")
    e.add_argument("--model", help="model to run (default: the default model)")
    s = sub.add_parser("scale", help="synthetic chromosomes to bigWig + bedGraph: peak memory by size")
    s.add_argument("--sizes", default="25,250", help="Mb, comma-separated (default 25,250)")
    s.add_argument("--stub", action="store_true", help="a stand-in model: the pipeline's memory and time alone")
    s.add_argument("--threads", type=int)
    s.add_argument("--model", help="model to run (default: the default model)")
    s.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "genoview-predict-bench"))
    s.add_argument("--keep", action="store_true", help="keep the outputs")
    args = parser.parse_args()
    bench_ecoli(args) if args.what == "ecoli" else bench_scale(args)


if __name__ == "__main__":
    main()
