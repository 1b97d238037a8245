"""Benchmark genome I/O: E. coli FASTA+GFF load, `genoview info`, and a synthetic 250 Mb FASTA.

Each measurement runs in its own Python subprocess so its peak RSS (ru_maxrss) is clean.

    .venv/bin/python bench/io_bench.py                 # everything (needs ../shared/data for E. coli)
    .venv/bin/python bench/io_bench.py --size-mb 50    # a smaller synthetic genome
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
ECOLI = ROOT.parent / "shared" / "data" / "ecoli-k12-mg1655" / "GCF_000005845.2_ASM584v2_genomic"

# run in a fresh interpreter: open a genome, optionally fetch random regions, report JSON
# (peak RSS from /proc's VmHWM: ru_maxrss would include the parent's memory inherited over fork)
CHILD = r"""
import json, resource, sys, time
import numpy as np
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM")) / 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * (1024 if sys.platform == "darwin" else 1))
started = time.perf_counter()
from genoview.core.genome import open_genome
imported = time.perf_counter()
rss_after_import = peak_mb()
fasta, gff, fetches, width = sys.argv[1], sys.argv[2] or None, int(sys.argv[3]), int(sys.argv[4])
genome = open_genome(fasta, gff)
opened = time.perf_counter()
record = max(genome.sequences.values(), key=lambda r: r.length)
rng = np.random.default_rng(0)
times = []
for start in rng.integers(0, record.length - width, size=fetches):
    t = time.perf_counter()
    bases = record.fetch(int(start), int(start) + width)
    times.append(time.perf_counter() - t)
    assert len(bases) == width
print(json.dumps({
    "import_s": imported - started, "open_s": opened - imported,
    "rss_after_import_mb": rss_after_import,
    "peak_rss_mb": peak_mb(),
    "fetch_median_ms": float(np.median(times) * 1000) if times else None,
    "fetch_p95_ms": float(np.percentile(times, 95) * 1000) if times else None,
    "features": len(genome.features), "bases": sum(r.length for r in genome.sequences.values()),
}))
"""


def measure(fasta: Path, gff: Path | None = None, fetches: int = 0, width: int = 10_000) -> dict:
    """Open (and fetch from) a genome in a fresh interpreter; return its figures."""
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(fasta), str(gff or ""), str(fetches), str(width)],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )
    return json.loads(result.stdout)


def time_info(fasta: Path, gff: Path) -> float:
    """Wall time of `genoview info --json` including interpreter start-up."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())",
         "info", "--fasta", str(fasta), "--gff", str(gff), "--json"],
        capture_output=True, check=True, cwd=ROOT,
    )
    return time.perf_counter() - started


def write_synthetic(path: Path, megabases: int, width: int = 60, seed: int = 0) -> None:
    """A random genome of ``megabases`` Mb in two records, with soft-masked and N stretches."""
    rng = np.random.default_rng(seed)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    lines_per_chunk = 100_000
    sizes = {"chrBig": megabases * 1_000_000 * 9 // 10, "chrSmall": megabases * 1_000_000 // 10}
    with open(path, "wb") as handle:
        for name, size in sizes.items():
            handle.write(f">{name} synthetic benchmark sequence\n".encode())
            done = 0
            while done < size:
                n = min(width * lines_per_chunk, size - done)
                bases = letters[rng.integers(0, 4, size=n)]
                bases[: n // 50] += 32  # a soft-masked stretch per chunk
                bases[n // 2: n // 2 + 1000] = ord("N")
                full = n // width
                block = np.empty((full, width + 1), dtype=np.uint8)
                block[:, :width] = bases[: full * width].reshape(full, width)
                block[:, width] = 10
                handle.write(block.tobytes())
                if n % width:
                    handle.write(bases[full * width:].tobytes() + b"\n")
                done += n


def compress(source: Path, target: Path, bgzip: bool) -> None:
    """gzip or bgzip a file in streaming fashion."""
    from Bio import bgzf

    with open(source, "rb") as reader:
        writer = bgzf.BgzfWriter(str(target), "wb") if bgzip else gzip.open(target, "wb", compresslevel=6)
        with writer:
            while chunk := reader.read(16 * 1024 * 1024):
                writer.write(chunk)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=250, help="synthetic plain FASTA size (default 250)")
    parser.add_argument("--compressed-mb", type=int, default=50, help="synthetic gzip/bgzip size (0 skips)")
    parser.add_argument("--fetches", type=int, default=1000, help="random 10 kb fetches per file")
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []
    fasta, gff = Path(f"{ECOLI}.fna.gz"), Path(f"{ECOLI}.gff.gz")
    if fasta.exists() and gff.exists():
        measure(fasta, gff)  # warm the page cache
        ecoli = measure(fasta, gff, fetches=args.fetches)
        rows += [
            ("E. coli FASTA.gz+GFF.gz open", f"{ecoli['open_s']:.3f} s", "target < 1 s"),
            ("E. coli peak RSS (whole process)", f"{ecoli['peak_rss_mb']:.0f} MB",
             f"{ecoli['rss_after_import_mb']:.0f} MB after imports"),
            ("E. coli 10 kb fetch median / p95", f"{ecoli['fetch_median_ms']:.3f} / {ecoli['fetch_p95_ms']:.3f} ms", ""),
            ("genoview info (wall, with start-up)", f"{min(time_info(fasta, gff) for _ in range(3)):.2f} s",
             "best of 3; target < 3 s"),
        ]
    else:
        rows.append(("E. coli", "skipped", f"{fasta} not found"))
    with tempfile.TemporaryDirectory(prefix="genoview-bench-") as folder:
        big = Path(folder) / "synthetic.fa"
        started = time.perf_counter()
        write_synthetic(big, args.size_mb)
        rows.append((f"write synthetic {args.size_mb} Mb FASTA", f"{time.perf_counter() - started:.1f} s",
                     f"{big.stat().st_size / 1e6:.0f} MB on disk"))
        for label, path in [(f"plain {args.size_mb} Mb", big)]:
            figures = measure(path, fetches=args.fetches)
            rows += _synthetic_rows(label, figures)
        if args.compressed_mb:
            small = Path(folder) / "small.fa"
            write_synthetic(small, args.compressed_mb, seed=1)
            for bgzip in (False, True):
                target = Path(folder) / ("small.fa.bgz" if bgzip else "small.fa.gz")
                compress(small, target, bgzip)
                figures = measure(target, fetches=args.fetches)
                rows += _synthetic_rows(f"{'bgzip' if bgzip else 'gzip'} {args.compressed_mb} Mb", figures)
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>22}  note")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>22}  {note}")
    return 0


def _synthetic_rows(label: str, figures: dict) -> list[tuple[str, str, str]]:
    return [
        (f"{label}: open", f"{figures['open_s']:.2f} s", f"{figures['bases'] / 1e6:.0f} Mb"),
        (f"{label}: 10 kb fetch median / p95", f"{figures['fetch_median_ms']:.3f} / {figures['fetch_p95_ms']:.3f} ms",
         "target < 10 ms"),
        (f"{label}: peak RSS", f"{figures['peak_rss_mb']:.0f} MB",
         f"{figures['rss_after_import_mb']:.0f} MB after imports; target < 600 MB"),
    ]


if __name__ == "__main__":
    sys.exit(main())
