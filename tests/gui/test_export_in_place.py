"""A GUI export writes beside its target and puts the file in place only when it is complete: a failed export
leaves the user's earlier file as it was, and no temporary file behind."""
import os

import pytest

from genoview.core.io.atomic import write_atomically as write_in_place


def test_a_failed_export_leaves_the_earlier_file_untouched(tmp_path):
    target = tmp_path / "track.bedGraph"
    target.write_text("the user's earlier export\n")

    def half_then_fail(out):
        with open(out, "w") as handle:
            handle.write("chr1\t0\t10\t0.5\n")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_in_place(target, half_then_fail)
    assert target.read_text() == "the user's earlier export\n"
    assert os.listdir(tmp_path) == ["track.bedGraph"]


def test_a_finished_export_replaces_the_file_and_keeps_the_suffix_for_the_writer(tmp_path):
    target = tmp_path / "view.svg"
    target.write_text("old")
    seen = []

    def write(out):
        seen.append(out)
        with open(out, "w") as handle:
            handle.write("<svg/>")
        return "Saved"

    assert write_in_place(target, write) == "Saved"
    assert target.read_text() == "<svg/>"
    assert seen[0].endswith(".svg") and os.path.dirname(seen[0]) == str(tmp_path)   # same folder: os.replace is atomic
    assert os.listdir(tmp_path) == ["view.svg"]
