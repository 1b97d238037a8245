"""The Review page's account of a fine-tune says what it re-learns on the new genome (issue 11), what a time bound
does and where the model goes: walked under Xvfb (session 16, Fine-tune from this model on geneorf-bacteria), it
said none of these, and the Model page's GeneORF note named no RNA memory."""
from __future__ import annotations

from genoview.core.training.spec import TrainingSpec
from genoview.gui.wizard.pages import plain_summary, relearn_words


def test_a_geneorf_fine_tune_names_its_statistics_and_rna_memory():
    spec = TrainingSpec(fasta="/d/g.fa", annotation="/d/a.gff3", architecture="geneorf", init_from="geneorf-bacteria")
    text = plain_summary(spec)
    assert "codon and dicodon usage" in text and "RNA memory" in text
    assert "models" in text and "Models ▸ Library…" in text   # where the model goes
    no_rna = TrainingSpec(fasta="/d/g.fa", annotation="/d/a.gff3", architecture="geneorf",
                          init_from="geneorf-bacteria", model_options={"own_rna": False})
    assert "RNA memory" not in relearn_words(no_rna)


def test_a_genecnn_fine_tune_follows_its_options_and_a_time_bound_is_explained():
    base = dict(fasta="/d/g.fa", annotation="/d/a.gff3", architecture="genecnn", init_from="genecnn-ecoli")
    words = relearn_words(TrainingSpec(**base))
    assert "codon (dicodon) table" in words and "rRNA/tRNA memory" in words
    kept = relearn_words(TrainingSpec(**base, model_options={"codon_table": "parent", "rna_memory": "keep"}))
    assert "keeps the parent's codon table and RNA memory" in kept
    assert relearn_words(TrainingSpec(fasta="/d/g.fa", annotation="/d/a.gff3", architecture="genecnn")) == ""
    assert "the best model so far is kept" in plain_summary(TrainingSpec(**base, max_minutes=10))
