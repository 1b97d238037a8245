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


def test_the_finished_line_does_not_say_never_trained_on_when_the_parent_was(qtbot):
    """The Review page warned that the parent trained on the test part; the finished line still said the test MCC was
    measured on the last 30% "(never trained on)"."""
    from genoview.core.training.spec import TrainingSpec
    from genoview.gui.wizard import TrainingWizard

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    wizard.spec = TrainingSpec(fasta="/d/g.fa", annotation="a.gff3", test_from=0.7, test_to=1.0)
    run = wizard.run_page
    done = {"event": "done", "steps": 10, "stopped_because": "finished", "test": {"mcc": 0.9, "roc_auc": 0.95}}
    run._on_event(done)
    assert run.status.text().endswith("on the last 30% of each sequence (never trained on).")
    wizard.review_page.parent_note.setText("⚠ parent was trained or validated on 300 of the 300 bases ...")
    run._on_event(done)
    assert "never trained on" not in run.status.text() and "so they flatter it." in run.status.text()
