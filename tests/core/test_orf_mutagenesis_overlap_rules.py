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


def test_chunks_give_the_whole_sequences_calls_under_overlap_rules(ecoli_fasta, tmp_path, monkeypatch):
    """A large genome called chunk by chunk (geneorf/chunked.py) under a folder's overlap rules gets the calls and
    track of calling it whole with the same statistics (the rules reach both)."""
    from genoview.core import genecalls as gc
    from genoview.core.genome import open_genome
    from genoview.core.models.geneorf import chunked, load_track_model
    from genoview.paths import SHIPPED_MODELS_DIR

    with open_genome(ecoli_fasta) as genome:
        text = next(iter(genome.sequences.values())).text(450_000, 650_000)
    path = tmp_path / "slice.fa"
    path.write_text(">slice\n" + "\n".join(text[i:i + 80] for i in range(0, len(text), 80)) + "\n")
    model = load_track_model(SHIPPED_MODELS_DIR / "geneorf-bacteria")
    model.model.config.overlap_rules = RULES
    assert gc.self_training_of(model.model.config)["max_overlap"] == gc.OverlapRules(**RULES)
    with open_genome(path) as genome:
        record = next(iter(genome.sequences.values()))
        sequences = {record.id: encode(record.fetch(0, record.length))}
        stats = chunked.train_statistics(model, sequences)
        whole_calls, _, whole_track = model.call_genome(sequences, stats=stats)
        monkeypatch.setattr(chunked, "CHUNK", 60_000)
        monkeypatch.setattr(chunked, "OVERLAP", 20_000)
        calls, out = [], np.full(record.length, np.nan, dtype=np.float32)
        for _, chunk in chunked.iter_chunks(model, record, 0, record.length, stats, calls_out=calls):
            for lo, hi, values in chunk:
                out[lo:hi] = values
    key = lambda cs: [(c.start, c.end, c.strand, c.kind, c.start_codon, round(c.score, 5))  # noqa: E731
                      for c in sorted(cs, key=lambda c: (c.start, c.end))]
    assert key(calls) == key(whole_calls)
    np.testing.assert_allclose(out, whole_track[record.id], atol=1e-6)


def test_mutagenesis_under_wide_rules_at_the_sequence_edges(geneorf, codes, monkeypatch):
    """Allowances above the shortest gene (240 / 240 / 150 b) make _decode_rules check predecessors one by one (the
    reads between 'safe' and 'full', never taken under 90 / 90 / 0 with 90-b genes), and windows at both ends of
    the sequence re-decode its partial genes: still a full re-run's track (12 kb, 45 variants)."""
    from genoview.core import genecalls as gc
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    checked = []
    best = gc.rules_best

    def counting(lj, reads, *rest):
        checked.append(reads[0] < reads[1] or reads[2] < reads[3])
        return best(lj, reads, *rest)

    monkeypatch.setattr(gc, "rules_best", counting)
    piece = codes[:12_000]
    config = geneorf.model.config
    saved = getattr(config, "overlap_rules", None)
    try:
        config.overlap_rules = {"same": 240, "convergent": 240, "divergent": 150}
        reference = OrfMutagenesis(geneorf, {"g": piece}, "g")
        n = len(piece)
        for k, (w0, w1) in enumerate(((0, 90), (n - 90, n), (n // 2 - 45, n // 2 + 45))):
            _check_window(reference, geneorf, piece, w0, w1, 5, k)
    finally:
        config.overlap_rules = saved
    assert sum(checked) > 0
