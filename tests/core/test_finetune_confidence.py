"""GeneORF fine-tune recipe "select": a challenger replaces the anchor (by default adapt, the parent adapted to the
genome without its annotation) only when it leads it on each half of the training part (option lead_check 'halves';
'bootstrap': the lower confidence bound of its MCC lead, a paired bootstrap over contiguous blocks, above 0).
Pure functions plus tiny synthetic runs, seconds."""
from __future__ import annotations

import pytest

from genoview.core.evaluation import Confusion
from genoview.core.genome import Region
from genoview.core.training.geneorf import blocks_of, choose_candidate, halves_lead, lead_lower_bound
from tests.conftest import fine_tune_geneorf


def test_blocks_of_cuts_the_regions_into_contiguous_blocks_of_equal_length_across_sequences():
    regions = [Region("a", 10, 70), Region("b", 0, 40)]   # 100 bases: 4 blocks of 25
    blocks = blocks_of(regions, 4)
    assert blocks == [[Region("a", 10, 35)], [Region("a", 35, 60)], [Region("a", 60, 70), Region("b", 0, 15)],
                      [Region("b", 15, 40)]]
    assert blocks_of([Region("a", 0, 3)], 8) == [[Region("a", 0, 1)], [Region("a", 1, 2)], [Region("a", 2, 3)]]


def _blocks(tp, tn, fp, fn, n=16):
    return [Confusion(tp, tn, fp, fn) for _ in range(n)]


def test_a_lead_on_every_block_has_a_positive_lower_bound_a_lead_from_one_block_has_not():
    anchor = _blocks(800, 900, 100, 100)
    steady = _blocks(810, 900, 100, 90)
    assert lead_lower_bound(steady, anchor, 0.95, seed=1) > 0
    lucky = list(anchor)
    lucky[3] = Confusion(900, 900, 0, 0)   # the whole lead made on one block of sixteen
    bound = lead_lower_bound(lucky, anchor, 0.95, seed=1)
    assert bound <= 0 and bound == lead_lower_bound(lucky, anchor, 0.95, seed=1)   # deterministic for a seed
    assert lead_lower_bound(lucky, anchor, 0.0, seed=1) > 0   # level 0: the largest resampled lead
    with pytest.raises(ValueError):
        lead_lower_bound(steady[:3], anchor, 0.95, seed=1)


def test_halves_lead_is_the_smaller_lead_of_the_two_halves():
    anchor = _blocks(800, 900, 100, 100, n=4)
    both = [Confusion(810, 900, 100, 90)] * 4
    one = [Confusion(900, 900, 0, 0)] * 2 + anchor[2:]   # leads on the first half only
    assert halves_lead(both, anchor, 2) > 0
    assert halves_lead(one, anchor, 2) == 0.0 and halves_lead(anchor, one, 2) < 0


def test_choose_candidate_keeps_the_anchor_when_the_best_leads_without_confidence():
    scores = {"parent": {0.0: 0.80}, "adapt": {0.0: 0.81}, "last": {0.0: 0.83}}
    assert choose_candidate(scores, ("adapt", 0.0), 0.0, lambda name, delta: -0.001) == ("adapt", 0.0, 0.81)
    assert choose_candidate(scores, ("adapt", 0.0), 0.0, lambda name, delta: 0.004) == ("last", 0.0, 0.83)
    assert choose_candidate(scores, ("adapt", 0.0), 0.0) == ("last", 0.0, 0.83)   # no bound: the best MCC
    asked = []
    best = {"parent": {0.0: 0.80}, "adapt": {0.0: 0.85}, "last": {0.0: 0.83}}
    assert choose_candidate(best, ("adapt", 0.0), 0.0, lambda *a: asked.append(a) or 1.0) == ("adapt", 0.0, 0.85)
    assert asked == []   # the anchor is the best: no bound needed


def test_the_run_records_the_check_and_lead_check_none_takes_the_best_mcc(geneorf_parent, tmp_path):
    parent_dir, fasta, gff = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "plain", candidates="parent,adapt,last",
                                lead_check="none")
    tuning = info["fine_tuning"]
    best = max(max(v.values()) for v in tuning["candidates"].values())
    assert tuning["lead_check"] == "none" and tuning["lead_lower_bound"] is None
    assert tuning["cross_fitted_mcc"] == best and "half" not in tuning["why"].split(";")[0]
    # last_start leads adapt on engine_tiny (0.82 against 0.65): the bound is computed and recorded
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "sure", candidates="parent,adapt,last_start",
                                lead_check="bootstrap", confidence=0.999, blocks=2)
    tuning = info["fine_tuning"]
    assert tuning["anchor"] == "adapt +0" and tuning["blocks"] == 2 and "4 contiguous blocks" in tuning["why"]
    assert tuning["best_by_mcc"] == "last_start +0"   # (it was "parent,adapt,last": adapt best, nothing checked)
    if tuning["best_by_mcc"] != "adapt +0":
        assert isinstance(tuning["lead_lower_bound"], float)
        assert (tuning["chosen"] == "adapt") == (not tuning["lead_lower_bound"] > 0)
        card = (tmp_path / "sure" / "README.md").read_text()
        assert f"Best cross-fitted MCC: {tuning['best_by_mcc']}" in card and "lower bound of its lead" in card


def test_the_model_card_says_how_sure_the_best_lead_was():
    from genoview.core.training.runner import _choice_lines

    tuning = {"chosen": "adapt", "offset_delta": 0.0, "gene_offset": 1.25, "cross_fitted_mcc": 0.84,
              "candidates": {"adapt": {"+0": 0.84}, "last": {"+0": 0.8413}}, "why": "The anchor ...",
              "anchor": "adapt +0", "confidence": 0.95, "best_by_mcc": "last +0", "lead_lower_bound": -0.0005}
    text = "\n".join(_choice_lines(tuning))
    assert "Best cross-fitted MCC: last +0; the smaller lead of the two halves over the anchor (adapt +0): -0.0005" \
           " (not above 0: the anchor was kept)." in text
    text = "\n".join(_choice_lines({**tuning, "lead_check": "bootstrap"}))
    assert "the 0.95 lower bound of its lead over the anchor (adapt +0): -0.0005" in text
    assert "lower bound" not in "\n".join(_choice_lines({**tuning, "lead_lower_bound": None}))


def test_the_card_says_what_became_of_the_best_from_what_was_chosen_not_from_the_sign_alone():
    from genoview.core.training.runner import _choice_lines

    tuning = {"chosen": "last", "offset_delta": 0.0, "gene_offset": 1.25, "cross_fitted_mcc": 0.8413,
              "candidates": {"adapt": {"+0": 0.84}, "last": {"+0": 0.8413}}, "why": "The anchor ...",
              "anchor": "adapt +0", "lead_check": "halves", "best_by_mcc": "last +0", "lead_lower_bound": 0.0004}
    assert "+0.0004 (above 0: it replaced the anchor)." in "\n".join(_choice_lines(tuning))
    # a lead on both halves that misses the margin keeps the anchor: the card must not say it replaced it
    kept = "\n".join(_choice_lines({**tuning, "chosen": "adapt", "cross_fitted_mcc": 0.84, "margin": 0.002}))
    assert "replaced" not in kept and "under the margin 0.002: the anchor was kept" in kept
    # the best's final fit out of time: the parent is kept, neither the best nor the anchor
    late = "\n".join(_choice_lines({**tuning, "chosen": "parent", "stopped_because": "time limit"}))
    assert "replaced" not in late and "did not finish within --max-minutes: parent +0 was kept" in late


def test_the_first_message_of_a_geneorf_fine_tune_describes_its_recipe_and_options():
    from genoview.core.training.runner import _geneorf_plan
    from genoview.core.training.spec import TrainingSpec

    def plan(**options):
        return _geneorf_plan(TrainingSpec(architecture="geneorf", init_from="geneorf-bacteria", model_options=options))

    text = plan()
    assert "recipe select" in text and "parent,adapt,last" in text and "anchor soup_greedy" in text
    assert "on both halves (lead_check halves)" in text and "own_rna" in text
    assert "statistics counted on the annotated genes and a refit" not in text   # session 8's recipe
    assert "confidence 0.9 (lead_check bootstrap)" in plan(lead_check="bootstrap", confidence=0.9)
    assert "recipe continue" in plan(recipe="continue") and "own_rna false" in plan(recipe="refit", own_rna=False)
