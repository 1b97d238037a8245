"""Training on several genomes: spec version 2 (genomes with roles, version 1 still read), the split by held-out
genomes, `genoview train --fasta A --gff A --fasta B --gff B`, what genoview.json records; GeneORF trained from
scratch and fine-tuned (a library child of its parent)."""
from __future__ import annotations

import json
import shutil

import pytest

from genoview.cli import main
from genoview.core.errors import GenoViewInputError
from genoview.core.training.datasets import genome_label, open_training_genomes, split_regions
from genoview.core.training.runner import run_training
from genoview.core.training.spec import TrainingSpec

TINY_MODEL = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}


@pytest.fixture
def two_genomes(tmp_path, data_dir):
    """engine_tiny and a copy in another folder (same seqids: the second's are renamed NAME:seqid)."""
    other = tmp_path / "other_strain"
    other.mkdir()
    shutil.copy(data_dir / "engine_tiny.fa", other / "genome.fa")
    shutil.copy(data_dir / "engine_tiny.gff3", other / "annotation.gff3")
    return [(str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3")),
            (str(other / "genome.fa"), str(other / "annotation.gff3"))]


def test_spec_round_trip_with_two_genomes_and_version_1_files(tmp_path, two_genomes):
    (a, a_gff), (b, b_gff) = two_genomes
    spec = TrainingSpec(genomes=[{"fasta": a, "annotation": a_gff}, {"fasta": b, "annotation": b_gff, "role": "test"}],
                        split="genomes", seed=4)
    assert spec.fasta == a and spec.annotation == a_gff   # the first genome, as older code reads it
    data = spec.to_json()
    assert data["spec_version"] == 2 and data["data"]["split"]["method"] == "genomes"
    assert [g["role"] for g in data["data"]["genomes"]] == ["train", "test"]
    spec.save(tmp_path / "two.json")
    assert TrainingSpec.load(tmp_path / "two.json") == spec
    assert TrainingSpec.from_json(spec.to_flat()) == spec
    # a version-1 file (one genome, no roles) and an old flat record still read
    (tmp_path / "v1.json").write_text(json.dumps({"spec_version": 1, "data": {"genomes": [{"fasta": a, "annotation": a_gff}]}}))
    old = TrainingSpec.load(tmp_path / "v1.json")
    assert old.genomes == [{"fasta": a, "annotation": a_gff, "role": "train"}] and old.split == "fraction"
    assert TrainingSpec.from_json({"fasta": a, "annotation": a_gff}).genomes == old.genomes
    with pytest.raises(GenoViewInputError, match="role 'holdout' is unknown"):
        TrainingSpec(genomes=[{"fasta": a, "role": "holdout"}])
    with pytest.raises(GenoViewInputError, match="needs a second genome held out"):
        TrainingSpec(fasta=a, annotation=a_gff, split="genomes")
    with pytest.raises(GenoViewInputError, match="listed twice"):
        TrainingSpec(genomes=[{"fasta": a}, {"fasta": a}])
    with pytest.raises(GenoViewInputError, match="not the first of the genomes"):
        TrainingSpec(fasta=b, genomes=[{"fasta": a}])
    assert genome_label(b) == "other_strain" and genome_label(a) == "engine_tiny"


def test_split_by_held_out_genomes(two_genomes):
    (a, a_gff), (b, b_gff) = two_genomes
    spec = TrainingSpec(genomes=[{"fasta": a, "annotation": a_gff}, {"fasta": b, "annotation": b_gff, "role": "test"}],
                        split="genomes", valid_fraction=0.2)
    genome = open_training_genomes(spec)
    assert [(name, role) for name, _, role in genome.parts] == [("engine_tiny", "train"), ("other_strain", "test")]
    second = genome.parts[1][1]
    assert all(key.startswith("other_strain:") for key in second)   # same seqids as the first: renamed
    assert genome.label_mask(second[0]).sum() == genome.label_mask(genome.parts[0][1][0]).sum() > 0
    lengths = {k: r.length for k, r in genome.sequences.items()}
    split = split_regions(lengths, spec, genome.parts)
    assert {r.seqid for r in split.test} == set(second)
    assert not {r.seqid for r in split.train + split.valid} & set(second)
    assert all(r.start == 0 for r in split.train) and split.valid   # no validation genome: last 20 % validates


def test_training_on_two_genomes_with_a_held_out_genome(tmp_path, two_genomes, data_dir):
    (a, a_gff), (b, b_gff) = two_genomes
    out = tmp_path / "two-genomes"
    code = main(["train", "--fasta", a, "--gff", a_gff, "--genome", f"{b}:{b_gff}", "--test-genomes", "other_strain",
                 "--window", "300", "--context", "90", "--model-option", "hidden_size=8", "--model-option",
                 "dilations=[1,3]", "--model-option", "orf_reach=90", "--model-option", "chunk_size=600",
                 "--max-steps", "4", "--eval-every", "2", "--eval-windows", "4", "--batch-size", "4", "--seed", "5",
                 "--threads", "1", "--out", str(out), "--progress", "none"])
    assert code == 0
    info = json.loads((out / "genoview.json").read_text())
    data = info["data"]
    assert data["split"] == "genomes" and [g["name"] for g in data["genomes"]] == ["engine_tiny", "other_strain"]
    assert data["train_genomes"] == ["engine_tiny"] and data["validation_genomes"] == ["engine_tiny"]
    assert data["test_genomes"] == ["other_strain"] and [g["role"] for g in data["genomes"]] == ["train", "test"]
    from genoview.core.genome import open_genome

    assert info["metrics"]["test"]["n"] == open_genome(b).total_length   # the whole held-out genome
    assert "test other_strain" in (out / "README.md").read_text()
    saved = TrainingSpec.from_json(info["training"]["spec"])
    assert len(saved.genomes) == 2 and saved.genomes[1]["role"] == "test"


def test_cli_pairs_fasta_and_gff_and_saves_the_spec(tmp_path, two_genomes):
    (a, a_gff), (b, b_gff) = two_genomes
    path = tmp_path / "spec.json"
    assert main(["train", "--fasta", a, "--gff", a_gff, "--fasta", b, "--gff", b_gff, "--valid-genomes", b,
                 "--save-spec", str(path)]) == 0
    spec = TrainingSpec.load(path)
    assert spec.split == "genomes" and [(g["fasta"], g["annotation"], g["role"]) for g in spec.genomes] == [
        (a, a_gff, "train"), (b, b_gff, "validation")]
    assert main(["train", "--fasta", a, "--gff", a_gff, "--fasta", b, "--test-genomes", "nope", "--save-spec",
                 str(tmp_path / "bad.json")]) == 2   # an input error, naming the genomes there are
    assert not (tmp_path / "bad.json").exists()


def test_geneorf_trains_and_fine_tunes_into_a_library_child(tmp_path, data_dir, tiny_cds_gff):
    from genoview.core.library import library_rows

    gff = tiny_cds_gff
    fasta = str(data_dir / "engine_tiny.fa")
    scratch = TrainingSpec(architecture="geneorf", fasta=fasta, annotation=str(gff), epochs=2, num_threads=1, seed=2)
    result = run_training(scratch, tmp_path / "orf-parent", name="orf-parent")
    assert result.extra["test"]["mcc"] > 0 and (tmp_path / "orf-parent" / "model.safetensors").is_file()
    code = main(["train", "--init", "orf-parent", "--fasta", fasta, "--gff", str(gff), "--max-minutes", "2",
                 "--epochs", "2", "--seed", "1", "--threads", "1", "--name", "orf-child", "--progress", "none"])
    assert code == 0
    rows = {row.name: row for row in library_rows()}
    child = rows["orf-child"]
    assert child.architecture == "geneorf" and child.parent and "orf-parent" in child.parent
    from genoview.core.models import resolve_model_dir

    info = json.loads((resolve_model_dir("orf-child") / "genoview.json").read_text())
    tuning = info["fine_tuning"]
    assert tuning["recipe"] == "select" and tuning["chosen"] in tuning["candidates"]
    assert any("gene decision offset" in item for item in tuning["relearned"] + tuning["kept"])
    assert info["training"]["stopped_because"] in ("finished", "time limit") and info["metrics"]["validation"]
