"""A newcomer's slips at the top level: a misspelt command is named with the right one (it opened the window with a
genome called 'prdict'), and the window on a machine without a display is one line, not Qt's abort (exit 134)."""
from __future__ import annotations

from genoview.cli import main as cli_main
from genoview.cli import misspelt_command
from genoview.cli.gui import no_display


def test_misspelt_commands(tmp_path, monkeypatch, capsys):
    assert misspelt_command("prdict") == "predict"
    assert misspelt_command("evalute") == "evaluate"
    assert misspelt_command("score_pairs") == "score-pairs"
    assert misspelt_command("trainlm") == "train-lm"
    assert misspelt_command("genome.fa") is None and misspelt_command("zzzz") is None
    monkeypatch.chdir(tmp_path)
    (tmp_path / "predikt").write_text(">a\nACGT\n")   # an existing file of that name is a genome to open
    assert misspelt_command("predikt") is None
    assert cli_main(["prdict", "--fasta", "x.fa"]) == 2
    assert "did you mean `genoview predict`" in capsys.readouterr().err


def test_window_without_display_is_one_line(data_dir, monkeypatch, capsys):
    env = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""}
    assert no_display(env, "linux") and not no_display({"DISPLAY": ":0"}, "linux")
    assert not no_display({"QT_QPA_PLATFORM": "offscreen"}, "linux") and not no_display({}, "darwin")
    for name in env:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert cli_main([str(data_dir / "eval_tiny.fa")]) == 2
    err = capsys.readouterr().err
    assert "no display" in err and "--screenshot" in err and len(err.strip().splitlines()) == 1


def test_system_refusals_are_one_line(monkeypatch, capsys):
    import errno

    import pytest

    import genoview.cli.info as info

    def refuse(error):
        def run(args):
            raise error
        return run

    monkeypatch.setattr(info, "run", refuse(OSError(errno.ENOSPC, "No space left on device")))
    assert cli_main(["info", "--fasta", "x.fa"]) == 2
    assert capsys.readouterr().err.strip() == "genoview info: error: No space left on device"
    monkeypatch.setattr(info, "run", refuse(NotADirectoryError(errno.ENOTDIR, "Not a directory", "out/x")))
    assert cli_main(["info", "--fasta", "x.fa"]) == 2
    assert capsys.readouterr().err.strip() == "genoview info: error: out/x: Not a directory"
    monkeypatch.setattr(info, "run", refuse(OSError(errno.EIO, "I/O error")))   # no file named: a bug, shown whole
    with pytest.raises(OSError):
        cli_main(["info", "--fasta", "x.fa"])


def test_library_warnings_are_one_line(capsys):
    import warnings

    from genoview.cli import one_line_warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        one_line_warnings("predict")
        warnings.warn("sequence should be at least 100000 characters (59218 found)", UserWarning)
    assert capsys.readouterr().err == "genoview predict: warning: sequence should be at least 100000 characters " \
                                      "(59218 found)\n"


def test_sigterm_cleans_up_like_ctrl_c(monkeypatch, capsys):
    import os
    import signal

    import pytest

    import genoview.cli.info as info
    from genoview.cli import Terminated, terminate_like_interrupt

    previous = signal.getsignal(signal.SIGTERM)
    try:
        terminate_like_interrupt()
        with pytest.raises(KeyboardInterrupt):   # Terminated is a KeyboardInterrupt: every Ctrl-C clean-up runs
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):   # the handler runs between bytecodes
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)

    def run(args):
        raise Terminated()

    monkeypatch.setattr(info, "run", run)
    assert cli_main(["info", "--fasta", "x.fa"]) == 143
    assert "terminated (SIGTERM)" in capsys.readouterr().err


def test_binary_file_as_genome_is_named_binary(tmp_path, capsys):
    track = tmp_path / "track.fa"
    track.write_bytes(b"\x26\xfc\x8f\x88\x04\x00\x01\x00" + bytes(200))   # a bigWig renamed
    assert cli_main(["info", "--fasta", str(track)]) == 2
    err = capsys.readouterr().err
    assert "a bigWig track" in err and "\\x00" not in err and len(err.strip().splitlines()) == 1
    other = tmp_path / "other.fa"
    other.write_bytes(b"\x01\x02\x03\x04" + bytes(200))   # some other binary file
    assert cli_main(["info", "--fasta", str(other)]) == 2
    assert "a binary file" in capsys.readouterr().err


def test_help_as_a_command(capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_:
        cli_main(["help"])
    assert exit_.value.code == 0 and "COMMAND" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli_main(["help", "predict"])
    assert "usage: genoview predict" in capsys.readouterr().out
