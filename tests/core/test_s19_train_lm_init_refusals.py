"""H-cli19 walk: `genoview train-lm --architecture ngram --init X` did not read --init at all (a fresh model counted
from the genes, even from --init genecnn-ecoli, without a word), and --option with --init on an lstm or gpt was
ignored (the model keeps its own configuration) yet recorded as the run's options. Both are refused before any data
is read or any run recorded, in one line naming the option and the fix."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main


@pytest.mark.parametrize("extra, words", [
    (["--architecture", "ngram", "--init", "kn-human-genes"], "an ngram model has no weights to start from"),
    (["--architecture", "ngram", "--init", "genecnn-ecoli"], "drop --init, or give --architecture lstm or gpt"),
    (["--architecture", "lstm", "--init", "lm-human-genes", "--option", "hidden_size=8"],
     "--option hidden_size=8: --init lm-human-genes keeps its own configuration"),
])
def test_what_init_would_ignore_is_refused(tmp_path, capsys, extra, words):
    genes = tmp_path / "genes.csv"
    rows = "".join(f"g{i},<ACGTACGTAAGG{'ACGT' * i}>\n" for i in range(30))
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + rows)
    out = tmp_path / "m"
    assert cli_main(["train-lm", "--genes", str(genes), "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err, err
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["genes.csv"]
    from genoview.core.store import open_store

    assert open_store().runs() == []
