"""H-cli19 walk: a GTF feature past its sequence's end was told to "declare it with a region line carrying
Is_circular=true", GFF3's words, which a GTF reads as a malformed attribute; in a GTF the hint gives the line in GTF's
syntax (with the gene_id every GTF line needs), and that line, added, wraps the feature across the origin."""
from __future__ import annotations

import re

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import open_genome

GENE = 'chr1\ttest\tgene\t60\t70\t.\t+\t.\tgene_id "C";\n'


def test_the_gtf_hint_is_a_gtf_line_that_works(tmp_path, data_dir):
    gtf = tmp_path / "circ.gtf"
    gtf.write_text(GENE)
    with pytest.raises(GenoViewInputError) as caught:
        open_genome(data_dir / "io_small.fa", gtf)
    text = str(caught.value)
    assert "Is_circular=true" not in text and 'Is_circular "true"' in text
    line = re.search(r"in GTF: (.*;)$", text).group(1)
    gtf.write_text("\t".join(line.split(" ", 8)) + "\n" + GENE)   # the line as told, tab-separated
    with open_genome(data_dir / "io_small.fa", gtf) as genome:
        gene = next(f for f in genome.features if f.type == "gene")
        assert gene.seqid == "chr1" and gene.parts is not None   # wrapped across the origin


def test_the_gff3_hint_is_unchanged(tmp_path, data_dir):
    gff = tmp_path / "circ.gff3"
    gff.write_text("##gff-version 3\nchr1\tt\tgene\t60\t70\t.\t+\t.\tID=g\n")
    with pytest.raises(GenoViewInputError, match="declare it with a region line carrying Is_circular=true"):
        open_genome(data_dir / "io_small.fa", gff)
