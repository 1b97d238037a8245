"""Saturation mutagenesis and real-vs-mutated with GeneORF: the local re-scoring equals a full re-run of the
model with the genome's statistics fixed (genoview/core/orf_mutagenesis.py)."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.genome import encode

CODONS = [a + b + c for a in "ACGT" for b in "ACGT" for c in "ACGT" if a + b + c not in ("TAA", "TAG", "TGA")]


def _synthetic_genome(seed: int = 1, genes: int = 24) -> np.ndarray:
    """Random background with planted genes on both strands (a biased codon usage the ORF statistics learn)."""
    rng = np.random.default_rng(seed)
    usage = rng.dirichlet(np.full(len(CODONS), 0.4))
    parts = []
    for _ in range(genes):
        parts.append("".join(rng.choice(list("ACGT"), int(rng.integers(60, 400)))))
        body = "".join(rng.choice(CODONS, int(rng.integers(100, 300)), p=usage))
        gene = "AGGAGG" + "".join(rng.choice(list("ACGT"), 7)) + "ATG" + body + "TAA"
        if rng.random() < 0.4:
            gene = gene[::-1].translate(str.maketrans("ACGT", "TGCA"))
        parts.append(gene)
    text = "".join(parts)
    return encode(np.frombuffer(text.encode(), dtype=np.uint8))


@pytest.fixture(scope="module")
def geneorf():
    from genoview.core.models import load_model

    return load_model("geneorf-bacteria", device="cpu")


def _full_rerun(model, codes, stats, start, end):
    """The model's own track of a (mutated) genome with the statistics fixed: call_genome as an adapted model."""
    original = model.model.stored_statistics
    model.model.stored_statistics = lambda: stats
    try:
        return model.call_genome({"g": codes})[2]["g"][start:end]
    finally:
        model.model.stored_statistics = original


def _check_variants(model, codes, window, positions):
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    reference = OrfMutagenesis(model, {"g": codes}, "g")
    start, end = window
    ref_track = reference.prepare_window(start, end)
    assert np.allclose(ref_track, model.call_genome({"g": codes})[2]["g"][start:end], atol=1e-5)
    variants = [(int(p), b) for p in positions for b in range(4) if b != codes[p]]
    fast = reference.variant_tracks(variants)
    changed = 0
    for (p, b), track in zip(variants, fast):
        mutated = codes.copy()
        mutated[p] = b
        slow = _full_rerun(model, mutated, reference.stats, start, end)
        np.testing.assert_allclose(track, slow, atol=1e-5, err_msg=f"variant {p} -> {'ACGT'[b]}")
        changed += np.abs(track - ref_track).max() > 1e-3
    return changed


def test_local_rescoring_equals_a_full_rerun_on_a_synthetic_genome(geneorf):
    codes = _synthetic_genome()
    rng = np.random.default_rng(3)
    # a window across the edge of a called gene, where substitutions (start, stop, coding changes) matter
    track = geneorf.call_genome({"g": codes})[2]["g"]
    edges = np.flatnonzero(np.diff((track >= 0.5).astype(np.int8)))
    start = int(edges[np.searchsorted(edges, len(codes) // 2)]) - 75
    changed = _check_variants(geneorf, codes, (start, start + 150), rng.integers(start, start + 150, 12))
    assert changed > 0          # the check is not vacuous: some substitutions move the track
    # windows at both ends of the sequence (slices that reach the sequence edges)
    _check_variants(geneorf, codes, (0, 60), rng.integers(0, 60, 4))
    _check_variants(geneorf, codes, (len(codes) - 60, len(codes)), rng.integers(len(codes) - 60, len(codes), 4))


def test_local_rescoring_equals_a_full_rerun_on_ecoli(geneorf, ecoli_fasta):
    from genoview.core.genome import open_genome

    with open_genome(ecoli_fasta) as genome:
        record = next(iter(genome.sequences.values()))
        codes = encode(record.fetch(1_000_000, 1_040_000))
    rng = np.random.default_rng(0)
    assert _check_variants(geneorf, codes, (20_000, 20_200), rng.integers(20_000, 20_200, 12)) > 0


def test_saturation_grid_orientation_and_compare(geneorf):
    from genoview.core.lm_data import reverse_complement
    from genoview.core.mutation import apply_edits, parse_edits
    from genoview.core.variant_effects import GenomeContext, compare_gene_model, saturation_gene_model

    codes = _synthetic_genome(seed=2, genes=12)
    text = "".join("ACGTN"[c] for c in codes)
    a, b = len(text) // 2, len(text) // 2 + 40
    forward = saturation_gene_model(geneorf, text[a:b], genome=GenomeContext({"g": codes}, "g", a, b, 1),
                                    deletions=True)
    assert forward.effects.shape == (40, 5) and np.isnan(forward.effects[:, 4]).all() and "note" in forward.extra
    ref = ["ACGT".index(x) for x in text[a:b]]
    assert np.isnan(forward.effects[np.arange(40), ref]).all()
    assert np.isfinite(forward.effects[:, :4]).sum() == 40 * 3
    reverse = saturation_gene_model(geneorf, reverse_complement(text[a:b]),
                                    genome=GenomeContext({"g": codes}, "g", a, b, -1))
    np.testing.assert_allclose(reverse.effects[:, :4], forward.effects[::-1, 3::-1], atol=1e-12)
    # real vs mutated: real is the model's track; a substitution's mutated track is the local re-scoring's
    i = 17
    alt = "A" if text[a + i] != "A" else "C"
    pair = apply_edits(text[a:b], parse_edits(f"{i + 1}{text[a + i]}>{alt}", text[a:b]), sequential=False)
    comparison = compare_gene_model(geneorf, pair, genome=GenomeContext({"g": codes}, "g", a, b, 1))
    np.testing.assert_allclose(comparison.real, geneorf.call_genome({"g": codes})[2]["g"][a:b], atol=1e-5)
    change = comparison.mutated.astype(np.float64).mean() - comparison.real.astype(np.float64).mean()
    assert change == pytest.approx(forward.effects[i, "ACGT".index(alt)], abs=1e-6)
    deletion = apply_edits(text[a:b], parse_edits("5del", text[a:b]), sequential=False)
    comparison = compare_gene_model(geneorf, deletion, genome=GenomeContext({"g": codes}, "g", a, b, 1))
    assert comparison.real.shape == (40,) and comparison.mutated.shape == (39,)


def test_a_chromosome_sized_genome_is_read_around_the_place(monkeypatch):
    from genoview.core.models.geneorf import chunked
    from genoview.core.variant_effects import GenomeContext, bounded_genome

    monkeypatch.setattr(chunked, "WHOLE_GENOME_MAX", 1000)
    monkeypatch.setattr(chunked, "REGION_MARGIN", 100)
    monkeypatch.setattr(chunked, "REGION_TRAIN_MIN", 500)
    codes = np.zeros(5000, dtype=np.uint8)
    small = GenomeContext({"a": codes[:900]}, "a", 10, 20)
    assert bounded_genome(small) is small
    near = bounded_genome(GenomeContext({"a": codes}, "a", 2000, 2100, -1))
    assert len(near.sequences["a"]) == 500 and (near.start, near.end, near.strand) == (200, 300, -1)
