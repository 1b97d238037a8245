"""Strand-aware overlap rules (config ``overlap_rules``, genecalls.OverlapRules) reach GeneORF's gene calls, and
saturation mutagenesis' local re-decoding under them (OrfMutagenesis._decode_rules) still equals a full re-run."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.genome import encode
from tests.core.test_variant_effects_orf import _full_rerun

RULES = {"same": 90, "convergent": 90, "divergent": 0}


@pytest.fixture(scope="module")
def geneorf():
    from genoview.core.models import load_model

    return load_model("geneorf-bacteria", device="cpu")


@pytest.fixture(scope="module")
def codes(ecoli_fasta):
    from genoview.core.genome import open_genome

    with open_genome(ecoli_fasta) as genome:
        record = next(iter(genome.sequences.values()))
        return encode(record.fetch(450_000, 490_000))


def _check_window(reference, geneorf, codes, w0, w1, n_positions, seed):
    ref_track = reference.prepare_window(w0, w1)
    np.testing.assert_allclose(ref_track, _full_rerun(geneorf, codes, reference.stats, w0, w1), atol=1e-5)
    rng = np.random.default_rng(seed)
    variants = [(int(q), base) for q in rng.integers(w0, w1, n_positions) for base in range(4) if base != codes[q]]
    for (q, base), track in zip(variants, reference.variant_tracks(variants)):
        mutated = codes.copy()
        mutated[q] = base
        np.testing.assert_allclose(track, _full_rerun(geneorf, mutated, reference.stats, w0, w1), atol=1e-5,
                                   err_msg=f"{q} -> {'ACGT'[base]}")


def test_mutagenesis_under_overlap_rules_equals_a_full_rerun(geneorf, codes):
    from genoview.core import genecalls as gc
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    config = geneorf.model.config
    saved = getattr(config, "overlap_rules", None)
    try:
        genes = {}
        for rules in (None, RULES):
            config.overlap_rules = rules
            genes[bool(rules)] = {(c.start, c.end, c.strand) for c in geneorf.call_genome({"g": codes})[0]
                                  if c.kind == "CDS"}
        assert genes[True] != genes[False]           # the rules reach the decoding
        config.overlap_rules = RULES
        reference = OrfMutagenesis(geneorf, {"g": codes}, "g")
        assert reference.rules == gc.OverlapRules(90, 90, 0)
        # head to head: in the calls without rules, a reverse gene then a forward one sharing bases
        calls = sorted(genes[False])
        heads = [(b[0], a[1]) for a, b in zip(calls, calls[1:]) if a[2] < 0 < b[2] and b[0] < a[1]]
        changed = sorted(genes[True] ^ genes[False])
        spots = ([heads[0][0]] if heads else []) + [changed[0][0], changed[-1][1]]
        for k, x in enumerate(spots):
            w0, w1 = max(x - 60, 0), min(x + 60, len(codes))
            _check_window(reference, geneorf, codes, w0, w1, 4, k)
    finally:
        config.overlap_rules = saved
