"""`genoview models` marks the default language model and the perplexities that are scores; `score-pairs`
without --model scores with the default language model and says so."""
from __future__ import annotations

from genoview.cli import main


def test_models_marks_default_language_model_and_scores(capsys):
    assert main(["models", "--task", "language-model"]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[1] if line.startswith("*") else line.split()[0]: line for line in out.splitlines()
            if line.strip() and not line.startswith(("  name", "* on", "~ ="))}
    assert rows["lm-human-genes"].startswith("* ")                 # the default language model
    assert "~" in rows["lm-human-genes-bidir"] and "~" in rows["lm-human-genes"]   # scores, not perplexities
    assert "~" not in rows["lm-human-genes-causal"]                 # a normalised left-to-right model
    assert "default language model (lm-human-genes" in out


def test_score_pairs_without_model_uses_the_default(tmp_path, capsys, monkeypatch):
    import genoview.core.lm_models as lm_models

    monkeypatch.setattr(lm_models, "language_model_default", lambda: ("kn-human-genes", False))
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("NCBIGeneID,RealNucleotideSequence,MutatedNucleotideSequence\n"
                     "1,<ACGTACGTACGTAAGGCT>,<ACGTACGAACGTAAGGCT>\n"
                     "2,<TTGACCATGGCAAGT>,<TTGACCATGCAAGT>\n", encoding="utf-8")
    assert main(["score-pairs", "--pairs", str(pairs), "--json"]) == 0
    captured = capsys.readouterr()
    assert "no --model: kn-human-genes, the default language model" in captured.err
    assert '"n": 2' in captured.out
