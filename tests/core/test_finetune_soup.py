"""GeneORF fine-tune candidates "soup" and "soup_parent" (model soups, Wortsman et al. 2022: the scorers' weights
of the adapted candidates averaged, the adapted statistics kept). Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import fine_tune_geneorf


def _pair():
    import torch

    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel

    torch.manual_seed(0)
    a = GeneORFModel(GeneORFConfig()).eval()
    b = GeneORFModel(GeneORFConfig()).eval()
    return a, b


def test_soup_of_averages_the_scorers_weights_and_keeps_the_rest_of_the_base():
    import torch

    from genoview.core.training.geneorf import soup_of

    a, b = _pair()
    with torch.no_grad():
        b.gene.offset.fill_(3.0)   # not a weight: the base's is kept
        b.load_state_dict({k: v for k, v in a.state_dict().items() if not k.startswith(("gene.", "start."))},
                          strict=False)
    s = soup_of([a, b], base=a)
    for part in ("gene", "start"):
        for layer in ("hidden", "out"):
            for name in ("weight", "bias"):
                want = (getattr(getattr(getattr(a, part), layer), name) + getattr(getattr(getattr(b, part), layer),
                                                                                  name)) / 2
                assert torch.allclose(getattr(getattr(getattr(s, part), layer), name), want)
    assert float(s.gene.offset[0]) == float(a.gene.offset[0])
    assert torch.allclose(soup_of([a, a, a]).gene.out.weight, a.gene.out.weight, atol=1e-6)


def test_soup_of_refuses_members_that_normalise_their_features_differently():
    import torch

    from genoview.core.training.geneorf import soup_of

    a, b = _pair()
    with torch.no_grad():
        b.gene.mean.add_(1.0)
    with pytest.raises(ValueError, match="normalise"):
        soup_of([a, b])


def test_the_soup_candidate_is_the_mean_of_the_adapted_candidates(geneorf_parent, tmp_path):
    """The adapt family differs only in the last layers, so the soup's gene output layer is the mean of adapt's
    and adapt_last's, its start output layer the mean of adapt's and adapt_start's, the rest adapt's."""
    from safetensors.numpy import load_file

    parent_dir, fasta, gff = geneorf_parent
    runs = {}
    for name in ("adapt", "adapt_last", "adapt_start", "soup"):
        _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / name, candidates=f"parent,{name}",
                                    anchor=name, margin=1.0)
        assert info["fine_tuning"]["chosen"] == name
        runs[name] = load_file(str(tmp_path / name / "model.safetensors"))
    assert "model soup" in info["fine_tuning"]["relearned"][0] and set(info["fine_tuning"]["candidates"]) == {
        "parent", "soup"}
    soup, adapt = runs["soup"], runs["adapt"]
    for key in soup:
        if key.startswith("gene.out."):
            want = (adapt[key] + runs["adapt_last"][key]) / 2
        elif key.startswith("start.out."):
            want = (adapt[key] + runs["adapt_start"][key]) / 2
        else:
            want = adapt[key]
        assert np.allclose(soup[key], want, atol=1e-6), key


def test_soup_parent_averages_in_the_parents_scorers(geneorf_parent, tmp_path):
    from safetensors.numpy import load_file

    from genoview.core.models.geneorf import GeneORFModel

    parent_dir, fasta, gff = geneorf_parent
    _, adapt = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "adapt", candidates="parent,adapt",
                                 anchor="adapt", margin=1.0)
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,soup_parent",
                                anchor="soup_parent", margin=1.0)
    assert info["fine_tuning"]["chosen"] == "soup_parent"
    parent = GeneORFModel.from_pretrained(str(parent_dir), local_files_only=True).state_dict()
    child, adapted = load_file(str(tmp_path / "child" / "model.safetensors")), load_file(
        str(tmp_path / "adapt" / "model.safetensors"))
    # the hidden layers: one member is the parent, four share adapt's
    want = (parent["gene.hidden.weight"].numpy() + 4 * adapted["gene.hidden.weight"]) / 5
    assert np.allclose(child["gene.hidden.weight"], want, atol=1e-6)
    assert np.array_equal(child["stats_coding"], adapted["stats_coding"])   # the adapted statistics kept


def test_soup_greedy_starts_from_the_best_adapted_candidate_and_only_adds_what_does_not_drop(geneorf_parent, tmp_path):
    parent_dir, fasta, gff = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child",
                                candidates="parent,adapt,adapt_last,adapt_start,adapt_last_start,soup_greedy",
                                anchor="soup_greedy", margin=1.0)
    tuning = info["fine_tuning"]
    assert tuning["chosen"] == "soup_greedy" and "greedy model soup" in tuning["relearned"][0]
    scores = {name: values["+0"] for name, values in tuning["candidates"].items()}
    greedy = tuning["soup_greedy"]
    family = ("adapt", "adapt_last", "adapt_start", "adapt_last_start")
    first = greedy["ingredients"][0]
    assert first in family and scores[first] == max(scores[n] for n in family)
    assert sorted(greedy["order"]) == sorted(family + ("parent",))
    # the soup's cross-fitted MCC is its last accepted trial's, never below its first ingredient's
    assert scores["soup_greedy"] == greedy["trials"]["+".join(greedy["ingredients"])] >= scores[first]
    for trial, mcc in greedy["trials"].items():   # a rejected ingredient lowered the MCC of the soup so far
        members = trial.split("+")
        if members[-1] not in greedy["ingredients"]:
            kept = max(v for t, v in greedy["trials"].items() if len(t.split("+")) < len(members)
                       and set(t.split("+")) <= set(greedy["ingredients"]))
            assert mcc < kept
