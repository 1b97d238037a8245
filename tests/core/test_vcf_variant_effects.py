"""`genoview variant-effects`: each VCF allele scored on its own (log P(alt) - log P(ref)), every skipped line named
with its line and why (session 15, H-lm: Real vs mutated applied a VCF's variants all at once, one copy, and lines
outside the region were dropped without a word; a REF mismatch refused the whole file)."""
from __future__ import annotations

import gzip
import math

import numpy as np

from genoview.cli import main as cli_main
from genoview.core.vcf_effects import read_vcf_alleles, reverse_complement, score_vcf_variants
from genoview.paths import RESOURCES_DIR

EXAMPLE = RESOURCES_DIR / "example"
LOGP = {"A": math.log(0.4), "C": math.log(0.3), "G": math.log(0.2), "T": math.log(0.1)}


class _BaseFrequencies:
    """log P(sequence) = sum of fixed per-base log-probabilities + an end token: any LLR is worked out by hand."""

    name = "base-frequencies"

    def __init__(self):
        self.read = []

    def token_logprobs(self, genes, progress=None, cancel=None):
        self.read.extend(genes)
        return [np.array([LOGP[b] for b in g] + [math.log(0.5)]) for g in genes]


def _write_vcf(path, lines, gz=False):
    text = "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n" + "".join("\t".join(map(str, x)) + "\n" for x in lines)
    if gz:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def test_each_allele_scored_alone_and_every_other_line_said_with_why(tmp_path):
    ref = "ACGTACGTAC" * 3                      # region chr7:101-130 (0-based start 100)
    vcf = _write_vcf(tmp_path / "v.vcf.gz", [
        ("chr7", 102, "snv", "A", "T"),         # line 3: the region's base 2 is C: REF mismatch
        ("chr7", 101, "snv", "A", "T"),         # 4: A>T
        ("chr7", 105, "ins", "A", "AGG"),       # 5: insertion
        ("chr7", 106, "del", "CGT", "C"),       # 6: deletion of GT
        ("chr7", 109, "multi", "A", "C,G,<DEL>"),   # 7: two scored ALTs, one symbolic skipped
        ("chr7", 131, "outside", "A", "G"),     # 8: past the region's end
        ("chr7", 130, "overhang", "CA", "C"),   # 9: REF reaches past the end
        ("chr8", 101, "other", "A", "G"),       # 10: another sequence
        ("chr7", 112, "n", "G", "N"),           # 11: N allele
        ("chr7", "x", "bad", "A", "G"),         # 12: malformed POS
    ], gz=True)                                   # gzip, read by content
    reading = read_vcf_alleles(vcf)
    result = score_vcf_variants(_BaseFrequencies(), reading, ref, "7", 100)
    assert result.notes[0] == "the VCF's CHROM chr7 read as 7 (this sequence's name)" and len(result.notes) == 2
    assert result.notes[1].startswith("2 insertion(s)/deletion(s) change the sequence's length")   # rev15d
    scored = [(e.allele.line, e.allele.alt, e.kind, round(e.llr, 9)) for e in result.effects]
    assert scored == [
        (4, "T", "SNV", round(LOGP["T"] - LOGP["A"], 9)),
        (5, "AGG", "insertion", round(2 * LOGP["G"], 9)),
        (6, "C", "deletion", round(-LOGP["G"] - LOGP["T"], 9)),
        (7, "C", "SNV", round(LOGP["C"] - LOGP["A"], 9)),
        (7, "G", "SNV", round(LOGP["G"] - LOGP["A"], 9)),
    ]
    reasons = {s.line: s.reason for s in result.skipped}
    assert sorted(reasons) == [3, 7, 8, 9, 10, 11, 12]
    assert "REF A does not match the genome there (C)" in reasons[3]
    assert "symbolic" in reasons[7] and "outside the region 7:101-130" in reasons[8] and "outside" in reasons[9]
    assert "CHROM chr8" in reasons[10] and "A, C, G, T" in reasons[11] and "POS 'x'" in reasons[12]
    out = tmp_path / "effects.tsv"
    result.write_table(out)
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert rows[0][:6] == ["vcf_line", "chrom", "pos", "id", "ref", "alt"] and rows[0][-1] == "status"
    assert [r[-1] for r in rows[1:6]] == ["scored"] * 5
    assert rows[6][0] == "3" and rows[6][-1].startswith("skipped: REF A")   # skipped lines follow, with the reason


def test_a_minus_strand_gene_is_read_as_the_gene():
    ref = "AACCGGTTAC"                            # genome bases 1..10, gene on the - strand
    from genoview.core.vcf_effects import VcfAllele, VcfReading

    reading = VcfReading(path=None, alleles=[VcfAllele(5, "s", 2, ".", "CC", "C")])   # delete one C at 3-4
    model = _BaseFrequencies()
    result = score_vcf_variants(model, reading, ref, "s", 0, strand=-1)
    assert model.read == [reverse_complement(ref), reverse_complement("AACGGTTAC")]
    assert math.isclose(result.effects[0].llr, -LOGP["G"])   # the gene loses a G (a C on the forward strand)


def test_cli_scores_a_gene_of_the_example_genome_and_lists_what_it_skipped(tmp_path, capsys):
    text = "".join(line.strip() for line in (EXAMPLE / "example.fa").read_text().split(">")[1].splitlines()[1:])
    base = text[400 - 1]
    vcf = _write_vcf(tmp_path / "mine.vcf", [("chrEx", 400, ".", base, "A" if base != "A" else "C"),
                                             ("chrEx", 5000, ".", text[4999], "T" if text[4999] != "T" else "G")])
    out = tmp_path / "effects.tsv"
    assert cli_main(["variant-effects", "--vcf", str(vcf), "--genome", str(EXAMPLE / "example.fa"), "--annotation",
                     str(EXAMPLE / "example.gff3"), "--region", "abcA", "--model", "kn-human-genes",
                     "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "chrEx:400" in captured.out and "1 scored, 1 skipped" in captured.out
    assert f"{vcf}, line 4: skipped: position 5000 (REF 1 base) is outside the region chrEx:378-1589" in captured.err
    assert len(out.read_text().splitlines()) == 3
    assert out.read_text().splitlines()[0].split("\t")[10] == "llr_alt_minus_ref"   # the sign in the header (session 16)


def test_a_long_region_is_scored_in_a_window_around_each_variant():
    """A 200 kb region re-read whole for every variant took ~40 s a variant under lm-human-genes: past ``window``
    bases each variant is read in a window around it (the same LLR for a model whose bases are independent)."""
    from genoview.core.vcf_effects import VcfAllele, VcfReading

    rng = np.random.default_rng(0)
    ref = "".join(rng.choice(list("ACGT"), 1000))
    alleles = [VcfAllele(3 + k, "s", p, ".", ref[p], "A" if ref[p] != "A" else "C") for k, p in enumerate((5, 480, 990))]
    reading = VcfReading(path=None, alleles=alleles)
    whole = score_vcf_variants(_BaseFrequencies(), reading, ref, "s", 100, window=None)
    model = _BaseFrequencies()
    windowed = score_vcf_variants(model, reading, ref, "s", 100, window=200)
    assert [round(e.llr, 9) for e in windowed.effects] == [round(e.llr, 9) for e in whole.effects]
    assert all(len(g) <= 201 for g in model.read) and "200-base window around it" in windowed.notes[0]
    for e in windowed.effects:   # genome coordinates (1-based, inclusive) holding the variant
        assert e.scored[0] <= e.allele.position + 1 <= e.scored[1] and e.scored[1] - e.scored[0] + 1 == 200
    assert whole.effects[0].scored == (101, 1100)
    minus = score_vcf_variants(_BaseFrequencies(), reading, ref, "s", 100, strand=-1, window=200)
    for e in minus.effects:
        assert e.scored[0] <= e.allele.position + 1 <= e.scored[1]
