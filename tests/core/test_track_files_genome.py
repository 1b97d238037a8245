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


def test_a_typod_end_is_refused_at_its_line_before_any_array_is_made(tmp_path):
    """rev18a: an end of 2,000,000,000 (one typo) was read whole first, an 8 GB array (12 s, 7.7 GB RSS on the
    example genome), and only then said 'past its end' with no line; 10**12 was a MemoryError. A name the genome lacks
    is not read at all."""
    typo = tmp_path / "typo.bedGraph"
    typo.write_text("chrA\t0\t10\t0.5\nchrA\t10\t1000000000000\t0.3\n")
    with pytest.raises(GenoViewInputError, match="past its end") as caught:
        tracks_for_genome(str(typo), {"chrA": 100})
    assert caught.value.line == 2 and "typo.bedGraph, line 2" in str(caught.value)
    foreign = tmp_path / "foreign.bedGraph"
    foreign.write_text("chrA\t0\t10\t0.5\nchrHuman1\t0\t1000000000000\t0.3\n")
    found = tracks_for_genome(str(foreign), {"chrA": 100})
    assert found.skipped == ["chrHuman1"] and list(found.values) == ["chrA"]


def test_damaged_bigwig_and_gzip_are_named_not_raised_raw(tmp_path):
    """rev18a: a truncated bigWig was pybigtools' BBIReadError 'Error opening bigWig.' and a truncated .bg.gz gzip's
    EOFError (a traceback from `genoview evaluate --bedgraph`, the raw exception in the window's box)."""
    bw = tmp_path / "cut.bw"
    bw.write_bytes(b"\x26\xfc\x8f\x88" + b"\0" * 60)
    gz = tmp_path / "cut.bg.gz"
    gz.write_bytes(b"\x1f\x8b\x08garbage")
    for path, words in ((bw, "damaged or incomplete bigWig"), (gz, "gzip data is damaged or truncated")):
        with pytest.raises(GenoViewInputError, match=words) as caught:
            read_track(str(path))
        assert path.name in str(caught.value)
        with pytest.raises(GenoViewInputError, match=words):
            tracks_for_genome(str(path), {"chrA": 100})


def test_a_cut_gzip_and_a_binary_track_say_what_the_other_text_readers_say(tmp_path):
    """Session 19: read_track translated gzip and decoding errors in its own words; it now uses errors.read_as_text,
    as the pair-file, VCF and sequence readers do: the same message for the same damage, naming the file."""
    import gzip

    from genoview.core.errors import read_as_text

    whole = gzip.compress(b"".join(b"chrA\t%d\t%d\t0.5\n" % (i, i + 1) for i in range(2000)))
    cut = tmp_path / "cut.bedGraph.gz"
    cut.write_bytes(whole[:len(whole) // 2])   # a download stopped half way: gzip's EOFError
    binary = tmp_path / "x.bedGraph"
    binary.write_bytes(b"chrA\t0\t10\t0.5\n" + bytes(range(128, 256)) * 8)
    for path, damage in ((cut, EOFError("Compressed file ended before the end-of-stream marker was reached")),
                         (binary, UnicodeDecodeError("utf-8", b"\x80", 0, 1, "invalid start byte"))):
        with pytest.raises(GenoViewInputError) as caught:
            read_track(str(path), {"chrA": 3000})
        with pytest.raises(GenoViewInputError) as shared:
            with read_as_text(path, "a bedGraph (a text file of 'seqid start end value' lines) nor a bigWig"):
                raise damage
        message = str(caught.value)
        assert path.name in message and message.split(" (")[0] == str(shared.value).split(" (")[0]


def test_evaluate_names_the_line_of_a_foreign_name_and_a_typod_end(tmp_path, capsys):
    from genoview.cli.evaluate import tracks_from_bedgraph

    track = tmp_path / "t.bedGraph"
    track.write_text("chrA\t0\t10\t0.5\nchrA\t10\t1000000000000\t0.3\n")
    with pytest.raises(GenoViewInputError, match="past its end") as caught:
        tracks_from_bedgraph(str(track), {"chrA": 100})
    assert caught.value.line == 2
    track.write_text("track type=bedGraph\nchrA\t0\t10\t0.5\nchrQ\t0\t1000000000000\t0.3\n")
    with pytest.raises(GenoViewInputError, match="'chrQ', which the genome does not have") as caught:
        tracks_from_bedgraph(str(track), {"chrA": 100})
    assert caught.value.line == 3


def test_a_folder_is_called_a_folder(tmp_path):
    """File ▸ Open track… (and tracks_for_genome) on a folder said "file not found": it is a folder, as the CLI's
    require_input_file says (H-cli18b); a missing file still says "file not found"."""
    folder = tmp_path / "tracks.bedGraph"
    folder.mkdir()
    for read in (read_track, lambda p: tracks_for_genome(p, {"chrA": 100})):
        with pytest.raises(GenoViewInputError, match="this is a folder, not a track") as caught:
            read(str(folder))
        assert caught.value.path == str(folder) and "tracks.bedGraph: " in str(caught.value)
        with pytest.raises(GenoViewInputError, match="file not found"):
            read(str(tmp_path / "missing.bedGraph"))
