"""A saturation heat map's CSV of a gene taken from the genome gives each row's genome position (forward strand) and
strand besides its position in the gene: "position 12" of a minus-strand gene had to be mapped back by hand to find
it in the genome or in a VCF. A pasted sequence keeps the six columns it had."""
from __future__ import annotations

import csv

import numpy as np

from genoview.core.variant_effects import ALTERNATIVES, SaturationResult


def _result(region=None) -> SaturationResult:
    sequence = "ATGAAACCC"
    effects = np.full((3, len(ALTERNATIVES)), np.nan)
    effects[:, 1] = [0.5, -1.0, 2.0]
    return SaturationResult(sequence, 2, 5, effects, "log-likelihood ratio", "kn-ecoli-genes", region=region)


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_plus_and_minus_strand_rows_give_genome_positions(tmp_path):
    plus = tmp_path / "plus.csv"
    _result(("NC_000907", 1029, 1038, 1)).write_csv(plus)   # the gene's 9 bases are 1,030-1,038 (1-based)
    rows = _rows(plus)
    assert rows[0] == ["position", "ref", "alt", "effect_alt_minus_ref", "measure", "model", "seqid", "genome_position", "strand"]
    assert [(r[0], r[7], r[8]) for r in rows[1:]] == [("3", "1032", "+"), ("4", "1033", "+"), ("5", "1034", "+")]
    minus = tmp_path / "minus.csv"
    _result(("NC_000907", 1029, 1038, -1)).write_csv(minus)   # read 5'->3' from 1,038 down
    assert [(r[0], r[7], r[8]) for r in _rows(minus)[1:]] == [("3", "1036", "-"), ("4", "1035", "-"),
                                                              ("5", "1034", "-")]


def test_a_pasted_sequence_keeps_its_columns(tmp_path):
    path = tmp_path / "pasted.csv"
    _result().write_csv(path)
    rows = _rows(path)
    assert rows[0] == ["position", "ref", "alt", "effect_alt_minus_ref", "measure", "model"] and len(rows) == 4
