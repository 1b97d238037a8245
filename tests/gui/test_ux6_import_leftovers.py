"""H-ux6: an import (zip or folder) or a delete killed mid-way left its hidden work folder (".unpacking-…",
".NAME.importing-PID", ".NAME.deleting-PID", gigabytes) in the library folder for ever. Listing the library or
importing into it now removes those whose process is gone, and never one another running GenoView is writing."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from genoview import paths
from genoview.core import library
from genoview.core.errors import GenoViewInputError


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _leftover(folder, age_s: float):
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"\0" * 1024)
    stamp = time.time() - age_s
    for path in (folder / "model.safetensors", folder):
        os.utime(path, (stamp, stamp))
    return folder


def _make(live_pid):
    lib = paths.model_library_dir()
    lib.mkdir(parents=True, exist_ok=True)
    dead = _dead_pid()
    gone = [_leftover(lib / f".unpacking-{dead}-ab12cd", 7200), _leftover(lib / f".mine.importing-{dead}", 7200),
            _leftover(lib / f".old.deleting-{dead}", 7200), _leftover(lib / ".unpacking-x1y2z3_q", 7200)]
    kept = [_leftover(lib / f".unpacking-{live_pid}-ab12cd", 7200),      # another GenoView unpacking right now
            _leftover(lib / f".theirs.importing-{live_pid}", 7200),      # ... or copying
            _leftover(lib / f".busy.importing-{os.getpid()}", 7200),     # this one, on another thread
            _leftover(lib / f".fresh.importing-{dead}", 5),              # just written (another machine's pid?)
            _leftover(lib / ".unpacking-young_1", 60),                   # no pid, not an hour old
            _leftover(lib / "a-model", 7200)]                           # not a work folder
    return gone, kept


def test_listing_the_library_removes_a_killed_imports_leftovers_only(live_pid):
    gone, kept = _make(live_pid)
    library.library_rows()
    assert [p.name for p in gone if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []


def test_importing_removes_them_too(live_pid, tmp_path):
    gone, kept = _make(live_pid)
    with pytest.raises(GenoViewInputError):
        library.import_model(tmp_path / "no-such-folder")
    assert [p.name for p in gone if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []


def test_a_zip_is_unpacked_under_a_name_holding_this_process_id(tmp_path):
    import zipfile

    source = tmp_path / "m.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("m/config.json", "{}")
    with library.model_folder_of(source, tmp_path) as unpacked:
        assert unpacked.parent.name.startswith(f".unpacking-{os.getpid()}-")
        assert library.remove_import_leftovers(tmp_path, now=time.time() + 10 ** 6) == []


def test_genoview_models_lists_after_removing_them(live_pid, capsys):
    from genoview.cli import main

    gone, kept = _make(live_pid)
    assert main(["models", "--json"]) == 0
    assert [p.name for p in gone if p.exists()] == []
    assert [p.name for p in kept if not p.exists()] == []
