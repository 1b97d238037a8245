"""rev13: a GenBank file whose last record has all its bases but no closing '//' (files joined by hand or written by
scripts) opened before session 13 and was then refused as 'cut short ... get it again'. Nothing is missing: it
opens; a file cut inside its bases is still refused."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome
from test_cli_newcomer_genbank_cut_short import GENBANK


def test_a_last_record_without_its_closing_slashes_opens(tmp_path):
    path = tmp_path / "joined.gbk"
    path.write_text(GENBANK + GENBANK.replace("TEST01", "TEST02").removesuffix("//\n"))
    with open_genome(path) as genome:
        assert {seqid: record.length for seqid, record in genome.sequences.items()} == {"TEST01.1": 198,
                                                                                      "TEST02.1": 198}
        assert len(genome.features.find("T_0002")) == 2 and not genome.features.report
    cut = tmp_path / "cut.gbk"
    cut.write_text(GENBANK + GENBANK.replace("TEST01", "TEST02")[: GENBANK.index("       61 ")])
    with pytest.raises(GenoViewInputError, match="198 bp but the file holds 60 bases"):
        open_genome(cut)
