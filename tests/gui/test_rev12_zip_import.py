"""rev12: Import zip… refuses a zip whose unpacked size, file count or need for disk space is more than a model's
before writing a byte (a few kilobytes of zip unpacked to any size: a "zip bomb" filled the library's disk); a zip
member stored as a symbolic link comes out as a plain file; a zip of a model's files alone is offered under its own
name (the hidden temporary folder's ".unpacking-…" was offered)."""
from __future__ import annotations

import json
import shutil
import stat
import zipfile

import pytest

import genoview.core.library as library
from genoview.core.errors import GenoViewInputError
from genoview.paths import SHIPPED_MODELS_DIR


def _zeros_zip(path, megabytes=3):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model/config.json", "{}")
        archive.writestr("model/model.safetensors", b"\0" * (megabytes * 1024 * 1024))
    return path


def _no_unpacking(into, monkeypatch) -> list:
    extracted = []
    real = zipfile.ZipFile.extractall
    monkeypatch.setattr(zipfile.ZipFile, "extractall", lambda self, *a, **k: extracted.append(1) or real(self, *a, **k))
    return extracted


def test_a_zip_that_unpacks_to_more_than_a_model_is_refused_unread(tmp_path, monkeypatch):
    source = _zeros_zip(tmp_path / "bomb.zip")
    assert source.stat().st_size < 64 * 1024   # 3 MB of zeros in a few kilobytes
    monkeypatch.setattr(library, "MAX_ZIP_UNPACKED_BYTES", 1024 * 1024)
    into = tmp_path / "library"
    into.mkdir()
    extracted = _no_unpacking(into, monkeypatch)
    with pytest.raises(GenoViewInputError, match=r"bomb\.zip.*would unpack to 3\.0 MB, more than any model"):
        with library.model_folder_of(source, into):
            pass
    assert not extracted and list(into.iterdir()) == []   # nothing written, the temporary folder gone


def test_a_zip_larger_than_the_free_disk_space_is_refused(tmp_path, monkeypatch):
    source = _zeros_zip(tmp_path / "big.zip", megabytes=1)
    into = tmp_path / "library"
    into.mkdir()
    free = type("Usage", (), {"free": 100 * 1024 ** 2, "total": 1, "used": 1})()
    monkeypatch.setattr(library.shutil, "disk_usage", lambda path: free)
    extracted = _no_unpacking(into, monkeypatch)
    with pytest.raises(GenoViewInputError, match="has 100.0 MB free, and importing needs twice that much"):
        with library.model_folder_of(source, into):
            pass
    assert not extracted


def test_a_zip_of_many_files_is_refused(tmp_path, monkeypatch):
    source = tmp_path / "many.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for i in range(30):
            archive.writestr(f"model/f{i}", "")
    monkeypatch.setattr(library, "MAX_ZIP_MEMBERS", 20)
    with pytest.raises(GenoViewInputError, match="holds 30 files"):
        with library.model_folder_of(source, tmp_path):
            pass


def test_a_symbolic_link_in_a_zip_comes_out_as_a_plain_file(tmp_path):
    source = tmp_path / "link.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("model/config.json", "{}")
        link = zipfile.ZipInfo("model/tokenizer.json")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    with library.model_folder_of(source, tmp_path) as folder:
        unpacked = folder / "tokenizer.json"
        assert unpacked.is_file() and not unpacked.is_symlink()
        assert unpacked.read_text() == "/etc/passwd"   # the link's text, not the file it names


def test_a_zip_of_the_files_alone_is_named_after_the_zip(tmp_path):
    shipped = SHIPPED_MODELS_DIR / "genecnn-ecoli"
    if not shipped.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    folder = tmp_path / "copy"
    shutil.copytree(shipped, folder)
    meta = json.loads((folder / "genoview.json").read_text())
    meta.pop("name", None)
    (folder / "genoview.json").write_text(json.dumps(meta))
    source = tmp_path / "colleague-model.zip"
    with zipfile.ZipFile(source, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    assert library.validate_model_folder(source)["name"] == "colleague-model"
    target = library.import_model(source)
    assert target.name == "colleague-model" and (target / "config.json").is_file()
