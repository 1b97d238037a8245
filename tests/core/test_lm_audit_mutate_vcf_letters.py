"""`genoview mutate --vcf` on a region holding N (a draft's gap) or with an ALT holding N wrote a pair file that
`score-pairs` then refused ('sequences must be ... of A, C, G, T'); it now refuses at once, naming where the other
letters are (genome coordinates, or the VCF line) and the longest region without them, and writes nothing."""
from __future__ import annotations

import re

from genoview.cli import main as cli_main


def _files(tmp_path, alt="G"):
    genome = tmp_path / "g.fa"
    genome.write_text(">chr1\nACGTACGTNNACGTACGTACGGATC\n")
    vcf = tmp_path / "v.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\nchr1\t3\t.\tG\tT\n"
                   f"chr1\t14\t.\tT\t{alt}\n")
    return genome, vcf


def test_a_region_with_n_is_refused_with_where_and_the_longest_clean_region(tmp_path, capsys):
    genome, vcf = _files(tmp_path)
    out = tmp_path / "pair.csv"
    assert cli_main(["mutate", "--vcf", str(vcf), "--genome", str(genome), "--region", "chr1:1-25",
                     "--out", str(out)]) == 2
    assert re.search(r"g\.fa: chr1:1-25 holds 'N' at chr1:9-10; .*--region chr1:11-25", capsys.readouterr().err)
    assert not out.exists()
    assert cli_main(["mutate", "--vcf", str(vcf), "--genome", str(genome), "--region", "chr1:11-25",
                     "--out", str(out)]) == 0
    assert cli_main(["score-pairs", "--model", "kn-human-genes", "--pairs", str(out), "--json"]) == 0


def test_an_alt_holding_n_is_refused_with_its_vcf_line(tmp_path, capsys):
    genome, vcf = _files(tmp_path, alt="N")
    out = tmp_path / "pair.csv"
    assert cli_main(["mutate", "--vcf", str(vcf), "--genome", str(genome), "--region", "chr1:11-25",
                     "--out", str(out)]) == 2
    assert re.search(r"v\.vcf, line 4: ALT N holds letters other than A, C, G, T", capsys.readouterr().err)
    assert not out.exists()


def test_an_alt_holding_n_that_is_not_applied_does_not_refuse_the_region(tmp_path):
    # the ALT check looks at the lines vcf_edits applies: a REF running past the region's end is not applied
    genome, vcf = _files(tmp_path)
    with open(vcf, "a") as handle:
        handle.write("chr1\t24\t.\tTC\tN\n")
    out = tmp_path / "pair.csv"
    assert cli_main(["mutate", "--vcf", str(vcf), "--genome", str(genome), "--region", "chr1:11-24",
                     "--out", str(out)]) == 0
    from genoview.core.mutation import read_pairs

    (pair,) = read_pairs(out)
    assert pair.mutated.strip("<>") == "ACGGACGTACGGAT"          # line 3's T>G only
