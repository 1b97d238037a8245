"""A geneticist's hand-written VCF: a 'chr' prefix the FASTA lacks, a multi-allelic line, the same line split in two."""
from __future__ import annotations

import gzip

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.mutation import apply_edits, read_vcf, vcf_chrom_alias, vcf_edits

GENE = "ATGGCCAAGTTTAGGCTACGCCGATAGCATATGGCCAAGT"   # 40 bases, the FASTA record "KRTAP"
HEADER = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"


def _vcf(tmp_path, body: str, name="mine.vcf"):
    path = tmp_path / name
    text = HEADER + body
    if name.endswith(".gz"):
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def test_a_chr_prefix_the_fasta_lacks_is_read_and_said(tmp_path):
    path = _vcf(tmp_path, "chrKRTAP\t2\t.\tT\tA\t.\t.\t.\nchrKRTAP\t10\t.\tT\tTTT\t.\t.\t.\n", "mine.vcf.gz")
    notes: list[str] = []
    edits = vcf_edits(read_vcf(path), GENE, "KRTAP", 0, path, notes)
    assert [e.describe() for e in edits] == ["2T>A", "10_11insTT"]   # before: no edit ("no variant on KRTAP")
    assert notes == ["the VCF's CHROM chrKRTAP read as KRTAP (this sequence's name)"]
    assert vcf_chrom_alias(read_vcf(path), "chrKRTAP") is None      # its own name: nothing to say
    assert vcf_chrom_alias(read_vcf(path), "OTHER") is None
    # the other way round (FASTA "chr7", VCF "7") too
    other = _vcf(tmp_path, "KRTAP\t2\t.\tT\tA\t.\t.\t.\n", "other.vcf")
    assert vcf_chrom_alias(read_vcf(other), "chrKRTAP") == "KRTAP"


def test_a_multi_allelic_line_says_which_alt_was_applied(tmp_path):
    path = _vcf(tmp_path, "KRTAP\t5\trs1\tC\tT,G\t.\t.\t.\n")
    notes: list[str] = []
    edits = vcf_edits(read_vcf(path), GENE, "KRTAP", 0, path, notes)
    assert [e.describe() for e in edits] == ["5C>T"]
    assert notes == ["line 3: C>T,G is multi-allelic; its first ALT, T, was applied (a copy carries one allele)"]
    assert vcf_edits(read_vcf(path), GENE, "KRTAP", 0, path) == edits   # notes are optional


def test_two_lines_changing_one_base_are_named_with_file_and_lines(tmp_path):
    # bcftools norm -m- splits a multi-allelic site into lines; before, apply_edits said "edits 5C>T and 5C>G
    # overlap" with no file or line
    path = _vcf(tmp_path, "KRTAP\t2\t.\tT\tA\t.\t.\t.\nKRTAP\t5\trs1\tC\tT\t.\t.\t.\nKRTAP\t5\trs1\tC\tG\t.\t.\t.\n")
    with pytest.raises(GenoViewInputError) as info:
        vcf_edits(read_vcf(path), GENE, "KRTAP", 0, path)
    text = str(info.value)
    assert text.startswith("mine.vcf, line 5:") and "lines 4 and 5" in text and "5C>T" in text
    # a deletion's span overlapping a later SNV is the same mistake
    span = _vcf(tmp_path, "KRTAP\t4\t.\tGCC\tG\t.\t.\t.\nKRTAP\t6\t.\tC\tT\t.\t.\t.\n", "span.vcf")
    with pytest.raises(GenoViewInputError, match="lines 3 and 4"):
        vcf_edits(read_vcf(span), GENE, "KRTAP", 0, span)
    # an insertion next to a substitution is fine (apply_edits' rule)
    fine = _vcf(tmp_path, "KRTAP\t4\t.\tG\tGTT\t.\t.\t.\nKRTAP\t5\t.\tC\tA\t.\t.\t.\n", "fine.vcf")
    edits = vcf_edits(read_vcf(fine), GENE, "KRTAP", 0, fine)
    assert apply_edits(GENE, edits, sequential=False).mutated.startswith("ATGGTTACAAG")
