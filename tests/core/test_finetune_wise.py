"""GeneORF fine-tune recipe "select", session 16's option wise (WiSE-FT: the kept candidate's scorers' weights moved
toward the parent's) and soup_of's weights. Tiny models and a tiny synthetic run, seconds."""
from __future__ import annotations

import copy

import pytest
import torch

from genoview.core.training.geneorf import soup_of
from tests.conftest import fine_tune_geneorf


def _scorer_weights(model):
    return {f"{part}.{layer}.{name}": getattr(getattr(getattr(model, part), layer), name).detach().clone()
            for part in ("gene", "start") for layer in ("hidden", "out") for name in ("weight", "bias")}


def _moved(model, by):
    out = copy.deepcopy(model)
    with torch.no_grad():
        for part in ("gene", "start"):
            for layer in ("hidden", "out"):
                getattr(getattr(out, part), layer).weight.add_(by)
    return out


def test_soup_of_weights_interpolate_and_none_is_the_plain_mean(geneorf_parent):
    from genoview.core.models.geneorf.modeling_geneorf import GeneORFModel

    parent = GeneORFModel.from_pretrained(str(geneorf_parent[0]), local_files_only=True).eval()
    moved = _moved(parent, 1.0)
    half = _scorer_weights(soup_of([moved, parent], base=moved, weights=[0.5, 0.5]))
    plain = _scorer_weights(soup_of([moved, parent], base=moved))
    first = _scorer_weights(soup_of([moved, parent], base=moved, weights=[1.0, 0.0]))
    quarter = _scorer_weights(soup_of([moved, parent], base=moved, weights=[0.25, 0.75]))
    p, m = _scorer_weights(parent), _scorer_weights(moved)
    for key in p:
        assert torch.allclose(half[key], plain[key]) and torch.equal(first[key], m[key])
        assert torch.allclose(quarter[key], 0.25 * m[key] + 0.75 * p[key], atol=1e-6)
    # the offsets and everything but the scorers' layers stay the base's
    assert torch.equal(soup_of([moved, parent], base=moved, weights=[0.5, 0.5]).gene.offset, moved.gene.offset)
    with pytest.raises(ValueError, match="one weight per model"):
        soup_of([moved, parent], weights=[0.5, 0.6])
    with pytest.raises(ValueError, match="one weight per model"):
        soup_of([moved, parent], weights=[1.0])


def test_wise_moves_the_kept_candidate_toward_the_parent_and_is_recorded(geneorf_parent, tmp_path):
    from genoview.core.models.geneorf.modeling_geneorf import GeneORFModel
    from genoview.core.training.runner import _choice_lines

    parent_dir, fasta, gff = geneorf_parent
    options = dict(candidates="parent,last", anchor="last", margin=1.0)   # keeps last whatever the scores
    _, plain = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "plain", **options)
    _, wise = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "wise", wise=0.5, **options)
    assert plain["fine_tuning"]["chosen"] == wise["fine_tuning"]["chosen"] == "last"
    assert "wise" not in plain["fine_tuning"]
    assert wise["fine_tuning"]["wise"] == {"alpha": 0.5, "applied": True}
    assert any("toward the parent's (option wise" in line for line in wise["fine_tuning"]["relearned"])
    p, a, b = (_scorer_weights(GeneORFModel.from_pretrained(str(d), local_files_only=True))
               for d in (parent_dir, tmp_path / "plain", tmp_path / "wise"))
    changed = [key for key in p if not torch.equal(a[key], p[key])]
    assert changed   # last refitted the gene scorer's output layer
    for key in p:
        assert torch.allclose(b[key], 0.5 * a[key] + 0.5 * p[key], atol=1e-6)
    text = "\n".join(_choice_lines(wise["fine_tuning"]))
    assert "WiSE-FT (option wise 0.5): the gene and start scorers' weights are 0.5 x the chosen" in text


def test_wise_leaves_a_kept_parent_alone_and_the_plan_names_it_only_when_asked(geneorf_parent, tmp_path):
    from genoview.core.training.runner import _geneorf_plan
    from genoview.core.training.spec import TrainingSpec

    parent_dir, fasta, gff = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "p", candidates="parent", anchor="parent",
                                wise=0.5)
    assert info["fine_tuning"]["chosen"] == "parent" and "wise" not in info["fine_tuning"]

    def plan(**options):
        return _geneorf_plan(TrainingSpec(architecture="geneorf", init_from="geneorf-bacteria", model_options=options))

    assert "(wise)" not in plan() and "moved 0.5 of the way toward the parent's (wise)" in plan(wise=0.5)


def test_the_shipped_defaults_last_penalty_005_and_wise_off():
    """Session 16's default (8c22e43, chosen on the design bed by the pre-registered rule) and wise off (variant B, not
    shipped): a change to either changes every GeneORF fine-tune."""
    from genoview.core.training.options import with_defaults

    defaults = with_defaults("geneorf", {})
    assert defaults["last_penalty"] == 0.05 and defaults["wise"] == 0.0
