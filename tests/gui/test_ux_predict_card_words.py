"""The Predict dialog's note on each model is the card's plain words ("The default gene finder for bacteria and
archaea ...") rather than the developer's description ("GeneORF: self-training ORF gene finder, gene/start scorers
learnt across 8 genomes; ..."); Prodigal says what it is there for."""
from __future__ import annotations

from genoview.gui.dialogs.predict import gene_models, model_blurb


def test_the_notes_come_from_the_cards_plain_words():
    infos = {info.name: info for info in gene_models()}
    note = model_blurb(infos["geneorf-bacteria"])
    assert note.startswith("The default gene finder for bacteria and archaea.")
    mean = infos["geneorf-bacteria"].metrics["held_out_mean_mcc"]   # the shipped figure (0.844 since session 14)
    assert f"MCC {mean:.2f} on average on genomes it never saw (1 = perfect)" in note
    assert "*" not in note and "`" not in note and len(note) < 400
    assert "compare" in model_blurb(infos["prodigal"])
    for name, info in infos.items():
        assert "scorers learnt" not in model_blurb(info) and "per-token" not in model_blurb(info), name
