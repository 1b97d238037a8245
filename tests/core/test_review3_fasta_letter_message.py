"""A bad letter in a FASTA is named as a user reads it (' ', a tab, 'X' or a byte code), not as Python's b'\\t'."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome


@pytest.mark.parametrize("line,shown", [(b"AC GT", "' '"), (b"AC\tGT", "a tab"), (b"AC*GT", "'*'"),
                                        (b"AC\xc3\xa9GT", "the byte 0xC3")])
def test_bad_letter_is_named_in_words_with_file_and_line(tmp_path, line, shown):
    path = tmp_path / "g.fa"
    path.write_bytes(b">a\nACGT\n\n>b\n" + line + b"\n")
    with pytest.raises(GenoViewInputError) as caught:
        open_genome(path)
    assert f"g.fa, line 5: {shown} is not a nucleotide letter" in str(caught.value)
    assert "b'" not in str(caught.value)
