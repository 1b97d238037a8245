"""GeneORF fine-tune candidate "last": the gene scorer's last layer refitted on the genome's annotated genes
(a penalised logistic regression over the parent's hidden activations). Tiny synthetic genome, seconds."""
from __future__ import annotations

import numpy as np
import torch

from genoview.core.training.geneorf import refit_last_layer


def _tiny_model(n_features=4, hidden=6, seed=0):
    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel

    torch.manual_seed(seed)
    model = GeneORFModel(GeneORFConfig(n_features=n_features, hidden=hidden, rna_threshold=1.01))
    with torch.no_grad():
        for s in (model.gene, model.start):
            s.hidden.weight.normal_()
            s.hidden.bias.normal_()
            s.out.weight.normal_()
            s.out.bias.zero_()
        model.gene.offset.fill_(0.7)
    return model.eval()


def _table(model, n=4000, seed=1, flip=False):
    """Candidates whose labels follow a rule the parent's scorer only partly knows."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, model.config.n_features)).astype(np.float32)
    truth = x[:, 0] - 0.5 * x[:, 1] + (1.0 if flip else -1.0)
    stop = rng.random(n) < 1 / (1 + np.exp(-3 * truth))
    return {"x": x, "stop": stop, "exact": stop, "weight": np.ones(n)}


def _log_loss(model, table):
    with torch.no_grad():
        z = model.gene(torch.from_numpy(table["x"])) - model.gene.offset
    return float(torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(table["stop"]).float()))


def test_last_layer_changes_only_the_gene_scorers_output_layer_and_fits_the_labels():
    model = _tiny_model()
    table = _table(model)
    child = refit_last_layer(model, [table], penalty=1e-3)
    before, after = model.state_dict(), child.state_dict()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    assert changed == {"gene.out.weight", "gene.out.bias"}
    assert _log_loss(child, table) < _log_loss(model, table)
    assert float(child.gene.offset[0]) == float(model.gene.offset[0])   # the decision offset is chosen later
    again = refit_last_layer(model, [table], penalty=1e-3)
    assert all(torch.equal(after[k], again.state_dict()[k]) for k in after)   # deterministic


def test_a_large_penalty_keeps_the_parents_weights_and_moves_the_bias_only():
    model = _tiny_model()
    table = _table(model, flip=True)
    held = refit_last_layer(model, [table], penalty=100.0)
    free = refit_last_layer(model, [table], penalty=1e-4)
    step_held = (held.gene.out.weight - model.gene.out.weight).detach().abs().max().item()
    step_free = (free.gene.out.weight - model.gene.out.weight).detach().abs().max().item()
    assert step_held < 0.05 * step_free
    assert abs(float((held.gene.out.bias - model.gene.out.bias).detach())) > 0.1   # the bias is never penalised


def test_select_with_the_last_layer_candidate_records_and_saves_it(geneorf_parent, tmp_path):
    from safetensors.numpy import load_file

    from tests.conftest import fine_tune_geneorf

    parent_dir, fasta, gff = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,last")
    tuning = info["fine_tuning"]
    assert set(tuning["candidates"]) == {"parent", "last"} and tuning["last_penalty"] == 0.05   # the default since 8c22e43
    weights = load_file(str(tmp_path / "child" / "model.safetensors"))
    before = load_file(str(parent_dir / "model.safetensors"))
    same = {k for k in before if np.array_equal(before[k], weights[k])}
    if tuning["chosen"] == "last":
        assert not {"gene.out.weight", "gene.out.bias"} & same
    assert {k for k in before if k.startswith(("start.", "gene.hidden"))} <= same


def test_a_parent_older_than_the_appended_features_fine_tunes_with_fitted_candidates(geneorf_parent, tmp_path):
    """A parent fitted before features were appended to genecalls.FEATURES (fewer columns) builds its candidate
    tables on its own columns (the fitted candidates crashed with a shape error)."""
    import json
    import shutil

    from safetensors.numpy import load_file, save_file

    from genoview.core import genecalls as gc
    from tests.conftest import fine_tune_geneorf

    parent_dir, fasta, gff = geneorf_parent
    older = tmp_path / "older-parent"
    shutil.copytree(parent_dir, older)
    n = len(gc.FEATURES) - 2
    weights = load_file(str(older / "model.safetensors"))
    for scorer in ("gene", "start"):
        weights[f"{scorer}.hidden.weight"] = np.ascontiguousarray(weights[f"{scorer}.hidden.weight"][:, :n])
        for key in ("mean", "std"):
            weights[f"{scorer}.{key}"] = np.ascontiguousarray(weights[f"{scorer}.{key}"][:n])
    save_file(weights, str(older / "model.safetensors"), metadata={"format": "pt"})
    config = json.loads((older / "config.json").read_text())
    config["n_features"] = n
    (older / "config.json").write_text(json.dumps(config))
    _, info = fine_tune_geneorf(older, fasta, gff, tmp_path / "child", candidates="parent,last", offset_step=0.0)
    assert set(info["fine_tuning"]["candidates"]) == {"parent", "last"}


def test_start_part_refits_only_the_start_scorers_output_layer_on_the_annotated_genes_starts():
    model = _tiny_model()
    table = _table(model)
    rng = np.random.default_rng(3)
    table["exact"] = table["stop"] & (table["x"][:, 2] + 0.3 * rng.normal(size=len(table["x"])) > 0)

    def start_loss(m):
        on = table["stop"]
        with torch.no_grad():
            z = m.start(torch.from_numpy(table["x"][on])) - m.start.offset
        return float(torch.nn.functional.binary_cross_entropy_with_logits(z, torch.from_numpy(table["exact"][on]).float()))

    child = refit_last_layer(model, [table], penalty=1e-3, part="start")
    before, after = model.state_dict(), child.state_dict()
    assert {k for k in before if not torch.equal(before[k], after[k])} == {"start.out.weight", "start.out.bias"}
    assert start_loss(child) < start_loss(model)
