"""H-rob (session 15): every bad bedGraph line said "expected 4 columns 'seqid start end value'", also of a 4-column
line whose value was written with a decimal comma (0,5: a spreadsheet under a German language setting) and of a
FASTA given as the track. Each now says what is wrong."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.inference import read_bedgraph


@pytest.mark.parametrize("text, said", [
    ("chr1\t0\t100\t0,5\n", "the value '0,5' has a decimal comma; bedGraph values use a point (0.5)"),
    (">chr1\nACGT\n", "this is a FASTA file, not a track"),
    ("chr1\t0\t100\n", "expected 4 columns 'seqid start end value', found 3"),
    ("chr1\t0\t1,000\t0.5\n", "the end '1,000' is not a whole number of bases"),
    ("chr1\t0\t100\tNA\n", "the value 'NA' is not a number"),
])
def test_a_bad_line_says_what_is_wrong(tmp_path, text, said):
    path = tmp_path / "track.bedgraph"
    path.write_text("track type=bedGraph\n" + text if not text.startswith(">") else text)
    with pytest.raises(GenoViewInputError) as caught:
        read_bedgraph(path)
    assert said in str(caught.value) and "track.bedgraph" in str(caught.value)


def test_points_still_read(tmp_path):
    path = tmp_path / "track.bedgraph"
    path.write_text("chr1\t0\t2\t0.5\nchr1\t2\t3\t1e-3\n")
    start, values = read_bedgraph(path)["chr1"]
    assert start == 0 and values.tolist() == pytest.approx([0.5, 0.5, 0.001])
