"""core.io.atomic.write_atomically, the one way GenoView replaces a user's file: a writer that fails halfway (or is
interrupted) leaves the earlier file byte-identical and no temporary file; the Real vs mutated CSV goes through it."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.io.atomic import write_atomically


def _half_then(exc):
    def write_to(tmp):
        with open(tmp, "w") as handle:
            handle.write("half of the new")
        raise exc
    return write_to


@pytest.mark.parametrize("exc", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_write_leaves_the_earlier_file_byte_identical(tmp_path, exc):
    path = tmp_path / "scores.csv"
    path.write_bytes(b"earlier,file\n1,2\n")
    with pytest.raises(type(exc)):
        write_atomically(path, _half_then(exc))
    assert path.read_bytes() == b"earlier,file\n1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv"]


def test_the_temporary_file_keeps_the_suffix_and_the_result_is_returned(tmp_path):
    seen = []

    def write_to(tmp):
        seen.append(tmp)
        with open(tmp, "w") as handle:
            handle.write("new")
        return 7

    assert write_atomically(tmp_path / "figure.svg", write_to) == 7
    assert seen[0].endswith(".svg") and (tmp_path / "figure.svg").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.svg"]


def test_saturation_csv_that_fails_halfway_keeps_the_earlier_csv_and_no_temporary_file(tmp_path, fail_csv_after):
    import genoview.core.variant_effects as variant_effects

    effects = variant_effects.SaturationResult("ACG", 0, 3, np.full((3, 5), 0.25, dtype=np.float32),
                                               "log-likelihood ratio", "kn")
    path = tmp_path / "saturation.csv"
    effects.write_csv(path)   # the bytes on success
    good = path.read_bytes()
    assert good.startswith(b"position,ref,alt,effect_alt_minus_ref,measure,model")
    path.write_bytes(b"earlier\n")

    fail_csv_after(variant_effects, OSError("disk full"))
    with pytest.raises(OSError):
        effects.write_csv(path)
    assert path.read_bytes() == b"earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saturation.csv"]
