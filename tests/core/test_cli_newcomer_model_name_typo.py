"""`genoview models NAME` with a mistyped name suggests what the model library's search suggests (one function,
core/library close_names: a typo in one dash-separated part of a long name still finds it)."""
from genoview.cli import main


def test_a_mistyped_model_name_is_answered_with_the_library_s_suggestion(capsys):
    assert main(["models", "gencnn"]) == 2
    err = capsys.readouterr().err
    assert "no model named 'gencnn'" in err and "Did you mean genecnn-ecoli?" in err
