"""GeneORF's decoding overlap comes from the model's config (``max_overlap``, None = genecalls.MAX_OVERLAP):
gene calls, self-training and saturation mutagenesis read the same number, so the local re-scoring still
equals a full re-run when a folder sets it."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.genome import encode
from tests.core.test_variant_effects_orf import _full_rerun


@pytest.fixture(scope="module")
def geneorf():
    from genoview.core.models import load_model

    return load_model("geneorf-bacteria", device="cpu")


def test_max_overlap_of_defaults_to_the_module_constant():
    from types import SimpleNamespace

    from genoview.core import genecalls as gc

    assert gc.max_overlap_of(SimpleNamespace()) == gc.MAX_OVERLAP
    assert gc.max_overlap_of(SimpleNamespace(max_overlap=None)) == gc.MAX_OVERLAP
    assert gc.max_overlap_of(SimpleNamespace(max_overlap=90)) == 90


def test_the_loaded_model_reads_max_overlap_from_its_folder(geneorf):
    import json

    raw = json.loads((geneorf.path / "config.json").read_text())
    assert getattr(geneorf.model.config, "max_overlap", "absent") == raw.get("max_overlap")


def test_mutagenesis_follows_the_configured_overlap_exactly(geneorf, ecoli_fasta):
    from genoview.core.genome import open_genome
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    with open_genome(ecoli_fasta) as genome:
        record = next(iter(genome.sequences.values()))
        codes = encode(record.fetch(1_000_000, 1_040_000))
    config = geneorf.model.config
    saved = getattr(config, "max_overlap", None)
    try:
        genes = {}
        for overlap in (30, 150):
            config.max_overlap = overlap
            genes[overlap] = {(c.start, c.end, c.strand) for c in geneorf.call_genome({"g": codes})[0]
                              if c.kind == "CDS"}
        assert genes[30] != genes[150]          # the setting reaches the decoding
        # a window over a call that only the wide overlap keeps: substitutions there test the DP's overlap
        a, b, _ = sorted(genes[150] - genes[30])[0]
        config.max_overlap = 150
        reference = OrfMutagenesis(geneorf, {"g": codes}, "g")
        assert reference.max_overlap == 150
        w0, w1 = max(a - 40, 0), min(a + 80, len(codes))
        ref_track = reference.prepare_window(w0, w1)
        np.testing.assert_allclose(ref_track, _full_rerun(geneorf, codes, reference.stats, w0, w1), atol=1e-5)
        rng = np.random.default_rng(0)
        variants = [(int(q), base) for q in rng.integers(w0, w1, 5) for base in range(4) if base != codes[q]]
        for (q, base), track in zip(variants, reference.variant_tracks(variants)):
            mutated = codes.copy()
            mutated[q] = base
            np.testing.assert_allclose(track, _full_rerun(geneorf, mutated, reference.stats, w0, w1), atol=1e-5,
                                       err_msg=f"{q} -> {'ACGT'[base]}")
    finally:
        config.max_overlap = saved
