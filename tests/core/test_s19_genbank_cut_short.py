"""H-cli19 walk: a GenBank file cut short inside its header or features table (a download that stopped) was called
"not a valid GenBank file: Premature end of line during features table" (Biopython's words), without a line; it is
said as the EMBL reader's cut-short file is (the file ends inside a record ... get it again), at its last line."""
from __future__ import annotations

import gzip

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome


@pytest.mark.parametrize("cut", [50, 300, 700])
def test_a_genbank_file_cut_short_says_so_at_its_last_line(tmp_path, data_dir, cut):
    path = tmp_path / "cut.gb"
    text = (data_dir / "io_small.gb").read_bytes()[:cut]
    path.write_bytes(text)
    last = text.decode().count("\n") + (not text.endswith(b"\n"))
    with pytest.raises(GenoViewInputError, match=rf"cut\.gb, line {last}: the file ends inside a record .* cut short"):
        open_genome(path)


def test_the_cli_says_it_in_one_line_for_gzip_too(tmp_path, data_dir, capsys):
    path = tmp_path / "cut.gb.gz"
    path.write_bytes(gzip.compress((data_dir / "io_small.gb").read_bytes()[:300]))
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cut.gb.gz, line 11: the file ends inside a record" in err
    assert "Premature" not in err and "not a valid GenBank" not in err
