"""Core writers that already renamed a whole file into place now also leave no temporary file when they fail or are
interrupted (score-pairs --out, a training spec, a model's zip), and the earlier file stays byte-identical."""
from __future__ import annotations

import shutil
import zipfile

import numpy as np
import pytest

from genoview import paths

EARLIER = b"the user's earlier file\n"


@pytest.mark.parametrize("name", ["scores.csv", "scores.csv.gz"])
def test_score_pairs_csv_that_fails_halfway_keeps_the_earlier_file(tmp_path, fail_csv_after, name):
    import genoview.core.lm_scoring as lm_scoring

    scores = lm_scoring.PairScores("kn", ["1", "2"], np.array([-3.0, -4.0]), np.array([3, 4]),
                                   np.array([-5.0, -2.0]), np.array([3, 4]))
    path = tmp_path / name
    path.write_bytes(EARLIER)
    fail_csv_after(lm_scoring, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        scores.write_csv(path)
    assert path.read_bytes() == EARLIER
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_training_spec_that_fails_halfway_keeps_the_earlier_spec(tmp_path, monkeypatch):
    import pathlib

    from genoview.core.training.spec import TrainingSpec

    path = tmp_path / "spec.json"
    TrainingSpec(architecture="genecnn").save(path)   # success: the same text as before
    assert path.read_text().startswith("{") and path.read_text().endswith("}\n")
    path.write_bytes(EARLIER)

    def half(self, text, *a, **k):
        with open(self, "w") as handle:
            handle.write(text[:5])
        raise OSError("disk full")

    monkeypatch.setattr(pathlib.Path, "write_text", half)
    with pytest.raises(OSError):
        TrainingSpec(architecture="genecnn").save(path)
    assert path.read_bytes() == EARLIER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.json"]


def test_an_interrupted_model_zip_keeps_the_earlier_zip(tmp_path, monkeypatch):
    from genoview.core import library

    shipped = paths.SHIPPED_MODELS_DIR / "genecnn-ecoli"
    if not shipped.is_dir():
        pytest.skip("shipped model genecnn-ecoli not present")
    folder = tmp_path / "downloaded-model"
    shutil.copytree(shipped, folder)
    library.import_model(folder, "mine")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "mine.zip"
    target.write_bytes(EARLIER)
    real_write = zipfile.ZipFile.write

    def interrupted(self, *a, **k):
        real_write(self, *a, **k)
        raise KeyboardInterrupt

    monkeypatch.setattr(zipfile.ZipFile, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        library.export_zip("mine", target)
    assert target.read_bytes() == EARLIER
    assert sorted(p.name for p in out.iterdir()) == ["mine.zip"]
