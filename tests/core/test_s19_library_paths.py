"""H-cli19: a GENOVIEW_HOME given as a relative path or through a symbolic link spelt the library's folders one way
(``home/models/NAME``) and the model just made another (its resolved path): `genoview adapt --out home/models/NAME`
added the model to the library but did not say so, and `genoview train` into the library left its library row
(its spec, metrics, parent) unrecorded. Both sides are resolved before they are compared."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from genoview.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "resources" / "example"


def _home(tmp_path, monkeypatch, how: str) -> str:
    """A GENOVIEW_HOME spelt ``how``: relative to the working folder, or a link to the real folder."""
    (tmp_path / "real").mkdir()
    monkeypatch.chdir(tmp_path)
    if how == "relative":
        monkeypatch.setenv("GENOVIEW_HOME", "real")
        return "real"
    os.symlink(tmp_path / "real", tmp_path / "link")
    monkeypatch.setenv("GENOVIEW_HOME", str(tmp_path / "link"))
    return "link"


@pytest.mark.parametrize("how", ["relative", "link"])
def test_adapt_into_the_library_says_it_was_added(tmp_path, monkeypatch, capsys, how):
    home = _home(tmp_path, monkeypatch, how)
    assert cli_main(["adapt", str(EXAMPLE / "example.fa"), "--out", f"{home}/models/mine"]) == 0
    err = capsys.readouterr().err
    assert "and added to the library as mine" in err
    from genoview.core.models import list_models

    assert [i.name for i in list_models() if i.name == "mine"] == ["mine"]


def test_train_into_a_linked_library_records_its_row(tmp_path, monkeypatch, capsys):
    home = _home(tmp_path, monkeypatch, "link")
    (tmp_path / "real" / "models").mkdir()   # a library used before
    assert cli_main(["train", "--fasta", str(EXAMPLE / "example.fa"), "--gff", str(EXAMPLE / "example.gff3"),
                     "--out", f"{home}/models/t1", "--max-steps", "1", "--window", "2000"]) == 0
    assert "could not be recorded" not in capsys.readouterr().err
    from genoview.core.store import open_store

    with open_store().connect() as db:
        rows = db.execute("SELECT name, metrics FROM models WHERE name = 't1'").fetchall()
    assert len(rows) == 1 and "mcc" in rows[0][1]
