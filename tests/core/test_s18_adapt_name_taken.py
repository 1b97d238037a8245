"""H-cli18: `genoview adapt` took a library name another model had without a word: `--out run2/adapted` (the name
defaults to the folder's) replaced run1/adapted's library entry, and `--out geneorf-bacteria` was "added to the
library" under the shipped model's name, so `--model geneorf-bacteria` still ran the shipped one. A taken name is
now refused before any work, in one line; --overwrite of the model in --out keeps its own name."""
from __future__ import annotations

from pathlib import Path

import pytest

from genoview.cli import main as cli_main

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "example" / "example.fa"
SHIPPED = Path(__file__).resolve().parents[2] / "models"


@pytest.mark.parametrize("how", ["shipped", "built-in", "library"])
def test_adapt_refuses_a_library_name_already_taken(tmp_path, capsys, how):
    from genoview.core.models import register_model_dir, resolve_model_dir

    if how == "library":
        register_model_dir(SHIPPED / "genecnn-ecoli", name="mine")   # a model of the user's library, kept elsewhere
        argv, taken = ["--out", str(tmp_path / "run2"), "--name", "mine"], "genecnn-ecoli"
    elif how == "shipped":
        argv, taken = ["--out", str(tmp_path / "geneorf-bacteria")], "geneorf-bacteria"
    else:
        argv, taken = ["--out", str(tmp_path / "run2"), "--name", "prodigal"], "a built-in model"
    code = cli_main(["adapt", str(EXAMPLE), *argv])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "is already used by" in err and taken in err and "give --name NEW" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []   # nothing written
    if how == "library":
        assert resolve_model_dir("mine") == (SHIPPED / "genecnn-ecoli").resolve()   # its entry kept
