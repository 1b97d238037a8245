"""`genoview score-pairs --model M --pairs P --json` (README's line): the progress bar goes to standard error as with
predict and evaluate --json; it printed nothing for the ~2 minutes 1000 pairs take under lm-human-genes on a CPU.
Standard output holds the JSON alone."""
from __future__ import annotations

import json

from genoview.cli import main as cli_main
from tests.core.test_lm import VALID, _ngram_dir


def test_score_pairs_json_shows_progress_on_stderr_only(tmp_path, capsys):
    model_dir = _ngram_dir(tmp_path)
    pairs = tmp_path / "pairs.csv"
    rows = [f"{i},<{g}>,<{g[:3]}{'A' if g[3] != 'A' else 'C'}{g[4:]}>" for i, g in enumerate(VALID)]
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n" + "\n".join(rows) + "\n",
                     encoding="utf-8")
    assert cli_main(["score-pairs", "--model", str(model_dir), "--pairs", str(pairs), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["n"] == len(VALID)
    assert "scoring with" in captured.err and "100.0%" in captured.err
