"""GeneORF fine-tune candidates "adapt" (the parent adapted to the whole genome without its annotation, as
`genoview adapt`) and "adapt_last" (then the gene scorer's last layer refitted on the training part's annotated
genes). Tiny synthetic genome (engine_tiny), seconds."""
from __future__ import annotations

import numpy as np

from tests.conftest import fine_tune_geneorf


def test_adapt_is_scored_on_the_whole_training_part_and_the_child_stores_its_statistics(geneorf_parent, tmp_path):
    from safetensors.numpy import load_file

    from genoview.core.genome import encode, open_genome
    from genoview.core.models.geneorf import GeneORFModel
    from genoview.core.training.geneorf import adapted_model

    parent_dir, fasta, gff = geneorf_parent
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,adapt",
                                anchor="adapt", margin=1.0, offset_range=0.5)
    tuning = info["fine_tuning"]
    assert set(tuning["candidates"]) == {"parent", "adapt"}
    assert list(tuning["candidates"]["adapt"]) == ["-0.5", "-0.25", "+0", "+0.25", "+0.5"]
    assert tuning["chosen"] == "adapt" and tuning["offset_delta"] == 0.0 and "pseudo-labels" in tuning["relearned"][0]
    child = GeneORFModel.from_pretrained(str(tmp_path / "child"), local_files_only=True)
    assert child.config.adapted_to and child.stored_statistics() is not None
    # the same as adapting the parent directly (seed 1): label-free, the annotation is never read
    parent = GeneORFModel.from_pretrained(str(parent_dir), local_files_only=True)
    parent.config.adapted_to = None
    genome = open_genome(fasta)
    direct = adapted_model(parent, {sid: encode(r.fetch(0, r.length)) for sid, r in genome.sequences.items()},
                           "x", seed=1)
    weights = load_file(str(tmp_path / "child" / "model.safetensors"))
    assert all(np.allclose(weights[k], v.numpy()) for k, v in direct.state_dict().items())


def test_adapt_last_refits_only_the_adapted_gene_scorers_output_layer(geneorf_parent, tmp_path):
    from safetensors.numpy import load_file

    parent_dir, fasta, gff = geneorf_parent
    _, adapt = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "adapt", candidates="parent,adapt",
                                 anchor="adapt", margin=1.0)
    _, info = fine_tune_geneorf(parent_dir, fasta, gff, tmp_path / "child", candidates="parent,adapt_last",
                                anchor="adapt_last", margin=1.0)
    tuning = info["fine_tuning"]
    assert set(tuning["candidates"]) == {"parent", "adapt_last"} and tuning["chosen"] == "adapt_last"
    assert list(tuning["candidates"]["adapt_last"]) == ["+0"]   # the default keeps the gene decision offset
    adapted, child = load_file(str(tmp_path / "adapt" / "model.safetensors")), load_file(
        str(tmp_path / "child" / "model.safetensors"))
    changed = {k for k in adapted if not np.array_equal(adapted[k], child[k])}
    assert changed <= {"gene.out.weight", "gene.out.bias"} and "gene.out.weight" in changed
    assert "annotated genes" in tuning["relearned"][0] and info.get("description", "").count("adapted") >= 1


def test_a_run_of_several_genomes_leaves_the_adapted_candidates_out(geneorf_parent, tmp_path):
    """Stored statistics are one genome's: with two genomes adapt and adapt_* are left out and said so."""
    import json
    from pathlib import Path

    from genoview.core.training.runner import run_training
    from genoview.core.training.spec import TrainingSpec

    parent_dir, fasta, gff = geneorf_parent
    records = Path(fasta).read_text().split(">")[1:]
    genomes = []
    for text in records:
        sid = text.split()[0]
        (tmp_path / f"{sid}.fa").write_text(">" + text)
        lines = [line for line in Path(gff).read_text().splitlines() if line.startswith("##gff-version")
                 or line.startswith(f"##sequence-region {sid} ") or line.split("\t")[0] == sid]
        (tmp_path / f"{sid}.gff3").write_text("\n".join(lines) + "\n")
        genomes.append({"fasta": str(tmp_path / f"{sid}.fa"), "annotation": str(tmp_path / f"{sid}.gff3")})
    spec = TrainingSpec(architecture="geneorf", genomes=genomes, init_from=str(parent_dir), max_minutes=5,
                        num_threads=1, seed=1)
    run_training(spec, tmp_path / "child", name="child")
    tuning = json.loads((tmp_path / "child" / "genoview.json").read_text())["fine_tuning"]
    adapted = {"adapt", "adapt_start", "adapt_last", "adapt_last_start", "soup_greedy"}   # soup_greedy: a default since session 13
    assert set(tuning["left_out"]) == adapted and all("several genomes" in why for why in tuning["left_out"].values())
    assert set(tuning["candidates"]) == {"parent", "last", "last_start"}
