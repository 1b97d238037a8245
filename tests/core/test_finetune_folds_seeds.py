"""GeneORF fine-tune recipe select, options folds (K contiguous folds for the cross-fit: fit on K-1, score on the
one left) and adapt_seeds (the parent adapted with several seeds, the gene scorers' weights averaged). Both cut the
variance of the choice, not the candidates. Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

import numpy as np

from tests.conftest import fine_tune_geneorf
from tests.core.test_finetune_own_rna import FIRST_HALF_TRNA, SECOND_HALF_TRNA, TRAINING_5S, _holds, rna_gff  # noqa: F401
from tests.core.test_finetune_out_of_fold import record_confusions


def _table(n, first_group=0, seed=0):
    rng = np.random.default_rng(seed)
    return {"x": rng.normal(size=(n, 3)).astype(np.float32), "stop": rng.random(n) < 0.5,
            "exact": rng.random(n) < 0.2, "group": np.arange(n) // 2 + first_group,
            "weight": np.ones(n), "stats": "kept"}


def test_joined_tables_concatenates_the_rows_and_keeps_the_orf_groups_apart():
    from genoview.core.training.geneorf import joined_tables

    a, b = [_table(6, seed=1)], [_table(4, seed=2)]
    assert joined_tables([a]) is a   # one list: as it is (two folds: the other half's tables, unchanged)
    (j,) = joined_tables([a, b])
    assert len(j["x"]) == 10 and np.array_equal(j["x"][6:], b[0]["x"]) and j["stats"] == "kept"
    assert np.array_equal(j["stop"], np.concatenate([a[0]["stop"], b[0]["stop"]]))
    # a's groups 0..2, b's shifted past them: no ORF of b shares a group with one of a
    assert set(j["group"][:6]).isdisjoint(j["group"][6:]) and list(j["group"][6:]) == [3, 3, 4, 4]


def test_options_folds_and_adapt_seeds_are_typed_with_their_defaults():
    from genoview.core.training.geneorf import OPTIONS

    options = {o.name: o for o in OPTIONS}
    assert (options["folds"].type, options["folds"].default, options["folds"].minimum) == ("int", 2, 2)
    assert (options["adapt_seeds"].type, options["adapt_seeds"].default) == ("int", 4)   # 1 until session 13's F3
    assert options["folds"].help and options["adapt_seeds"].help


def _inside(where, regions) -> bool:
    from genoview.core.training.geneorf import _merged

    seqid, start, end, _ = where   # 1-based closed; the blocks of a fold joined (a gene may cross a block's end)
    regions = _merged(regions)
    return any(r.seqid == seqid and r.start <= start - 1 and end <= r.end for r in regions)


def test_four_folds_score_each_fold_with_a_model_and_references_built_without_it(geneorf_parent, rna_gff, tmp_path,
                                                                                monkeypatch):
    calls = record_confusions(monkeypatch)
    parent_dir, fasta, _ = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, str(rna_gff), tmp_path / "child", candidates="parent,last",
                                folds=4)
    tuning = info["fine_tuning"]
    assert tuning["fold_count"] == 4 and len(tuning["folds"]) == 4 and set(tuning["candidates"]) == {"parent", "last"}
    assert "4 contiguous folds" in tuning["why"] and not tuning["left_out"]
    # the folds are contiguous and cover the training part in order
    spans = [(r["seqid"], r["start"], r["end"]) for fold in tuning["folds"] for r in fold]
    for (s1, _, e1), (s2, b2, _) in zip(spans, spans[1:]):
        assert (s1 == s2 and e1 == b2) or (s1 != s2 and b2 == 0)
    scored = [(regions, refs) for regions, refs in calls if refs is not None]
    assert len(scored) == 8   # parent: each fold once (its own references); last: the model of each fold
    for regions, refs in scored:
        for gene in (FIRST_HALF_TRNA, SECOND_HALF_TRNA, TRAINING_5S):
            # a gene of the fold being scored is never a reference for it; one of another fold always is
            assert _holds(refs, fasta, gene) != _inside(gene, regions), (gene, regions)


def test_adapt_seeds_soups_the_adapted_gene_scorers_of_consecutive_seeds(geneorf_parent, tmp_path, monkeypatch):
    """adapt with seeds 1 and 2 averaged: its gene scorer's weights are the mean of adapt at seed 1 and at seed 2
    (the statistics and everything else are the same for both seeds). On the tiny genome the seed changes nothing
    measurable (on a ~1 Mb genome two seeds' gene scorers differ by more than adapt moves them), so each seed's
    adapted model is marked here."""
    import json

    import torch
    from safetensors.numpy import load_file

    from genoview.core.training import geneorf
    from genoview.core.training.runner import run_training
    from genoview.core.training.spec import TrainingSpec

    adapted_model = geneorf.adapted_model

    def marked(model, sequences, genome_name, seed):
        out = adapted_model(model, sequences, genome_name, seed)
        with torch.no_grad():
            out.gene.out.weight += 0.01 * seed
            out.gene.hidden.bias -= 0.02 * seed
        return out

    monkeypatch.setattr(geneorf, "adapted_model", marked)
    parent_dir, fasta, gff = geneorf_parent
    weights = {}
    for seed, seeds in ((1, 1), (2, 1), (1, 2)):
        out = tmp_path / f"seed{seed}x{seeds}"
        spec = TrainingSpec(architecture="geneorf", fasta=fasta, annotation=gff, init_from=str(parent_dir),
                            max_minutes=5, num_threads=1, seed=seed,
                            model_options={"candidates": "parent,adapt", "anchor": "adapt", "margin": 1.0,
                                           "adapt_seeds": seeds})
        run_training(spec, out, name=out.name)
        tuning = json.loads((out / "genoview.json").read_text())["fine_tuning"]
        assert tuning["chosen"] == "adapt" and tuning["adapt_seeds"] == list(range(seed, seed + seeds))
        weights[(seed, seeds)] = load_file(str(out / "model.safetensors"))
    one, two, soup = weights[(1, 1)], weights[(2, 1)], weights[(1, 2)]
    assert not np.allclose(one["gene.out.weight"], two["gene.out.weight"])
    for key in soup:
        want = (one[key] + two[key]) / 2 if key.startswith(("gene.hidden.", "gene.out.")) else one[key]
        assert np.allclose(soup[key], want, atol=1e-6), key
    assert "adapted with 2 seeds (1, 2)" in " ".join(tuning["relearned"])
