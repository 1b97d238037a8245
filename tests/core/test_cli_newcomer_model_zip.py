"""A model exported as a zip (Models > Library > Export zip…, sent to a colleague or kept as a backup) imports back
as it is: Import took folders only, so the zip had to be unpacked by hand first. A zip that is not a model's, or that
would write outside its folder, is refused naming the file."""
from __future__ import annotations

import zipfile

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.library import export_zip, import_model, library_rows, validate_model_folder
from genoview.paths import SHIPPED_MODELS_DIR, model_library_dir

SHIPPED = SHIPPED_MODELS_DIR / "genecnn-ecoli"


@pytest.fixture
def exported(tmp_path):
    if not SHIPPED.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    return export_zip("genecnn-ecoli", tmp_path / "genecnn-ecoli.zip")


def _no_leftovers():
    return [p.name for p in model_library_dir().iterdir() if p.name.startswith(".")]


def test_an_exported_zip_imports_back(exported):
    found = validate_model_folder(exported)
    assert found["architecture"] == "genecnn" and found["name"] == "genecnn-ecoli"
    target = import_model(exported, "from-a-colleague")
    assert target == model_library_dir() / "from-a-colleague" and (target / "config.json").is_file()
    row = next(row for row in library_rows() if row.name == "from-a-colleague")
    assert row.architecture == "genecnn" and not row.broken and not row.shipped
    assert _no_leftovers() == []
    with pytest.raises(GenoViewInputError, match="already exists"):   # its recorded name is the shipped model's
        import_model(exported)
    assert _no_leftovers() == []


def test_a_zip_with_the_files_at_its_top_imports_too(exported, tmp_path):
    flat = tmp_path / "flat.zip"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(flat, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename.split("/", 1)[1], source.read(info))
    assert import_model(flat, "flat-model").joinpath("config.json").is_file()


def test_zips_that_are_not_a_models_are_refused_by_name(tmp_path):
    outside = tmp_path / "outside.zip"
    with zipfile.ZipFile(outside, "w") as archive:
        archive.writestr("model/config.json", "{}")
        archive.writestr("../evil.txt", "x")
    with pytest.raises(GenoViewInputError, match="outside its folder") as caught:
        validate_model_folder(outside)
    assert "outside.zip" in str(caught.value) and not (model_library_dir() / "evil.txt").exists()
    empty = tmp_path / "notes.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("notes/readme.txt", "no model here")
    with pytest.raises(GenoViewInputError, match="holds no model folder") as caught:
        import_model(empty, "notes")
    assert "notes.zip" in str(caught.value)
    assert _no_leftovers() == []
