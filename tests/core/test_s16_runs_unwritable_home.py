"""`genoview runs` on a home whose database cannot be written, or was never made and cannot be: it said only 'no runs
recorded in this GENOVIEW_HOME' (session 16 walk); it now says why, with the one unwritable-home warning of every
command (naming genoview.db and the fix) and a line saying no run is recorded there. A writable home is unchanged."""
from __future__ import annotations

from genoview.cli import main as cli_main
from genoview.paths import user_data_dir
from tests.core.test_s16_unmade_read_only_home import _unwritable


def _said_why(capsys, *, made: bool) -> None:
    assert cli_main(["runs"]) == 0
    captured = capsys.readouterr()
    db = user_data_dir() / "genoview.db"
    assert "no runs recorded in this GENOVIEW_HOME: its database cannot be written" in captured.out
    warnings = [line for line in captured.err.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and warnings[0].startswith("genoview runs: warning: runs are not recorded"), captured.err
    assert str(db) in warnings[0] and "GENOVIEW_HOME" in warnings[0]
    assert ("cannot be made" in warnings[0]) is (not made)


def test_runs_on_a_read_only_home_says_why_none_are_recorded(capsys, read_only_home):
    read_only_home()
    _said_why(capsys, made=True)


def test_runs_on_a_home_never_made_says_why(tmp_path, monkeypatch, capsys):
    home = tmp_path / "empty-home"
    home.mkdir()
    monkeypatch.setenv("GENOVIEW_HOME", str(home))
    _unwritable(monkeypatch, home)
    _said_why(capsys, made=False)
    assert not (home / "genoview.db").exists()


def test_runs_on_a_writable_empty_home_is_unchanged(capsys):
    assert cli_main(["runs"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "no runs recorded in this GENOVIEW_HOME" and "warning" not in captured.err


def test_runs_json_on_a_read_only_home_is_an_empty_list_with_the_warning(capsys, read_only_home):
    import json

    read_only_home()
    assert cli_main(["runs", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "genoview runs: warning: runs are not recorded" in captured.err
