"""GeneORF fine-tune recipe "select" (the default): candidates (by default the parent, the parent adapted to the
genome without its annotation, and that with its gene/start scorers' last layers refitted; semi-supervised and
annotated statistics, last, refit, continue on request), each with a few gene
decision offsets, scored by two-fold cross-fitting on the genome's own training part; the best one is fitted on
the whole training part. Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

import json

import numpy as np
import pytest

from genoview.core.genome import Region
from genoview.core.training.geneorf import _halves, choose_candidate


def test_choose_candidate_takes_the_best_and_breaks_ties_towards_the_parent():
    scores = {"parent": {-0.5: 0.80, 0.0: 0.82, 0.5: 0.81}, "continue": {0.0: 0.85, 0.5: 0.86},
              "refit": {-0.5: 0.84}}
    assert choose_candidate(scores) == ("continue", 0.5, 0.86)
    tied = {"parent": {0.0: 0.9, 0.25: 0.9}, "continue": {0.0: 0.9}, "refit": {-0.25: 0.9}}
    assert choose_candidate(tied) == ("parent", 0.0, 0.9)
    shifted = {"parent": {-0.25: 0.7, 0.25: 0.7, 0.0: 0.6}}
    assert choose_candidate(shifted) == ("parent", -0.25, 0.7)   # equal change: the lower offset, deterministic


def test_halves_cut_each_training_region_at_its_middle():
    first, second = _halves([Region("a", 0, 101), Region("b", 10, 20)])
    assert first == [Region("a", 0, 50), Region("b", 10, 15)]
    assert second == [Region("a", 50, 101), Region("b", 15, 20)]





def test_select_is_the_default_records_its_choice_and_repeats_bit_for_bit(parent, tmp_path):
    from safetensors.numpy import load_file

    parent_dir, fasta, gff = parent
    result, info = _fine_tune(parent_dir, fasta, gff, tmp_path / "child")
    tuning = info["fine_tuning"]
    assert tuning["recipe"] == "select" and tuning["stopped_because"] == "finished"
    assert set(tuning["candidates"]) == {"parent", "adapt", "last", "last_start", "adapt_start", "adapt_last",
                                         "adapt_last_start", "soup_greedy"}
    for name in tuning["candidates"]:   # the gene decision offset is not moved by default (offset_range 0)
        assert list(tuning["candidates"][name]) == ["+0"]
    assert tuning["offset_delta"] == 0.0 and tuning["offset_range"] == 0.0
    # an offset left as it was is said as kept, not as "re-learned: gene decision offset: 1.25 -> 1.25"
    moved = tuning["gene_offset"] != tuning["parent_gene_offset"]
    assert any(item.startswith("gene decision offset:") for item in tuning["relearned"]) == moved
    assert any(item.startswith("the gene decision offset (") for item in tuning["kept"]) == (not moved)
    assert "A tie with the anchor keeps it" in tuning["why"]
    assert tuning["anchor"] == "soup_greedy +0" and tuning["margin"] == 0.004   # session 13's default (README)
    assert tuning["adapt_seeds"] == [1, 2, 3, 4]
    assert tuning["lead_check"] == "halves"
    chosen = tuning["candidates"][tuning["chosen"]][f"{tuning['offset_delta']:+g}"]
    best = max(max(v.values()) for v in tuning["candidates"].values())
    kept = tuning["candidates"]["soup_greedy"]["+0"]
    assert chosen == tuning["cross_fitted_mcc"]
    # the best MCC wins only when it beats the anchor (soup_greedy) by the margin and leads it on both halves
    if tuning["chosen"] == "soup_greedy":
        assert tuning["best_by_mcc"] == "soup_greedy +0" or best - kept < 0.004 or not tuning["lead_lower_bound"] > 0
    else:
        assert chosen == best and best - kept >= 0.004 and tuning["lead_lower_bound"] > 0
    assert len(tuning["folds"]) == 2 and tuning["why"] and "mcc" in result.extra["test"]
    history = json.loads((tmp_path / "child" / "history.json").read_text())
    assert len(history) == 8 and all("eval_mcc" in h and "candidate" in h for h in history)
    weights = load_file(str(tmp_path / "child" / "model.safetensors"))
    assert np.isclose(float(weights["gene.offset"][0]), tuning["gene_offset"])
    card = (tmp_path / "child" / "README.md").read_text()
    assert "## What the fine-tune chose" in card and f"Chosen: **{tuning['chosen']}**" in card and "| adapt_last |" in card
    _, again = _fine_tune(parent_dir, fasta, gff, tmp_path / "child2")
    assert again["fine_tuning"]["candidates"] == tuning["candidates"]
    twin = load_file(str(tmp_path / "child2" / "model.safetensors"))
    assert all(np.array_equal(weights[k], twin[k]) for k in weights)   # same seed, same weights


def test_select_with_only_the_parent_changes_nothing_but_the_gene_offset(parent, tmp_path):
    from safetensors.numpy import load_file

    parent_dir, fasta, gff = parent
    _, info = _fine_tune(parent_dir, fasta, gff, tmp_path / "child", candidates="parent", offset_step=0.5,
                         offset_range=0.5)
    tuning = info["fine_tuning"]
    assert tuning["chosen"] == "parent" and list(tuning["candidates"]) == ["parent"]
    before, after = load_file(str(parent_dir / "model.safetensors")), load_file(str(tmp_path / "child" / "model.safetensors"))
    assert all(np.array_equal(before[k], after[k]) for k in before if k != "gene.offset")
    assert np.isclose(after["gene.offset"][0], before["gene.offset"][0] + tuning["offset_delta"])
    with pytest.raises(Exception, match="unknown candidate"):
        _fine_tune(parent_dir, fasta, gff, tmp_path / "bad", candidates="parent,magic")


def test_select_leaves_refit_out_without_the_parents_genomes(parent, tmp_path):
    from tests.conftest import parent_without_its_genomes

    parent_dir, fasta, gff = parent
    moved = parent_without_its_genomes(parent_dir, tmp_path)
    _, child = _fine_tune(moved, fasta, gff, tmp_path / "child", offset_step=0.0, candidates="parent,continue,refit")
    tuning = child["fine_tuning"]
    assert set(tuning["candidates"]) == {"parent", "continue"} and "not found" in tuning["left_out"]["refit"]
    assert list(tuning["candidates"]["parent"]) == ["+0"]   # offset_step 0: the offsets are not moved


def test_annotated_statistics_count_the_annotated_genes_and_are_stored(parent, tmp_path):
    from genoview.core import genecalls as gc
    from genoview.core.genome import encode, open_genome
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.training.geneorf import annotated_statistics

    parent_dir, fasta, gff = parent
    genome = open_genome(fasta, gff)
    sequences = {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()}
    model = GeneORFModel.from_pretrained(str(parent_dir), local_files_only=True)
    scope = {sid: (0, len(c)) for sid, c in sequences.items()}
    counted = annotated_statistics(sequences, genome.features, scope, model.scorer())
    self_trained = gc.self_train(gc.enumerate_candidates(sequences, counted.genetic_code), counted.genetic_code,
                                 model.scorer())
    assert counted.gc == self_trained.gc and not np.allclose(counted.coding, self_trained.coding)
    nothing = annotated_statistics(sequences, genome.features, {}, model.scorer())
    assert not np.allclose(nothing.coding, counted.coding)   # no gene in scope: only pseudo-counts
    _, info = _fine_tune(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,stats", offset_step=0.0)
    tuning = info["fine_tuning"]
    assert set(tuning["candidates"]) == {"parent", "stats"}
    child = GeneORFModel.from_pretrained(str(tmp_path / "child"), local_files_only=True)
    assert bool(child.config.adapted_to) == (tuning["chosen"] == "stats")


@pytest.fixture
def parent(geneorf_parent):
    return geneorf_parent


def _fine_tune(parent_dir, fasta, gff, out, **options):
    from tests.conftest import fine_tune_geneorf

    return fine_tune_geneorf(parent_dir, fasta, gff, out, **options)


def test_offset_range_widens_the_offsets_tried(parent, tmp_path):
    parent_dir, fasta, gff = parent
    _, info = _fine_tune(parent_dir, fasta, gff, tmp_path / "child", candidates="parent", offset_range=1.0)
    tuning = info["fine_tuning"]
    assert list(tuning["candidates"]["parent"]) == ["-1", "-0.75", "-0.5", "-0.25", "+0", "+0.25", "+0.5", "+0.75",
                                                    "+1"]
    assert tuning["offset_range"] == 1.0


def test_the_offsets_tried_are_those_the_options_help_says(parent, tmp_path):
    from genoview.core.training.options import options_schema

    help_of = {o["name"]: o["help"] for o in options_schema("geneorf")}
    assert "adapt" in help_of["offset_step"] and "whatever offset_range is" in help_of["offset_step"]
    assert "except by the candidates continue and refit" in help_of["offset_range"]
    parent_dir, fasta, gff = parent
    _, info = _fine_tune(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,adapt,last,continue")
    tried = {name: list(offsets) for name, offsets in info["fine_tuning"]["candidates"].items()}
    assert tried == {"parent": ["+0"], "adapt": ["+0"], "last": ["+0"], "continue": ["-0.5", "+0", "+0.5"]}
