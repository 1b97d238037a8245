"""Exporting a model as a zip never writes into the model's own folder: a zip named like one of its files
(model.safetensors) replaced the weights, and any zip there went into the next export."""
from __future__ import annotations

import shutil

import pytest

from genoview import paths
from genoview.core import library
from genoview.core.errors import GenoViewInputError

SHIPPED = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"


def test_export_zip_refuses_a_path_inside_the_model_folder(tmp_path):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    folder = tmp_path / "downloaded-model"
    shutil.copytree(SHIPPED, folder)
    mine = library.import_model(folder, "mine")
    weights = (mine / "model.safetensors").read_bytes()
    for target in (mine / "model.safetensors", mine / "mine.zip", mine / "sub" / "x.zip"):
        with pytest.raises(GenoViewInputError, match="inside the model"):
            library.export_zip("mine", target)
    assert (mine / "model.safetensors").read_bytes() == weights and not (mine / "mine.zip").exists()
    assert library.export_zip("mine", tmp_path / "mine.zip").is_file()
