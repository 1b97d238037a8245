"""GeneORF fine-tune recipe "select", the default rule: the anchor (session 11-12 adapt_last, adapt then the gene
scorer's last layer refitted on the training part; since session 13 soup_greedy, a greedy soup of the adapted
candidates) is replaced only by a candidate that beats it by the margin 0.004 and leads it on both halves; an anchor
that was not scored falls back to adapt, then to the parent."""
from __future__ import annotations

import pytest

from genoview.core.training.geneorf import choose_candidate
from genoview.core.training.options import with_defaults


def test_the_default_anchor_is_the_greedy_soup_with_a_margin_of_0_004():
    options = with_defaults("geneorf", {})
    assert options["anchor"] == "soup_greedy" and options["margin"] == 0.004 and options["lead_check"] == "halves"
    assert "soup_greedy" in options["candidates"].split(",") and options["adapt_seeds"] == 4


def test_a_lead_under_the_margin_keeps_the_anchor_even_on_both_halves():
    scores = {"parent": {0.0: 0.80}, "adapt_last": {0.0: 0.82}, "last": {0.0: 0.8235}}
    both_halves = lambda name, delta: 0.001
    assert choose_candidate(scores, ("adapt_last", 0.0), 0.004, both_halves)[0] == "adapt_last"
    scores["last"][0.0] = 0.8245
    assert choose_candidate(scores, ("adapt_last", 0.0), 0.004, both_halves)[0] == "last"
    assert choose_candidate(scores, ("adapt_last", 0.0), 0.004, lambda name, delta: -0.001)[0] == "adapt_last"


@pytest.fixture
def parent(geneorf_parent):
    return geneorf_parent


@pytest.mark.parametrize("candidates, anchor", [("parent,adapt,last", "adapt +0"), ("parent,last", "parent +0")])
def test_an_anchor_left_out_of_the_candidates_falls_back_to_adapt_then_the_parent(parent, tmp_path, candidates,
                                                                                   anchor):
    from tests.conftest import fine_tune_geneorf

    parent_dir, fasta, gff = parent
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates=candidates)
    assert info["fine_tuning"]["anchor"] == anchor


@pytest.mark.parametrize("candidates, said", [("parent,adapt,last", "adapt"), ("parent,last", "parent"),
                                               ("parent,adapt_last", "parent"), ("parent,adapt,soup_greedy", "soup_greedy")])
def test_the_run_says_the_anchor_it_will_keep_when_the_default_one_is_not_a_candidate(candidates, said):
    # the run's first message named the default anchor for candidates without it, then kept adapt (or the parent)
    from genoview.core.training.geneorf import planned_anchor
    from genoview.core.training.runner import _geneorf_plan
    from genoview.core.training.spec import TrainingSpec

    options = {"candidates": candidates}
    assert planned_anchor(with_defaults("geneorf", options)) == said
    plan = _geneorf_plan(TrainingSpec(architecture="geneorf", init_from="geneorf-bacteria", model_options=options))
    assert f"keeps the anchor {said} unless" in plan
