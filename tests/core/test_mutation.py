"""The study's seeded mutation generator, typed edits, VCF application and pair files."""
from __future__ import annotations

import collections
import csv

import numpy as np
import pytest

from genoview.cli import main as cli_main
from genoview.core.errors import GenoViewInputError
from genoview.core.lm_data import Gene
from genoview.core.mutation import (
    Edit, apply_edits, make_pairs, mutate_randomly, parse_edits, random_edit, read_pairs, read_vcf, vcf_edits,
    write_pairs,
)

GENES = [Gene(f"g{i}", seq) for i, seq in enumerate(["ACGTACGTTGCA", "AAAACCCCGGGGTTTT", "ACGATCGGCTAGCTAGGCTA"])]


def test_edit_types_are_drawn_uniformly_and_apply_as_described():
    rng = np.random.default_rng(0)
    seq = "ACGTTGCAACGTAGCT" * 4
    kinds = collections.Counter()
    for _ in range(3000):
        e = random_edit(seq, rng)
        kinds[e.kind] += 1
        mutated = apply_edits(seq, [e]).mutated
        if e.kind == "insertion":
            assert len(mutated) == len(seq) + 1 and 0 <= e.position <= len(seq) and e.alt in "ACGT"
        elif e.kind == "deletion":
            assert len(mutated) == len(seq) - 1
        else:
            assert e.kind == "substitution" and e.alt != e.ref and sum(a != b for a, b in zip(seq, mutated)) == 1
    assert set(kinds) == {"insertion", "deletion", "substitution"}
    for count in kinds.values():
        assert abs(count / 3000 - 1 / 3) < 0.04


def test_swaps_only_when_asked_and_exchange_two_different_bases():
    rng = np.random.default_rng(1)
    kinds = collections.Counter(random_edit("AACGTT", rng, ("swap",)).kind for _ in range(50))
    assert kinds == {"swap": 50}
    e = random_edit("AACGTT", np.random.default_rng(2), ("swap",))
    assert e.ref[0] != e.ref[1] and apply_edits("AACGTT", [e]).mutated != "AACGTT"


def test_pairs_are_reproducible_by_seed_and_have_k_between_1_and_K():
    a = make_pairs(GENES, 200, 5, seed=7)
    b = make_pairs(GENES, 200, 5, seed=7)
    c = make_pairs(GENES, 200, 5, seed=8)
    assert [(p.gene_id, p.mutated) for p in a] == [(p.gene_id, p.mutated) for p in b]
    assert [p.mutated for p in a] != [p.mutated for p in c]
    counts = collections.Counter(len(p.edits) for p in a)
    assert set(counts) == {1, 2, 3, 4, 5}
    assert {p.gene_id for p in a} == {g.id for g in GENES}


def test_sequential_edits_track_origins_and_align_through_indels():
    m = apply_edits("ACGT", [Edit(1, "C", ""), Edit(0, "", "T"), Edit(3, "T", "A")])
    assert m.mutated == "TAGA"
    real_cols, mut_cols = m.alignment()
    pairs = [("ACGT"[r] if r >= 0 else "-", m.mutated[j] if j >= 0 else "-") for r, j in zip(real_cols, mut_cols)]
    assert pairs == [("-", "T"), ("A", "A"), ("C", "-"), ("G", "G"), ("T", "A")]


def test_typed_edits_refer_to_the_real_sequence():
    edits = parse_edits("2C>G; 4del, 5insAA", "ACGTA")
    m = apply_edits("ACGTA", edits, sequential=False)
    assert m.mutated == "AGGAAA"
    with pytest.raises(GenoViewInputError, match="has C at 2, not T"):
        parse_edits("2T>G", "ACGTA")
    with pytest.raises(GenoViewInputError, match="cannot read"):
        parse_edits("two A>G", "ACGTA")
    with pytest.raises(GenoViewInputError, match="overlap"):
        apply_edits("ACGTA", parse_edits("2C>G, 2del", "ACGTA"), sequential=False)


def test_a_typed_range_deletion_takes_the_whole_range_or_says_it_is_outside():
    # 3_5del past the end deleted only the bases that were there; over an N it raised a TypeError
    assert apply_edits("ACNTA", parse_edits("2_4del", "ACNTA")).mutated == "AA"
    with pytest.raises(GenoViewInputError, match="outside"):
        parse_edits("4_6del", "ACGTA")


def test_vcf_variants_apply_and_a_wrong_ref_names_the_line(tmp_path):
    vcf = tmp_path / "v.vcf"
    vcf.write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\n"
                   "chr1\t12\t.\tC\tG\nchr1\t14\t.\tTA\tT\nchr1\t16\t.\tC\tCAA\nchr2\t1\t.\tA\tC\n")
    reference = "ACGTACGTAC"          # chr1:11-20 (0-based start 10)
    edits = vcf_edits(read_vcf(vcf), reference, "chr1", 10, vcf)
    assert apply_edits(reference, edits, sequential=False).mutated == "AGGTCAAGTAC"
    assert [e.kind for e in edits] == ["substitution", "deletion", "insertion"]
    bad = tmp_path / "bad.vcf"
    bad.write_text("chr1\t13\t.\tT\tA\n")
    with pytest.raises(GenoViewInputError, match=r"bad.vcf, line 1: REF T does not match the genome at chr1:13"):
        vcf_edits(read_vcf(bad), reference, "chr1", 10, bad)


def test_pair_files_round_trip_and_the_cli_writes_the_study_format(tmp_path):
    genes = tmp_path / "genes.csv"
    genes.write_text("NCBIGeneID,NucleotideSequence\n" + "\n".join(f"{g.id},<{g.sequence}>" for g in GENES) + "\n")
    out = tmp_path / "pairs.csv"
    assert cli_main(["mutate", "--genes", str(genes), "--max-changes", "3", "--n", "50", "--seed", "1",
                     "--out", str(out)]) == 0
    with out.open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["NCBIGeneID", "RealNucleotideSequence", "MutatedNucleotideSequence"] and len(rows) == 51
    assert all(r[1].startswith("<") and r[2].endswith(">") for r in rows[1:])
    again = tmp_path / "again.csv"
    cli_main(["mutate", "--genes", str(genes), "--max-changes", "3", "--n", "50", "--seed", "1", "--out", str(again)])
    assert again.read_text() == out.read_text()
    pairs = read_pairs(out)
    write_pairs(tmp_path / "copy.csv", pairs)
    assert (tmp_path / "copy.csv").read_text() == out.read_text()
