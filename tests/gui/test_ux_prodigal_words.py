"""Prodigal's words live in one place (its module's CARD): `genoview models prodigal`, the library's Model card tab
and the Predict dialog's note all show them (they were written twice, in cli/models.py and gui/dialogs/predict.py)."""
from __future__ import annotations

import inspect

import genoview.cli.models as cli_models
from genoview.cli import main as cli_main
from genoview.cli.models import card_summary
from genoview.core.library import model_details
from genoview.core.models.prodigal import CARD
from genoview.gui.dialogs import predict as predict_dialog


def test_prodigal_is_described_from_its_card_alone(capsys):
    what_it_is = card_summary(CARD).splitlines()[0]
    assert what_it_is.startswith("- What it is: Prodigal") and "compare the models" in what_it_is
    assert model_details("prodigal")["card"] == CARD
    assert cli_main(["models", "prodigal"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert " ".join(what_it_is.split()) in out and "no annotation needed" in out
    info = next(i for i in predict_dialog.gene_models() if i.name == "prodigal")
    assert predict_dialog.model_blurb(info).startswith("Prodigal (through pyrodigal), built into GenoView: the standard")
    for module in (cli_models, predict_dialog):
        assert "standard gene finder" not in inspect.getsource(module)
