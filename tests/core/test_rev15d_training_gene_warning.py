"""A language model scoring one of its own training genes gives memorised effects: variant-effects, saturation and
the Real vs mutated panel say so (rev15d, review of H-lm's session-15 commits: nothing warned a geneticist who
scored a gene of lm-human-genes' training split)."""
from __future__ import annotations

import csv
import gzip
import json

import numpy as np

from genoview.cli.variant_effects import warn_if_training_gene
from genoview.core.lm_data import read_genes, reverse_complement, split_genes
from genoview.core.lm_training_overlap import training_overlaps


def _model_with_genes(tmp_path, n=20):
    rng = np.random.default_rng(3)
    genes = tmp_path / "genes.csv.gz"
    with gzip.open(genes, "wt", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["NCBIGeneID", "NucleotideSequence"])
        for k in range(n):
            w.writerow([k, "".join(rng.choice(list("ACGT"), 300))])
    model = tmp_path / "my-lm"
    model.mkdir()
    data = {"genes": str(genes), "split_seed": 0, "test_fraction": 0.2, "valid_fraction": 0.2}
    (model / "genoview.json").write_text(json.dumps({"name": "my-lm", "task": "language-model", "data": data}))
    split = split_genes(read_genes(genes), 0.2, 0.2, seed=0)
    return model, split


def test_a_training_gene_is_said_memorised_and_a_held_out_gene_is_not(tmp_path, capsys):
    model, split = _model_with_genes(tmp_path)
    train, test = split.train[0].sequence, split.test[0].sequence
    (seen,) = training_overlaps(str(model), train)
    assert seen.fraction == 1.0 and seen.memorised and "my-lm's training genes (12 training genes of genes.csv.gz, " \
        "split seed 0): its effects are memorised" in seen.warning()
    assert training_overlaps([str(model)], reverse_complement(train))[0].memorised   # either strand
    assert training_overlaps([str(model)], train[:200] + test[200:])[0].fraction > 0.6   # part of a training gene
    (part,) = training_overlaps([str(model)], train + "".join(g.sequence for g in split.test[:2]))
    assert 0.1 <= part.fraction < 0.5 and part.memorised and "variants in those parts" in part.warning()
    (held_out,) = training_overlaps([str(model)], test)
    assert held_out.fraction < 0.05 and not held_out.memorised
    warn_if_training_gene("saturation", [str(model)], train)
    assert "genoview saturation: warning: 100% of this sequence's 32-mers are in" in capsys.readouterr().err
    assert warn_if_training_gene("saturation", [str(model)], test) == []
    # a card that does not say its training data, or a name no model has: nothing to check, no error
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "genoview.json").write_text(json.dumps({"name": "bare", "task": "language-model"}))
    assert training_overlaps([str(bare), "no-such-model"], train) == []


def test_a_masked_model_trained_on_a_genomes_first_part(tmp_path, monkeypatch):
    """kmer-bert-ecoli-mlm's card: 'first 70% of NC_000913.3' of a FASTA; its pieces overlap (no k-mer lost at a
    piece's edge)."""
    import genoview.core.lm_training_overlap as overlap

    rng = np.random.default_rng(7)
    genome = "".join(rng.choice(list("ACGT"), 1000))
    fasta = tmp_path / "g.fa"
    fasta.write_text(">chrT test\n" + genome + "\n")
    model = tmp_path / "mlm"
    model.mkdir()
    (model / "genoview.json").write_text(json.dumps({"name": "mlm", "data": {
        "fasta": str(fasta), "train": "first 70% of chrT (windows from its first 90%)"}}))
    monkeypatch.setattr(overlap, "PIECE", 150)        # pieces of 150 bases: a k-mer across 150 | 300 is kept
    (seen,) = training_overlaps([str(model)], genome[100:400])
    (held,) = training_overlaps([str(model)], genome[800:900])
    assert seen.fraction == 1.0 and held.fraction == 0.0 and "the first 70% of chrT in g.fa" in seen.warning()
