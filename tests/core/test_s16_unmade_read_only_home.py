"""A GENOVIEW_HOME that cannot be written and was never set up (no genoview.db, no models/ or config/ folder: a
shared install's empty folder, a read-only mount) runs the shipped models as a read-only home does, with the same
single warning, and makes nothing there; it stopped at 'models: Permission denied' (session 16 review). A cache
folder alone that cannot be written stops only the caching: runs are still recorded."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from genoview import paths
from genoview.cli import main as cli_main
from genoview.core import store as store_module
from genoview.core.errors import GenoViewInputError
from genoview.core.store import open_store
from tests.core.test_cli_predict_evaluate import gc_model  # noqa: F401 (a fixture)


def _unwritable(monkeypatch, home: Path) -> None:
    """``home`` exists, empty, and nothing can be made in it (as a chmod 555 folder for a user who is not root)."""
    real_mkdir, real_connect = Path.mkdir, sqlite3.connect

    def mkdir(self, *args, **kwargs):
        if self != home and home in self.parents:
            raise PermissionError(13, "Permission denied", str(self))
        return real_mkdir(self, *args, **kwargs)

    def connect(path, *args, **kwargs):
        if str(path) == str(home / "genoview.db") and not Path(path).exists():
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(path, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", mkdir)
    monkeypatch.setattr(store_module.sqlite3, "connect", connect)


def test_a_home_never_set_up_runs_shipped_models_unrecorded_with_one_warning(tmp_path, data_dir, gc_model,
                                                                             monkeypatch, capsys):
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    shutil.move(gc_model, shipped / "gc-model")   # the fixture's model, as a shipped one
    monkeypatch.setattr(paths, "SHIPPED_MODELS_DIR", shipped)
    home = tmp_path / "empty-home"
    home.mkdir()
    monkeypatch.setenv("GENOVIEW_HOME", str(home))
    _unwritable(monkeypatch, home)
    assert cli_main(["models"]) == 0
    assert "gc-model" in capsys.readouterr().out
    out = tmp_path / "track.bedgraph"
    fasta, gff = data_dir / "eval_tiny.fa", data_dir / "eval_tiny.gff3"
    assert cli_main(["predict", str(fasta), "--model", "gc-model", "--bedgraph", str(out)]) == 0
    assert cli_main(["evaluate", str(fasta), "--gff", str(gff), "--model", "gc-model", "--json"]) == 0
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if "warning:" in line]
    assert len(warnings) == 1 and warnings[0].startswith("genoview predict: warning: runs are not recorded")
    assert f"{home / 'genoview.db'}: the GenoView database does not exist and cannot be made" in warnings[0]
    assert "Traceback" not in err and out.read_text().count("\n") > 1
    assert cli_main(["runs"]) == 0
    assert list(home.iterdir()) == []   # nothing made there
    store = open_store()   # an empty database, only read: a write is refused as on a read-only file, never kept
    assert store.runs() == [] and store.library_models() == []
    with pytest.raises(GenoViewInputError) as refused:
        store.start_run("predict", "gc-model")
    assert getattr(refused.value, "read_only", False)


def test_a_cache_folder_alone_that_cannot_be_written_still_records_the_run(tmp_path, data_dir, gc_model, monkeypatch,
                                                                           capsys):
    store = open_store()
    store.cache_dir.mkdir(exist_ok=True)
    real_write = Path.write_bytes
    monkeypatch.setattr(Path, "write_bytes", lambda self, data: (
        (_ for _ in ()).throw(PermissionError(13, "Permission denied")) if self.parent == store.cache_dir
        else real_write(self, data)))
    out = tmp_path / "track.bedgraph"
    assert cli_main(["predict", str(data_dir / "eval_tiny.fa"), "--model", "gc-model", "--bedgraph", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("warning:") == 1 and "warning: predictions are not cached:" in err
    assert f"{store.cache_dir}: the prediction cache folder cannot be written" in err and "runs are recorded" in err
    assert [(run["kind"], run["status"]) for run in store.runs()] == [("prediction", "finished")]
    assert out.is_file() and not any(store.cache_dir.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_chmod_555_home_never_set_up_runs_a_shipped_model(tmp_path, data_dir):
    """The same with real permissions, in a child process: a user who is not root, or root without the capability
    to override them (setpriv)."""
    prefix = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root writes anywhere (no setpriv to drop that)")
        prefix = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                  "--bounding-set=-dac_override,-dac_read_search"]
    home = tmp_path / "ro-home"
    home.mkdir()
    home.chmod(0o555)
    out = tmp_path / "track.bedgraph"
    env = {**os.environ, "GENOVIEW_HOME": str(home), "OMP_NUM_THREADS": "1"}
    try:
        command = [sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())",
                   "predict", str(data_dir / "eval_tiny.fa"), "--model", "prodigal", "--bedgraph", str(out)]
        done = subprocess.run([*prefix, *command], env=env, capture_output=True, text=True, timeout=120)
        listed = list(home.iterdir())
    finally:
        home.chmod(0o755)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("warning:") == 1 and "does not exist and cannot be made" in done.stderr
    assert out.read_text().count("\n") > 1 and listed == []


def test_train_runs_unrecorded_on_a_read_only_home(tmp_path, data_dir, caplog, read_only_home):
    """`genoview train` was refused there ('the GenoView database cannot be written') while README said the others
    run: it trains, writes its model and says how to use it, with the one warning."""
    from genoview.core.training.runner import run_training
    from tests.core.test_s16_read_only_home_runs import _snapshot
    from tests.core.test_training_repeatable import tiny_spec

    read_only_home()
    before = _snapshot()
    said = []
    result = run_training(tiny_spec(data_dir, epochs=1), tmp_path / "tiny", on_message=said.append)
    assert (tmp_path / "tiny" / "model.safetensors").is_file() and result.output_dir == tmp_path / "tiny"
    assert said[-1] == f"tiny is not in your library's list (its database cannot be written); use it as --model " \
                       f"{tmp_path / 'tiny'}"
    assert [r.getMessage() for r in caplog.records if "not recorded" in r.getMessage()] and _snapshot() == before


def test_a_full_disk_before_the_database_was_made_is_the_same(tmp_path, monkeypatch):
    real_connect = sqlite3.connect
    path = tmp_path / "genoview.db"

    def connect(target, *args, **kwargs):
        if str(target) == str(path):
            raise sqlite3.OperationalError("database or disk is full")
        return real_connect(target, *args, **kwargs)
    monkeypatch.setattr(store_module.sqlite3, "connect", connect)
    store = store_module.Store(path)
    assert store.unwritable() == f"{path}: the GenoView database does not exist and cannot be made (database or disk " \
                                 "is full)"
    assert store.runs() == [] and not path.exists()


def test_a_long_home_that_cannot_be_made_is_named_whole(tmp_path, monkeypatch, capsys):
    """The error's prefix is only a long path's last name ('sub: GenoView's data folder cannot be made'): the text
    names the whole folder (tests/core/test_paths_genoview_home.py checks it with real permissions, not as root)."""
    home = tmp_path / ("a-long-cluster-scratch-folder-" * 3) / "sub"
    real_mkdir = Path.mkdir
    monkeypatch.setattr(Path, "mkdir", lambda self, *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission "
                        "denied")) if self == home else real_mkdir(self, *a, **k))
    monkeypatch.setenv("GENOVIEW_HOME", str(home))
    assert cli_main(["models"]) == 2
    assert f"GenoView's data folder {home} cannot be made (Permission denied)" in capsys.readouterr().err
