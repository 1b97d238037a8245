"""A newcomer asks what a model is for: `genoview models NAME` prints the top of its card in plain words, and every
shipped card opens with what the model is, what it is for, how good it is and what it was trained on, each figure
there one that the card's own technical text gives (the cards began in developer words: "gpt-lm nucleotide language
model (left to right)")."""
from __future__ import annotations

import re

import pytest

from genoview.cli import main
from genoview.cli.models import card_summary
from genoview.paths import SHIPPED_MODELS_DIR

FIELDS = ("What it is:", "What it is for:", "How good:", "Trained on:")
SHIPPED = sorted(p.parent.name for p in SHIPPED_MODELS_DIR.glob("*/README.md"))


def test_models_name_prints_the_plain_words_top_of_the_card(capsys):
    assert main(["models", "geneorf-bacteria"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("geneorf-bacteria  (gene-probability")
    for field in FIELDS:
        assert f"- {field}" in out
    assert "**" not in out and "`" not in out and "<!--" not in out and "## " not in out
    assert "README.md" in out                           # where the whole card is
    assert main(["models"]) == 0
    assert "genoview models NAME" in capsys.readouterr().out   # the table says how to ask


def test_a_misspelt_model_name_gets_a_suggestion(capsys):
    assert main(["models", "geneorf-bacterial"]) == 2
    err = capsys.readouterr().err
    assert "did you mean geneorf-bacteria" in err.lower()


def test_the_built_in_prodigal_says_what_it_is(capsys):
    assert main(["models", "prodigal"]) == 0
    out = capsys.readouterr().out
    assert "built into GenoView" in out and "compare" in out


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_card_opens_in_plain_words(name):
    card = (SHIPPED_MODELS_DIR / name / "README.md").read_text(encoding="utf-8")
    top = card_summary(card)
    for field in FIELDS:
        assert field in top, (name, field)
    # every figure in the plain-words top is one the rest of the card (its measured tables and text) gives
    rest = card.split("## ", 1)[1]
    for number in re.findall(r"\d+\.\d{3,4}", top):
        assert number in rest, (name, number)
