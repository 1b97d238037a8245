"""`genoview predict` in a batch job whose disk fills: the one line names the output (or the prediction cache in
GENOVIEW_HOME) and its folder, exit 2, and nothing half-written is left. Seen on a 64 kB disk: "error: No space left
on device" (no file named) and, for bigWig, pybigtools' "…genoview-tmp.bw: writing the bigWig failed: Couldn't send"."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from genoview.cli import main
from genoview.core import inference, prediction, store as store_module
from genoview.core.errors import GenoViewInputError
from genoview.core.store import open_store

REAL_STATVFS = os.statvfs


@pytest.fixture
def genome(tmp_path) -> Path:
    fasta = tmp_path / "g.fa"
    fasta.write_text(">s\n" + "ATGAAACGCATTAGCACCACCATTACCACCACCATCACCATTACCACAGGTAACGGTGCGGGCTGA" * 40 + "\n")
    return fasta


def fill(monkeypatch, folder: Path) -> None:
    """``folder``'s disk reports no space left (the write itself is made to fail by the caller)."""
    def statvfs(path):
        if Path(path).resolve() == folder.resolve():
            return os.statvfs_result((4096, 4096, 100, 0, 0, 100, 0, 0, 0, 255))
        return REAL_STATVFS(path)

    monkeypatch.setattr(os, "statvfs", statvfs)


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_output_folder_is_named(genome, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    fill(monkeypatch, out)
    monkeypatch.setattr(inference.BedGraphWriter, "add", no_space)
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome), "--bedgraph", str(out / "t.bedGraph")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert str(out / "t.bedGraph") in err and "bedGraph (--bedgraph) output" in err and "no space left" in err
    assert not list(out.iterdir())
    assert open_store().runs("prediction")[0]["status"] == "failed"


def test_a_full_folder_under_a_bigwig_is_named_not_its_temporary_file(genome, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    out.mkdir()
    fill(monkeypatch, out)

    def send_error(self, *args, **kwargs):
        raise GenoViewInputError("writing the bigWig failed: Couldn't send: SendError { kind: Disconnected }",
                                 self.path)

    monkeypatch.setattr(inference.BigWigWriter, "add", send_error)
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome), "--bigwig", str(out / "t.bw")]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert str(out / "t.bw") in err and "no space left" in err and "genoview-tmp" not in err
    assert not list(out.iterdir())


def test_a_full_prediction_cache_names_genoview_home(genome, tmp_path, monkeypatch, capsys):
    cache = open_store().cache_dir
    cache.mkdir(parents=True, exist_ok=True)
    fill(monkeypatch, cache)
    monkeypatch.setattr(store_module.CacheWriter, "write", no_space)
    out = tmp_path / "t.bedGraph"
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome), "--bedgraph", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "prediction cache" in err and str(cache) in err and "GENOVIEW_HOME" in err
    assert not out.exists() and not [p for p in cache.iterdir() if "genoview-tmp" in p.name]


def test_other_failures_keep_their_own_message(genome, tmp_path, monkeypatch, capsys):
    """Only a failed write on a full or read-only disk is reworded: a bug stays a traceback, a bad input its line."""
    def broken(*args, **kwargs):
        raise GenoViewInputError("something else went wrong", "elsewhere.txt")

    monkeypatch.setattr(inference.BedGraphWriter, "add", broken)
    assert main(["predict", "--model", "prodigal", "--fasta", str(genome), "--bedgraph", str(tmp_path / "t.bg")]) == 2
    assert "elsewhere.txt: something else went wrong" in capsys.readouterr().err
    assert prediction._disk_trouble(tmp_path) is None
