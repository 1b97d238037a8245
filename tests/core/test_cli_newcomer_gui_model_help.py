"""`genoview gui --help` says what --model predicts: the first sequence, or every contig of a draft (README: "a draft
(> 3 sequences, <= 8 Mb): every contig predicted"); it said "the first sequence" only."""
from genoview.cli import build_parser


def test_gui_model_help_names_the_draft_case():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    words = next(a.help for a in sub.choices["gui"]._actions if "--model" in a.option_strings)
    assert "draft" in words and "every" in words, words
