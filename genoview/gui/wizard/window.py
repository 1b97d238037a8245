"""The training wizard's window: a QWizard of six pages that fills a TrainingSpec and runs it in a child process
(the package's ``__init__`` says what each page does and imports this module only when a wizard is made)."""
from __future__ import annotations

import dataclasses
import json
import logging
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

__all__ = ["TrainingWizard", "last_settings_path", "read_last_settings"]

log = logging.getLogger(__name__)

LAST_SETTINGS_FILE = "training-wizard.json"   # in the user's config folder: the last wizard's settings, per user
RESET_BUTTON = QWizard.WizardButton.CustomButton1


def last_settings_path() -> Path:
    from genoview.paths import user_config_dir

    return user_config_dir() / LAST_SETTINGS_FILE


def read_last_settings() -> dict[str, Any]:
    """The settings the last wizard closed with (pages' sections), {} when none or unreadable (never an error:
    a damaged file only means the wizard starts from its defaults)."""
    try:
        data = json.loads(last_settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("version") == 1 else {}


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
        # Escape or the close button before the run lost every page's settings: the wizard keeps them when it
        # closes (whatever way) and a plain "Train a model…" opens with them; Reset to defaults starts afresh
        self.remember_settings = True
        self.restored: dict[str, Any] = {}   # the last settings this wizard opened with ({}: its defaults)
        self._old_pages: list[QWidget] = []   # pages replaced by Reset (their workers may still answer them)
        self._build_pages()
        self.run_page = RunPage(self)
        self.setPage(self.RUN, self.run_page)
        self.currentIdChanged.connect(self._default_button_for)
        QApplication.instance().focusChanged.connect(self._keep_no_default_on_review)
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(RESET_BUTTON, "&Reset to defaults")
        self.button(RESET_BUTTON).setToolTip("Forget the settings of the last training setup (genomes, task, model, "
                                             "hyperparameters) and start from the defaults")
        self.setButtonLayout([RESET_BUTTON, QWizard.WizardButton.Stretch, QWizard.WizardButton.BackButton,
                              QWizard.WizardButton.NextButton, QWizard.WizardButton.CommitButton,
                              QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton])
        self.customButtonClicked.connect(lambda which: self.reset_to_defaults() if which == RESET_BUTTON.value else None)
        self.currentIdChanged.connect(lambda page_id: self.button(RESET_BUTTON).setVisible(page_id != self.RUN))
        from genoview.gui.screen_fit import fit_to_screen

        fit_to_screen(self, 900, 760)   # a 1280 x 800 screen: Next and Cancel were below its edge
        last = read_last_settings() if not self.initial else {}   # a fine-tune or "train again" brings its own
        if last:
            self._restore(last)
        else:
            self._prefill()

    def _build_pages(self) -> None:
        self.data_page = DataPage(self)
        self.task_page = TaskPage(self)
        self.model_page = ModelPage(self)
        self.hyper_page = HyperparametersPage(self)
        self.review_page = ReviewPage(self)
        for page_id, page in zip(range(self.RUN), (self.data_page, self.task_page, self.model_page, self.hyper_page,
                                                   self.review_page)):
            self.setPage(page_id, page)

    # -- the last settings ---------------------------------------------------------------------------
    def current_settings(self) -> dict[str, Any]:
        """Every page's settings as the user left them (read from the widgets: a page left with Escape was never
        validated), JSON-ready; a page not reached yet keeps what this wizard was opened with."""
        from genoview.gui.wizard.pages import SCRATCH

        task = self.task_page
        out: dict[str, Any] = {"version": 1, "data": self.data_page.values(),
                               "task": {"task": task.task(), "window": task.window_spin.value(),
                                        "window_chosen": task.window_chosen,
                                        "labelling": task.labelling.currentData(), "k": task.k_spin.value(),
                                        "lm_architecture": task.lm_arch.currentData(),
                                        "lm_minutes": task.lm_minutes.value()}}
        model = self.model_page
        if model.loaded:
            source = model.source()
            out["model"] = {"source": source, "init_from": model.init_from(),
                            "architecture": model.arch_combo.currentData() if source == SCRATCH else None,
                            "size": model.size_combo.currentData() if source == SCRATCH else None}
        elif self.restored.get("model"):
            out["model"] = self.restored["model"]
        hyper = self.hyper_page
        if hyper._architecture is not None:
            section: dict[str, Any] = {"architecture": hyper._architecture, "preset": hyper.preset_combo.currentData(),
                                       "options_open": hyper.options_box.isChecked()}
            try:
                section["values"] = hyper.form.values()
                section["options"] = hyper.options_form.values(only_changed=True) if hyper.options_form else {}
            except ValueError:   # a field being typed: the rest is still worth keeping
                pass
            out["hyperparameters"] = section
        elif self.restored.get("hyperparameters"):
            out["hyperparameters"] = self.restored["hyperparameters"]
        # closed with its run paused (or ended without a model): the next wizard proposes the same name, so its Review
        # page finds the unfinished run and offers to continue it (it proposed a new name, and Resume was lost)
        run = self.run_page
        if run.outcome in ("paused", "failed", "crashed") and self.values.get("name"):
            from genoview.gui.wizard.run_page import has_checkpoint

            # paused before its first checkpoint there is nothing to continue: the next wizard said "can be continued
            # on the Review page", which then offered nothing (H-walk18)
            out["review"] = {"name": self.values["name"], "unfinished": True,
                             "checkpoint": has_checkpoint(self.output_dir())}
        elif run.outcome is None and self.restored.get("review") and self.currentId() != self.RUN:
            out["review"] = self.restored["review"]   # reopened and closed again before a run: still to continue
        return out

    def save_settings(self) -> None:
        """Write ``current_settings()`` for the next wizard (atomically; a read-only config folder only logs)."""
        path = last_settings_path()
        try:
            text = json.dumps(self.current_settings(), indent=1, default=str)
            temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except (OSError, ValueError, TypeError) as exc:
            log.warning("could not keep the training wizard's settings in %s: %s", path, exc)

    def _restore(self, last: dict[str, Any]) -> None:
        """Open with the settings the last wizard closed with: the open genome comes first when it is not one of
        theirs (the genome just opened is the one to train on), the rest as they were."""
        self.restored = last
        data = dict(last.get("data") or {})
        genome = getattr(self.session, "genome", None) if self.session is not None else None
        open_path = str(genome.path) if genome is not None and genome.path else None
        chosen = [g.get("fasta") for g in data.get("genomes") or []] or [data.get("fasta")]
        review = last.get("review") or {}
        unfinished = review.get("name") if review.get("unfinished") else None
        unfinished = unfinished if isinstance(unfinished, str) and unfinished else None
        replaced = ""   # the last run's genome(s), when the open genome takes their place: said in the subtitle
        # a paused or unfinished run continues on its own genomes: the open genome in their place made its Resume
        # a run of other settings (H-walk18: example.fa paused, E. coli open, "can be continued on the Review page")
        if open_path and open_path not in chosen and not unfinished:
            names = [os.path.basename(str(f)) for f in chosen if f]
            if names:
                replaced = (f" The open genome, {os.path.basename(open_path)}, replaces the last one "
                            f"({', '.join(names[:3])}{', …' if len(names) > 3 else ''}).")
            data = {k: v for k, v in data.items() if k not in ("fasta", "annotation", "genomes", "feature_types")}
            self.data_page.set_values(data)
            self.data_page.use_session_genome()
        else:
            self.data_page.set_values(data)
        task = last.get("task") or {}
        self.task_page.set_values(task)
        button = {"gene-track": self.task_page.gene_track, "windows": self.task_page.windows,
                  "language-model": self.task_page.language}.get(task.get("task"))
        if button is not None and button.isEnabled():
            button.setChecked(True)
        lm_index = self.task_page.lm_arch.findData(task.get("lm_architecture"))
        if lm_index >= 0:
            self.task_page.lm_arch.setCurrentIndex(lm_index)
        if isinstance(task.get("lm_minutes"), (int, float)):
            self.task_page.lm_minutes.setValue(float(task["lm_minutes"]))
        model = last.get("model") or {}
        self.model_page.restore(model.get("source"), model.get("init_from"), model.get("architecture"),
                                model.get("size"))
        hyper = last.get("hyperparameters") or {}
        if hyper.get("architecture"):
            self.initial["restored_hyperparameters"] = hyper
        if unfinished:
            self.review_page.name_edit.setText(unfinished)
        own = " (on its own genome, not the open one)" if open_path and open_path not in chosen else ""
        if unfinished and review.get("checkpoint", True) is False:
            notes = (f" The run of {unfinished} was paused before its first checkpoint: Start training on the Review "
                     f"page runs it again from the beginning{own}, with the same seed and the same result.")
        else:
            notes = replaced + (f" The unfinished run of {unfinished} can be continued on the Review page{own}."
                                if unfinished else "")
        # the header shows two lines (ClassicStyle): with a note, the page's own description (its fields say it) gave
        # way to it, else the note's end was cut off
        self.data_page.setSubTitle("Your last training settings are filled in on every page (Reset to defaults, "
                                   "below, starts afresh)." + (notes or " " + self.data_page.subTitle()))

    def reset_to_defaults(self) -> None:
        """Every page back to its defaults (the open genome, the default model, the architecture's settings) and
        the kept settings forgotten; only before the run (the button is hidden on the Run page)."""
        if self.currentId() == self.RUN:
            return
        self.review_page.stop_probe()
        try:
            last_settings_path().unlink(missing_ok=True)
        except OSError:
            pass
        # every page out, the current one last: a removed current page makes QWizard switch to another page and
        # initialise it (the pages after it in turn, up to the Run page, which starts the run)
        current = self.currentId()
        for page_id in [i for i in self.pageIds() if i != current] + [current]:
            page = self.page(page_id)
            self.removePage(page_id)
            if page is not self.run_page:
                page.hide()
                self._old_pages.append(page)   # not deleted: a worker of theirs may still answer
        self.values, self.initial, self.restored = {}, {}, {}
        self.spec, self.preset_note = None, ""
        self._build_pages()
        self.setPage(self.RUN, self.run_page)
        self.restart()
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
        if self.remember_settings:   # Escape, the close button, Cancel or the run's end: nothing set is lost
            self.save_settings()
        self.review_page.stop_probe()
        super().done(result)
