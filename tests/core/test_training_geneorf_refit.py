"""GeneORF fine-tune recipe "refit": the scorers refitted as the parent was, on the parent's training
genomes plus the new genome (weighted), the parent's tables cached; recipe "continue" when the parent's genome
files are gone. Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.training.geneorf import parent_recipe, refit_scorers


def test_refit_caches_the_parents_tables(parent, tmp_path):
    from safetensors.numpy import load_file

    parent_dir, fasta, gff = parent
    recipe, why = parent_recipe(parent_dir)
    assert recipe and not why and [g["name"] for g in recipe["genomes"]] == ["engine_tiny"]
    result, info = _fine_tune(parent_dir, fasta, gff, tmp_path / "child", recipe="refit")
    tuning = info["fine_tuning"]
    assert tuning["recipe"] == "refit" and tuning["parent_genomes"] == ["engine_tiny"]
    assert tuning["tables_from_cache"] == 0 and tuning["genome_weight"] == 1.0
    assert info["training"]["stopped_because"] == "finished" and "mcc" in result.extra["test"]
    before, after = load_file(str(parent_dir / "model.safetensors")), load_file(str(tmp_path / "child" / "model.safetensors"))
    gene_weights = [k for k in before if k.startswith("gene.") and "weight" in k]
    assert gene_weights and any(not np.array_equal(before[k], after[k]) for k in gene_weights)
    assert np.array_equal(before["start.offset"], after["start.offset"])   # the start offset is kept
    assert np.allclose(after["gene.offset"], 0.5 * before["gene.offset"])   # offset_scale 0.5
    _, again = _fine_tune(parent_dir, fasta, gff, tmp_path / "child2", recipe="refit")
    assert again["fine_tuning"]["tables_from_cache"] == 1


def test_refit_falls_back_to_continue_without_the_parents_genomes(parent, tmp_path):
    from tests.conftest import parent_without_its_genomes

    parent_dir, fasta, gff = parent
    moved = parent_without_its_genomes(parent_dir, tmp_path)
    assert parent_recipe(moved)[0] is None and "not found" in parent_recipe(moved)[1]
    _, child = _fine_tune(moved, fasta, gff, tmp_path / "child", recipe="refit")
    assert child["fine_tuning"]["recipe"] == "continue"
    _, chosen = _fine_tune(parent_dir, fasta, gff, tmp_path / "child-continue", recipe="continue")
    assert chosen["fine_tuning"]["recipe"] == "continue"


def test_refit_scorers_weighs_the_new_genome():
    rng = np.random.default_rng(0)

    def table(n, shift):
        x = rng.normal(size=(n, 5)).astype(np.float32)
        stop = x[:, 0] + shift > 0.5
        return {"x": x, "stop": stop, "exact": stop & (x[:, 1] > 0), "weight": np.ones(n)}

    parents, new = [table(400, 0.0), table(400, 0.0)], [table(200, 1.5)]
    probe = new[0]["x"][:50]
    outs = []
    for weight in (0.0, 5.0):
        gene, start = refit_scorers(parents, new, hidden=8, epochs=3, seed=1, lr=3e-3, genome_weight=weight)
        outs.append(gene.numpy_scorer()(probe))
        assert np.isfinite(start.numpy_scorer()(probe)).all()
    assert outs[1].mean() > outs[0].mean()   # the new genome's many genes pull its log-odds up when it weighs more


@pytest.fixture
def parent(geneorf_parent):
    return geneorf_parent


def _fine_tune(parent_dir, fasta, gff, out, **options):
    from tests.conftest import fine_tune_geneorf

    return fine_tune_geneorf(parent_dir, fasta, gff, out, **options)
