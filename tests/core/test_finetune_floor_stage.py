"""GeneORF fine-tune recipe "select", session 15's options: floor=parent (the chosen candidate must also lead the
parent on each half of the training part, else the parent is kept) and stage_refit (the call filter refitted on the
training part's calls, kept only when it leads the unchanged filter cross-fitted). Pure functions plus tiny
synthetic runs, seconds."""
from __future__ import annotations

import json

import numpy as np

from genoview.core.evaluation import Confusion
from genoview.core.models.geneorf.precision import filter_probability
from genoview.core.training.geneorf import parent_floor, refit_call_filter
from tests.conftest import fine_tune_geneorf


def _blocks(tp, tn, fp, fn, n=4):
    return [Confusion(tp, tn, fp, fn) for _ in range(n)]


def test_parent_floor_keeps_the_choice_only_when_it_leads_the_parent_on_both_halves():
    parent = _blocks(800, 900, 100, 100)
    both = _blocks(810, 900, 100, 90)
    one = [Confusion(900, 900, 0, 0)] * 2 + parent[2:]   # leads on the first half only
    scores = {"parent": {0.0: 0.80}, "soup_greedy": {0.0: 0.83}}
    counts = {"parent": {0.0: parent}, "soup_greedy": {0.0: both}}
    name, delta, mcc, lead = parent_floor(("soup_greedy", 0.0, 0.83), scores, counts, 2)
    assert (name, delta, mcc) == ("soup_greedy", 0.0, 0.83) and lead > 0
    counts["soup_greedy"][0.0] = one
    assert parent_floor(("soup_greedy", 0.0, 0.83), scores, counts, 2) == ("parent", 0.0, 0.80, 0.0)
    # the parent chosen, or not scored: nothing compared
    assert parent_floor(("parent", 0.0, 0.80), scores, counts, 2) == ("parent", 0.0, 0.80, None)
    assert parent_floor(("soup_greedy", 0.0, 0.83), scores, {"soup_greedy": counts["soup_greedy"]}, 2)[3] is None


def _spec(rng):
    return {"mean": [0.0] * 19, "scale": [1.0] * 19, "w1": rng.normal(0, 0.3, (19, 16)).tolist(),
            "b1": [0.1] * 16, "w2": rng.normal(0, 0.3, 16).tolist(), "b2": 0.0, "cut": 0.4, "track": True}


def test_refit_call_filter_learns_the_labels_and_a_large_penalty_keeps_the_parents_weights():
    rng = np.random.default_rng(1)
    spec = _spec(rng)
    x = rng.normal(size=(400, 19))
    y = (x[:, 0] > 0).astype(float)   # the genome's calls: true when the first feature is positive
    before = filter_probability(spec, x)
    free = refit_call_filter(spec, x, y, penalty=0.01)
    after = filter_probability(free, x)
    assert ((after > 0.5) == (y > 0)).mean() > 0.9 > ((before > 0.5) == (y > 0)).mean()
    assert free["cut"] == 0.4 and free["track"] is True and free["mean"] == spec["mean"]
    held = refit_call_filter(spec, x, y, penalty=100.0)
    assert np.abs(np.asarray(held["w1"]) - np.asarray(spec["w1"])).max() < 0.01
    assert refit_call_filter(spec, x, y, penalty=0.01) == free   # deterministic
    assert refit_call_filter(spec, x[:0], y[:0], penalty=0.01)["w2"] == spec["w2"]   # no calls: unchanged


def test_floor_and_stage_refit_are_recorded_in_the_run(geneorf_parent, tmp_path):
    parent_dir, fasta, gff = geneorf_parent


    # the tiny parent has no call filter: give it one so stage_refit has something to refit
    config = json.loads((parent_dir / "config.json").read_text())
    config["call_filter"] = _spec(np.random.default_rng(2))
    (parent_dir / "config.json").write_text(json.dumps(config))
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "floor", candidates="parent,adapt,last_start",
                                anchor="adapt", floor="parent", stage_refit=True)
    tuning = info["fine_tuning"]
    assert tuning["floor"] == "parent"
    if tuning["chosen"] != "parent" or tuning["floor_lead"] is not None:
        assert (tuning["chosen"] == "parent") == (not tuning["floor_lead"] > 0)
    stage = tuning["stage_refit"]
    assert stage["calls"] > 0 and stage["needed"] == 0.002
    assert stage["kept"] == (stage["lead"] >= 0.002 and stage["half_lead"] > 0)
    saved = json.loads((tmp_path / "floor" / "config.json").read_text())["call_filter"]
    assert (saved["w2"] != config["call_filter"]["w2"]) == stage["kept"]


def test_the_card_says_what_the_floor_and_the_call_filter_refit_did():
    from genoview.core.training.runner import _choice_lines

    tuning = {"chosen": "parent", "offset_delta": 0.0, "gene_offset": 1.25, "cross_fitted_mcc": 0.84,
              "candidates": {"parent": {"+0": 0.84}, "soup_greedy": {"+0": 0.845}}, "why": "The anchor ...",
              "floor_lead": -0.0012,
              "stage_refit": {"kept": False, "calls": 512, "true_calls": 480, "cross_fitted_mcc": 0.8401,
                              "unchanged_mcc": 0.84, "lead": 0.0001, "half_lead": -0.0003, "needed": 0.002}}
    text = "\n".join(_choice_lines(tuning))
    assert "over the parent -0.0012 (not above 0: the parent was kept)." in text
    assert "Call filter refitted on 512 calls" in text and "the parent's kept (needs a lead of 0.002" in text


def test_the_first_message_names_the_floor_and_the_call_filter_refit_only_when_asked():
    from genoview.core.training.runner import _geneorf_plan
    from genoview.core.training.spec import TrainingSpec

    def plan(**options):
        return _geneorf_plan(TrainingSpec(architecture="geneorf", init_from="geneorf-bacteria", model_options=options))

    assert "floor" not in plan() and "stage_refit" not in plan()
    assert "(floor parent)" in plan(floor="parent") and "(stage_refit)" in plan(stage_refit=True)
