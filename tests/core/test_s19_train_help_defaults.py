"""H-cli19 walk: `genoview train --help` said "--batch-size ... (default 16)" (GeneCNN, the default architecture,
takes 4; GeneORF 4,096) and "--epochs (default 1)" (GeneORF 16), and gave no default for --lr, --weight-decay,
--warmup, --seed, --patience, --window or --valid-fraction. The help names each architecture's default, checked here
against what a run takes (the architectures' DEFAULTS over TrainingSpec's)."""
from __future__ import annotations

import argparse
import dataclasses

import pytest

from genoview.cli import build_parser
from genoview.core.training.architectures import get_architecture
from genoview.core.training.spec import TrainingSpec

LABELS = {"genecnn": "GeneCNN", "geneorf": "GeneORF", "kmer-bert": "k-mer BERT"}
OPTIONS = {"--batch-size": "batch_size", "--lr": "learning_rate", "--epochs": "epochs", "--warmup": "warmup_fraction",
           "--weight-decay": "weight_decay", "--patience": "patience", "--window": "window", "--seed": "seed",
           "--valid-fraction": "valid_fraction"}


def _help(option: str) -> str:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["train"]
    return " ".join(next(a.help for a in sub._actions if option in a.option_strings).split())


def _words(value) -> str:
    return f"{value:,}" if isinstance(value, int) or float(value).is_integer() and value >= 1 else f"{value:g}"


@pytest.mark.parametrize("option", OPTIONS)
def test_each_architectures_default_is_in_the_help(option):
    text = _help(option)
    spec_defaults = {f.name: f.default for f in dataclasses.fields(TrainingSpec)}
    assert "default" in text, text
    for arch, label in LABELS.items():
        architecture = get_architecture(arch)
        key = OPTIONS[option]
        if key in getattr(architecture, "ignored_settings", ()):
            assert f"{label} reads none" in text, (arch, text)
            continue
        value = {**spec_defaults, **architecture.defaults}[key]
        if value is None:   # decided by the model: said as the architecture's own, or none
            continue
        said = _words(int(value) if float(value).is_integer() else value)
        assert f"{label} {said}" in text or f"default {said}" in text or f"the others {said}" in text, \
            (arch, said, text)
