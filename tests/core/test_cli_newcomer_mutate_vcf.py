"""`genoview mutate --vcf`: the window's Real vs mutated takes a VCF; the command line had no way (session 13, H-ux8's
leftover). One pair, a region of the genome and the same region with the VCF's variants applied, for score-pairs."""
from __future__ import annotations

import pytest

from genoview.cli import main as cli_main
from genoview.core.mutation import read_pairs
from genoview.paths import RESOURCES_DIR

EXAMPLE = RESOURCES_DIR / "example"


def _vcf(tmp_path, lines):
    path = tmp_path / "mine.vcf"
    path.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    + "".join("\t".join(map(str, line)) + "\t.\t.\t.\n" for line in lines))
    return path


def _base(position1: int) -> str:
    text = "".join(line.strip() for line in (EXAMPLE / "example.fa").read_text().split(">")[1].splitlines()[1:])
    return text[position1 - 1]


def test_a_vcf_applied_to_a_gene_gives_one_pair_score_pairs_reads(tmp_path, capsys):
    ref = _base(400)
    alt = "A" if ref != "A" else "C"
    other = "T" if _base(5000) != "T" else "G"
    vcf = _vcf(tmp_path, [("chrEx", 400, ".", ref, alt), ("chrEx", 5000, ".", _base(5000), other)])
    out = tmp_path / "pair.csv"
    assert cli_main(["mutate", "--vcf", str(vcf), "--genome", str(EXAMPLE / "example.fa"), "--annotation",
                     str(EXAMPLE / "example.gff3"), "--region", "abcA", "--with-edits", "--out", str(out)]) == 0
    (pair,) = read_pairs(out)
    assert pair.gene_id == "chrEx:378-1589" and len(pair.real) == len(pair.mutated) == 1589 - 378 + 1
    assert pair.real[400 - 378] == ref and pair.mutated[400 - 378] == alt   # only the variant inside the gene
    assert sum(a != b for a, b in zip(pair.real, pair.mutated)) == 1
    assert "1 variant(s) applied" in capsys.readouterr().err


def test_a_chr_prefix_and_a_region_are_read_and_said(tmp_path, capsys):
    vcf = _vcf(tmp_path, [("Ex", 10, ".", _base(10), "A" if _base(10) != "A" else "C")])   # chrEx written as Ex
    out = tmp_path / "pair.csv"
    assert cli_main(["mutate", "--vcf", str(vcf), "--genome", str(EXAMPLE / "example.fa"), "--region",
                     "chrEx:1-100", "--out", str(out)]) == 0
    assert "read as chrEx" in capsys.readouterr().err
    assert read_pairs(out)[0].gene_id == "chrEx:1-100"


@pytest.mark.parametrize("extra, words", [
    (["--region", "abcD"], "is on the - strand"),                         # a minus-strand gene: give its region
    (["--region", "chrEx:20,000-20,100"], "no variant of the VCF lies in chrEx:20000-20100"),
    ([], "the genome has 2 sequences"),
])
def test_what_cannot_be_paired_is_one_line(tmp_path, capsys, extra, words):
    vcf = _vcf(tmp_path, [("chrEx", 400, ".", _base(400), "A" if _base(400) != "A" else "C")])
    args = ["mutate", "--vcf", str(vcf), "--genome", str(EXAMPLE / "example.fa"), "--annotation",
            str(EXAMPLE / "example.gff3"), "--out", str(tmp_path / "p.csv")] + extra
    assert cli_main(args) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "p.csv").exists()


def test_mutate_without_genes_or_vcf_says_what_to_give(tmp_path, capsys):
    assert cli_main(["mutate", "--out", str(tmp_path / "p.csv")]) == 2
    assert "give --genes and --max-changes" in capsys.readouterr().err
