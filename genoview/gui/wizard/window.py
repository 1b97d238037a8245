"""The training wizard's window: a QWizard of six pages that fills a TrainingSpec and runs it in a child process
(the package's ``__init__`` says what each page does and imports this module only when a wizard is made)."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget, QWizard

from genoview.gui.wizard.pages import (
    LANGUAGE_MODEL, DataPage, HyperparametersPage, ModelPage, ReviewPage, TaskPage,
)
from genoview.gui.wizard.run_page import RunPage

__all__ = ["TrainingWizard"]


class TrainingWizard(QWizard):
    """Fill a training spec and run it; ``model_trained(model_dir, name)`` when a model is in the library."""

    DATA, TASK, MODEL, HYPERPARAMETERS, REVIEW, RUN = range(6)
    model_trained = Signal(str, str)

    def __init__(self, session=None, parent: QWidget | None = None, initial: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TrainingWizard")
        self.setWindowTitle("Train a model")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.session = session
        self.values: dict[str, Any] = {}
        self.initial: dict[str, Any] = dict(initial or {})
        self.spec = None
        self.preset_note = ""
        self.ask_before_closing = True   # tests set False: closing while training then pauses the run
        self.data_page = DataPage(self)
        self.task_page = TaskPage(self)
        self.model_page = ModelPage(self)
        self.hyper_page = HyperparametersPage(self)
        self.review_page = ReviewPage(self)
        self.run_page = RunPage(self)
        for page_id, page in zip(range(6), (self.data_page, self.task_page, self.model_page, self.hyper_page,
                                             self.review_page, self.run_page)):
            self.setPage(page_id, page)
        self.currentIdChanged.connect(self._default_button_for)
        QApplication.instance().focusChanged.connect(self._keep_no_default_on_review)
        from genoview.gui.screen_fit import fit_to_screen

        fit_to_screen(self, 900, 760)   # a 1280 x 800 screen: Next and Cancel were below its edge
        self._prefill()

    def _prefill(self) -> None:
        initial = self.initial
        if initial.get("spec"):
            spec = initial["spec"]
            flat = spec.to_flat() if hasattr(spec, "to_flat") else dict(spec)
            initial = {**flat, **{k: v for k, v in initial.items() if k != "spec"}}
            self.initial = initial
        self.data_page.set_values(initial)
        self.task_page.set_values(initial)
        if initial.get("init_from"):
            self.model_page.select_model(str(initial["init_from"]))
        if not initial.get("fasta") and self.session is not None and getattr(self.session, "genome", None) is not None \
                and self.session.genome.path:
            self.data_page.use_session_genome()
        if initial.get("name"):
            self.review_page.name_edit.setText(initial["name"])

    # -- the spec ----------------------------------------------------------------------------------
    def spec_from(self, values: dict[str, Any]):
        """A TrainingSpec from the wizard's values (unknown keys dropped; k only for k-mer models)."""
        from genoview.core.training.spec import TrainingSpec

        names = {f.name for f in dataclasses.fields(TrainingSpec)}
        data = {k: v for k, v in values.items() if k in names}
        if values.get("architecture") != "kmer-bert" or values.get("init_from"):
            data["k"] = None        # a fine-tune takes its parent's k; other models have none
        data["resume"] = False
        data.setdefault("log_every", 5)   # dense live loss curves (does not change what is computed)
        return TrainingSpec(**data)

    def specs_dir(self) -> Path:
        from genoview.paths import user_data_dir

        path = user_data_dir() / "specs"
        path.mkdir(parents=True, exist_ok=True)
        return path

    def save_spec_file(self, spec, probe: bool = False) -> Path:
        """Save the spec as JSON (the probe's copy is a hidden file of this process)."""
        name = self.values.get("name") or self.default_name()
        path = self.specs_dir() / (f".probe-{os.getpid()}.json" if probe else f"{name}.json")
        spec.save(path)
        return path

    def output_dir(self) -> Path:
        from genoview.paths import model_library_dir

        return model_library_dir() / self.values["name"]

    def default_name(self) -> str:
        from genoview.core.library import check_new_name

        arch = self.values.get("lm_architecture") if self.values.get("task") == LANGUAGE_MODEL else \
            self.values.get("architecture") or "model"
        from genoview.core.training.datasets import genome_label

        stem = genome_label(self.values.get("fasta") or "genome")
        if len(self.values.get("genomes") or []) > 1:
            stem += f"-and-{len(self.values['genomes']) - 1}"
        base = f"{arch}-{stem}"[:60].replace(" ", "_")
        for i in range(1, 1000):
            candidate = base if i == 1 else f"{base}-{i}"
            try:
                return check_new_name(candidate)
            except Exception:   # noqa: BLE001 - taken: try the next
                continue
        return base

    def lm_arguments(self, name: str) -> list[str]:
        """`genoview train-lm` arguments of a language model on the genome's annotated genes."""
        from genoview.paths import model_library_dir

        v = self.values
        args = ["train-lm", "--architecture", v.get("lm_architecture") or "ngram", "--genome", v["fasta"],
                # the library folder it goes to (the Review page showed a bare relative "--out NAME" before the name
                # was confirmed)
                "--out", str(self.output_dir() if v.get("name") else model_library_dir() / name), "--name", name,
                "--max-minutes", str(v.get("lm_minutes") or 5)]
        if v.get("annotation"):
            args += ["--annotation", v["annotation"]]
        if v.get("train_to"):
            args += ["--train-fraction", str(v["train_to"])]
        return args

    # -- the Review page's Start button is never pressed by Enter in a field -----------------------------
    def _default_button_for(self, page_id: int) -> None:
        """No default button on the Review page: there Next is "Start training" (minutes to hours of CPU), and Enter in
        its name field pressed it. The pages before keep Next as the default (Enter walks them)."""
        self.setOption(QWizard.WizardOption.NoDefaultButton, page_id == self.REVIEW)

    def _keep_no_default_on_review(self, _old, _new) -> None:
        """A page button (Measure again, Back…) that takes focus is the default while focused; when it loses focus Qt
        makes the button that was default before it (Next) the default again (QDialogPrivate::setDefault), so the
        Start button was drawn as the one Enter presses: take that back (focusChanged comes after the focus events)."""
        if self.currentId() == self.REVIEW:
            start = self.button(QWizard.WizardButton.NextButton)
            if start.isDefault() and not start.hasFocus():
                start.setDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Return that reaches the wizard on the Review page came from a field (a focused button takes its
        own: Space or Enter on Start training starts it): it starts nothing. NoDefaultButton alone is not enough: a
        page button that takes and loses focus gives the default back to the button that last had it (Qt's
        QDialogPrivate::setDefault), Next."""
        if (self.currentId() == self.REVIEW and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            event.accept()
            return
        super().keyPressEvent(event)

    # -- closing -----------------------------------------------------------------------------------
    def reject(self) -> None:
        process = self.run_page.process
        if process.running:
            if self.ask_before_closing:
                box = QMessageBox(QMessageBox.Icon.Question, "Training is running",
                                  "The training is still running. Stop it and keep the best model so far, pause it "
                                  "to resume later, or cancel it and discard the run?", parent=self)
                stop = box.addButton("Stop and keep", QMessageBox.ButtonRole.AcceptRole)
                pause = box.addButton("Pause", QMessageBox.ButtonRole.DestructiveRole)
                cancel = box.addButton("Cancel run", QMessageBox.ButtonRole.DestructiveRole)
                box.addButton("Keep training", QMessageBox.ButtonRole.RejectRole)
                box.exec()
                clicked = box.clickedButton()
                if clicked is stop:
                    self.run_page.stop()
                    process.wait(600_000)
                elif clicked is pause:
                    self.run_page.pause()
                    process.wait(30_000)
                elif clicked is cancel:
                    self.run_page.cancel()
                    process.wait(30_000)
                else:
                    return
            else:
                self.run_page.pause()
                process.wait(30_000)
        self.review_page.stop_probe()
        super().reject()

    def done(self, result: int) -> None:
        self.review_page.stop_probe()
        super().done(result)
