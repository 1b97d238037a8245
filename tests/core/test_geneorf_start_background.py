"""GeneORF's start_background (how self-training weighs start codons) comes from the model's config where its
calls start (genecalls.start_background_of), not from an attribute riding on the scorer: a scorer wrapper that
does not carry it no longer falls back to 0."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest


@pytest.fixture(scope="module")
def geneorf():
    from genoview.core.models import load_model

    return load_model("geneorf-bacteria", device="cpu")


@pytest.fixture()
def bare_scorer(geneorf, monkeypatch):
    """The model's scorer() returns a wrapper without the start_background attribute."""
    plain = geneorf.model.scorer

    def scorer():
        inner = plain()

        def score(feats):
            return inner(feats)
        return score
    monkeypatch.setattr(geneorf.model, "scorer", scorer)
    monkeypatch.setattr(geneorf.model.config, "start_background", 0.5)
    return geneorf


def _genome():
    return {"g": np.random.default_rng(0).integers(0, 4, 20_000).astype(np.uint8)}


def test_start_background_of_reads_the_config():
    from genoview.core import genecalls as gc

    assert gc.start_background_of(SimpleNamespace()) == 0.0
    assert gc.start_background_of(SimpleNamespace(start_background=None)) == 0.0
    assert gc.start_background_of(SimpleNamespace(start_background=0.5)) == 0.5


def test_call_genome_self_trains_with_the_configured_start_background(bare_scorer):
    _, stats, _ = bare_scorer.call_genome(_genome())
    assert stats.start_background == 0.5


def test_chunked_statistics_and_mutagenesis_read_it_too(bare_scorer):
    from genoview.core.models.geneorf.chunked import train_statistics
    from genoview.core.orf_mutagenesis import OrfMutagenesis

    assert train_statistics(bare_scorer, _genome()).start_background == 0.5
    assert OrfMutagenesis(bare_scorer, _genome(), "g").stats.start_background == 0.5
