"""calibrate_model_dir's refusal names the architectures with a threshold from the registry (it said "only GeneCNN
and k-mer BERT" by hand), as `genoview calibrate` does."""
from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

import genoview.core.models as models
from genoview.core.errors import GenoViewInputError
from genoview.core.models.registry import MODEL_TYPES, threshold_architecture_words
from genoview.core.training.calibration import calibrate_model_dir


def test_the_refusal_names_the_registry_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(models, "load_model", lambda *a, **k: SimpleNamespace(name="m", settings_key=None))
    assert threshold_architecture_words() == "genecnn and kmer-bert"
    with pytest.raises(GenoViewInputError, match="only genecnn and kmer-bert models have one"):
        calibrate_model_dir(tmp_path, None, {}, [])
    monkeypatch.setitem(MODEL_TYPES, "genoview-geneorf", replace(MODEL_TYPES["genoview-geneorf"], settings_key="x"))
    assert threshold_architecture_words() == "genecnn, geneorf and kmer-bert"
    with pytest.raises(GenoViewInputError, match="only genecnn, geneorf and kmer-bert models have one"):
        calibrate_model_dir(tmp_path, None, {}, [])
