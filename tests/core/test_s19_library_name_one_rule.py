"""One owner of the library-name rule (core.models.library_name_holder): `genoview adapt`/`train` (check_library_name),
register_model_dir and the window's Adapt each had their own copy. register_model_dir's copy compared the folder
holding the name with the folder to register unresolved, so a library folder reached through a linked GENOVIEW_HOME
(a cluster's /home -> /gpfs/...) was refused as "already used by" itself."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "models"


def test_a_library_folder_through_a_linked_home_registers_under_its_own_name(tmp_path, monkeypatch):
    from genoview import paths
    from genoview.core.models import library_name_holder, register_model_dir, resolve_model_dir

    real = tmp_path / "gpfs-home"
    real.mkdir()
    (tmp_path / "home").symlink_to(real)
    monkeypatch.setenv("GENOVIEW_HOME", str(tmp_path / "home"))
    folder = paths.model_library_dir() / "mine"
    shutil.copytree(SHIPPED / "geneorf-bacteria", folder)
    assert library_name_holder("mine", folder.resolve()) is None   # itself, by its real path
    info = register_model_dir(folder.resolve(), "mine")
    assert info.name == "mine" and resolve_model_dir("mine").resolve() == folder.resolve()


@pytest.mark.parametrize("name, holder", [("prodigal", "a built-in model"), ("geneorf-bacteria", "geneorf-bacteria"),
                                          ("fresh-name", None)])
def test_register_and_adapt_refuse_the_same_names(tmp_path, name, holder):
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models import check_library_name, library_name_holder, register_model_dir

    folder = tmp_path / "elsewhere"
    shutil.copytree(SHIPPED / "geneorf-bacteria", folder)
    found = library_name_holder(name, folder)
    assert (found is None) if holder is None else (holder in found)
    for refuse in (lambda: check_library_name(name, folder), lambda: register_model_dir(folder, name)):
        if holder is None:
            refuse()
        else:
            with pytest.raises(GenoViewInputError, match="already used by"):
                refuse()
