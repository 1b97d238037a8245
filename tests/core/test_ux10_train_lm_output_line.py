"""`genoview train-lm --architecture ngram --genes genes.csv.gz --out my-lm` (README's line): it ended with a raw JSON
object and left the model out of the library (`genoview models` and the window's Real vs mutated did not list it,
`genoview train` adds its models). Now one line says what was made, where, its perplexities and what to do next;
--json prints the object as before; the model is in the library by name."""
from __future__ import annotations

import json
from pathlib import Path

from genoview.cli import main as cli_main
from tests.core.test_lm import VALID


def _genes(tmp_path):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"g{i},<{g}>" for i, g in enumerate(VALID * 4)),
                     encoding="utf-8")
    return genes


def test_train_lm_says_what_it_made_and_adds_it_to_the_library(tmp_path, capsys):
    from genoview.core.models import list_models

    out = tmp_path / "my-lm"
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", str(_genes(tmp_path)), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    line = captured.out.strip()
    assert line.startswith(f"saved my-lm to {out} (in the library): validation perplexity ")
    assert "genes); " not in line[:20] and "genoview score-pairs --model my-lm PAIRS" in line
    assert any(info.name == "my-lm" and Path(info.path).resolve() == out.resolve() for info in list_models())


def test_train_lm_json_prints_the_object(tmp_path, capsys):
    out = tmp_path / "lm-json"
    assert cli_main(["train-lm", "--architecture", "ngram", "--genes", str(_genes(tmp_path)), "--out", str(out),
                     "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["model"] == str(out) and result["metrics"]["validation"]["perplexity"] > 1
