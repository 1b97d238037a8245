"""H-ux7: File ▸ Open genome offered *.embl files (ENA's text format) that GenoView then refused ("unrecognised
file: it starts with 'ID   ...'"). EMBL files open as GenBank files do (Biopython's EMBL parser, the same features),
gzip too, and a malformed location is reported with its line."""
from __future__ import annotations

import gzip

from genoview.cli import main as cli_main
from genoview.core.genome import open_genome

SEQ = "atgaaacgcattagcaccaccattaccaccaccatcaccattaccacaggtaacggtgcgggctga" * 3   # 198 bases
EMBL = """ID   TEST01; SV 1; circular; genomic DNA; STD; PRO; 198 BP.
XX
AC   TEST01;
XX
DE   A test record.
XX
FH   Key             Location/Qualifiers
FH
FT   source          1..198
FT                   /organism="Testus"
FT   gene            1..66
FT                   /gene="thrL"
FT                   /locus_tag="T_0001"
FT   CDS             1..66
FT                   /gene="thrL"
FT                   /locus_tag="T_0001"
FT   gene            complement(100..
FT                   190)
FT                   /locus_tag="T_0002"
FT   gene            150..400
FT                   /locus_tag="T_0003"
XX
SQ   Sequence 198 BP; 60 A; 40 C; 40 G; 58 T; 0 other;
""" + "".join(f"     {SEQ[i:i + 60]}\n" for i in range(0, len(SEQ), 60)) + "//\n"


def test_an_embl_file_opens_with_its_features(tmp_path, capsys):
    path = tmp_path / "test.embl"
    path.write_text(EMBL)
    for name in (path, tmp_path / "test.embl.gz"):
        if name.suffix == ".gz":
            name.write_bytes(gzip.compress(EMBL.encode()))
        with open_genome(name) as genome:
            assert list(genome.sequences) == ["TEST01.1"] and genome.sequences["TEST01.1"].length == 198
            thrl = genome.features.find("thrL")[0]
            assert (thrl.start, thrl.end, thrl.strand) == (0, 66, 1)
            t2 = genome.features.find("T_0002")[0]
            assert (t2.start, t2.end, t2.strand) == (99, 190, -1)   # a location over two lines
            report = genome.features.report
            assert [entry.line for entry in report] == [20]   # 150..400 runs past the end: said, with its line
    assert cli_main(["info", str(path)]) == 0
    assert "TEST01.1" in capsys.readouterr().out
