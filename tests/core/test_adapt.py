"""`genoview adapt`: a GeneORF model fitted to a genome from its own sequence, saved as a library child."""
from __future__ import annotations

import numpy as np
import pytest

from tests.core.test_genecalls import _synthetic_genome


def _tiny_geneorf(directory):
    import torch

    from genoview.core import genecalls as gc
    from genoview.core.models.geneorf import GeneORFConfig, GeneORFModel
    from genoview.core.models.metadata import ModelMetadata

    torch.manual_seed(0)
    model = GeneORFModel(GeneORFConfig(n_features=len(gc.FEATURES), hidden=4, rna_channels=4, rna_dilations=[1, 2]))
    with torch.no_grad():   # a scorer close to genecalls' defaults: coding evidence decides
        for scorer in (model.gene, model.start):
            scorer.hidden.weight.zero_()
            scorer.hidden.bias.fill_(1.0)
            scorer.hidden.weight[0, 0] = 1.0
            scorer.out.weight.zero_()
            scorer.out.weight[0, 0] = 1.0
            scorer.out.bias.fill_(-5.0)
    model.save_pretrained(str(directory))
    ModelMetadata().update(name="tiny-geneorf", architecture="geneorf", task="gene-probability").save(directory)
    return directory


def test_adapt_saves_a_child_model_in_the_library(tmp_path):
    from genoview.cli.adapt import adapt_model
    from genoview.core.models import list_models, load_model
    from genoview.core.models.metadata import ModelMetadata

    codes, planted = _synthetic_genome(seed=5, genes=12)
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join("ACGTN"[c] for c in codes) + "\n")
    parent = _tiny_geneorf(tmp_path / "parent")
    adapted_model = adapt_model(str(parent), str(fasta), tmp_path / "adapted", name="tiny-adapted", command="test")
    out = adapted_model.path
    assert adapted_model.listed_as == "tiny-adapted"   # what `genoview adapt` says it was added to the library as
    meta = ModelMetadata.load(out)
    assert meta.parent == "tiny-geneorf" and meta.architecture == "geneorf"
    assert any(info.name == "tiny-adapted" for info in list_models())
    adapted = load_model("tiny-adapted")
    assert adapted.model.config.adapted_to == "genome.fa"
    calls, stats, tracks = adapted.call_genome({"chr": codes})
    assert len(tracks["chr"]) == len(codes) and np.isfinite(tracks["chr"]).all()
    assert stats.rounds >= 1   # the stored statistics were used (no self-training at prediction)


def test_a_crashed_adapts_leftovers_never_travel_into_a_new_child(tmp_path):
    """The .partial folder left by a crashed adapt (here holding RNA references) is named, not reused; cleared with
    overwrite (tests/core/test_model_out_owner.py has the owner rules)."""
    import subprocess
    import sys

    from genoview.cli.adapt import adapt_model
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE
    from genoview.core.training.runner import work_dir_for

    codes, _ = _synthetic_genome(seed=5, genes=12)
    fasta = tmp_path / "genome.fa"
    fasta.write_text(">chr\n" + "".join("ACGTN"[c] for c in codes) + "\n")
    parent = _tiny_geneorf(tmp_path / "parent")          # no rna_references.fasta
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    stale = work_dir_for(tmp_path / "adapted")
    stale.mkdir()
    (stale / ".genoview-owner").write_text(f'{{"pid": {ended.pid}, "host": "{_host()}"}}')
    (stale / REFERENCES_FILE).write_text(">old|16S|4\nACGT\n")
    with pytest.raises(GenoViewInputError, match="ended before it finished"):
        adapt_model(str(parent), str(fasta), tmp_path / "adapted", name="tiny-adapted-2", command="test")
    out = adapt_model(str(parent), str(fasta), tmp_path / "adapted", name="tiny-adapted-2", command="test",
                      overwrite=True).path
    assert not (out / REFERENCES_FILE).exists() and not stale.exists()


def _host() -> str:
    from genoview.core.store import HOST

    return HOST


def test_adapt_leaves_the_start_scorer_unless_asked(tmp_path):
    """Since session 11 adapt fine-tunes only the gene scorer (learning its own start choices back cost MCC on the
    leave-one-out test bed); ``tune_starts=True`` restores the old behaviour."""
    import copy

    import torch

    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.models.geneorf.fit import adapt

    codes, _ = _synthetic_genome(seed=5, genes=12)
    parent = GeneORFModel.from_pretrained(str(_tiny_geneorf(tmp_path / "parent")), local_files_only=True)
    with torch.no_grad():   # confident calls exist (log-odds well above 4), so there are pseudo-labels to learn
        for scorer in (parent.gene, parent.start):
            scorer.out.bias.fill_(3.0)
    before = {k: v.clone() for k, v in parent.state_dict().items()}

    def changed(model, prefix):
        return any(not torch.equal(v, before[k]) for k, v in model.state_dict().items() if k.startswith(prefix))

    default = copy.deepcopy(parent)
    adapt(default, {"chr": codes}, "genome.fa", confident=1.0)
    assert changed(default, "gene.") and not changed(default, "start.")
    both = copy.deepcopy(parent)
    adapt(both, {"chr": codes}, "genome.fa", confident=1.0, tune_starts=True)
    assert changed(both, "gene.") and changed(both, "start.")
