"""`genoview train-lm --help` opened with "Train a language model of task language-model": it says what such a model
is for (scoring sequences: Real vs mutated, score-pairs)."""
from __future__ import annotations

from genoview.cli import build_parser


def test_train_lm_help_says_what_the_model_is_for():
    text = build_parser()._subparsers._group_actions[0].choices["train-lm"].format_help()
    text = " ".join(text.split())
    assert "of task language-model" not in text and "Real vs mutated" in text and "score-pairs" in text
