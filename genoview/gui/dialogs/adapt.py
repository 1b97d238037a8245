"""Models ▸ Adapt to this genome…: self-train a GeneORF model on the open genome (no annotation needed).

The work is ``genoview.cli.adapt.adapt_model`` (the same as ``genoview adapt``), run as a job on the window's
JobRunner with progress and cancel; the adapted model is saved in the user's model library and registered as a
child of the model it started from, then the user is offered a prediction with it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMessageBox, QProgressDialog, QWidget,
)

from genoview.gui.dialogs.files import GENERIC_STEMS, display_name, plain_stem as _clean_stem

DEFAULT_START = "geneorf-bacteria"


def adaptable_models() -> list[str]:
    """Names of the GeneORF models one can start from (the shipped one first)."""
    from genoview.core.models import list_models

    names = [m.name for m in list_models() if m.architecture == "geneorf" and not m.broken]
    return sorted(names, key=lambda n: (n != DEFAULT_START, n))


def suggested_name(model: str, genome_path: str, taken=None) -> str:
    """``model-<genome>``: the file's name, or its folder's when the file name is generic (genome.fna.gz); with
    ``taken(name) -> bool``, a -2, -3, ... suffix until the name is free."""
    path = Path(genome_path)
    stem = _clean_stem(path.name)
    if stem.lower() in GENERIC_STEMS:
        stem = _clean_stem(path.parent.name) or stem
    name = f"{model}-{stem or 'genome'}"
    if taken is not None:
        base, n = name, 2
        while taken(name):
            name, n = f"{base}-{n}", n + 1
    return name


def _in_library(name: str) -> bool:
    from genoview.paths import model_library_dir

    return (model_library_dir() / name).exists() or _holder_of(name) is not None


def _holder_of(name: str) -> str | None:
    """What already has the library name ``name`` (a shipped, library or registered model's folder, or "a built-in
    model"), else None: core's ``library_name_holder``, the rule `genoview adapt` refuses a name by, checked before
    the job (the window kept its own copy of that rule; it looked at its library folder only before rev18b)."""
    from genoview.core.errors import GenoViewInputError
    from genoview.core.models import library_name_holder
    from genoview.paths import model_library_dir

    try:
        return library_name_holder(name, model_library_dir() / name)
    except GenoViewInputError:   # the library database locked or damaged: the job says so
        return None


class AdaptDialog(QDialog):
    """Which model to start from and the adapted model's name."""

    def __init__(self, genome_path: str, models: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Adapt to this genome")
        form = QFormLayout(self)
        intro = QLabel(f"Self-train a gene model on <b>{display_name(genome_path)}</b> from its own sequence, as "
                       "Prodigal trains itself (no annotation used). Takes seconds to a couple of minutes; the new "
                       "model goes to your model library (Models ▸ Library…) and you are offered a prediction "
                       "with it.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.model_box = QComboBox()
        self.model_box.addItems(models)
        self.name_edit = QLineEdit()
        self.genome_path = genome_path
        self.model_box.currentTextChanged.connect(
            lambda m: self.name_edit.setText(suggested_name(m, genome_path, _in_library)))
        self.name_edit.setText(suggested_name(self.model_box.currentText(), genome_path, _in_library))
        # the whole suggested name in view (it was cut to "orf-bacteria-genome")
        self.name_edit.setMinimumWidth(self.name_edit.fontMetrics().horizontalAdvance(self.name_edit.text() + "MMMM"))
        self.name_edit.setToolTip("The name the model gets in the library (letters, digits, . _ -); a name in use "
                                  "is refused")
        form.addRow("Start from:", self.model_box)
        form.addRow("New model's name:", self.name_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Adapt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


def _leftover_cleared(window, name: str, out) -> bool | None:
    """Whether the adaptation may clear what an earlier one toward ``out`` left (its ``.NAME.partial`` folder):
    False when there is none; True when its writer has ended and the user agrees; None (reported) when another
    adaptation writes it now, or the user keeps it."""
    from genoview.core.training.runner import describe_owner, live_owner, owner_record, work_dir_for

    work = work_dir_for(out)
    if not work.exists():
        return False
    owner = live_owner(work)
    if owner:
        # another machine's process cannot be checked from here (a shared GENOVIEW_HOME): say how to clear a dead one,
        # as the command line does, or a machine that died kept the name taken for good
        elsewhere = (f" If that machine's process has ended, delete {work} and adapt again." if " on " in owner
                     else "")
        window.report_error("Adapt to this genome", f"Another adaptation to {name} is running ({owner}); wait for it "
                                                    f"to finish, or choose another name.{elsewhere}")
        return None
    record = owner_record(work)
    who = describe_owner(record) if record else "no owner record"
    text = (f"An earlier adaptation to {name} ({who}) ended before it finished and left {work}. Remove what it left "
            "and adapt again?")
    if getattr(window, "interactive", True) and QMessageBox.question(
            window, "Adapt to this genome", text) == QMessageBox.StandardButton.Yes:
        return True
    window.report_error("Adapt to this genome", text.replace(" Remove what it left and adapt again?",
                                                             " Remove that folder, or choose another name."))
    return None


def start_adaptation(window, model: str, name: str, offer_prediction=None):
    """Queue the adaptation job; returns it (or None with the error reported). ``offer_prediction(name) -> bool``
    decides whether to predict with the new model (default: ask the user)."""
    from genoview.core.errors import GenoViewInputError
    from genoview.gui.workers import Job
    from genoview.paths import model_library_dir

    session, runner = window.session, window.runner
    genome = session.genome
    if genome is None or not genome.path:
        window.report_error("Adapt to this genome", "Open a genome from a FASTA or GenBank file first.")
        return None
    out = model_library_dir() / name
    if not name or "/" in name or out.exists():
        window.report_error("Adapt to this genome", f"Choose another name: {name!r} is empty or already taken "
                                                    f"({out}).")
        return None
    holder = _holder_of(name)
    if holder is not None:   # a shipped, built-in or registered model's name: refused by adapt_model in CLI words
        window.report_error("Adapt to this genome", f"Choose another name: {name!r} is the name of another model "
                                                    f"({holder}).")
        return None
    clear_leftover = _leftover_cleared(window, name, out)
    if clear_leftover is None:
        return None
    fasta = genome.path

    def work(progress, cancel):
        from genoview.cli.adapt import adapt_model

        return adapt_model(model, fasta, out, name, progress=progress, cancel=cancel, clear_leftover=clear_leftover,
                           command=f"GenoView: Models ▸ Adapt to this genome ({model} on {display_name(fasta)})")

    job = Job(f"Adapt {model} to {display_name(fasta)}", work, context="adapt")
    dialog = None
    if getattr(window, "interactive", True):
        dialog = QProgressDialog(f"Adapting {model} to {display_name(fasta)}…", "Cancel", 0, 100, window)
        dialog.setWindowTitle("Adapt to this genome")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setRange(0, 0)   # busy until the first stage is reported (reading the genome: ~7 s of an empty bar)
        dialog.canceled.connect(lambda: runner.cancel(job))
    window.adapt_progress_dialog = dialog

    def close_dialog() -> None:
        for signal, slot in connections:
            signal.disconnect(slot)
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()
        window.adapt_progress_dialog = None

    def on_progress(j, fraction: float, message: str) -> None:
        if j is job and dialog is not None:
            if dialog.maximum() == 0:
                dialog.setRange(0, 100)
            dialog.setValue(int(fraction * 100))
            if message:
                dialog.setLabelText(f"Adapting {model} to {display_name(fasta)}: {message}")

    def on_finished(j, result) -> None:
        if j is not job:
            return
        close_dialog()
        session.status_message.emit(f"Adapted model {name} saved in the library ({result.path})")
        ask = offer_prediction or (lambda n: QMessageBox.question(
            window, "Adapt to this genome", f"{n} is in the model library. Predict with it now?")
            == QMessageBox.StandardButton.Yes)
        if ask(name) and window.predict_controller is not None:
            window.predict_controller.predict(name)

    def on_failed(j, message: str) -> None:
        if j is job:
            close_dialog()
            window.report_error("Adaptation failed", message)

    def on_cancelled(j) -> None:
        if j is job:
            close_dialog()
            session.status_message.emit("Adaptation cancelled; nothing was saved")

    connections = [(runner.progress, on_progress), (runner.finished, on_finished), (runner.failed, on_failed),
                   (runner.cancelled, on_cancelled)]
    for signal, slot in connections:
        signal.connect(slot)
    try:
        return runner.submit(job)
    except GenoViewInputError as exc:   # pragma: no cover - submit only queues
        close_dialog()
        window.report_error("Adapt to this genome", str(exc))
        return None


def install_adapt_action(window) -> QAction:
    """Models ▸ Adapt to this genome… (enabled once a genome is open)."""
    action = QAction("&Adapt to this genome…", window)
    action.setStatusTip("Self-train a GeneORF gene model on the open genome (no annotation) and add it to the library")
    menu = getattr(window, "models_menu", None) or window.tools_menu
    menu.addSeparator()
    menu.addAction(action)

    def ask() -> None:
        """Read the library on a worker (every model folder's config: ~2.5 ms a model on the GUI thread), then ask."""
        from genoview.gui.workers import read_then_ask

        genome = window.session.genome
        if genome is None or not genome.path:
            window.report_error("Adapt to this genome", "Open a genome from a FASTA or GenBank file first.")
            return

        def read_failed(message: str, _exc) -> None:
            window.report_error("Adapt to this genome", f"Could not read the model library: {message}")

        def read() -> tuple[list[str], str | None]:   # the models, and whether an adapted one could be saved
            from genoview.paths import library_unwritable

            return adaptable_models(), library_unwritable()

        # a second click while the library is read does nothing
        read_then_ask(window, "_reading_adaptable", read, lambda found: show(genome, *found), read_failed)

    def show(genome, models: list[str], unwritable: str | None = None) -> None:
        if genome is not window.session.genome:   # another genome opened meanwhile: its own click asks again
            return
        if unwritable:   # a read-only GENOVIEW_HOME: minutes of adapting, then "could not write" (said before, plainly)
            window.report_error("Adapt to this genome",
                                f"An adapted model could not be saved: {unwritable}. Nothing was started or changed. "
                                "Make that folder writable and choose Adapt again, or set GENOVIEW_HOME to a writable "
                                "folder and start GenoView again; on the command line, genoview adapt --out FOLDER "
                                "writes the model wherever you choose.")
            return
        if not models:
            window.report_error("Adapt to this genome", "No GeneORF model in the library to start from "
                                                        "(geneorf-bacteria ships with GenoView).")
            return
        dialog = AdaptDialog(genome.path, models, window)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                start_adaptation(window, dialog.model_box.currentText(), dialog.name_edit.text().strip())
        finally:
            dialog.deleteLater()

    action.triggered.connect(ask)
    action.setEnabled(window.session.genome is not None)
    window.session.genome_changed.connect(lambda genome: action.setEnabled(genome is not None))
    window.adapt_action = action
    return action
