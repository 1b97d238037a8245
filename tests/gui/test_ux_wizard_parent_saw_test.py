"""Fine-tuning a model on the genome it was trained on (Library ▸ Fine-tune from this model, S. aureus slice): the
Review page said the new model "is tested on 70%-100%, which it never sees", though its parent had trained on 90 % of
that sequence; it now says the test figures would flatter it (found on a worker: it reads the genome)."""
from __future__ import annotations

import json

from genoview.core.training.spec import TrainingSpec
from genoview.core.training_plan import parent_saw_test


def parent_folder(tmp_path, seqid: str, length: int):
    """A model folder whose genoview.json records training on the first 90 % of ``seqid``."""
    folder = tmp_path / "parent"
    folder.mkdir()
    (folder / "genoview.json").write_text(json.dumps({
        "schema_version": 1, "name": "parent", "architecture": "genecnn", "task": "gene-probability",
        "data": {"train": [{"seqid": seqid, "start": 0, "end": int(length * 0.9)}],
                 "valid": [{"seqid": seqid, "start": int(length * 0.9), "end": length}]}}), encoding="utf-8")
    return folder


def test_a_parent_trained_on_the_test_part_is_said(tmp_path, data_dir, qtbot):
    from genoview.core.genome import open_genome
    from genoview.gui.wizard import TrainingWizard

    fasta, gff = data_dir / "engine_tiny.fa", data_dir / "engine_tiny.gff3"
    with open_genome(fasta) as genome:
        seqid, length = next((s, r.length) for s, r in genome.sequences.items())
    spec = TrainingSpec(fasta=str(fasta), annotation=str(gff), init_from=str(parent_folder(tmp_path, seqid, length)))
    text = parent_saw_test(spec)
    assert "the new model's test figures would flatter it" in text and "(last 30%)" in text
    spec.init_from = None
    assert parent_saw_test(spec) == ""
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    page = wizard.review_page
    page.check_parent(TrainingSpec(fasta=str(fasta), annotation=str(gff),
                                   init_from=str(tmp_path / "parent")))
    qtbot.waitUntil(lambda: page.parent_note.text().startswith("⚠ parent was trained or validated"), timeout=20000)
