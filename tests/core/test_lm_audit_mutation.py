"""Audit of real-vs-mutated: seeded copies replayed by hand (edit counts and kinds as documented), a generator that
cannot apply its edit types says so instead of drawing forever, verdict accuracy recomputed from per-token scores
(ties count as wrong), and saturation-mutagenesis cells equal to single variants scored one by one."""
from __future__ import annotations

import collections
import json
import math

import numpy as np
import pytest

from genoview.cli import main as cli_main
from genoview.core.errors import GenoViewInputError
from genoview.core.lm_data import Gene
from genoview.core.lm_scoring import score_pairs
from genoview.core.mutation import ALL_EDIT_TYPES, Pair, make_pairs, read_pairs, write_pairs
from genoview.core.models.ngram import build_model
from genoview.core.variant_effects import ALTERNATIVES, saturation_lm

RNG = np.random.default_rng(11)
GENES = [Gene(f"g{i}", "".join("ACGT"[j] for j in RNG.integers(0, 4, RNG.integers(15, 60)))) for i in range(25)]
KN = build_model([g.sequence for g in GENES], contexts=[0, 1, 2, 3, 4])


def _replay(real: str, edits) -> str:
    """The edits applied one after another by string slicing (positions in the current sequence)."""
    seq = real
    for e in edits:
        assert seq[e.position:e.position + len(e.ref)] == e.ref
        seq = seq[:e.position] + e.alt + seq[e.position + len(e.ref):]
    return seq


@pytest.mark.parametrize("types", [None, ALL_EDIT_TYPES])
def test_seeded_pairs_replay_and_have_the_documented_edit_counts_and_kinds(types):
    kw = {} if types is None else {"types": types}
    pairs = make_pairs(GENES, 1500, 5, seed=4, **kw)
    again = make_pairs(GENES, 1500, 5, seed=4, **kw)
    assert [(p.gene_id, p.mutated, [e.describe() for e in p.edits]) for p in pairs] == \
           [(p.gene_id, p.mutated, [e.describe() for e in p.edits]) for p in again]
    assert [p.mutated for p in make_pairs(GENES, 1500, 5, seed=5, **kw)] != [p.mutated for p in pairs]
    ks, kinds = collections.Counter(), collections.Counter()
    by_id = {g.id: g.sequence for g in GENES}
    for p in pairs:
        assert p.real == by_id[p.gene_id] and _replay(p.real, p.edits) == p.mutated
        ks[len(p.edits)] += 1
        for e in p.edits:
            kinds[e.kind] += 1
            assert (e.kind, len(e.ref), len(e.alt)) in {("insertion", 0, 1), ("deletion", 1, 0),
                                                         ("substitution", 1, 1), ("swap", 2, 2)}
            assert e.ref != e.alt
    assert sorted(ks) == [1, 2, 3, 4, 5] and min(ks.values()) > 0.8 * 1500 / 5      # k ~ U{1..K}
    allowed = types or ("insertion", "deletion", "substitution")
    assert set(kinds) == set(allowed)
    assert min(kinds.values()) > 0.85 * sum(kinds.values()) / len(allowed)          # each kind equally likely


def test_edit_types_that_cannot_apply_are_an_input_error_not_an_endless_draw():
    # deletions only, 10 of them, on a 5-base gene: the 5th deletion had no base pair left (the draw never ended)
    with pytest.raises(GenoViewInputError, match=r"gene g1 \(5 bases\), \d+ edits drawn: .*as it stands, 1 base.*"
                                                  r"deletion needs 2 bases.*--max-changes"):
        make_pairs([Gene("g1", "ACGTA")], n=1, max_changes=10, seed=1, types=("deletion",))
    with pytest.raises(GenoViewInputError, match="swap"):
        make_pairs([Gene("g2", "AAAAAAA")], n=1, max_changes=1, seed=1, types=("swap",))
    assert len(make_pairs([Gene("g3", "ACGTA")], n=20, max_changes=3, seed=1, types=("deletion",))) == 20


def test_verdict_accuracy_is_recomputed_from_token_scores_and_ties_count_as_wrong(tmp_path):
    pairs = make_pairs(GENES, 60, 3, seed=2)
    pairs.append(Pair("tie", GENES[0].sequence, GENES[0].sequence))      # edits that undo each other: a tie
    scores = score_pairs(KN, pairs)
    right_ppl, right_prob = [], []
    for p in pairs:
        real, mut = KN.token_logprobs([p.real])[0], KN.token_logprobs([p.mutated])[0]
        assert len(real) == len(p.real) + 1 and len(mut) == len(p.mutated) + 1        # bases and the end
        ppl_real, ppl_mut = math.exp(-real.sum() / len(real)), math.exp(-mut.sum() / len(mut))
        right_ppl.append(ppl_real < ppl_mut)
        right_prob.append(bool(real.sum() > mut.sum()))
    assert right_ppl[-1] is False and right_prob[-1] is False
    assert scores.accuracy("perplexity") == pytest.approx(np.mean(right_ppl))
    assert scores.accuracy("probability") == pytest.approx(np.mean(right_prob))
    # the command line gives the same figure from a pair file
    path = tmp_path / "pairs.csv"
    write_pairs(path, pairs)
    assert [(p.real, p.mutated) for p in read_pairs(path)] == [(p.real, p.mutated) for p in pairs]
    model_dir = tmp_path / "kn"
    from genoview.core.models.ngram import save

    KN.train_tokens = None
    save(KN, model_dir)
    (model_dir / "genoview.json").write_text(json.dumps({"schema_version": 1, "name": "kn", "task": "language-model",
                                                         "architecture": "ngram-lm"}))
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli_main(["score-pairs", "--model", str(model_dir), "--pairs", str(path), "--json"]) == 0
    result = json.loads(buffer.getvalue())
    assert result["accuracy_perplexity"] == round(float(np.mean(right_ppl)), 4)
    assert result["accuracy_probability"] == round(float(np.mean(right_prob)), 4)


@pytest.mark.parametrize("fast", [True, False])
def test_saturation_cells_are_single_variant_effects_with_three_alternatives_and_a_blank_reference(fast):
    sequence = GENES[3].sequence[:30]
    result = saturation_lm(KN, sequence, 4, 20, deletions=True, fast=fast)
    ref_total = KN.token_logprobs([sequence])[0].sum()
    assert result.effects.shape == (16, len(ALTERNATIVES))
    for i in range(16):
        p = 4 + i
        row = result.effects[i]
        assert np.isnan(row["ACGT".index(sequence[p])])                    # the reference cell: blank
        assert np.isfinite(row[:4]).sum() == 3                            # exactly the three other bases
        for j, alt in enumerate(ALTERNATIVES):
            if alt == sequence[p]:
                continue
            variant = sequence[:p] + ("" if alt == "del" else alt) + sequence[p + 1:]
            # effect = log P(variant) - log P(reference), whole sequence, natural log: negative = less likely
            assert row[j] == pytest.approx(KN.token_logprobs([variant])[0].sum() - ref_total, abs=1e-9)
    assert np.isnan(saturation_lm(KN, sequence, 4, 6, fast=fast).effects[:, 4]).all()   # no deletions unless asked
