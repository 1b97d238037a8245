"""`genoview score-pairs` on a GENOVIEW_HOME it cannot write (a cluster's read-only mount) says so before it loads any
model, naming genoview.db and the fix: it failed only at the first model's run record, after the minutes of loading
(session 15). Since session 16 it is a warning and the command runs unrecorded (test_s16_read_only_home_runs.py).
Read-only as SQLite sees it (a mode=ro connection: the read_only_database fixture), so it holds under root too."""
from __future__ import annotations

import os

import pytest

from genoview.cli import main as cli_main
from genoview.core.errors import GenoViewInputError
from genoview.core.store import Store, open_store
from genoview.paths import user_data_dir
from tests.core.test_hsmall_runs_recorded import _pairs


@pytest.fixture
def loads(monkeypatch):
    """The language models score-pairs loaded (none should be)."""
    seen = []

    def load(name, device=None):
        seen.append(name)
        raise GenoViewInputError("stopped at the loading (test)")
    monkeypatch.setattr("genoview.core.lm_models.load_language_model", load)
    return seen


def test_a_read_only_store_is_said_before_any_model_loads(tmp_path, capsys, loads, read_only_database):
    open_store()   # the home's database exists, at the current schema (a read-only one is then only read)
    read_only_database()
    assert cli_main(["score-pairs", "--model", "some-lm", "--pairs", str(_pairs(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert loads == ["some-lm"]
    warning, stopped = err.index("warning:"), err.index("stopped at the loading")
    assert warning < stopped and "cannot be written" in err and str(user_data_dir() / "genoview.db") in err
    assert "GENOVIEW_HOME" in err and "writable" in err and "Traceback" not in err


def test_check_writable_changes_nothing_and_refuses_a_read_only_store(tmp_path, read_only_database):
    store = Store(tmp_path / "genoview.db")
    before = (tmp_path / "genoview.db").read_bytes()
    store.check_writable()
    assert (tmp_path / "genoview.db").read_bytes() == before and store.runs() == []
    read_only_database()
    with pytest.raises(GenoViewInputError, match="cannot be written") as error:
        Store(tmp_path / "genoview.db").check_writable()
    assert error.value.path == str(tmp_path / "genoview.db")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_home_without_write_permission_is_said_before_any_model_loads(tmp_path, capsys, loads):
    open_store()
    home = user_data_dir()
    (home / "genoview.db").chmod(0o444)
    home.chmod(0o555)
    try:
        assert cli_main(["score-pairs", "--model", "some-lm", "--pairs", str(_pairs(tmp_path))]) == 2
    finally:
        home.chmod(0o755)
        (home / "genoview.db").chmod(0o644)
    err = capsys.readouterr().err
    assert err.index("genoview.db") < err.index("stopped at the loading") and "GENOVIEW_HOME" in err


def test_evaluate_with_a_model_says_a_read_only_store_before_loading_it(tmp_path, monkeypatch, capsys, data_dir,
                                                                      read_only_database):
    """`genoview evaluate --model` records its run too: the same check, before the model loads."""
    loaded = []

    def load(*args, **kwargs):
        loaded.append(args)
        raise GenoViewInputError("stopped at the loading (test)")
    monkeypatch.setattr("genoview.core.models.load_model", load)
    open_store()
    read_only_database()
    code = cli_main(["evaluate", "--model", "some-model", "--fasta", str(data_dir / "engine_tiny.fa"),
                     "--gff", str(data_dir / "engine_tiny.gff3")])
    err = capsys.readouterr().err
    assert code == 2 and len(loaded) == 1 and "cannot be written" in err and "GENOVIEW_HOME" in err
    assert err.index("warning:") < err.index("stopped at the loading")
