"""geneorf-bacteria names its 8 training genomes in genoview.json (data.train_genomes) but records regions of E. coli
only: opened on S. aureus COL (one of them), the evaluation note said "was not trained on NC_002951.2's annotation:
every base's label is new to it", so a training genome's figures read as held-out ones. It now says so when a model
names genomes without their regions."""
from __future__ import annotations

from genoview.core.evaluation_scope import ModelParts, default_scope, model_parts

DATA = {"train_genomes": ["ecoli", "staphylococcus_aureus_COL", "haemophilus_influenzae_RdKW20"],
        "train": [{"seqid": "NC_000913.3", "start": 0, "end": 700}],
        "test": [{"seqid": "NC_000913.3", "start": 700, "end": 1000}]}


def test_a_genome_the_model_names_only_is_not_said_to_be_new():
    parts = ModelParts.from_data("geneorf-x", DATA)
    kind, why = default_scope("NC_002951.2", 2_000, parts)
    assert kind == "whole" and "new to it" in why and "flatter" in why
    assert "Staphylococcus aureus COL" in why and "was not trained on" not in why
    assert "(E. coli, Staphylococcus aureus COL, Haemophilus influenzae RdKW20)" in why   # as a biologist writes them
    assert default_scope("NC_000913.3", 1000, parts)[0] == "held-out"   # its own regions as before


def test_a_model_with_regions_for_every_genome_keeps_the_plain_words():
    data = {**DATA, "train_genomes": ["ecoli"]}
    kind, why = default_scope("NC_002951.2", 2_000, ModelParts.from_data("cnn", data))
    assert why.startswith("cnn was not trained on NC_002951.2's annotation")


def test_the_shipped_default_model_says_it():
    parts = model_parts("geneorf-bacteria")
    if parts is None or len(parts.named_genomes) <= 1:
        return   # a model folder without named genomes: nothing to say
    assert "flatter" in default_scope("NC_002951.2", 2_000_000, parts)[1]
