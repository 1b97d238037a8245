"""The Predict dialog: which model, over which region, on which device, in what batch size."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from genoview.gui.session import Session
from genoview.gui.theme import error_color, note_style

BROWSE = "__browse__"
DRAFT_GENOME_MAX = 8_000_000   # bases: a genome in more than 3 sequences up to this size is a draft's contigs


def draft_contigs(genome) -> list[str] | None:
    """Every sequence of a draft genome in contigs (more than 3 sequences, DRAFT_GENOME_MAX bases at most), which
    the Predict dialog and `genoview gui DRAFT --model M` predict by default; None for any other genome."""
    if genome is None or len(genome.sequences) <= 3 or getattr(genome, "total_length", 0) > DRAFT_GENOME_MAX:
        return None
    return list(genome.sequences)


@dataclass
class PredictRequest:
    """What the user asked for; pass it on as ``controller.predict(**request.as_kwargs())``."""

    model_name_or_dir: str
    seqids: list[str]
    region: tuple[int, int] | None  # 0-based half-open within the single sequence, None for whole sequences
    device: str = "auto"
    batch_size: int | None = None

    def as_kwargs(self) -> dict:
        return {
            "model_name_or_dir": self.model_name_or_dir,
            "seqids": list(self.seqids),
            "region": self.region,
            "device": self.device,
            "batch_size": self.batch_size,
        }


def available_devices() -> list[str]:
    """Device choices the machine can honour: auto and cpu always, cuda/mps when present."""
    import torch

    devices = ["auto", "cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return devices


@dataclass
class ModelChoices:
    """What the dialog offers, read on a worker (``read_model_choices``): each model folder's config, genoview.json
    and card are files, and reading them on the GUI thread grew with the library (~2.5 ms a model, 40 ms with 17)."""

    choices: list[tuple[str, str]]   # (label, name), default first
    blurbs: dict[str, str]           # name -> what it is and how it scored
    devices: list[str]               # available_devices()
    # name -> core's warning for a bacterial gene model on what looks like a eukaryote (genome_kind.eukaryote_warning),
    # said in the dialog when that model is chosen: it came only once the run had started
    warnings: dict[str, str] = field(default_factory=dict)


def read_model_choices(genome=None) -> ModelChoices:
    """The models, their blurbs and the devices, and for ``genome`` each model's eukaryote warning; for a background
    thread (``ask_and_predict`` runs it there: the warning may read the genome's bases and each model's card)."""
    infos = gene_models()
    choices = model_choices(infos)
    warnings = {}
    if genome is not None:
        from genoview.core.genome_kind import eukaryote_warning

        for _, name in choices:   # by name, as the run is asked for it (a built-in's path reads "(built-in)")
            text = eukaryote_warning(genome, name, name)
            if text:
                warnings[name] = text
    return ModelChoices(choices, {info.name: model_blurb(info) for info in infos}, available_devices(), warnings)


def ask_and_predict(window, controller) -> None:
    """Tools ▸ Predict…: read the models on a worker, then show the dialog and queue the prediction asked for.
    The window keeps painting meanwhile; a second click while the models are read does nothing more."""
    from genoview.gui.workers import read_then_ask

    def show(choices: ModelChoices) -> None:
        status = window.statusBar()
        if getattr(status, "whole_message", status.currentMessage)() == "Reading the model library…":
            status.clearMessage()
        request = PredictDialog.get_request(window, window.session, window.settings, choices)
        if request is not None:
            controller.predict(request.model_name_or_dir, request.seqids, request.region, request.device,
                               request.batch_size)

    def failed(message: str, _exc: BaseException) -> None:
        window.report_error("Could not read the model library", message)

    genome = window.session.genome
    if read_then_ask(window, "_reading_models", lambda: read_model_choices(genome), show, failed):
        window.statusBar().showMessage("Reading the model library…")


def gene_models() -> list:
    """``list_models()``'s gene-probability rows (broken ones too), read once per dialog."""
    from genoview.core.models import Task, list_models

    return list_models(task=Task.GENE_PROBABILITY)


def model_choices(infos: list | None = None) -> list[tuple[str, str]]:
    """(label, name) for every loadable gene-probability model in the shipped set and the user's library, default
    first (`genoview models` says why a broken folder is left out); ``infos``: ``gene_models()``, else read here."""
    infos = sorted((info for info in (gene_models() if infos is None else infos) if not info.broken),
                   key=lambda info: (not info.default, info.name.lower()))
    choices = []
    for info in infos:
        label = info.name + (" (default)" if info.default else "")
        if info.architecture:
            label += f" — {info.architecture}"
        choices.append((label, info.name))
    return choices


def card_what_it_is(info) -> str:
    """The "What it is" line of the model card's plain-words top (models/NAME/README.md), markdown dropped; "" when
    the folder has no such card (a user's own model: its genoview.json description is used)."""
    import re

    path = getattr(info, "path", None)
    if path == "(built-in)":   # Prodigal: its card lives in its module (core.library.builtin_card), the one place
        from genoview.core.library import builtin_card

        text = builtin_card(info.name)
    else:
        try:
            text = (Path(path) / "README.md").read_text(encoding="utf-8", errors="replace")[:4000] if path else ""
        except OSError:
            return ""
    found = re.search(r"^- \*\*What it is:\*\* (.+)$", text, re.MULTILINE)
    if not found:
        return ""
    return re.sub(r"\*{1,2}([^*]+)\*{1,2}", r"\1", found.group(1)).replace("`", "").strip()


def model_blurb(info) -> str:
    """One or two lines on a model for a newcomer choosing one: what it is and how well it did where it never
    trained (from its genoview.json metrics), so the names in the list mean something."""
    import re

    plain = card_what_it_is(info)   # the card's plain words ("The default gene finder for bacteria and archaea")
    if plain:
        sentences = re.split(r"(?<=[a-z0-9)])\. (?=[A-Z])", plain)   # not at "E. coli"
        first = sentences[0].rstrip(".")
        if len(sentences) > 1 and len(first) + len(sentences[1]) < 250:
            first = f"{first}. {sentences[1].rstrip('.')}"
    else:
        text = (getattr(info, "description", "") or "").strip()
        first = re.split(r"(?<=[a-z0-9)])\. (?=[A-Z])", text)[0].rstrip(".")   # not at "E. coli"
        first = re.sub(r"\s*\([^()]*\)", "", first)   # the parentheses hold the details; the card has them
    if len(first) > 250:
        first = first[:247].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    metrics = getattr(info, "metrics", None) or {}
    held_out = metrics.get("held_out") if isinstance(metrics.get("held_out"), dict) else {}
    mean = metrics.get("held_out_mean_mcc") or held_out.get("mean_mcc")
    test = (metrics.get("test") or {}).get("mcc") if isinstance(metrics.get("test"), dict) else None
    if isinstance(mean, (int, float)):
        score = f"MCC {mean:.2f} on average on genomes it never saw (1 = perfect)."
    elif isinstance(test, (int, float)):
        score = f"MCC {test:.2f} on the held-out part of the genome it was trained on (1 = perfect)."
    else:
        score = ""
    first = first + ("" if not first or first.endswith("…") else ".")
    return " ".join(part for part in (first, score) if part)


class PredictDialog(QDialog):
    """Ask for a model, a region (visible, current sequence, all sequences), a device and a batch size."""

    def __init__(self, parent: QWidget | None, session: Session, settings=None,
                 choices: ModelChoices | None = None) -> None:
        """``choices``: ``read_model_choices()`` made on a worker (Tools ▸ Predict… does); None reads them here."""
        super().__init__(parent)
        if choices is None:
            choices = read_model_choices()
        self.setWindowTitle("Predict gene probabilities")
        self.session = session
        self.settings = settings   # genoview.settings.Settings: the model chosen last time is offered first

        self.model_combo = QComboBox()
        for label, name in choices.choices:
            self.model_combo.addItem(label, name)
        self.model_combo.addItem("Browse for a model folder…", BROWSE)
        self.model_combo.activated.connect(self._on_model_activated)
        self._last_model_index = 0
        self.model_note = QLabel()   # what the chosen model is, and how it scored: the names alone said little
        self.model_note.setWordWrap(True)
        self.model_note.setStyleSheet(note_style(self))
        self._blurbs = dict(choices.blurbs)
        for index in range(self.model_combo.count()):
            blurb = self._blurbs.get(self.model_combo.itemData(index), "")
            if blurb:
                self.model_combo.setItemData(index, blurb, Qt.ItemDataRole.ToolTipRole)
        self.model_combo.currentIndexChanged.connect(self._show_model_note)
        # a bacterial gene model on what looks like a eukaryote: said here, when the model is chosen, before Predict
        self._warnings = dict(choices.warnings)
        self._genome_for_warnings = session.genome
        self._folders: set[str] = set()   # model folders chosen with Browse (their warning is asked when chosen)
        self.kind_warning = QLabel()
        self.kind_warning.setObjectName("eukaryoteWarning")
        self.kind_warning.setWordWrap(True)
        self.kind_warning.setStyleSheet(f"color: {error_color(self)}")
        self.kind_warning.hide()

        self.visible_button = QRadioButton(self._visible_text())
        self.sequence_button = QRadioButton(f"Current sequence ({session.seqid or 'none'})")
        count = len(session.genome.sequences) if session.genome is not None else 0
        self.all_button = QRadioButton(f"All sequences ({count})")
        self.region_group = QButtonGroup(self)
        for button in (self.visible_button, self.sequence_button, self.all_button):
            self.region_group.addButton(button)
        self.sequence_button.setChecked(True)
        if draft_contigs(session.genome):   # a draft in contigs: its genes are wanted genome-wide
            self.all_button.setChecked(True)
            self.all_button.setToolTip("A draft genome in contigs: every contig is predicted (one gene-call export, "
                                       "one evaluation for the genome); whole-genome models learn from all of them "
                                       "whichever you choose")
        region_box = QVBoxLayout()
        for button in (self.visible_button, self.sequence_button, self.all_button):
            region_box.addWidget(button)

        self.device_combo = QComboBox()
        for device in choices.devices:
            self.device_combo.addItem(device)
        self.device_combo.setToolTip("Where the model runs: auto takes a CUDA GPU or Apple MPS when there is one, "
                                     "else the CPU. Results are the same; only the speed differs. The choice is kept "
                                     "for the next prediction.")
        remembered_device = getattr(self.settings, "device", "") if self.settings is not None else ""
        if remembered_device and self.device_combo.findText(remembered_device) >= 0:   # chosen last time (it was
            self.device_combo.setCurrentText(remembered_device)   # "auto" again at every prediction)

        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(0, 4096)
        self.batch_spin.setSpecialValueText("model default")
        self.batch_spin.setValue(0)
        self.batch_spin.setToolTip("Pieces of sequence the model reads at once. The model's default suits most "
                                   "machines; lower it if memory runs out, raise it on a large GPU. Results do not "
                                   "change.")

        self.message = QLabel()
        self.message.setStyleSheet(f"color: {error_color(self)}")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Predict")
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Model", self.model_combo)   # Alt+M, Alt+D, Alt+B: each field's label is its key
        form.addRow("", self.model_note)
        form.addRow("", self.kind_warning)
        form.addRow("Region", region_box)
        form.addRow("&Device", self.device_combo)
        form.addRow("&Batch size", self.batch_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._select_remembered_model()
        self._show_model_note()

    def _show_model_note(self, *_args) -> None:
        model = self.model_combo.currentData()
        self.model_note.setText(self._blurbs.get(model, "") if model != BROWSE else "")
        self.model_note.setVisible(bool(self.model_note.text()))
        self._show_kind_warning(model)

    def _show_kind_warning(self, model) -> None:
        """Core's eukaryote warning for the chosen model, if any (a browsed folder's is asked on a worker)."""
        if model in self._folders and model not in self._warnings and self._genome_for_warnings is not None:
            self._warnings[model] = None   # asked once
            genome = self._genome_for_warnings

            def ask():
                from genoview.core.genome_kind import eukaryote_warning

                return eukaryote_warning(genome, model, Path(model).name)

            def said(text) -> None:
                from shiboken6 import isValid

                if isValid(self):
                    self._warnings[model] = text
                    if self.model_combo.currentData() == model:
                        self._show_kind_warning(model)

            from genoview.gui.workers import run_in_thread

            self._warning_bridge = run_in_thread(ask, said, lambda *_: None)
        text = self._warnings.get(model) if model != BROWSE else None
        shown = f"⚠ {text}." if text else ""   # as core says it: a model name keeps its case
        if shown != self.kind_warning.text():
            self.kind_warning.setText(shown)
            self.kind_warning.setVisible(bool(text))
            if text:   # room for the whole warning: a shown dialog kept its height and cut the wrapped lines
                self.setMinimumWidth(max(self.minimumWidth(), 640))
            self.layout().activate()
            self.adjustSize()

    def _select_remembered_model(self) -> None:
        """Select the model used last time; a model folder chosen with Browse is offered again."""
        remembered = getattr(self.settings, "default_model", "") if self.settings is not None else ""
        if not remembered:
            return
        index = self.model_combo.findData(remembered)
        if index >= 0:
            self.model_combo.setCurrentIndex(index)
            self._last_model_index = index
        elif Path(remembered).is_dir():
            self.add_model_folder(remembered)

    def remember_model(self) -> None:
        """Keep the chosen model (a name or a folder) and device for the next time the dialog opens."""
        model = self.model_combo.currentData()
        if self.settings is not None and model and model != BROWSE:
            self.settings.default_model = model
        if self.settings is not None:
            device = self.device_combo.currentText()
            self.settings.device = "" if device == "auto" else device

    def _visible_text(self) -> str:
        start, end = self.session.region
        if self.session.seqid is None or end <= start:
            return "Visible region (none)"
        return f"Visible region ({self.session.seqid}:{start + 1:,}-{end:,})"

    def _on_model_activated(self, index: int) -> None:
        if self.model_combo.itemData(index) != BROWSE:
            self._last_model_index = index
            return
        folder = QFileDialog.getExistingDirectory(self, "Choose a Hugging Face model folder")
        if not folder:
            self.model_combo.setCurrentIndex(self._last_model_index)
            return
        self.add_model_folder(folder)

    def add_model_folder(self, folder: str) -> None:
        """Offer a local model directory (one holding config.json) and select it."""
        label = f"{Path(folder).name} — {folder}"
        self._folders.add(folder)
        self.model_combo.insertItem(self.model_combo.count() - 1, label, folder)
        self._last_model_index = self.model_combo.count() - 2
        self.model_combo.setCurrentIndex(self._last_model_index)

    def request(self) -> PredictRequest | None:
        """The request the current choices describe, or None (with a message shown) when incomplete."""
        model = self.model_combo.currentData()
        if not model or model == BROWSE:
            self.message.setText("Choose a model, or browse for a model folder.")
            return None
        if self.session.genome is None or self.session.seqid is None:
            self.message.setText("Open a genome first.")
            return None
        if self.all_button.isChecked():
            seqids, region = list(self.session.genome.sequences), None
        elif self.visible_button.isChecked():
            seqids, region = [self.session.seqid], tuple(self.session.region)
        else:
            seqids, region = [self.session.seqid], None
        batch = self.batch_spin.value() or None
        return PredictRequest(model, seqids, region, self.device_combo.currentText(), batch)

    def _accept_if_valid(self) -> None:
        if self.request() is not None:
            self.remember_model()
            self.accept()

    @classmethod
    def get_request(cls, parent: QWidget | None, session: Session, settings=None,
                    choices: ModelChoices | None = None) -> PredictRequest | None:
        """Show the dialog modally; the request when the user pressed Predict, else None."""
        dialog = cls(parent, session, settings, choices)
        try:
            return dialog.request() if dialog.exec() == QDialog.Accepted else None
        finally:
            dialog.deleteLater()
