"""The training wizard driven end to end with pytest-qt on a tiny genome and a tiny GeneCNN: pages, presets and
typed fields, the timed probe, the run in a child process with live curves, Stop, Pause + Resume, Cancel,
and a child killed with SIGKILL (the GUI survives; Resume continues from its checkpoint)."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from genoview import paths
from genoview.core.training.runner import unfinished_run
from genoview.gui.wizard import TrainingWizard
from genoview.gui.wizard.curves import smooth
from tests.gui.waits import PREVIEW_MS

TINY_OPTIONS = {"hidden_size": 8, "dilations": [1, 3], "orf_reach": 90, "chunk_size": 600}
TIMEOUT = 240_000


def fill_to_review(qtbot, w, data_dir, name="tiny-cnn", epochs="2", windows="40", eval_every=""):
    """Data (tiny genome), task (300-base windows), model (tiny GeneCNN from scratch), hyperparameters."""
    w.show()
    page = w.data_page
    page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    page.annotation_edit.setText(str(data_dir / "engine_tiny.gff3"))
    page.test_from.setValue(0.8)
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=PREVIEW_MS)
    assert page.preview["train"]["windows"] > 0 and 0.5 < page.preview["train"]["positive_fraction"] < 0.95
    assert [page.types_list.item(i).text() for i in range(page.types_list.count())] == ["gene"]
    w.next()
    assert w.currentId() == w.TASK
    w.task_page.window_spin.setValue(300)
    w.next()
    assert w.currentId() == w.MODEL
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("genecnn"))
    w.next()
    assert w.currentId() == w.HYPERPARAMETERS
    hp = w.hyper_page
    hp.form.set_values({"epochs": epochs, "windows_per_epoch": windows, "batch_size": 8, "eval_windows": 8,
                        "learning_rate": 5e-3, "seed": 3, "patience": None, "eval_every": eval_every or None})
    if eval_every:
        hp.form.fields["eval_every"].editor.setText(eval_every)
    hp.form.fields["epochs"].editor.setText(epochs)
    hp.form.fields["windows_per_epoch"].editor.setText(windows)
    hp.options_box.setChecked(True)
    hp.options_form.set_values(TINY_OPTIONS)
    w.next()
    assert w.currentId() == w.REVIEW, hp.error.text()
    w.review_page.name_edit.setText(name)
    return w


def test_presets_fill_fields_and_bad_values_are_refused_with_a_reason(qtbot, wizard, data_dir):
    w = wizard
    w.show()
    w.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    w.data_page.annotation_edit.setText(str(data_dir / "engine_tiny.gff3"))
    w.next()
    w.next()
    w.model_page.scratch_radio.setChecked(True)
    w.model_page.arch_combo.setCurrentIndex(w.model_page.arch_combo.findData("kmer-bert"))
    w.next()
    hp = w.hyper_page
    hp.apply_preset("Thesis DNABERT")
    values = hp.form.values()
    assert values["learning_rate"] == 5e-6 and values["epochs"] == 3.0 and values["batch_size"] == 16
    assert values["weight_decay"] == 0.01 and values["warmup_fraction"] == 0.06
    assert w.values["k"] == 3 and w.values["window"] == 75
    assert hp.options_form.values()["dropout"] == 0.06
    assert "lr" in hp.form.fields["learning_rate"].toolTip().lower() or "learning rate" in \
        hp.form.fields["learning_rate"].toolTip()
    hp.form.fields["batch_size"].editor.setText("0")
    w.next()
    assert w.currentId() == w.HYPERPARAMETERS and "batch_size" in hp.error.text() and "out of range" in hp.error.text()
    hp.form.fields["batch_size"].editor.setText("lots")
    w.next()
    assert "not a whole number" in hp.error.text()
    hp.form.fields["batch_size"].editor.setText("16")
    w.next()
    assert w.currentId() == w.REVIEW
    spec = w.spec
    assert (spec.architecture, spec.k, spec.window, spec.learning_rate, spec.model_options["dropout"],
            spec.model_options["task"]) == ("kmer-bert", 3, 75, 5e-6, 0.06, "windows")
    w.review_page.stop_probe()
    w.back()
    hp.apply_preset("Fast CPU")
    assert hp.form.values()["max_steps"] > 0 and "genecnn" in hp.error.text()


def test_a_spec_that_cannot_run_is_stopped_at_the_review(qtbot, wizard, data_dir):
    """4 kb windows do not fit the tiny genome's validation part: the probe says so and Next waits. (A preset keeps
    the window the user set on the Task page since session 17: the 4 kb is the user's here, not Fast CPU's.)"""
    w = fill_to_review(qtbot, wizard, data_dir, name="too-wide")
    w.back()
    w.task_page.window_spin.setValue(4000)
    w.hyper_page.apply_preset("Fast CPU")
    assert w.values["window"] == 4000
    w.hyper_page.options_form.set_values(TINY_OPTIONS)
    w.next()
    review = w.review_page
    qtbot.waitUntil(lambda: review.probe_error is not None or review.probe_result is not None, timeout=TIMEOUT)
    assert "validation part holds no whole window" in review.probe_error
    assert not review.isComplete()
    w.back()
    fields = w.hyper_page.options_form.fields   # from scratch: a fine-tune's rna_memory is not listed (H-cli19)
    assert "rna_memory" not in fields and set(w.hyper_page.options_form.values(only_changed=True)) <= set(TINY_OPTIONS)


def test_wizard_end_to_end_trains_a_model_into_the_library(qtbot, wizard, data_dir):
    w = fill_to_review(qtbot, wizard, data_dir)
    review = w.review_page
    qtbot.waitUntil(lambda: review.probe_result is not None or "failed" in review.estimate.text(), timeout=TIMEOUT)
    assert review.probe_result is not None, review.estimate.text()
    assert review.probe_result["planned_steps"] == 10 and review.probe_result["peak_memory_bytes"] > 10 * 2**20
    assert "Estimated" in review.estimate.text()
    trained = []
    w.model_trained.connect(lambda d, n: trained.append((d, n)))
    w.next()
    assert w.currentId() == w.RUN
    run = w.run_page
    qtbot.waitUntil(lambda: run.outcome is not None, timeout=TIMEOUT)
    assert run.outcome == "finished", run.log.toPlainText()
    out = paths.model_library_dir() / "tiny-cnn"
    assert trained == [(str(out), "tiny-cnn")]
    assert (out / "model.safetensors").is_file() and (out / "README.md").read_text().startswith("# tiny-cnn")
    assert run.curves.losses and run.curves.eval_steps and run.curves.mcc    # live curves came from JSON lines
    assert run.isComplete() and run.progress.value() == 1000
    spec_file = paths.user_data_dir() / "specs" / "tiny-cnn.json"
    saved = json.loads(spec_file.read_text())
    assert saved["model"]["options"]["hidden_size"] == 8 and saved["task"]["window"] == 300
    from genoview.core.library import library_rows
    from genoview.core.store import open_store

    row = next(r for r in library_rows() if r.name == "tiny-cnn")
    assert row.metric("test", "mcc") is not None and row.editable
    runs = open_store().runs("train")
    assert runs[0]["status"] == "finished" and open_store().history(runs[0]["id"])
    # the saved spec, run from a shell, gives the same weights (same seed)
    import subprocess
    import sys

    import torch
    from safetensors.torch import load_file

    again = subprocess.run([sys.executable, "-c", "import sys; from genoview.cli import main; sys.exit(main())",
                            "train", "--spec", str(spec_file), "--out", str(spec_file.parent / "again"),
                            "--progress", "none"], capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    a, b = load_file(str(out / "model.safetensors")), load_file(str(spec_file.parent / "again" / "model.safetensors"))
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def test_stop_keeps_the_best_checkpoint_as_a_usable_model(qtbot, wizard, data_dir):
    w = fill_to_review(qtbot, wizard, data_dir, name="stopped", epochs="200", eval_every="5")
    w.review_page.stop_probe()
    w.next()
    run = w.run_page
    qtbot.waitUntil(lambda: len(run.curves.eval_steps) >= 1, timeout=TIMEOUT)
    run.stop()
    qtbot.waitUntil(lambda: run.outcome is not None, timeout=TIMEOUT)
    assert run.outcome == "stopped", run.log.toPlainText()
    out = paths.model_library_dir() / "stopped"
    meta = json.loads((out / "genoview.json").read_text())
    assert meta["training"]["stopped_because"] == "stopped by the user"
    assert meta["training"]["steps"] < 1000
    from genoview.core.models import load_model

    assert load_model("stopped").name == "stopped"


def test_pause_then_resume_and_cancel_discards(qtbot, wizard, data_dir):
    w = fill_to_review(qtbot, wizard, data_dir, name="paused", epochs="200", eval_every="5")
    w.review_page.stop_probe()
    w.next()
    run = w.run_page
    out = paths.model_library_dir() / "paused"
    qtbot.waitUntil(lambda: len(run.curves.eval_steps) >= 1 and unfinished_run(out) is not None
                    and unfinished_run(out)["step"] > 0, timeout=TIMEOUT)
    run.pause()
    qtbot.waitUntil(lambda: run.outcome == "paused", timeout=TIMEOUT)
    assert run.resume_button.isEnabled() and not out.exists()
    step = unfinished_run(out)["step"]
    run.start(resume=True)
    qtbot.waitUntil(lambda: any(s > step for s in run.curves.eval_steps), timeout=TIMEOUT)
    assert "Resuming" in run.log.toPlainText()
    run.cancel()
    qtbot.waitUntil(lambda: run.outcome == "cancelled", timeout=TIMEOUT)
    assert unfinished_run(out) is None and not out.exists()


def test_a_training_child_killed_with_sigkill_leaves_the_gui_running_and_resumable(qtbot, wizard, data_dir):
    w = fill_to_review(qtbot, wizard, data_dir, name="killed", epochs="200", eval_every="5")
    w.review_page.stop_probe()
    w.next()
    run = w.run_page
    out = paths.model_library_dir() / "killed"
    qtbot.waitUntil(lambda: unfinished_run(out) is not None and unfinished_run(out)["step"] > 0, timeout=TIMEOUT)
    os.kill(run.process.process.processId(), signal.SIGKILL)
    qtbot.waitUntil(lambda: run.outcome is not None, timeout=TIMEOUT)
    assert run.outcome in ("crashed", "failed") and run.resume_button.isEnabled()
    assert "Resume" in run.status.text() and not out.exists()
    run.start(resume=True)
    qtbot.waitUntil(lambda: len(run.curves.eval_steps) >= 1, timeout=TIMEOUT)
    run.stop()
    qtbot.waitUntil(lambda: run.outcome is not None, timeout=TIMEOUT)
    assert run.outcome == "stopped" and (out / "model.safetensors").is_file()


def test_fine_tune_prefill_and_smoothing():
    assert list(smooth([1.0, 1.0, 1.0], 0.9)) == pytest.approx([1.0, 1.0, 1.0])
    assert list(smooth([0.0, 2.0], 0.0)) == [0.0, 2.0]


def test_fine_tune_from_a_shipped_model_is_prefilled(qtbot):
    if not (paths.SHIPPED_MODELS_DIR / "genecnn-ecoli").is_dir():
        pytest.skip("shipped model not present")
    w = TrainingWizard(initial={"init_from": "genecnn-ecoli"})
    qtbot.addWidget(w)
    assert w.model_page.source() == "shipped" and w.model_page.init_from() == "genecnn-ecoli"
    assert w.model_page.architecture() == "genecnn"
    assert "re-learns its codon" in w.model_page.note.text()


def test_a_language_model_task_runs_train_lm_in_the_child(qtbot, wizard, data_dir):
    w = wizard
    if not w.task_page.has_train_lm:
        pytest.skip("genoview train-lm is not available")
    w.show()
    w.data_page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    w.data_page.annotation_edit.setText(str(data_dir / "engine_tiny.gff3"))
    w.next()
    w.task_page.language.setChecked(True)
    w.task_page.lm_minutes.setValue(1)
    w.next()
    assert w.currentId() == w.REVIEW               # no model or hyperparameter page for a language model
    w.review_page.name_edit.setText("tiny-lm")
    assert "train-lm --architecture ngram" in w.review_page.summary.toPlainText()
    w.next()
    run = w.run_page
    qtbot.waitUntil(lambda: run.outcome is not None, timeout=TIMEOUT)
    assert run.outcome == "finished", run.log.toPlainText()
    assert (paths.model_library_dir() / "tiny-lm" / "config.json").is_file()


def test_data_page_takes_several_genomes_and_a_held_out_genome_split(qtbot, wizard, data_dir, tmp_path):
    """Add two genomes, hold one out for testing, preview both; the spec holds both with their roles."""
    import shutil

    other = tmp_path / "other_strain"
    other.mkdir()
    shutil.copy(data_dir / "engine_tiny.fa", other / "genome.fa")
    shutil.copy(data_dir / "engine_tiny.gff3", other / "annotation.gff3")
    w = wizard
    w.show()
    page = w.data_page
    page.fasta_edit.setText(str(data_dir / "engine_tiny.fa"))
    page.annotation_edit.setText(str(data_dir / "engine_tiny.gff3"))
    page.add_entry()
    assert page.genomes_table.rowCount() == 1 and not page.fasta_edit.text()
    page.fasta_edit.setText(str(other / "genome.fa"))
    page.annotation_edit.setText(str(other / "annotation.gff3"))
    page.add_entry()
    page.add_genome(str(data_dir / "gui_tiny.fa"), str(data_dir / "gui_tiny.gff3"))
    assert page.genomes_table.rowCount() == 3
    page.genomes_table.selectRow(2)
    page.remove_selected()
    assert [g["fasta"] for g in page.genomes()] == [str(data_dir / "engine_tiny.fa"), str(other / "genome.fa")]
    page.split_combo.setCurrentIndex(page.split_combo.findData("genomes"))
    role = page.genomes_table.cellWidget(1, 2)
    role.setCurrentIndex(role.findData("test"))
    page.preview = None
    page.refresh_preview()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=PREVIEW_MS)
    assert [(g["name"], g["role"]) for g in page.preview["genomes"]] == [("engine_tiny", "train"),
                                                                         ("other_strain", "test")]
    assert page.preview["test"]["bases"] == page.preview["genomes"][1]["bases"]
    assert "2 genomes" in page.preview_label.text()
    w.next()
    assert w.currentId() == w.TASK
    assert w.values["split"] == "genomes" and [g["role"] for g in w.values["genomes"]] == ["train", "test"]
    w.task_page.window_spin.setValue(300)
    w.next()
    shipped = [w.model_page.shipped_combo.itemData(i) for i in range(w.model_page.shipped_combo.count())]
    assert "geneorf-bacteria" in shipped   # fine-tune the default gene model from the wizard
    w.model_page.select_model("geneorf-bacteria")
    assert w.model_page.architecture() == "geneorf" and "scorers" in w.model_page.note.text()
    from genoview.core.training.geneorf import OPTIONS   # the note names the options as the form labels them
    for option in ("recipe", "candidates", "offset_step", "continue_epochs", "genome_weight"):
        assert option in {o.name for o in OPTIONS} and option.replace("_", " ") in w.model_page.note.text()
    spec = w.spec_from({**w.values, "architecture": "geneorf", "init_from": "geneorf-bacteria", "epochs": 2.0})
    assert spec.split == "genomes" and len(spec.genomes) == 2 and spec.genomes[1]["role"] == "test"
    w.next()   # a GeneORF fine-tune's hyperparameters: the settings its trainer ignores are hidden, with why
    assert w.currentId() == w.HYPERPARAMETERS
    hp = w.hyper_page
    visible = {n for n, f in hp.form.fields.items() if hp.form.layout_.isRowVisible(f)}
    assert {"epochs", "learning_rate", "batch_size", "patience", "seed"} <= visible
    assert not visible & {"warmup_fraction", "eval_windows", "windows_per_epoch", "eval_every", "grad_clip"}
    assert not hp.ignored_note.isHidden() and "do not apply" in hp.ignored_note.text()
    hp.show_applicable("genecnn")   # a window model shows them all again
    assert all(hp.form.layout_.isRowVisible(f) for f in hp.form.fields.values()) and hp.ignored_note.isHidden()


def test_the_estimate_warns_that_a_geneorf_fine_tune_refits_beyond_its_steps():
    """The probe timed 16 scorer epochs ('Estimated 5 s') while the select recipe's refits take minutes."""
    from types import SimpleNamespace

    from genoview.gui.wizard.pages import describe_estimate

    result = {"estimated_seconds": 5.0, "planned_steps": 16, "device": "cpu", "step_seconds": 0.38,
              "prepare_seconds": 2.0, "peak_memory_bytes": 362 * 2**20, "parameters": 15623, "probe_steps": 1}
    spec = lambda arch, init, options: SimpleNamespace(architecture=arch, init_from=init, model_options=options)
    text = describe_estimate(result, spec("geneorf", "geneorf-bacteria", {}))   # default candidates parent,semi
    assert "1 real step." in text and "self-trains" in text and "refits" not in text and "a minute" in text
    text = describe_estimate(result, spec("geneorf", "geneorf-bacteria", {"candidates": "parent,semi,refit"}))
    assert "'select' recipe also refits" in text and "few minutes" in text
    assert "refits" in describe_estimate(result, spec("geneorf", "geneorf-bacteria", {"recipe": "refit"}))
    assert "minutes" not in describe_estimate(result, spec("geneorf", "geneorf-bacteria", {"recipe": "continue"}))
    assert "minutes" not in describe_estimate(result, spec("genecnn", None, {}))
    assert "minutes" not in describe_estimate({**result, "probe_steps": 3}) and "3 real steps." in describe_estimate(
        {**result, "probe_steps": 3})
