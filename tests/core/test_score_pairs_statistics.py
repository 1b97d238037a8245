"""score-pairs says how sure an accuracy is and whether one model beats another on the same pairs (session 15, H-lm:
0.715 / 0.720 on 200 pairs were printed as a ranking, with no interval and no paired test)."""
from __future__ import annotations

import json
import math

import numpy as np

from genoview.cli import main as cli_main
from genoview.core.lm_scoring import PairScores, compare_paired, mcnemar_exact, wilson_interval
from tests.core.test_lm import VALID, _ngram_dir


def test_wilson_interval_and_mcnemar_exact_match_hand_values():
    low, high = wilson_interval(0, 10)
    assert low == 0 and math.isclose(high, 0.2775, abs_tol=1e-4)          # Wilson's textbook value
    low, high = wilson_interval(143, 200)
    assert math.isclose(low, 0.6489, abs_tol=1e-3) and math.isclose(high, 0.7728, abs_tol=1e-3)
    assert math.isclose(mcnemar_exact(10, 2), 2 * (1 + 12 + 66) / 4096)   # two-sided binomial tail, n = 12
    assert mcnemar_exact(0, 0) == 1.0 and mcnemar_exact(40, 41) == 1.0


def _scores(model, right):
    right = np.array(right, dtype=bool)
    return PairScores(model, [str(i) for i in range(len(right))], np.where(right, -1.0, -2.0), np.ones(len(right)),
                      np.full(len(right), -1.5), np.ones(len(right)))


def test_paired_comparison_counts_the_pairs_only_one_model_gets_right():
    a = _scores("a", [1] * 12 + [0] * 3)
    b = _scores("b", [1] * 2 + [0] * 10 + [1] * 3)
    c = compare_paired(a, b, "perplexity")
    assert (c.only_first, c.only_second) == (10, 3)
    assert math.isclose(c.p_value, mcnemar_exact(10, 3)) and "McNemar exact p" in c.describe()


def test_cli_prints_intervals_and_the_paired_test(tmp_path, capsys):
    model_dir = _ngram_dir(tmp_path)
    pairs = tmp_path / "pairs.csv"
    rows = [f"{i},<{g}>,<{g[:3]}{'A' if g[3] != 'A' else 'C'}{g[4:]}>" for i, g in enumerate(VALID)]
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n" + "\n".join(rows) + "\n",
                     encoding="utf-8")
    assert cli_main(["score-pairs", str(pairs), "--model", str(model_dir), "--model", "kn-human-genes"]) == 0
    out = capsys.readouterr().out
    assert "95% CI" in out and "paired:" in out and "McNemar exact p" in out
    assert cli_main(["score-pairs", str(pairs), "--model", str(model_dir), "--model", "kn-human-genes", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)
    assert all(r["ci95"][0] <= r["accuracy"] <= r["ci95"][1] for r in results)
    assert sum("compared_with" in r for r in results) == 1
