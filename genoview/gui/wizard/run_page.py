"""The wizard's last page: the training child process with live curves, progress, ETA, Stop, Cancel, Resume."""
from __future__ import annotations

import re
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QSplitter, QVBoxLayout, QWizardPage,
)
from PySide6.QtCore import Qt

from genoview.gui.wizard.curves import TrainingCurves
from genoview.gui.wizard.process import CLI, TrainingProcess
from genoview.gui.theme import error_html

CHOSEN_SAID = re.compile(r"chosen: (\S+) with gene offset ([+-]?[0-9.]+(?:e[+-]?\d+)?)")   # core/training/geneorf.py
REDRAW_MS = 250   # curves repaint at most 4 times a second however fast lines arrive


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"


def has_checkpoint(output_dir) -> bool:
    """Whether the unfinished run toward ``output_dir`` saved a checkpoint that ``--resume`` can continue from."""
    from genoview.core.training.runner import unfinished_run

    found = unfinished_run(output_dir)
    return bool(found and found.get("step"))


def where_tested(spec) -> str:
    """Where the test figures were measured, for the finished line ("Test MCC 0.59" on a held-out genome did not say
    which): " on hflu250k.fa (held out whole)", " on the last 30% of each sequence", or ""."""
    if spec is None:
        return ""
    if spec.split == "genomes":
        from genoview.gui.dialogs.files import display_name

        tested = [display_name(g.get("fasta") or "") for g in (spec.genomes or []) if g.get("role") == "test"]
        return f" on {', '.join(tested)} (held out whole)" if tested else ""
    if spec.split == "fraction":
        if spec.test_from <= 0 and spec.test_to >= 1:
            return " on all of each sequence"
        part = f"last {100 * (1 - spec.test_from):.0f}%" if spec.test_to >= 1 else \
            f"{100 * spec.test_from:.0f}-{100 * spec.test_to:.0f}%"
        return f" on the {part} of each sequence (never trained on)"
    return f" on the test sequences ({', '.join(spec.test_seqids)})" if spec.test_seqids else ""


def lm_finished_words(log: str) -> str:
    """The finished line of a language model's run, with the test perplexity `genoview train-lm` printed last."""
    import re

    found = (re.search(r'"test":\s*\{\s*"perplexity":\s*([0-9.]+)', log)   # train-lm --json
             or re.search(r'\btest perplexity ([0-9.]+)', log))   # its line for people
    return "Finished." + (f" Test perplexity {float(found.group(1)):.4f} on the held-out genes (lower is better; "
                          "1 to 4 for DNA)." if found else "")


class RunPage(QWizardPage):
    """Runs `genoview train --spec` as a child process and shows what its JSON lines say."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Run")
        self.setSubTitle("Training runs in its own process: the window stays responsive, and a crash of the run "
                         "cannot take your session down.")
        layout = QVBoxLayout(self)
        self.status = QLabel("", self)
        self.status.setObjectName("runStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        row.addWidget(self.progress, 1)
        self.eta = QLabel("", self)
        row.addWidget(self.eta)
        layout.addLayout(row)
        self.metrics = QLabel("", self)
        layout.addWidget(self.metrics)
        self._splitter = splitter = QSplitter(Qt.Orientation.Vertical, self)
        self._curves: TrainingCurves | None = None   # made on first use (`curves`)
        self.log = QPlainTextEdit(splitter)
        self.log.setReadOnly(True)
        self.log.setTabChangesFocus(True)   # Tab moves on to the buttons
        self.log.setMaximumBlockCount(2000)
        splitter.addWidget(self.log)
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        self.stop_button = QPushButton("Stop", self)
        self.stop_button.setToolTip("Finish now: evaluate, keep the best checkpoint and save it as a usable model")
        self.cancel_button = QPushButton("Cancel run", self)
        self.cancel_button.setToolTip("Stop and discard this run (nothing is kept)")
        self.pause_button = QPushButton("Pause", self)
        self.pause_button.setToolTip("Stop the process but keep its checkpoints: Resume continues it, now or after "
                                     "reopening the wizard with the same model name")
        self.pause_button.clicked.connect(self.pause)
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setToolTip("Continue an unfinished run from its newest checkpoint")
        self.stop_button.clicked.connect(self.stop)
        self.cancel_button.clicked.connect(self.cancel)
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        buttons.addStretch(1)
        for button in (self.resume_button, self.pause_button, self.stop_button, self.cancel_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.process = TrainingProcess(self)
        self.process.event.connect(self._on_event)
        self.process.output.connect(self._on_output)
        self.process.ended.connect(self._on_ended)
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self.outcome: str | None = None
        self.model_dir: str | None = None
        self.best_mcc: float | None = None
        self.candidate_points: dict[int, tuple[str, float | None]] = {}   # GeneORF eval step -> (candidate, offset)
        self.chosen_said: tuple[str, float] | None = None   # the log's "chosen: NAME with gene offset D" line
        self.total_steps: int | None = None
        self.started_at = 0.0
        self.attempt_seconds: float | None = None   # how long the last attempt ran (a Pause ends an attempt)
        self.before_resume: float | None = None      # the earlier attempts' seconds when resumed on this page
        self._set_buttons()

    @property
    def curves(self) -> TrainingCurves:
        """The live curves, made when first used: their two plots took ~30 ms of the wizard's making on the GUI
        thread, for a page most openings never reach."""
        if self._curves is None:
            # a GeneORF fine-tune or a language model draws no loss: its plot is made if a later run draws one
            self._curves = TrainingCurves(self._splitter, loss=not self._draws_no_loss())
            self._splitter.insertWidget(0, self._curves)
            self._splitter.setSizes([400, 90])
        return self._curves

    def _draws_no_loss(self) -> bool:
        values = self.wizard_.values
        return values.get("architecture") == "geneorf" or values.get("task") == "language-model"

    # -- running ----------------------------------------------------------------------------------
    def initializePage(self) -> None:
        self.curves   # noqa: B018 - made before the run's first line comes
        self.wizard_.setOption(self.wizard_.WizardOption.NoBackButtonOnLastPage, True)
        self.start(resume=bool(self.wizard_.values.get("resume")))

    def start(self, resume: bool = False) -> None:
        from genoview.core.training.runner import unfinished_run

        w = self.wizard_
        name = w.values["name"]
        out = w.output_dir()
        self.outcome = None
        self.model_dir = None
        restart_note = ""
        found = unfinished_run(out) if resume and w.values.get("task") != "language-model" else None
        if resume and w.values.get("task") != "language-model" and not (found and found.get("step")):
            # paused before its first checkpoint: `--resume` would fail ("no checkpoint to resume from"); the same
            # seed and settings give the same run, so starting again loses only the minutes before the pause
            resume = False
            restart_note = ("No checkpoint had been saved yet (one is saved at each evaluation), so the run starts "
                            "again from the beginning; the same seed gives the same model.")
        self.eta.setText("")   # "took ..." of the previous attempt is not this one's
        if not resume:
            self.curves.clear()
            if not self._draws_no_loss():
                self.curves.show_loss()   # a run of steps after a GeneORF one on this page (Reset to defaults)
            self.best_mcc = None
            self.candidate_points, self.chosen_said = {}, None
            self.progress.setValue(0)
            every = getattr(getattr(w, "spec", None), "eval_every", None)
            if w.values.get("architecture") == "geneorf":   # no steps, no checkpoints: candidates (curves.py)
                self.metrics.setText("Each candidate's cross-fitted MCC appears as it is scored.")
            elif w.values.get("task") != "language-model":   # the empty validation plot is not a failure: say when
                self.metrics.setText("Validation MCC and ROC AUC appear at the first evaluation"
                                     + (f" (every {every} steps)" if every else "") + "; a checkpoint is saved then.")
        if resume and found and found.get("step"):
            self._replay(found.get("history") or [])
        where = ""
        if resume and found and found.get("step"):   # where it goes on from: the steps after it are run again
            total = found.get("total_steps")
            where = f" from its checkpoint at step {found['step']:,}" + (f" of {total:,}" if total else "")
        self.log.appendPlainText(("Resuming" if resume else "Starting") + f" the training of {name}{where}…")
        # the time of the attempts before a Resume on this page; in a newly opened wizard the checkpoint's own record
        # of the run's training time up to it (``found`` was read above; None: not known, "since Resume" is said)
        if not resume:
            self.before_resume = 0.0
        elif self.before_resume is not None and self.attempt_seconds is not None:
            self.before_resume += self.attempt_seconds
        else:
            seconds = (found or {}).get("seconds")
            self.before_resume = float(seconds) if isinstance(seconds, (int, float)) and seconds > 0 else None
        self.attempt_seconds = None
        self.status.setText("Starting the training process…" + (f" {restart_note}" if restart_note else ""))
        if restart_note:
            self.log.appendPlainText(restart_note)
        self.started_at = time.monotonic()
        if w.values.get("task") == "language-model":
            self.curves.explain_no_curves("A language model's training draws no curves here: what it does goes to "
                                          "the log below, and its test perplexity is said when it ends.")
            self.progress.setRange(0, 0)
            self.process.start_command(sys.executable, [*CLI, *w.lm_arguments(name)], out)
        else:
            self.progress.setRange(0, 1000)
            if not resume and unfinished_run(out):
                # the wizard starts anew under this name only after the user chose Cancel earlier
                from genoview.core.training.runner import discard_unfinished

                discard_unfinished(out)
            try:
                spec_path = w.save_spec_file(w.spec)
            except OSError as exc:   # the home stopped being writable after the Review page: said, not stuck
                self.log.appendPlainText(f"the spec could not be written: {exc}")
                self._on_ended("failed", -1)
                self.status.setText(error_html(f"Training did not start: its spec could not be written ({exc}). "
                                               "Make that folder writable, then Resume; nothing was trained.", self))
                return
            self.log.appendPlainText(f"spec saved to {spec_path}")
            self.process.start(spec_path, out, name, resume=resume)
        self._timer.start()
        self._set_buttons()
        self.completeChanged.emit()

    def stop(self) -> None:
        if not self.process.running:
            return
        self.status.setText("Stopping: evaluating and saving the best checkpoint as a model…")
        self.process.stop()
        self._set_buttons()

    def pause(self) -> None:
        if not self.process.running:
            return
        self.status.setText("Pausing…")
        self.process.pause()

    def cancel(self) -> None:
        if not self.process.running:
            return
        self.status.setText("Cancelling…")
        self.process.cancel()

    def _set_buttons(self) -> None:
        running = self.process.running
        self.stop_button.setEnabled(running and not self.process._stopping
                                    and self.wizard_.values.get("task") != "language-model")
        self.cancel_button.setEnabled(running)
        self.pause_button.setEnabled(running and self.wizard_.values.get("task") != "language-model")
        resumable = False
        if not running and self.outcome in ("failed", "crashed", "paused") and self.wizard_.values.get("name"):
            from genoview.core.training.runner import unfinished_run   # here: its import was 7 ms of opening the wizard

            resumable = unfinished_run(self.wizard_.output_dir()) is not None
            # paused while reading the genome (no run folder yet): Resume starts it again, as the page says; the
            # button stayed grey and Finish or Cancel were the only ways on
            resumable = resumable or (self.outcome == "paused" and self.wizard_.values.get("task") != "language-model")
        self.resume_button.setEnabled(resumable)

    # -- events -----------------------------------------------------------------------------------
    def _on_event(self, record: dict) -> None:
        kind = record["event"]
        if kind == "start":
            self.status.setText(f"Training {record.get('architecture')} (seed {record.get('seed')})…")
            if record.get("architecture") == "geneorf":
                from genoview.gui.wizard.pages import geneorf_choice_words

                spec = getattr(self.wizard_, "spec", None)
                self.curves.explain_candidates(geneorf_choice_words(getattr(spec, "model_options", None)))
        elif kind == "message":
            self.log.appendPlainText(record.get("text", ""))
            said = CHOSEN_SAID.match(record.get("text") or "")
            if said:   # "chosen: semi with gene offset +0.25 (...)": the kept candidate's offset (done names it)
                self.chosen_said = (said.group(1), float(said.group(2)))
        elif kind == "log":
            self.curves.add_log(record["step"], record.get("loss"))
            self.total_steps = record.get("total_steps") or self.total_steps
            self._show_eta(record.get("eta_seconds"))
            self._dirty = True
        elif kind == "eval":
            metrics = {k: record.get(k) for k in ("loss", "mcc", "roc_auc", "accuracy", "f1")}
            self.curves.add_eval(record["step"], metrics, bool(record.get("best")))
            if record.get("best") and record.get("mcc") is not None:
                self.best_mcc = float(record["mcc"])
            candidates = self.curves.candidates   # a GeneORF fine-tune: candidates scored by cross-fitting
            parts = [f"{'candidate' if candidates else 'step'} {record['step']}"]
            if candidates and record.get("candidate"):   # named when the training events carry it
                delta = record.get("offset_delta")   # one name at several gene offsets read "adapt, adapt" on the axis
                self.curves.name_candidate(record["step"], record["candidate"] + (f" {float(delta):+g}" if delta else ""))
                self.candidate_points[int(record["step"])] = (record["candidate"], record.get("offset_delta"))
                parts[0] += f" ({record['candidate']})"
            if record.get("mcc") is not None:
                parts.append(f"{'cross-fitted' if candidates else 'validation'} MCC {record['mcc']:.4f}")
            if record.get("roc_auc") is not None:
                parts.append(f"ROC AUC {record['roc_auc']:.4f}")
            if self.best_mcc is not None:
                parts.append(f"best MCC {self.best_mcc:.4f}")
            self.metrics.setText("   ".join(parts))
            self._show_eta(record.get("eta_seconds"))
            self._dirty = True
        elif kind == "progress":
            self.progress.setValue(int(1000 * float(record.get("fraction") or 0.0)))
            if record.get("message"):
                self.status.setText(record["message"])
        elif kind == "done":
            self.model_dir = record.get("model_dir")
            test = record.get("test") or {}
            why = record.get("stopped_because")
            why = f" ({why})" if why and why != "finished" else ""   # "after 7 steps (finished)" said it twice
            if self.curves.candidates:   # a GeneORF fine-tune's "steps" are its candidates
                # not "the best kept": the anchor stays unless another beats it by the margin on both halves
                text = f"Finished: {record.get('steps')} candidates scored, one kept{self._kept_words(record)}{why}."
            else:
                text = f"Finished after {record.get('steps')} steps{why}."
            if test.get("mcc") is not None:
                where = where_tested(getattr(self.wizard_, "spec", None))
                parent_note = getattr(getattr(self.wizard_, "review_page", None), "parent_note", None)
                if parent_note is not None and parent_note.text():   # the Review page's warning (parent_saw_test)
                    where = (where.replace(" (never trained on)", "").replace(" (held out whole)", "")
                             + ": the model it was fine-tuned from trained or validated there, so they flatter it")
                text += f" Test MCC {test['mcc']:.4f}, ROC AUC {test.get('roc_auc', float('nan')):.4f}{where}."
            self.status.setText(text)
            self.log.appendPlainText(text)
        elif kind == "error":
            self.status.setText(error_html(str(record.get('message')), self))
            self.log.appendPlainText("error: " + str(record.get("message")))

    def _kept_words(self, record: dict) -> str:
        """Star the kept candidate (the done event's ``chosen``, H-ft3) and name it: ": semi, offset +0.25 (★)";
        without ``chosen`` (an older genoview train) the log's 'chosen:' line is pointed to, as before."""
        chosen = record.get("chosen")
        if not chosen:
            return " (the log's 'chosen:' line)"
        steps = [step for step, (name, _) in self.candidate_points.items() if name == chosen]
        delta = record.get("chosen_offset_delta", record.get("offset_delta"))
        if delta is None and self.chosen_said and self.chosen_said[0] == chosen:
            delta = self.chosen_said[1]
        if len(steps) > 1 and delta is not None:   # one name, several gene offsets: the kept offset's point
            steps = [s for s in steps if self.candidate_points[s][1] is not None
                     and abs(float(self.candidate_points[s][1]) - float(delta)) < 1e-6]
        starred = len(steps) == 1 and self.curves.mark_kept(steps[0])
        offset = f", gene offset {float(delta):+g}" if delta is not None else ""
        if starred:   # the line under the status named the last candidate scored (soup_greedy 0.9151), not the kept one
            self.metrics.setText(f"kept: candidate {steps[0]} ({chosen}{offset})   cross-fitted MCC "
                                 f"{self.curves.best[1]:.4f}")
        return f": {chosen}{offset}" + (" (★ on the plot)" if starred else "")

    def _replay(self, history: list[dict]) -> None:
        """The curves up to the checkpoint a Resume goes on from, from its own history: a wizard opened again to
        Resume drew from the checkpoint's step on (steps 1-20 and their evaluation missing), and one resumed on this
        page kept the steps after the checkpoint, which the run then drew a second time."""
        self.curves.clear()
        self.best_mcc = None
        for record in history:
            if not isinstance(record, dict) or "step" not in record:
                continue
            if any(key.startswith("eval_") for key in record):
                self._on_event({"event": "eval", "step": record["step"], "best": record.get("best"),
                                **{key[5:]: value for key, value in record.items() if key.startswith("eval_")}})
            else:
                self._on_event({"event": "log", "step": record["step"], "loss": record.get("loss")})
        self.eta.setText("")
        self.curves.redraw()
        self._dirty = False

    def _show_eta(self, eta: float | None) -> None:
        elapsed = time.monotonic() - self.started_at
        self.eta.setText(f"elapsed {format_seconds(elapsed)}{self._in_all(elapsed)}, ETA {format_seconds(eta)}")

    def _in_all(self, seconds: float) -> str:
        """After a Resume, what the figure leaves out: "took 52 s" read as the whole run's time after a pause."""
        if self.before_resume is None:
            return " since Resume"
        return f" ({format_seconds(self.before_resume + seconds)} in all)" if self.before_resume else ""

    def _on_output(self, line: str) -> None:
        self.log.appendPlainText(line)

    def _redraw(self) -> None:
        if self._dirty:
            self._dirty = False
            self.curves.redraw()

    def _on_ended(self, outcome: str, code: int) -> None:
        self._timer.stop()
        self.attempt_seconds = time.monotonic() - self.started_at
        self.eta.setText(f"took {format_seconds(self.attempt_seconds)}{self._in_all(self.attempt_seconds)}")
        self.curves.redraw()
        self.outcome = outcome
        w = self.wizard_
        if outcome in ("finished", "stopped"):
            self.progress.setRange(0, 1000)
            self.progress.setValue(1000)
            if self.model_dir is None:
                self.model_dir = str(w.output_dir())
            note = " (stopped early: the best checkpoint was kept)" if outcome == "stopped" else ""
            before = self.status.text()
            if w.values.get("task") == "language-model":   # no "done" event: "Starting the training process…" stayed
                before = lm_finished_words(self.log.toPlainText())
            self.status.setText(before + f"<br>The model <b>{w.values['name']}</b> is in the library{note}.")
            w.model_trained.emit(self.model_dir, w.values["name"])
        elif outcome == "paused":
            if has_checkpoint(w.output_dir()):
                self.status.setText("Paused: the checkpoints are kept. Resume continues the run, now or after "
                                    "opening the wizard again with the same model name.")
            elif w.values.get("architecture") == "geneorf":   # it has no steps: "every 50 steps" was wrong
                self.status.setText("Paused. A GeneORF fine-tune saves no checkpoint between its candidates, so "
                                    "Resume starts it again from the beginning, with the same result (a few minutes).")
            else:
                every = getattr(getattr(w, "spec", None), "eval_every", None)
                self.status.setText("Paused before the first checkpoint (one is saved at each evaluation"
                                    + (f", every {every} steps" if every else "") + "): Resume starts the run "
                                    "again from the beginning, with the same seed and the same result.")
            # why Finish is grey
            self.status.setText(self.status.text() + " Finish waits for a finished run (Resume, then Stop keeps the "
                                "best so far as a model); closing the wizard keeps the paused run.")
        elif outcome == "cancelled":
            self.progress.setValue(0)
            self.status.setText("Cancelled: the run was discarded.")
        else:
            error = (self.process.error_event or {}).get("message")
            self.status.setText(error_html(f"The training ended without a model ({outcome}, exit code {code})"
                                           f"{': ' + error if error else ''}.", self)
                                + (" Resume continues it from its newest checkpoint." if not error else ""))
        self._set_buttons()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        # a paused run is not finished: Finish closed the wizard as if it were, with no model (rev12); Resume goes on
        # (then Stop keeps the best checkpoint as a model), Cancel closes the wizard and keeps the checkpoints
        return not self.process.running and self.outcome not in (None, "paused")
