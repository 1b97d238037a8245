"""H-cli19 walk: a GenBank file whose records repeat an id, or a record without its sequence (a CONTIG file), was
refused naming the file only ("sequence id 'TEST01.1' appears twice"); the message names the record's line."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome


def test_a_repeated_record_id_names_both_records_lines(tmp_path, data_dir):
    text = (data_dir / "io_small.gb").read_text()
    path = tmp_path / "twice.gb"
    path.write_text(text + text)
    second = text.count("\n") + 1
    with pytest.raises(GenoViewInputError, match=rf"twice\.gb, line {second}: sequence id 'TEST01\.1' appears twice "
                                                 r"\(records 1 and 2; the first starts at line 1\)"):
        open_genome(path)


def test_a_record_without_bases_names_its_line(tmp_path, data_dir):
    text = (data_dir / "io_small.gb").read_text()
    contig = text[:text.index("ORIGIN")] + "CONTIG      join(AB000001.1:1..74)\n//\n"
    path = tmp_path / "contig.gb"
    path.write_text(text.replace("TEST01", "TEST00") + contig)
    with pytest.raises(GenoViewInputError, match=rf"contig\.gb, line {text.count(chr(10)) + 1}: record 'TEST01\.1' "
                                                 "has no sequence"):
        open_genome(path)
