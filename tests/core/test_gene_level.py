"""Gene-level evaluation: matching by exact stop, and by stop and start."""
from __future__ import annotations

import numpy as np

from genoview.core import gene_level as gl
from genoview.core.io.features import Feature, FeatureTable


def test_stop_and_start_matching_on_both_strands():
    annotated = [("c", 100, 400, 1), ("c", 1000, 1300, -1), ("c", 2000, 2300, 1)]
    predicted = [("c", 130, 400, 1),     # same stop, other start
                 ("c", 1000, 1300, -1),  # exact (stop at 1000 on the minus strand)
                 ("c", 1000, 1330, 1),   # other strand: no match
                 ("c", 5000, 5300, 1)]
    report = gl.compare_genes(predicted, annotated)
    assert (report.annotated, report.predicted, report.stop_matches, report.start_matches) == (3, 4, 2, 1)
    assert report.stop_sensitivity == 2 / 3 and report.stop_precision == 0.5
    assert report.start_sensitivity == 1 / 3 and report.start_precision == 0.25
    assert set(report.to_json()) >= {"stop_sensitivity", "stop_precision", "start_sensitivity", "start_precision"}


def test_scope_keeps_genes_whose_stop_lies_inside():
    annotated = [("c", 100, 400, 1), ("c", 900, 1300, -1)]
    predicted = [("c", 100, 400, 1), ("c", 900, 1300, -1)]
    report = gl.compare_genes(predicted, annotated, scope={"c": (350, 1000)})
    assert (report.annotated, report.predicted, report.stop_matches) == (2, 2, 2)
    report = gl.compare_genes(predicted, annotated, scope={"c": (401, 2000)})
    assert (report.annotated, report.stop_matches) == (1, 1)


def test_annotated_cds_one_per_stop():
    features = FeatureTable([Feature("c", 100, 400, 1, "CDS"), Feature("c", 130, 400, 1, "CDS"),
                             Feature("c", 500, 800, -1, "CDS"), Feature("c", 900, 990, 1, "tRNA")])
    assert sorted(gl.annotated_cds(features)) == [("c", 100, 400, 1), ("c", 500, 800, -1)]


def test_gene_level_table_puts_prodigal_beside_the_calls():
    from genoview.core import genecalls as gc
    from genoview.core.genome import Genome
    from tests.core.test_genecalls import _synthetic_genome

    codes, planted = _synthetic_genome(seed=6, genes=60)

    class Record:   # the few SequenceRecord methods gene_level_table reads
        id, length = "chr", len(codes)

        def fetch(self, start, end):
            return np.frombuffer(b"ACGTN", dtype=np.uint8)[codes[start:end]]

    features = FeatureTable([Feature("chr", a, b, s, "CDS") for a, b, s in planted])
    genome = Genome(None, {"chr": Record()}, features)
    calls, _ = gc.call_genes({"chr": codes}, genetic_code=11)
    rows = gl.gene_level_table(genome, {"GenoView": gl.genes_of_calls(calls)})
    assert set(rows) == {"GenoView", "prodigal"}
    assert rows["GenoView"]["stop_sensitivity"] >= 0.9 and rows["prodigal"]["annotated"] == len(planted)
    assert "stop sens" in gl.format_gene_level(rows)


def test_prodigal_genes_with_mask_call_nothing_in_a_run_of_n():
    from genoview.core.gene_level import prodigal_genes

    assert prodigal_genes({"a": np.full(2000, 4, np.uint8)}, mask=True) == []
    assert prodigal_genes({"a": np.full(2000, 4, np.uint8)})   # prodigal's default calls through N
