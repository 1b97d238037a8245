"""variant-effects' input (rev15d review of H-lm's b5b9e2c): a genome-wide VCF with one gene's region listed every
other line as 'skipped' (stderr, the table, the window's rows: a freeze for a million lines); a FASTA, BED or picture
given as the VCF said 'skipped' of each of its thousands of lines, or a Python codec error."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.vcf_effects import LIST_ELSEWHERE, read_vcf_alleles, score_vcf_variants
from tests.core.test_vcf_variant_effects import _BaseFrequencies, _write_vcf


def test_many_lines_outside_the_region_are_counted_not_listed(tmp_path):
    ref = "ACGTACGTAC" * 3                      # region 7:101-130
    far = [("7", 1000 + k, ".", "A", "G") for k in range(LIST_ELSEWHERE)] + [("8", 5, ".", "A", "<DEL>")] * 3
    vcf = _write_vcf(tmp_path / "v.vcf", [("7", 101, "in", "A", "T"), ("7", 102, "bad", "A", "T"), *far])
    result = score_vcf_variants(_BaseFrequencies(), read_vcf_alleles(vcf), ref, "7", 100)
    assert [e.allele.id for e in result.effects] == ["in"]
    assert [s.line for s in result.skipped] == [4]      # the REF mismatch inside the region is still listed
    assert any(f"{LIST_ELSEWHERE + 3:,} VCF line(s) lie outside 7:101-130" in n and f"{LIST_ELSEWHERE:,} on 7, 3 on "
               "other sequences" in n for n in result.notes), result.notes
    # read with the region, the lines away from it past the first 100 are counted, not kept: the same table and note
    reading = read_vcf_alleles(vcf, ("chr7", 100, 130))   # CHROM 7 vs chr7: one sequence, 'chr' aside
    assert len(reading.alleles) + len(reading.skipped) == 2 + LIST_ELSEWHERE and reading.dropped == 3
    assert reading.dropped_on_sequence == 0 and reading.dropped_chroms == {"8"}
    windowed = score_vcf_variants(_BaseFrequencies(), reading, ref, "7", 100)
    assert [e.allele.id for e in windowed.effects] == ["in"] and [s.line for s in windowed.skipped] == [4]
    assert windowed.notes == result.notes
    # a few lines elsewhere are still listed one by one, a symbolic ALT elsewhere among them
    few = _write_vcf(tmp_path / "few.vcf", [("7", 101, "in", "A", "T"), ("7", 500, ".", "A", "G"),
                                             ("8", 5, ".", "A", "<DEL>")])
    result = score_vcf_variants(_BaseFrequencies(), read_vcf_alleles(few), ref, "7", 100)
    assert [s.line for s in result.skipped] == [4, 5]


def test_a_file_that_is_no_vcf_is_refused_with_its_first_line(tmp_path):
    fasta = tmp_path / "genome.vcf"
    fasta.write_text(">chr1 a genome\n" + "ACGT" * 20 + "\n" * 2 + "ACGT\n" * 50)
    with pytest.raises(GenoViewInputError) as err:
        read_vcf_alleles(fasta)
    said = str(err.value)
    assert "genome.vcf, line 1: this is a FASTA file, not a VCF" in said and "CHROM POS ID REF ALT" in said
    bed = tmp_path / "regions.vcf"
    bed.write_text("chr1\t100\t200\nchr1\t300\t400\n")
    with pytest.raises(GenoViewInputError, match="line 1: this is no VCF"):
        read_vcf_alleles(bed)
    png = tmp_path / "plot.vcf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(GenoViewInputError, match="no text VCF"):
        read_vcf_alleles(png)
    only_symbolic = _write_vcf(tmp_path / "sv.vcf", [("7", 101, ".", "A", "<DEL>")])
    assert read_vcf_alleles(only_symbolic).skipped[0].line == 3   # a real VCF: its lines are reported, not refused


def test_indels_are_said_to_carry_their_length(tmp_path):
    """A deletion's log-likelihood ratio gains the deleted bases' cost (TGG>T scored +3.1 nats under kn-human-genes
    in the Variants tab, which reads 'more likely'): a note says so, with this model's cost per base."""
    ref = "ACGTACGTAC" * 3
    snv = _write_vcf(tmp_path / "snv.vcf", [("7", 101, ".", "A", "T")])
    assert not any("insertion" in n for n in score_vcf_variants(_BaseFrequencies(), read_vcf_alleles(snv), ref, "7",
                                                                  100).notes)
    vcf = _write_vcf(tmp_path / "del.vcf", [("7", 101, ".", "AC", "A"), ("7", 105, ".", "A", "T")])
    result = score_vcf_variants(_BaseFrequencies(), read_vcf_alleles(vcf), ref, "7", 100)
    assert result.effects[0].llr > 0                       # the deletion 'wins' by its length alone
    (note,) = [n for n in result.notes if "insertion" in n]
    assert note.startswith("1 insertion(s)/deletion(s) change the sequence's length") and "not with substitutions" in note


def test_cli_writes_one_table_for_several_models(tmp_path, capsys):
    """--out EFFECTS.tsv with two --model: that one file, a row per variant and model (it wrote EFFECTS.1.tsv and
    EFFECTS.2.tsv, never the file named), as the window's Export table... does."""
    from genoview.cli import main as cli_main
    from genoview.paths import RESOURCES_DIR

    example = RESOURCES_DIR / "example"
    text = "".join(line.strip() for line in (example / "example.fa").read_text().split(">")[1].splitlines()[1:])
    vcf = _write_vcf(tmp_path / "v.vcf", [("chrEx", 400, "a", text[399], "T" if text[399] != "T" else "G")])
    out = tmp_path / "effects.tsv"
    assert cli_main(["variant-effects", "--vcf", str(vcf), "--genome", str(example / "example.fa"), "--region",
                     "chrEx:380-460", "--model", "kn-human-genes", "--model", "kn-human-genes-rev", "--out",
                     str(out)]) == 0
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert [r[7] for r in rows[1:]] == ["kn-human-genes", "kn-human-genes-rev"] and sorted(tmp_path.iterdir()) == \
        sorted([vcf, out])
    assert f"table: {out}" in capsys.readouterr().out


def test_a_missing_vcf_names_its_path_and_the_fix(tmp_path):
    with pytest.raises(GenoViewInputError, match=r"mine\.vcf: file not found; check the VCF's path"):
        read_vcf_alleles(tmp_path / "mine.vcf")
