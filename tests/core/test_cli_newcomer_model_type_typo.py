"""Importing a model folder whose config.json misspells its model_type ('genoview-genecnnn'): the refusal listed the
seven supported types; it now says which one was probably meant."""
from __future__ import annotations

import json
import shutil

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.library import validate_model_folder
from genoview.paths import SHIPPED_MODELS_DIR


def test_a_misspelt_model_type_names_the_one_meant(tmp_path):
    source = SHIPPED_MODELS_DIR / "genecnn-ecoli"
    if not source.is_dir():
        pytest.skip("shipped genecnn-ecoli not present")
    folder = tmp_path / "mine"
    shutil.copytree(source, folder)
    config = json.loads((folder / "config.json").read_text())
    config["model_type"] = "genoview-genecnnn"
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    with pytest.raises(GenoViewInputError, match="did you mean 'genoview-genecnn'") as caught:
        validate_model_folder(folder)
    assert "config.json, line" in str(caught.value)
    config["model_type"] = "resnet"   # nothing near: no guess
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    with pytest.raises(GenoViewInputError) as caught:
        validate_model_folder(folder)
    assert "did you mean" not in str(caught.value) and "supported model types" in str(caught.value)
