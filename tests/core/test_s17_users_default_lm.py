"""A language model of the user's own library flagged "default": true in its genoview.json is their explicit
choice: it is the default language model (over the shipped lm-human-genes' flag) and commands without --model use
it on a bacterium too, where the built-in rule gives kn-ecoli-genes (session 16 review: it was passed over)."""
from __future__ import annotations

import json
import shutil

from genoview import paths
from genoview.cli import main as cli_main
from genoview.core.genome_kind import language_model_for
from genoview.core.lm_models import default_language_model_name, language_model_default

EXAMPLE = paths.RESOURCES_DIR / "example"


def _own_model(flag: bool) -> None:
    folder = paths.model_library_dir() / "my-lm"
    shutil.copytree(paths.SHIPPED_MODELS_DIR / "kn-human-genes", folder)
    info = json.loads((folder / "genoview.json").read_text())
    info["default"] = flag
    (folder / "genoview.json").write_text(json.dumps(info))


def test_the_users_flagged_model_is_the_default_and_wins_on_a_bacterium(tmp_path, capsys):
    assert language_model_default() == ("lm-human-genes", False)   # the shipped flag
    _own_model(True)
    assert language_model_default() == ("my-lm", True) and default_language_model_name() == "my-lm"
    out = tmp_path / "map.csv"
    assert cli_main(["saturation", "--genome", str(EXAMPLE / "example.fa"), "--region", "chrEx:1-40", "--length",
                     "3", "--out", str(out)]) == 0   # the example genome looks like a prokaryote's
    err = capsys.readouterr().err
    assert "no --model: my-lm, your default language model" in err and "kn-ecoli-genes" not in err
    import csv

    assert {row["model"] for row in csv.DictReader(out.read_text().splitlines())} == {"my-lm"}


def test_an_unflagged_own_model_leaves_the_built_in_rule(capsys):
    _own_model(False)
    assert language_model_default() == ("lm-human-genes", False)
    assert cli_main(["saturation", "--genome", str(EXAMPLE / "example.fa"), "--region", "chrEx:1-40", "--length",
                     "3", "--out", str(paths.user_data_dir() / "map.csv")]) == 0
    assert "no --model: kn-ecoli-genes, the bacterial-gene model" in capsys.readouterr().err


def test_the_rule():
    assert language_model_for("prokaryote", "mine", "kn-ecoli-genes", users_default=True)[0] == "mine"
    assert language_model_for("prokaryote", "lm-human-genes", "kn-ecoli-genes")[0] == "kn-ecoli-genes"
    assert language_model_for("eukaryote", "mine", None, users_default=True)[0] == "mine"
