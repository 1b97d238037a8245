"""core.track_files: the one track-file reader (also `genoview evaluate --bedgraph`'s) and matching a file to a genome."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.track_files import is_track_file, read_track, tracks_for_genome


def test_part_matching_kept_rest_skipped_and_range(tmp_path):
    path = tmp_path / "t.bedGraph"
    path.write_text("track type=bedGraph\nchrA\t0\t10\t-2\nchrA\t20\t30\t4\nchrQ\t0\t5\t1\n")
    found = tracks_for_genome(str(path), {"chrA": 100, "chrB": 50})
    assert list(found.values) == ["chrA"] and found.skipped == ["chrQ"]
    start, values = found.values["chrA"]
    assert start == 0 and np.isnan(values[10:20]).all()
    assert found.value_range == (-2.0, 4.0) and not found.is_probability


def test_no_name_matching_names_file_line_and_both_name_lists(tmp_path):
    path = tmp_path / "t.bg"
    path.write_text("# made elsewhere\nchr1\t0\t10\t0.5\n")
    with pytest.raises(GenoViewInputError) as caught:
        tracks_for_genome(str(path), {"NC_000907": 1000}, genome="hin.fna")
    text = str(caught.value)
    assert caught.value.line == 2 and "t.bg" in text and "chr1" in text and "NC_000907" in text


def test_values_past_the_end_and_empty_file_refused(tmp_path):
    past = tmp_path / "past.bedGraph"
    past.write_text("chrA\t0\t200\t0.5\n")
    with pytest.raises(GenoViewInputError, match="past its end"):
        tracks_for_genome(str(past), {"chrA": 100})
    empty = tmp_path / "empty.bedGraph"
    empty.write_text("track type=bedGraph\n")
    with pytest.raises(GenoViewInputError, match="holds no values"):
        tracks_for_genome(str(empty), {"chrA": 100})


def test_names_and_the_cli_reader_is_this_one():
    from genoview.cli import evaluate

    assert evaluate.read_track is read_track
    assert all(map(is_track_file, ["a.bedGraph", "a.BG", "a.bw", "a.bigWig", "a.bedgraph.gz"]))
    assert not is_track_file("a.gff3") and not is_track_file("a.fa")
