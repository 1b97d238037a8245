"""H-rob (session 15): a PNG renamed genome.fa was "unrecognised file: it starts with '\\ufffdPNG\\r\\n...'" on the
command line (the window rewrote the bytes as "binary data"). A picture or a document now says what it is; other
bytes that are not text say "binary data" on both."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.io import detect_format


@pytest.mark.parametrize("head, said", [(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a PNG image"),
                                        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "this is a JPEG image"),
                                        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "this is a PDF document"),
                                        (b"\x8f\xa3\xd1\xee\x12\x99\xfe\x80\x81\x82", "starts with binary data")])
def test_not_text_says_what_it_is(tmp_path, head, said):
    path = tmp_path / "genome.fa"
    path.write_bytes(head + b"\xaa" * 100)
    with pytest.raises(GenoViewInputError) as caught:
        detect_format(path)
    message = str(caught.value)
    assert said in message and "genome.fa" in message and "\ufffd" not in message


def test_text_still_shows_its_start(tmp_path):
    path = tmp_path / "notes.fa"
    path.write_text("Größe of the genome: 4.6 Mb\n")
    with pytest.raises(GenoViewInputError, match="it starts with 'Größe of the genome"):
        detect_format(path)


def test_a_picture_as_the_annotation_says_what_it_is(tmp_path):
    from genoview.core.io import read_annotation

    path = tmp_path / "genes.gff3"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\xaa" * 100)
    with pytest.raises(GenoViewInputError, match="this is a PNG image"):
        read_annotation(path)
