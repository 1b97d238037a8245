"""GENOVIEW_HOME as a cluster job script sets it: a quoted ~, a file, a read-only place (session 13, H-batch)."""
from __future__ import annotations

import os

import pytest

from genoview import paths
from genoview.cli import main


def test_a_tilde_in_genoview_home_is_the_home_folder(monkeypatch, tmp_path):
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GENOVIEW_HOME", "~/gv")
    assert paths.user_data_dir() == tmp_path / "gv"
    assert paths.user_config_dir() == tmp_path / "gv" / "config"
    assert not (tmp_path / "work" / "~").exists()


def test_a_genoview_home_that_is_a_file_is_one_line(monkeypatch, tmp_path, capsys):
    (tmp_path / "f").write_text("")
    monkeypatch.setenv("GENOVIEW_HOME", str(tmp_path / "f"))
    assert main(["models"]) == 2
    err = capsys.readouterr().err
    assert "GENOVIEW_HOME" in err and "is a file, not a folder" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_genoview_home_that_cannot_be_made_names_it(monkeypatch, tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        monkeypatch.setenv("GENOVIEW_HOME", str(ro / "sub"))
        assert main(["models"]) == 2
        err = capsys.readouterr().err
        assert "GENOVIEW_HOME" in err and "cannot be made" in err and str(ro / "sub") in err
    finally:
        ro.chmod(0o700)
