"""Genome: FASTA plus annotation, checks between them, label masks, splits, overlap queries."""
from __future__ import annotations

import numpy as np
import pytest

from genoview.core.errors import GenoViewInputError
from genoview.core.genome import Feature, FeatureTable, Genome, open_genome, split_bounds, split_sequences


@pytest.fixture
def genome(data_dir) -> Genome:
    return open_genome(data_dir / "io_small.fa", data_dir / "io_small.gff3")


def test_open_genome_with_annotation(genome, data_dir):
    assert genome.path == str(data_dir / "io_small.fa")
    assert genome.annotation_path == str(data_dir / "io_small.gff3")
    assert list(genome.sequences) == ["chr1", "chr2", "chr3"]
    assert genome.total_length == 64 + 50 + 8
    assert len(genome.features) == 7
    with genome:
        assert genome.record("chr3").text() == "acgtACGT"
    with pytest.raises(GenoViewInputError, match="no sequence 'chrZ'.*chr1, chr2, chr3"):
        genome.record("chrZ")


def test_label_masks(genome):
    both = genome.label_mask("chr1")
    expected = np.zeros(64, dtype=bool)
    expected[2:20] = expected[29:40] = expected[49:64] = True
    assert np.array_equal(both, expected)
    plus = genome.label_mask("chr1", strand=1)
    minus = genome.label_mask("chr1", strand=-1)
    assert plus.sum() == 18 and minus.sum() == 11 and not (plus & minus).any()
    cds = genome.label_mask("chr1", types=("CDS",))
    assert cds.sum() == 6 + 9 and not cds[8:11].any()  # the gap between the two CDS parts
    assert genome.label_mask("chr3").sum() == 0


def test_split_bounds_and_sequences(genome):
    assert split_bounds(4641652, 0.7, 1.0) == (3249156, 4641652)
    assert split_bounds(10, 0.0, 0.7) == (0, 7)
    with pytest.raises(ValueError):
        split_bounds(10, 0.8, 0.2)
    assert split_sequences(genome, ["chr2"]) == (["chr1", "chr3"], ["chr2"])
    with pytest.raises(GenoViewInputError, match="chr9"):
        split_sequences(genome, ["chr9"])


def _write(tmp_path, text):
    path = tmp_path / "ann.gff3"
    path.write_text("##gff-version 3\n" + text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("chr1\tt\tgene\t1\t10\t.\t+\t.\tID=a\nchrX\tt\tgene\t1\t10\t.\t+\t.\tID=b\n", 3, "'chrX' is not in the genome"),
        ("chr3\tt\tgene\t1\t9\t.\t+\t.\tID=a\n", 2, "past the end of chr3 (8 bases)"),
        ("##sequence-region chr2 1 51\nchr2\tt\tgene\t1\t9\t.\t+\t.\tID=a\n", None, "another assembly"),
    ],
)
def test_annotation_must_fit_the_sequences(tmp_path, data_dir, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(GenoViewInputError) as err:
        open_genome(data_dir / "io_small.fa", path)
    assert err.value.line == line and words in str(err.value)


def test_load_annotation_leaves_the_genome_unchanged_on_error(genome, tmp_path, data_dir):
    before = (genome.features, genome.annotation_path)
    bad = _write(tmp_path, "chr1\tt\tgene\t1\t10\t.\t+\t.\tID=a\nchr1\tt\tgene\t1\tx\t.\t+\t.\tID=b\n")
    with pytest.raises(GenoViewInputError, match="line 3"):
        genome.load_annotation(bad, strict=True)
    assert (genome.features, genome.annotation_path) == before
    assert genome.sequences["chr1"].text(0, 4) == "ACGT"
    good = _write(tmp_path, "chr2\tt\tgene\t1\t10\t.\t+\t.\tID=only\n")
    genome.load_annotation(good)
    assert [f.id for f in genome.features] == ["only"] and genome.annotation_path == str(good)


def test_open_genome_reports_progress(data_dir):
    seen = []
    open_genome(data_dir / "io_small.fa.bgz", progress=lambda f, m=None: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_query_agrees_with_brute_force_including_long_features():
    rng = np.random.default_rng(7)
    features = [Feature("s", 0, 1_000_000, 1, "region")]
    for i in range(3000):
        start = int(rng.integers(0, 990_000))
        length = int(rng.integers(1, 2_000)) if i % 500 else int(rng.integers(100_000, 400_000))
        features.append(Feature("s", start, start + length, 1, "gene" if i % 2 else "CDS", id=f"f{i}"))
    table = FeatureTable(features)
    for _ in range(300):
        start = int(rng.integers(0, 1_000_000))
        end = start + int(rng.integers(0, 50_000))
        expected = sorted((f for f in features if f.start < end and f.end > start), key=lambda f: f.start)
        got = table.query("s", start, end)
        assert sorted(map(id, got)) == sorted(map(id, expected))
        assert [f.start for f in got] == sorted(f.start for f in got)
        assert all(f.type == "gene" for f in table.query("s", start, end, types="gene"))


def test_feature_across_the_origin_of_a_circular_sequence(tmp_path, data_dir):
    gff = _write(tmp_path, "chr2\tt\tregion\t1\t50\t.\t+\t.\tID=r;Is_circular=true\n"
                           "chr2\tt\tgene\t45\t54\t.\t+\t.\tID=ori\n")
    genome = open_genome(data_dir / "io_small.fa", gff)
    gene = genome.features.find("ori")[0]
    assert (gene.start, gene.end) == (44, 50) and gene.parts == [(0, 4), (44, 50)]
    mask = genome.label_mask("chr2", types="gene")
    assert mask.sum() == 10 and mask[:4].all() and mask[44:].all()
    assert genome.features.count_by_type()["gene"] == 1  # one line, though two pieces once cut at the origin
