"""The real E. coli K-12 genome and RefSeq annotation: sizes, counts, genic fraction, a known gene, info."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from genoview.core.genome import open_genome, split_bounds

pytestmark = pytest.mark.realdata
SEQID = "NC_000913.3"


@pytest.fixture(scope="module")
def ecoli(ecoli_fasta, ecoli_gff):
    started = time.perf_counter()
    genome = open_genome(ecoli_fasta, ecoli_gff)
    genome.seconds_to_open = time.perf_counter() - started
    return genome


def test_sizes_counts_and_load_time(ecoli):
    assert list(ecoli.sequences) == [SEQID]
    assert ecoli.sequences[SEQID].length == 4_641_652
    counts = ecoli.features.count_by_type()
    assert counts["gene"] == 4518 and counts["CDS"] == 4386
    assert ecoli.seconds_to_open < 3.0  # < 1 s alone on the bench; generous for a shared 2-core machine


def test_genic_fraction(ecoli):
    mask = ecoli.label_mask(SEQID)
    assert mask.mean() == pytest.approx(0.8895, abs=0.0005)
    start, end = split_bounds(len(mask), 0.7, 1.0)
    assert end - start == 1_392_496
    assert mask[start:end].mean() == pytest.approx(0.889, abs=0.001)


def test_known_gene_bases(ecoli):
    thrl = [f for f in ecoli.features.find("thrL") if f.type == "gene"][0]
    assert (thrl.start, thrl.end, thrl.strand) == (189, 255, 1)  # 190..255 in the GFF
    bases = ecoli.sequences[SEQID].text(thrl.start, thrl.end)
    assert bases.startswith("ATG") and bases.endswith("TGA") and len(bases) == 66
    assert ecoli.sequences[SEQID].gc_fraction == pytest.approx(0.5079, abs=1e-4)
    assert ecoli.sequences[SEQID].n_count == 0


def test_multi_line_cds_kept_as_one_feature(ecoli):
    split = [f for f in ecoli.features if f.type == "CDS" and len(f.parts) > 1]
    assert split and all(f.start == f.parts[0][0] and f.end == max(e for _, e in f.parts) for f in split)
    assert len([f for f in ecoli.features if f.type == "CDS"]) + sum(len(f.parts) - 1 for f in split) == 4386


def test_info_json_on_ecoli(ecoli_fasta, ecoli_gff):
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())", "info", "--fasta", str(ecoli_fasta), "--gff", str(ecoli_gff), "--json"],
        capture_output=True, text=True,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["sequences"] == [{"id": SEQID, "length": 4641652, "gc": pytest.approx(0.5079, abs=1e-4), "n": 0}]
    assert summary["features"]["gene"] == 4518
    assert seconds < 6.0  # < 3 s on the bench; headroom for a loaded CI machine
