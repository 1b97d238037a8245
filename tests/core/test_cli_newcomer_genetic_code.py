"""`genoview predict --gff-out` says which genetic code its genes use, in words: on a Mycoplasma genome a newcomer
could not tell whether TGA had been read as a stop (only the GFF's transl_table=4 said so)."""
from __future__ import annotations

import gzip

from genoview.cli.predict import genetic_code_line

CDS = "c\tGenoView\tCDS\t1\t90\t.\t+\t0\tID=a;transl_table={}\n"


def test_the_code_is_said_in_words(tmp_path):
    four = tmp_path / "myco.gff3"
    four.write_text("##gff-version 3\n" + CDS.format(4) * 3, encoding="utf-8")
    assert genetic_code_line(four).startswith("genetic code 4 (TGA read as tryptophan")
    eleven = tmp_path / "ecoli.gff3.gz"
    with gzip.open(eleven, "wt") as handle:
        handle.write(CDS.format(11))
    assert genetic_code_line(eleven) == "genetic code 11 (the bacterial and archaeal code)"
    none = tmp_path / "none.gff3"
    none.write_text("##gff-version 3\n", encoding="utf-8")
    assert genetic_code_line(none) == "" and genetic_code_line(tmp_path / "missing.gff3") == ""
