"""A language-model name no model has is answered with the language models and the nearest names (H-walk19 under
Xvfb: 'no-such-model' in Real vs mutated's Language models field listed all 19 models, Prodigal and the gene models
first; score-pairs, variant-effects and saturation --model said the same)."""
from __future__ import annotations

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.lm_models import load_language_model


def test_the_language_models_and_the_nearest_are_named():
    with pytest.raises(GenoViewInputError) as refused:
        load_language_model("kn-humn-genes")
    said = str(refused.value)
    assert said.startswith("no language model named 'kn-humn-genes' and no such directory; did you mean "
                           "kn-human-genes"), said
    listed = said.split("language models: ", 1)[1]
    assert "lm-human-genes" in listed and "prodigal" not in listed and "genecnn-ecoli" not in listed
    assert listed.endswith("(genoview models --task language-model)")


def test_a_gene_model_is_still_called_one():
    with pytest.raises(GenoViewInputError, match="genecnn-ecoli is a gene-probability model"):
        load_language_model("genecnn-ecoli")


def test_score_pairs_says_it(tmp_path, capsys):
    pairs = tmp_path / "p.csv"
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n1,<ACGTACGT>,<ACGTACGA>\n")
    assert main(["score-pairs", str(pairs), "--model", "no-such-model"]) == 2
    err = capsys.readouterr().err
    assert "no language model named 'no-such-model'" in err and "prodigal" not in err
