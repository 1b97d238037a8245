"""H-ux7: a GenBank file cut short (a download that stopped) opened with the bases that were there and a report of
every later feature 'past the end' (1,359 lines for a Mycoplasma file cut at 300 kB); a LOCUS line in another layout
said "no GenBank record found (a record starts with a LOCUS line)" of a file starting with LOCUS. Both now say what
happened, with the file (and line)."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome

SEQ = "atgaaacgcattagcaccaccattaccaccaccatcaccattaccacaggtaacggtgcgggctga" * 3   # 198 bases
ORIGIN = "".join(f"{i + 1:>9} " + " ".join(SEQ[j:j + 10] for j in range(i, min(i + 60, len(SEQ)), 10)) + "\n"
                 for i in range(0, len(SEQ), 60))
GENBANK = ("LOCUS       TEST01                   198 bp    DNA     linear   BCT 01-JAN-2000\n"
           "DEFINITION  test.\nACCESSION   TEST01\nVERSION     TEST01.1\n"
           "FEATURES             Location/Qualifiers\n"
           "     gene            1..66\n                     /locus_tag=\"T_0001\"\n"
           "     gene            150..190\n                     /locus_tag=\"T_0002\"\n"
           "ORIGIN\n" + ORIGIN + "//\n")


def test_a_genbank_file_cut_short_says_so(tmp_path):
    whole = tmp_path / "whole.gbk"
    whole.write_text(GENBANK)
    with open_genome(whole) as genome:
        assert genome.sequences["TEST01.1"].length == 198 and not genome.features.report
    cut = tmp_path / "cut.gbk"
    cut.write_text(GENBANK[: GENBANK.index("       61 ")])   # the download stopped after the first 60 bases
    with pytest.raises(GenoViewInputError, match=r"cut\.gbk: .*198 bp but the file holds 60 bases: the file was cut "
                                                 r"short"):
        open_genome(cut)


def test_a_locus_line_biopython_cannot_read_is_named(tmp_path):
    odd = tmp_path / "odd.gbk"
    odd.write_text(GENBANK.replace("LOCUS       TEST01                   198 bp", "LOCUS TEST01 198 bp", 1))
    with pytest.raises(GenoViewInputError, match=r"odd\.gbk, line 1: this LOCUS line is not in the layout"):
        open_genome(odd)
