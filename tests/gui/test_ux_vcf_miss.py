"""A VCF that gives no edit in the region says what it holds (its CHROM names are often not the genome's), not only
"the VCF has no variant in this region"."""
from __future__ import annotations

from genoview.core.mutation import Variant
from genoview.gui.panels.mutation import vcf_miss_message


def variant(seqid, position):
    return Variant(seqid=seqid, position=position, ref="A", alt="C", line=3)


def test_names_the_chromosomes_and_the_region():
    on_chr7 = [variant("chr7", 10), variant("chr7", 20), variant("chr1", 5)]
    text = vcf_miss_message(on_chr7, "7", 0, 957)
    assert "no variant on 7" in text and "chr7 (2), chr1 (1)" in text and "as this genome does" in text
    text = vcf_miss_message(on_chr7, "chr7", 100, 200)
    assert text == "the VCF has no variant in chr7:101-200 (its 2 variants on chr7 lie elsewhere)"
    assert "no variant lines" in vcf_miss_message([], "chr7", 0, 10)
