"""GeneORF fine-tune, option own_rna (default on): the child's RNA references (rna_references.fasta) are the parent's
plus the rRNA/tRNA genes annotated in the run's training part (whole span inside it), never one of the test part;
recipe select's cross-fit reads each half with the other half's. Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import fine_tune_geneorf

# (seqid, 1-based start, end, strand) of RNA genes added to engine_tiny's annotation; chrA is 14,982 bases (training
# part 0..10,487, its halves cut at 5,243), chrB 4,400 (training part 0..3,080, halves cut at 1,540)
FIRST_HALF_TRNA = ("chrA", 1260, 1335, "-")
SECOND_HALF_TRNA = ("chrA", 7960, 8035, "+")
ACROSS_THE_SPLIT = ("chrA", 10450, 10525, "+")   # starts in the training part, ends in the test part
TEST_TRNA = ("chrA", 12560, 12635, "+")
TEST_5S = ("chrB", 3500, 3619, "-")
TRAINING_5S = ("chrB", 200, 319, "+")            # first half of chrB's training part


@pytest.fixture
def rna_gff(tiny_cds_gff, tmp_path):
    rows = [("tRNA", FIRST_HALF_TRNA), ("tRNA", SECOND_HALF_TRNA), ("tRNA", ACROSS_THE_SPLIT), ("tRNA", TEST_TRNA),
            ("rRNA", TEST_5S), ("rRNA", TRAINING_5S)]
    lines = tiny_cds_gff.read_text().splitlines()
    for i, (kind, (seqid, start, end, strand)) in enumerate(rows):
        lines.append("\t".join([seqid, "test", kind, str(start), str(end), ".", strand, ".", f"ID=rna{i}"]))
    path = tmp_path / "tiny_rna.gff3"
    path.write_text("\n".join(lines) + "\n")
    return path


def _piece(fasta, where):
    """The codes of an annotated RNA gene in its own orientation, as rna_homology.reference_records takes them."""
    from genoview.core.genecalls import reverse_complement
    from genoview.core.genome import encode, open_genome

    seqid, start, end, strand = where
    with open_genome(fasta) as genome:
        codes = encode(genome.sequences[seqid].fetch(start - 1, end))
    return reverse_complement(codes) if strand == "-" else codes


def _holds(references, fasta, where) -> bool:
    piece = _piece(fasta, where)
    return any(len(r.codes) == len(piece) and np.array_equal(r.codes, piece) for r in references)


def test_own_rna_references_take_only_genes_whose_whole_span_lies_in_the_regions(geneorf_parent, rna_gff):
    from genoview.core.genome import encode, open_genome
    from genoview.core.training.datasets import split_regions
    from genoview.core.training.geneorf import _halves, _merged, own_rna_references
    from genoview.core.training.spec import TrainingSpec

    _, fasta, _ = geneorf_parent
    genome = open_genome(fasta, str(rna_gff))
    tracks = {sid: (encode(r.fetch(0, r.length)), None) for sid, r in genome.sequences.items()}
    groups = [("engine_tiny.fa", list(tracks))]
    split = split_regions({sid: r.length for sid, r in genome.sequences.items()}, TrainingSpec(architecture="geneorf"))
    training = _merged(split.train + split.valid)
    refs = own_rna_references(genome, tracks, groups, training)
    assert sorted(r.name for r in refs) == ["engine_tiny.fa:training|5S|120", "engine_tiny.fa:training|tRNA|76",
                                            "engine_tiny.fa:training|tRNA|76"]
    for where in (FIRST_HALF_TRNA, SECOND_HALF_TRNA, TRAINING_5S):
        assert _holds(refs, fasta, where)
    for where in (ACROSS_THE_SPLIT, TEST_TRNA, TEST_5S):   # nothing of the test part
        assert not _holds(refs, fasta, where)
    first, second = (own_rna_references(genome, tracks, groups, half) for half in _halves(training))
    assert _holds(first, fasta, FIRST_HALF_TRNA) and _holds(first, fasta, TRAINING_5S)
    assert not _holds(first, fasta, SECOND_HALF_TRNA) and len(first) == 2
    assert [r.name for r in second] == ["engine_tiny.fa:training|tRNA|76"] and _holds(second, fasta, SECOND_HALF_TRNA)


def test_the_child_adds_the_training_parts_rna_genes_to_its_parents_references(geneorf_parent, rna_gff, tmp_path):
    import shutil

    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE, read_references

    parent_dir, fasta, _ = geneorf_parent
    with_refs = tmp_path / "parent-with-references"
    shutil.copytree(parent_dir, with_refs)
    other = "".join("ACGT"[c] for c in np.random.default_rng(3).integers(0, 4, 80))
    parent_text = f">other|tRNA|80\n{other}\n"
    (with_refs / REFERENCES_FILE).write_text(parent_text)

    _, info = fine_tune_geneorf(with_refs, fasta, str(rna_gff), tmp_path / "child", candidates="parent,last")
    tuning = info["fine_tuning"]
    assert tuning["own_rna"] is True and tuning["own_rna_genes"] == {"5S": 1, "tRNA": 2}
    text = (tmp_path / "child" / REFERENCES_FILE).read_text()
    assert text.startswith(parent_text)   # the parent's file, unchanged, then the genome's own
    refs = read_references(tmp_path / "child" / REFERENCES_FILE)
    assert [r.name for r in refs][0] == "other|tRNA|80" and len(refs) == 4
    for where in (FIRST_HALF_TRNA, SECOND_HALF_TRNA, TRAINING_5S):
        assert _holds(refs, fasta, where)
    for where in (ACROSS_THE_SPLIT, TEST_TRNA, TEST_5S):
        assert not _holds(refs, fasta, where)
    assert any("own_rna" in item and "3 rRNA/tRNA genes" in item for item in tuning["relearned"])
    assert "other half" in tuning["why"]
    card = (tmp_path / "child" / "README.md").read_text()
    assert "re-learned on this genome: RNA genes by homology (own_rna)" in card

    _, off = fine_tune_geneorf(with_refs, fasta, str(rna_gff), tmp_path / "off", candidates="parent", own_rna=False)
    assert (tmp_path / "off" / REFERENCES_FILE).read_text() == parent_text
    assert off["fine_tuning"]["own_rna"] is False and off["fine_tuning"]["own_rna_genes"] == {}
    assert any("own_rna is false" in item for item in off["fine_tuning"]["kept"])
    assert "other half" not in off["fine_tuning"]["why"]


def test_own_rna_is_a_typed_option_on_by_default():
    from genoview.core.training.options import options_schema

    schema = {o["name"]: o for o in options_schema("geneorf")}
    assert schema["own_rna"]["type"] == "bool" and schema["own_rna"]["default"] is True
    assert "training part" in schema["own_rna"]["help"]


def test_a_parent_file_without_a_last_line_break_and_a_parent_without_references(geneorf_parent, rna_gff, tmp_path):
    import shutil

    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE, read_references

    parent_dir, fasta, _ = geneorf_parent
    assert not (parent_dir / REFERENCES_FILE).exists()
    _, info = fine_tune_geneorf(parent_dir, fasta, str(rna_gff), tmp_path / "none", candidates="parent")
    tuning = info["fine_tuning"]
    assert len(read_references(tmp_path / "none" / REFERENCES_FILE)) == 3
    assert any("the parent had none" in item for item in tuning["relearned"])
    assert not any("parent's RNA references" in item for item in tuning["kept"] + tuning["relearned"])

    by_hand = tmp_path / "parent-by-hand"
    shutil.copytree(parent_dir, by_hand)
    other = "".join("ACGT"[c] for c in np.random.default_rng(4).integers(0, 4, 80))
    (by_hand / REFERENCES_FILE).write_text(f">other|tRNA|80\n{other}")   # no line break at the end
    fine_tune_geneorf(by_hand, fasta, str(rna_gff), tmp_path / "child", candidates="parent")
    refs = read_references(tmp_path / "child" / REFERENCES_FILE)
    assert [r.name for r in refs][0] == "other|tRNA|80" and len(refs) == 4 and len(refs[0].codes) == 80


def test_recipe_continue_reads_no_rna_gene_of_the_validation_part_it_chooses_its_round_on(geneorf_parent, rna_gff,
                                                                                           tmp_path):
    import json

    from genoview.core.models.geneorf.rna_homology import REFERENCES_FILE, read_references
    from genoview.core.training.runner import run_training
    from genoview.core.training.spec import TrainingSpec

    parent_dir, fasta, _ = geneorf_parent
    valid_trna = ("chrA", 9600, 9675, "+")   # chrA's validation part: 9,438..10,487 (the last 10 % of 0..70 %)
    text = rna_gff.read_text() + "\t".join(["chrA", "test", "tRNA", "9600", "9675", ".", "+", ".", "ID=rnav"]) + "\n"
    gff = tmp_path / "with_valid_trna.gff3"
    gff.write_text(text)

    def child(name, **options):
        spec = TrainingSpec(architecture="geneorf", fasta=fasta, annotation=str(gff), init_from=str(parent_dir),
                            epochs=1, num_threads=1, seed=1, model_options=options)
        run_training(spec, tmp_path / name, name=name)
        tuning = json.loads((tmp_path / name / "genoview.json").read_text())["fine_tuning"]
        return read_references(tmp_path / name / REFERENCES_FILE), tuning

    refs, tuning = child("continued", recipe="continue")
    assert tuning["recipe"] == "continue" and tuning["own_rna_genes"] == {"5S": 1, "tRNA": 2}
    assert not _holds(refs, fasta, valid_trna) and _holds(refs, fasta, FIRST_HALF_TRNA)
    refs, _ = child("selected", candidates="parent")   # select fits on training + validation: read
    assert _holds(refs, fasta, valid_trna)
