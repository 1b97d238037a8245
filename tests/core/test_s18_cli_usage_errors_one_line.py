"""H-cli18: a usage error of a command (an unknown option, a missing or malformed argument) is one line on standard
error, `genoview COMMAND: error: ...`, as README's exit codes say: an unknown option was named by the top-level
parser ("genoview: error: unrecognized arguments: --strict" under `genoview [-h] [--version] COMMAND ...`), and the
other errors came after the command's whole usage (24 lines for `train`), burying the error in a batch log."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main


@pytest.mark.parametrize("argv, said", [
    (["train", "--fasta", "g.fa", "--strict", "--out", "m"], "genoview train: error: unrecognized arguments: --strict"),
    (["predict", "g.fa", "--bogus"], "genoview predict: error: unrecognized arguments: --bogus"),
    (["runs", "--limit", "0"], "genoview runs: error: argument --limit: expected 1 or more, got 0"),
    (["mutate", "--n", "3"], "genoview mutate: error: the following arguments are required: --out"),
    (["predict"], "genoview predict: error: the following arguments are required: GENOME"),
])
def test_a_usage_error_is_one_line_naming_the_command(capsys, argv, said):
    with pytest.raises(SystemExit) as stopped:
        cli_main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert err.count("\n") == 1 and err.startswith(said), err
    assert f"`genoview {argv[0]} --help` shows the options" in err and "usage:" not in err
