"""H-cli18: on a server without a display the model library could only be listed; importing a colleague's model
(folder or zip), exporting, renaming and deleting one were the window's alone (Models ▸ Library…). `genoview models`
now does them with --import/--name, --export, --rename and --delete, each refusing what the window refuses."""
from __future__ import annotations

from pathlib import Path

from genoview.cli import main as cli_main

SHIPPED = Path(__file__).resolve().parents[2] / "models"


def _names():
    from genoview.core.models import list_models

    return {info.name for info in list_models()}


def test_import_export_rename_delete(tmp_path, capsys):
    from genoview.paths import model_library_dir

    assert cli_main(["models", "--import", str(SHIPPED / "genecnn-ecoli"), "--name", "my-cnn"]) == 0
    assert "imported" in capsys.readouterr().err and "my-cnn" in _names()
    archive = tmp_path / "my.zip"
    assert cli_main(["models", "my-cnn", "--export", str(archive)]) == 0 and archive.is_file()
    assert cli_main(["models", "--import", str(archive), "--name", "their-cnn"]) == 0
    assert cli_main(["models", "their-cnn", "--rename", "cnn-b"]) == 0
    assert {"my-cnn", "cnn-b"} <= _names() and "their-cnn" not in _names()
    assert cli_main(["models", "cnn-b", "--delete"]) == 0
    assert "removed" in capsys.readouterr().err
    assert "cnn-b" not in _names() and not (model_library_dir() / "cnn-b").exists()


def test_what_the_window_refuses_is_one_line(tmp_path, capsys):
    for argv, said in ((["models", "geneorf-bacteria", "--delete"], "is shipped with GenoView"),
                       (["models", "nosuch", "--delete"], "no model named 'nosuch'"),
                       (["models", "--delete"], "name the model: genoview models NAME --delete"),
                       (["models", "prodigal", "--export", str(tmp_path / "p.zip")], "is built in"),
                       (["models", "genecnn-ecoli", "--export", str(tmp_path / "no" / "p.zip")], "does not exist"),
                       (["models", "--name", "x"], "--name goes with --import")):
        assert cli_main(argv) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1 and "Traceback" not in err
    assert (SHIPPED / "geneorf-bacteria" / "config.json").is_file() and list(tmp_path.iterdir()) == []
