"""An EMBL file cut short (a download that stopped): Biopython's EMBL reader raises "Premature end of file in sequence
data" (its GenBank reader only warns), and GenoView said "not a valid GenBank file: ..." of an EMBL file (session 13)."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome

HEAD = ("ID   X; SV 1; linear; genomic DNA; STD; PRO; 100 BP.\nXX\nFH   Key             Location/Qualifiers\n"
        "FT   gene            1..50\nXX\nSQ   Sequence 100 BP;\n")


def test_an_embl_file_cut_inside_its_bases_says_so(tmp_path):
    path = tmp_path / "cut.embl"
    path.write_text(HEAD + "     acgtacgtac gtacgtacgt acgtacgtac                                  30\n")
    with pytest.raises(GenoViewInputError,
                       match=r"cut\.embl, line 7: the file ends inside a record .* cut short") as caught:
        open_genome(path)
    assert "GenBank" not in str(caught.value)


def test_a_whole_embl_file_still_opens(tmp_path):
    path = tmp_path / "whole.embl"
    bases = "acgtacgtac" * 10
    lines = "".join(f"     {' '.join(bases[i + j:i + j + 10] for j in range(0, 60, 10) if i + j < 100):<66}"
                    f"{min(i + 60, 100):>9}\n" for i in range(0, 100, 60))
    path.write_text(HEAD + lines + "//\n")
    with open_genome(path) as genome:
        assert [record.length for record in genome.sequences.values()] == [100]
