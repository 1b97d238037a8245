"""A model GenoView writes is readable by others as the umask allows (session 13, H-batch's finding: safetensors'
save_file and mkstemp write 0600, so a colleague on a shared server could not load a trained or adapted model)."""
from __future__ import annotations

import os
import stat

from genoview.core.models.metadata import ModelMetadata, current_umask, readable_as_umask_allows


def test_metadata_save_leaves_weights_and_metadata_readable(tmp_path):
    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"x")
    os.chmod(weights, 0o600)                 # as safetensors writes it
    (tmp_path / "own.txt").write_text("x")
    os.chmod(tmp_path / "own.txt", 0o600)    # not GenoView's kind of file: left alone
    ModelMetadata(name="m").save(tmp_path)
    expected = 0o666 & ~current_umask()
    assert stat.S_IMODE(weights.stat().st_mode) == expected
    assert stat.S_IMODE((tmp_path / "genoview.json").stat().st_mode) == expected
    assert stat.S_IMODE((tmp_path / "own.txt").stat().st_mode) == 0o600


def test_only_private_files_change(tmp_path):
    f = tmp_path / "config.json"
    f.write_text("{}")
    os.chmod(f, 0o640)                       # a mode someone chose: kept
    readable_as_umask_allows(tmp_path)
    assert stat.S_IMODE(f.stat().st_mode) == 0o640


def test_current_umask_is_the_process_umask():
    mask = os.umask(0o027)
    try:
        assert current_umask() == 0o027
    finally:
        os.umask(mask)
