"""Random edits are said on the real sequence (H-walk19 under Xvfb: Real vs mutated on the example genome's
EX_0004, seed 3, said 'edits: 109_110insA, 491_492insT, 25delA, 203_204insC, 295delC'; the generator applies each
edit to the sequence the ones before made, so 295delC deleted base 294 of the gene, and the status line's edits,
which the README says can be typed back into Typed edits, made another copy or were refused)."""
from __future__ import annotations

import numpy as np

from genoview.core.mutation import (
    ALL_EDIT_TYPES, EDIT_TYPES, Edit, apply_edits, mutate_randomly, parse_edits,
)


def _typed_back(pair) -> str:
    text = ", ".join(e.describe() for e in pair.edits_on_real())
    return apply_edits(pair.real, parse_edits(text, pair.real), sequential=False).mutated if text else pair.real


def test_a_deletion_after_an_insertion_further_left_is_said_where_it_is_in_the_real_sequence():
    real = "ACGTACGTAC"
    pair = apply_edits(real, [Edit(1, "", "T"), Edit(5, "A", "")], sequential=True)   # 1_2insT, then 6delA
    assert [e.describe() for e in pair.edits] == ["1_2insT", "6delA"]          # as generated: base 6 of the copy
    assert [e.describe() for e in pair.edits_on_real()] == ["1_2insT", "5delA"]   # base 5 of the real sequence
    assert _typed_back(pair) == pair.mutated


def test_edits_that_undo_each_other_are_no_edit():
    pair = apply_edits("ACGT", [Edit(2, "G", "A"), Edit(2, "A", "G")], sequential=True)
    assert pair.mutated == "ACGT" and pair.edits_on_real() == []


def test_typed_edits_are_said_as_typed_in_their_order():
    real = "ACGTACGTAC"
    pair = apply_edits(real, parse_edits("9A>G, 2del, 4_5insT", real), sequential=False)
    assert [e.describe() for e in pair.edits_on_real()] == ["2delC", "4_5insT", "9A>G"]


def test_every_random_copy_is_typed_back_as_made():
    rng0 = np.random.default_rng(0)
    for trial in range(1500):
        real = "".join(rng0.choice(list("ACGT"), int(rng0.integers(2, 50))))
        rng = np.random.default_rng(trial)
        pair = mutate_randomly(real, int(rng.integers(1, 10)), rng, ALL_EDIT_TYPES if trial % 2 else EDIT_TYPES)
        assert _typed_back(pair) == pair.mutated, (real, [e.describe() for e in pair.edits_on_real()])
