"""The training wizard's pages before the run: Data, Task, Model, Hyperparameters, Review.

Each page writes what it holds into the wizard's ``values`` (TrainingSpec field names) in ``validatePage``;
the wizard turns them into one TrainingSpec. Nothing here reads a genome or trains on the GUI thread: the
data preview runs on a worker thread, the Review page's timed probe in a child process.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess, Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
    QHeaderView, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QRadioButton, QSpinBox, QStackedWidget,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from genoview.gui.decimal_input import accept_either_decimal_point
from genoview.gui.wizard.fields import OptionForm
from genoview.gui.theme import caution_color, error_color, error_html, note_style

GENE_TRACK, WINDOWS, LANGUAGE_MODEL = "gene-track", "windows", "language-model"
SHIPPED, LIBRARY, FOLDER, SCRATCH = "shipped", "library", "folder", "scratch"
DEFAULTS_HELP = ("Architecture defaults: the settings the chosen model type is made with. A preset sets them for a "
                 "purpose: Fast CPU (a few minutes on a laptop), Thesis DNABERT (the published recipe), GPU.")
HYPERPARAMETER_FIELDS = ("epochs", "max_steps", "max_minutes", "batch_size", "learning_rate", "weight_decay",
                         "warmup_fraction", "patience", "eval_every", "eval_windows", "windows_per_epoch",
                         "class_weighting", "metric", "grad_clip", "seed")


def _file_row(parent: QWidget, edit: QLineEdit, title: str, filters: str) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = QPushButton("Browse…", parent)

    def browse() -> None:
        path, _ = QFileDialog.getOpenFileName(parent, title, edit.text() or str(Path.home()), filters)
        if path:
            edit.setText(path)

    button.clicked.connect(browse)
    row.addWidget(button)
    return row


def _checked(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked]


def _fill_checks(widget: QListWidget, names, checked) -> None:
    widget.clear()
    for name in names:
        item = QListWidgetItem(name, widget)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if name in checked else Qt.CheckState.Unchecked)


# ================================================================================================ Data
class DataPage(QWizardPage):
    """Genomes and annotations (the open session's or files), positive feature types, split, and a preview.

    The Genome/Annotation fields hold the genome being added: alone, it is the genome to train on; "Add"
    moves it into the list of genomes, so a run can learn from several (each with a role for the split by
    held-out genomes: train, validation or test)."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Data")
        self.setSubTitle("The genome to learn from, which annotated features count as genes, and how it is split "
                         "into training, validation and test parts.")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.fasta_edit = QLineEdit(self)
        self.fasta_edit.setPlaceholderText("FASTA (.fa, .fna, .gz) or GenBank")
        self.annotation_edit = QLineEdit(self)
        self.annotation_edit.setPlaceholderText("GFF3, GTF or GenBank with the true genes")
        genome_row = _file_row(self, self.fasta_edit, "Genome", "Sequences (*.fa *.fasta *.fna *.gz *.gb *.gbk);;All files (*)")
        annotation_row = _file_row(self, self.annotation_edit, "Annotation", "Annotation (*.gff *.gff3 *.gtf *.gz *.gb *.gbk);;All files (*)")
        form.addRow("&Genome", genome_row)   # Alt+G, Alt+A: the label of a row of two widgets names no buddy itself
        form.labelForField(genome_row).setBuddy(self.fasta_edit)
        form.addRow("&Annotation", annotation_row)
        form.labelForField(annotation_row).setBuddy(self.annotation_edit)
        # Tab: each box, then its Browse… (Tab went from the genome box to the annotation box, then both Browse…)
        self.fasta_browse, self.annotation_browse = genome_row.itemAt(1).widget(), annotation_row.itemAt(1).widget()
        QWidget.setTabOrder(self.fasta_edit, self.fasta_browse)
        QWidget.setTabOrder(self.fasta_browse, self.annotation_edit)
        QWidget.setTabOrder(self.annotation_edit, self.annotation_browse)
        self.session_button = QPushButton("Use the open genome", self)
        self.session_button.setToolTip("Take the genome and annotation open in the main window")
        self.session_button.clicked.connect(self.use_session_genome)
        self.add_button = QPushButton("Add to the genomes", self)
        self.add_button.setToolTip("Keep this genome in the list below and choose another: train on several genomes")
        self.add_button.clicked.connect(self.add_entry)
        buttons = QHBoxLayout()
        buttons.addWidget(self.session_button)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        form.addRow("", buttons)
        self.genomes_table = QTableWidget(0, 3, self)
        self.genomes_table.setObjectName("genomesTable")
        self.genomes_table.setHorizontalHeaderLabels(["Genome", "Annotation", "Role (held-out genomes split)"])
        self.genomes_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.genomes_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.genomes_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.genomes_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        # Tab leaves the table (arrows move within it): Tab went round its cells and role boxes and never out, so the
        # Remove button, the feature types and Next were out of a keyboard user's reach (as 74fb1c0's other tables)
        self.genomes_table.setTabKeyNavigation(False)
        self.genomes_table.setMaximumHeight(120)
        self.genomes_table.setToolTip("The genomes of this run; the fields above add one more")
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.setToolTip("Remove the selected genomes from the list")
        self.remove_button.clicked.connect(self.remove_selected)
        genomes_box = QVBoxLayout()
        genomes_box.addWidget(self.genomes_table)
        genomes_box.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        form.addRow("Genomes", genomes_box)
        self.types_list = QListWidget(self)
        self.types_list.setMaximumHeight(90)
        self.types_list.setToolTip("Annotated feature types whose bases are genic (the positive class)")
        form.addRow("Positive feature types", self.types_list)
        self.split_combo = QComboBox(self)
        self.split_combo.addItem("Fractions of each sequence", "fraction")
        self.split_combo.addItem("Held-out sequences", "sequences")
        self.split_combo.addItem("Held-out genomes", "genomes")
        self.split_combo.setItemData(2, "Validation and test genomes are held out whole (set each genome's role); "
                                        "needs two genomes or more", Qt.ItemDataRole.ToolTipRole)
        form.addRow("Split", self.split_combo)
        layout.addLayout(form)
        self.split_stack = QStackedWidget(self)
        fractions = QWidget(self)
        ff = QFormLayout(fractions)
        ff.setContentsMargins(0, 0, 0, 0)
        self.train_to = self._fraction(0.7, "training part: from the start of each sequence to this fraction")
        self.valid_fraction = self._fraction(0.1, "last fraction of the training part kept for validation "
                                                  "(chooses the best checkpoint and the decision threshold)")
        self.test_from = self._fraction(0.7, "the test part starts here (never used to choose anything)")
        ff.addRow("Train on the first", self.train_to)
        ff.addRow("…of which validation (last)", self.valid_fraction)
        ff.addRow("Test from", self.test_from)
        sequences = QWidget(self)
        sf = QHBoxLayout(sequences)
        sf.setContentsMargins(0, 0, 0, 0)
        self.valid_seqs = QListWidget(self)
        self.test_seqs = QListWidget(self)
        for title, widget in (("Validation sequences", self.valid_seqs), ("Test sequences", self.test_seqs)):
            box = QVBoxLayout()
            box.addWidget(QLabel(title, self))
            box.addWidget(widget)
            sf.addLayout(box)
        genomes_split = QWidget(self)
        gf = QFormLayout(genomes_split)
        gf.setContentsMargins(0, 0, 0, 0)
        roles_note = QLabel("Each genome's role in the list above says where it goes: train, validation "
                            "(chooses the best checkpoint and threshold) or test (never used to choose). "
                            "Without a validation genome, the last part of each training genome validates.", self)
        roles_note.setWordWrap(True)
        gf.addRow(roles_note)
        # the validation fraction this split uses without a validation genome: it was named here but set only on the
        # Fractions split's page, out of sight; one value, two spin boxes kept equal
        self.genome_valid_fraction = self._fraction(0.1, "without a validation genome: the last fraction of each "
                                                         "training genome kept for validation")
        gf.addRow("Validation (without a validation genome): the last", self.genome_valid_fraction)
        self.valid_fraction.valueChanged.connect(self.genome_valid_fraction.setValue)
        self.genome_valid_fraction.valueChanged.connect(self.valid_fraction.setValue)
        self.split_stack.addWidget(fractions)
        self.split_stack.addWidget(sequences)
        self.split_stack.addWidget(genomes_split)
        layout.addWidget(self.split_stack)
        self.preview_label = QLabel("Choose a genome to see how many windows and genic bases each part holds.", self)
        self.preview_label.setWordWrap(True)
        self.preview_label.setObjectName("dataPreview")
        layout.addWidget(self.preview_label)
        # one click to what fits when the validation part holds no whole window (the message names the figures)
        fixes = QHBoxLayout()
        self.fit_window_button = QPushButton(self)
        self.fit_window_button.setObjectName("fitWindow")
        self.fit_window_button.clicked.connect(self.use_fitting_window)
        self.fit_fraction_button = QPushButton(self)
        self.fit_fraction_button.setObjectName("fitFraction")
        self.fit_fraction_button.clicked.connect(self.use_fitting_fraction)
        for button in (self.fit_window_button, self.fit_fraction_button):
            button.hide()
            fixes.addWidget(button)
        fixes.addStretch(1)
        layout.addLayout(fixes)
        layout.addStretch(1)
        self.preview: dict | None = None
        # (default window, window set instead, fraction that fits the default) while the Data page has set the Task
        # page's window to one that fits a small genome's validation part; None otherwise
        self._fitted: tuple[int, int, float | None] | None = None
        self._preview_for: tuple | None = None
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(400)
        self._timer.timeout.connect(self.refresh_preview)
        for widget in (self.fasta_edit, self.annotation_edit):
            widget.textChanged.connect(self._timer.start)
        for spin in (self.train_to, self.valid_fraction, self.test_from):
            spin.valueChanged.connect(self._timer.start)
        self.split_combo.currentIndexChanged.connect(self._split_changed)
        self.types_list.itemChanged.connect(lambda _: self._timer.start())
        self.valid_seqs.itemChanged.connect(lambda _: self._timer.start())
        self.test_seqs.itemChanged.connect(lambda _: self._timer.start())
        session = getattr(wizard, "session", None)
        self.session_button.setEnabled(bool(session is not None and session.genome is not None
                                            and session.genome.path))
        if not self.session_button.isEnabled():   # greyed out: say why
            self.session_button.setToolTip("No genome is open in the main window (File ▸ Open genome…); "
                                           "or choose the files above with Browse…")

    def _fraction(self, value: float, tip: str) -> QDoubleSpinBox:
        spin = accept_either_decimal_point(QDoubleSpinBox(self))
        spin.setRange(0.0, 1.0)
        spin.setSingleStep(0.05)
        spin.setDecimals(3)
        spin.setValue(value)
        spin.setToolTip(tip)
        return spin

    def _split_changed(self) -> None:
        split = self.split_combo.currentData()
        self.split_stack.setCurrentIndex({"sequences": 1, "genomes": 2}.get(split, 0))
        self.valid_fraction.setEnabled(split != "sequences")
        self._timer.start()

    def use_session_genome(self) -> None:
        genome = self.wizard_.session.genome
        if self.genomes_table.rowCount() and self.fasta_edit.text().strip():
            self.add_entry()   # the fields hold a genome already: keep it in the list
        self.fasta_edit.setText(str(genome.path or ""))
        self.annotation_edit.setText(str(genome.annotation_path or ""))

    # -- the list of genomes -----------------------------------------------------------------
    def add_genome(self, fasta: str, annotation: str | None, role: str = "train") -> None:
        """Append a genome to the list (a FASTA already there is not added twice)."""
        if any(g["fasta"] == fasta for g in self.table_genomes()):
            return
        row = self.genomes_table.rowCount()
        self.genomes_table.insertRow(row)
        for column, text in ((0, fasta), (1, annotation or "")):
            from genoview.gui.dialogs.files import display_name

            item = QTableWidgetItem(display_name(text) if text else "(none)")   # folder/genome.fna.gz
            item.setData(Qt.ItemDataRole.UserRole, text)
            item.setToolTip(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.genomes_table.setItem(row, column, item)
        combo = QComboBox(self.genomes_table)
        for name in ("train", "validation", "test"):
            combo.addItem(name, name)
        combo.setCurrentIndex(max(0, combo.findData(role)))
        combo.currentIndexChanged.connect(lambda _: self._timer.start())
        self.genomes_table.setCellWidget(row, 2, combo)
        # Tab: the table, each genome's role box, then Remove (the boxes came last of the page, after Cancel)
        QWidget.setTabOrder(self.genomes_table if row == 0 else self.genomes_table.cellWidget(row - 1, 2), combo)
        QWidget.setTabOrder(combo, self.remove_button)
        self._timer.start()

    def add_entry(self) -> None:
        """Move the genome in the Genome/Annotation fields into the list and clear the fields."""
        fasta = self.fasta_edit.text().strip()
        if not fasta:
            return
        self.add_genome(fasta, self.annotation_edit.text().strip() or None)
        self.fasta_edit.blockSignals(True)
        self.annotation_edit.blockSignals(True)
        self.fasta_edit.clear()
        self.annotation_edit.clear()
        self.fasta_edit.blockSignals(False)
        self.annotation_edit.blockSignals(False)
        self.completeChanged.emit()

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.genomes_table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.genomes_table.removeRow(row)
        self._timer.start()
        self.completeChanged.emit()

    def table_genomes(self) -> list[dict[str, Any]]:
        out = []
        for row in range(self.genomes_table.rowCount()):
            fasta = self.genomes_table.item(row, 0).data(Qt.ItemDataRole.UserRole)
            annotation = self.genomes_table.item(row, 1).data(Qt.ItemDataRole.UserRole) or None
            combo = self.genomes_table.cellWidget(row, 2)
            out.append({"fasta": fasta, "annotation": annotation, "role": combo.currentData() if combo else "train"})
        return out

    def genomes(self) -> list[dict[str, Any]]:
        """The list's genomes, then the one in the fields (when it is not in the list yet)."""
        out = self.table_genomes()
        fasta = self.fasta_edit.text().strip()
        if fasta and all(g["fasta"] != fasta for g in out):
            out.append({"fasta": fasta, "annotation": self.annotation_edit.text().strip() or None, "role": "train"})
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        genomes = values.get("genomes") or []
        if len(genomes) > 1:
            for g in genomes:
                self.add_genome(g["fasta"], g.get("annotation"), g.get("role") or "train")
        else:
            if values.get("fasta"):
                self.fasta_edit.setText(values["fasta"])
            if values.get("annotation"):
                self.annotation_edit.setText(values["annotation"])
        index = self.split_combo.findData(values.get("split"))
        if index >= 0:
            self.split_combo.setCurrentIndex(index)
        for key, spin in (("train_to", self.train_to), ("valid_fraction", self.valid_fraction),
                          ("test_from", self.test_from)):
            if key in values:
                spin.setValue(values[key])
        if values.get("feature_types"):
            self._wanted_types = list(values["feature_types"])

    def values(self) -> dict[str, Any]:
        genomes = self.genomes()
        first = genomes[0] if genomes else {"fasta": None, "annotation": None}
        out: dict[str, Any] = {"fasta": first["fasta"], "annotation": first["annotation"], "genomes": genomes}
        types = _checked(self.types_list)
        if types:
            out["feature_types"] = types
        elif getattr(self, "_wanted_types", None):
            out["feature_types"] = self._wanted_types
        if self.split_combo.currentData() == "sequences":
            out.update(split="sequences", valid_seqids=_checked(self.valid_seqs), test_seqids=_checked(self.test_seqs))
        elif self.split_combo.currentData() == "genomes":
            out.update(split="genomes", valid_fraction=round(self.valid_fraction.value(), 4))
        else:
            train_to = round(self.train_to.value(), 4)
            out.update(split="fraction", train_from=0.0, train_to=train_to,
                       valid_fraction=round(self.valid_fraction.value(), 4),
                       test_from=round(self.test_from.value(), 4), test_to=1.0)
        return out

    def refresh_preview(self, keep_fit: bool = False) -> None:
        """Positive fraction and windows per part, computed on a worker thread (the genome is read there)."""
        from genoview.core.training.spec import TrainingSpec
        from genoview.core.training_plan import data_preview
        from genoview.gui.workers import run_in_thread

        # this reads the settings as they are now: a change's pending debounce would read the genome a second time
        # (a file typed then Refresh, a fix button's setValue then its refresh: two previews, the first thrown away)
        self._timer.stop()
        task = getattr(self.wizard_, "task_page", None)
        if self._fitted is not None and not keep_fit:   # another genome or split: the default window is tried again
            if task is not None and not task.window_chosen:
                task.fit_window(self._fitted[0])
                self.wizard_.values["window"] = self._fitted[0]
            self._fitted = None
        values = self.values()
        if not values["fasta"]:
            return
        values["window"] = self.wizard_.values.get("window")
        for key in ("architecture", "init_from", "context", "model_options"):   # what a window needs (its context)
            if self.wizard_.values.get(key) is not None:
                values[key] = self.wizard_.values[key]
        self._preview_for = self._window_settings()
        try:
            spec = TrainingSpec(**{k: v for k, v in values.items() if v is not None})
        except Exception as exc:   # noqa: BLE001 - a message for the user
            self.preview_label.setText(error_html(str(exc), self))
            return
        self._generation += 1
        generation = self._generation
        self.preview_label.setText("Reading the genome…")

        def alive() -> bool:
            from shiboken6 import isValid

            return isValid(self) and isValid(self.types_list) and generation == self._generation

        def done(result) -> None:
            if alive():   # the wizard may have closed while the genome was read
                self._show_preview(result)

        def failed(message, exc) -> None:
            if alive():
                self.preview = None
                self.preview_label.setText(error_html(message, self))
                self.completeChanged.emit()

        self._bridge = run_in_thread(lambda: data_preview(spec), done, failed)

    def _show_preview(self, result: dict) -> None:
        self.preview = result
        types = result.get("feature_types") or {}
        wanted = getattr(self, "_wanted_types", None) or ["gene", "pseudogene"]
        current = _checked(self.types_list) or [t for t in wanted if t in types] or list(types)[:1]
        if sorted(types) != sorted(self.types_list.item(i).text() for i in range(self.types_list.count())):
            self.types_list.blockSignals(True)
            _fill_checks(self.types_list, sorted(types, key=lambda t: -types[t]), current)
            self.types_list.blockSignals(False)
        seqids = result.get("seqids") or []
        if self.valid_seqs.count() != len(seqids):
            for widget in (self.valid_seqs, self.test_seqs):
                widget.blockSignals(True)
                _fill_checks(widget, seqids, [])
                widget.blockSignals(False)

        def part(name: str, key: str) -> str:
            p = result[key]
            fraction = "–" if p["positive_fraction"] is None else f"{100 * p['positive_fraction']:.1f}% genic"
            return f"<b>{name}</b>: {p['bases']:,} bases, {_count(p['windows'], 'window')} of {result['window']:,}, {fraction}"

        task = getattr(self.wizard_, "task_page", None)
        # before the Model page, the windows are counted for the model type trained from scratch by default (its
        # context); said as such, since the model chosen next may read none (GeneORF reads whole genomes)
        chosen = self.wizard_.values.get("architecture")
        counted_for = "" if chosen else f"If you train a {_default_architecture()} (chosen on the Model page): "
        fits, fraction_fits = result.get("window_fits"), result.get("fraction_fits")
        if result.get("valid_too_short") and fits and fits < result["window"] and task is not None \
                and not task.window_chosen and self._fitted is None:
            # the default window does not fit this (small) genome's validation part: the default shown becomes the
            # largest that fits, said below; a window the user set is never changed (the buttons below offer it)
            self._fitted = (result["window"], fits, fraction_fits)
            task.fit_window(fits, f"{fits:,} bases, not the default {result['window']:,}: the largest window that "
                                  f"fits this genome's validation part with {chosen or _default_architecture()}'s "
                                  f"context (Data page). Any window you set here is kept.")
            self.wizard_.values["window"] = fits
            self.refresh_preview(keep_fit=True)
            return
        self.fit_window_button.setVisible(bool(result.get("valid_too_short") and fits))
        self.fit_window_button.setText(f"Use a window of {fits or 0:,} bases")
        self.fit_window_button.setToolTip("Set the window on the Task page to the largest that fits the validation "
                                          "part with its context")
        fraction_fits = fraction_fits if result.get("valid_too_short") else None
        fitted_now = self._fitted is not None and task is not None and not task.window_chosen \
            and task.window_spin.value() == self._fitted[1]
        if fitted_now:
            fraction_fits = self._fitted[2]
        self.fit_fraction_button.setVisible(bool(fraction_fits))
        self.fit_fraction_button.setText(
            f"Keep the {self._fitted[0]:,}-base window: validation fraction {fraction_fits:g}" if fitted_now
            else f"Raise the validation fraction to {fraction_fits or 0:g}")
        self.fit_fraction_button.setToolTip("Keep more of the training part for validation, so that it holds one "
                                            "whole window with its context")
        warning = ""
        context = result.get("context") or 0
        if context:   # GeneCNN reads context beyond each window: the parts are counted with it, as the run counts
            warning = (f"<br>{counted_for}{'each' if counted_for else 'Each'} window reads {result['window']:,} "
                       f"bases with {context:,} bases of context on each side: {result['window_bases']:,} bases in all.")
        if result.get("valid_too_short"):   # the words the Review page and `genoview train` would refuse it with
            text = result["valid_too_short"]
            warning += "<br>" + error_html(text[0].upper() + text[1:] + ".", self)
        elif not result["train"]["windows"] or (result["valid"]["bases"] and not result["valid"]["windows"]):
            warning += "<br>" + error_html("A part holds no whole window: widen it, or choose a smaller window on the "
                                           "Task page.", self)
        if fitted_now:
            default, fitted = self._fitted[0], self._fitted[1]
            warning += (f"<br>The window is {fitted:,} bases, not the default {default:,}: with its context a window "
                        f"of {default:,} bases needs {default + 2 * context:,}, more than this genome's validation "
                        f"part holds. Change it on the Task page, or keep {default:,} with the button below.")
        genomes = result.get("genomes") or []
        listing = ""
        if len(genomes) > 1:
            listing = "<br>".join(f"{g['name']}: {_count(g['sequences'], 'sequence')}, {g['bases']:,} bases"
                                  + (f" ({g['role']})" if self.split_combo.currentData() == "genomes" else "")
                                  for g in genomes) + "<br>"
        self.preview_label.setText(f"{_count(len(genomes) or 1, 'genome')}, {_count(result['sequences'], 'sequence')}, "
                                   f"{result['bases']:,} bases.<br>" + listing
                                   + "<br>".join(part(n, k) for n, k in (("Training", "train"), ("Validation", "valid"),
                                                                           ("Test", "test"))) + warning)
        self.completeChanged.emit()

    def fitted_window(self) -> int | None:
        """The window this page set on the Task page in place of the default, to fit a small genome's validation
        part, while it stands (the user has not set one); None otherwise."""
        return None if self._fitted is None else int(self._fitted[1])

    def use_fitting_window(self) -> None:
        """The window that fits (the button): set on the Task page as the user's choice."""
        fits = (self.preview or {}).get("window_fits")
        task = getattr(self.wizard_, "task_page", None)
        if not fits or task is None:
            return
        task.window_spin.setValue(fits)   # a click is a choice: window_chosen
        self.wizard_.values["window"] = fits
        self._fitted = None
        self.refresh_preview()

    def use_fitting_fraction(self) -> None:
        """The validation fraction that fits (the button); a window the Data page had fitted goes back to the
        default, kept as the user's choice."""
        task = getattr(self.wizard_, "task_page", None)
        if self._fitted is not None:
            default, _, fraction = self._fitted
            self._fitted = None
            if task is not None:
                task.window_spin.setValue(default)
                self.wizard_.values["window"] = default
        else:
            fraction = (self.preview or {}).get("fraction_fits")
        if fraction:
            self.valid_fraction.setValue(fraction)
        self.refresh_preview()

    def _window_settings(self) -> tuple:
        """The later pages' settings a window's size depends on (Back from them re-counts when they changed)."""
        return tuple(repr(self.wizard_.values.get(k)) for k in ("window", "architecture", "init_from", "context",
                                                                 "model_options"))

    def showEvent(self, event) -> None:   # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.preview is not None and self._preview_for != self._window_settings():
            self._timer.start()

    def isComplete(self) -> bool:
        return bool(self.fasta_edit.text().strip()) or self.genomes_table.rowCount() > 0

    def validatePage(self) -> bool:
        values = self.values()

        def refuse(text: str) -> bool:
            self.preview_label.setText(error_html(text, self))
            return False

        if not values["genomes"]:
            return refuse("Choose a genome.")
        for g in values["genomes"]:
            name = Path(g["fasta"]).name
            if not Path(g["fasta"]).is_file():
                return refuse(f"The genome file {name} does not exist.")
            if not g["annotation"]:
                return refuse(f"Training needs an annotation for {name}: its genes are the labels.")
            if not Path(g["annotation"]).is_file():
                return refuse(f"The annotation file of {name} does not exist.")
        if values.get("split") == "genomes":
            roles = [g["role"] for g in values["genomes"]]
            if len(roles) < 2:
                return refuse("A split by held-out genomes needs two genomes or more: add another genome.")
            if "train" not in roles:
                return refuse("A split by held-out genomes needs a genome with the role train.")
        try:
            from genoview.core.training.spec import TrainingSpec

            TrainingSpec(**{k: v for k, v in values.items() if v is not None})
        except Exception as exc:   # noqa: BLE001 - a message for the user
            return refuse(str(exc))
        self.wizard_.values.update(values)
        return True


# ================================================================================================ Task
class TaskPage(QWizardPage):
    """What the model learns: a per-nucleotide gene track, window classes, or a language model of genes."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Task")
        self.setSubTitle("What the model learns to predict.")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.gene_track = QRadioButton("Per-nucleotide gene track (a gene probability for every base)", self)
        self.windows = QRadioButton("Window classification (one label per window; k-mer BERT)", self)
        self.language = QRadioButton("Language model on the genome's genes (for Real vs mutated)", self)
        for i, button in enumerate((self.gene_track, self.windows, self.language)):
            self.group.addButton(button, i)
            layout.addWidget(button)
        self.gene_track.setChecked(True)
        form = QFormLayout()
        self.window_spin = QSpinBox(self)
        self.window_spin.setRange(10, 100000)
        self.window_spin.setValue(4000)
        self.window_spin.setToolTip("Bases per training window (its labelled centre)")
        # a window the user set (or a restored spec set) is never changed; the default one the Data page may lower to
        # the largest that fits a small genome's validation part (fit_window)
        self.window_chosen = False
        self._fitting = False
        self.window_spin.valueChanged.connect(self._window_changed)
        self.window_note = QLabel(self)   # why the window shown is not the default (fit_window)
        self.window_note.setWordWrap(True)
        self.window_note.setStyleSheet(note_style(self.window_note))
        self.window_note.hide()
        self.labelling = QComboBox(self)
        for text, key in (("majority of its bases genic", "majority"), ("all of its bases genic", "all"),
                          ("any of its bases genic", "any")):
            self.labelling.addItem(text, key)
        self.labelling.setToolTip("When a window counts as genic")
        self.k_spin = QSpinBox(self)
        self.k_spin.setRange(1, 8)
        self.k_spin.setValue(6)
        self.k_spin.setToolTip("k-mer size of k-mer models (a fine-tune takes its parent's)")
        self.lm_arch = QComboBox(self)
        for name in ("ngram", "lstm", "gpt"):
            self.lm_arch.addItem(name, name)
        self.lm_minutes = accept_either_decimal_point(QDoubleSpinBox(self))
        self.lm_minutes.setRange(0.1, 600)
        self.lm_minutes.setValue(5)
        form.addRow("Window (bases)", self.window_spin)
        form.addRow("", self.window_note)
        form.addRow("Window label", self.labelling)
        form.addRow("k (k-mer models)", self.k_spin)
        form.addRow("Language model", self.lm_arch)
        form.addRow("Minutes (language model)", self.lm_minutes)
        layout.addLayout(form)
        from genoview.cli import COMMANDS

        self.has_train_lm = "train-lm" in COMMANDS
        self.language.setEnabled(self.has_train_lm)
        if not self.has_train_lm:
            self.language.setToolTip("needs `genoview train-lm`, which this installation lacks")
        layout.addStretch(1)
        self.group.idToggled.connect(lambda *_: self._update())
        self._update()

    def task(self) -> str:
        return (GENE_TRACK, WINDOWS, LANGUAGE_MODEL)[max(0, self.group.checkedId())]

    def _update(self) -> None:
        task = self.task()
        self.labelling.setEnabled(task == WINDOWS)
        self.lm_arch.setEnabled(task == LANGUAGE_MODEL)
        self.lm_minutes.setEnabled(task == LANGUAGE_MODEL)
        self.window_spin.setEnabled(task != LANGUAGE_MODEL)
        self.k_spin.setEnabled(task != LANGUAGE_MODEL)

    def _window_changed(self, _value: int) -> None:
        if not self._fitting:   # the user's choice: kept as set
            self.window_chosen = True
            self.window_note.hide()

    def fit_window(self, window: int, note: str = "") -> None:
        """Set the window without making it the user's choice (the Data page's fit of the default), ``note``
        saying why under it."""
        self._fitting = True
        try:
            self.window_spin.setValue(int(window))
        finally:
            self._fitting = False
        self.window_note.setText(note)
        self.window_note.setVisible(bool(note))

    def set_values(self, values: dict[str, Any]) -> None:
        if values.get("window") and values.get("window_chosen", True):   # a fitted default is fitted anew
            self.window_spin.setValue(int(values["window"]))
            self.window_chosen = True
            # the Data page counts the windows with it: it counted the default 4,000 until this page was passed, and
            # a restored 2,000 on the example genome read "no whole window" in red on a wizard opened again
            self.wizard_.values["window"] = int(values["window"])
        if values.get("k"):
            self.k_spin.setValue(int(values["k"]))
        index = self.labelling.findData(values.get("labelling"))
        if index >= 0:
            self.labelling.setCurrentIndex(index)
        if (values.get("model_options") or {}).get("task") == "windows":
            self.windows.setChecked(True)

    def validatePage(self) -> bool:
        v = self.wizard_.values
        v["task"] = self.task()
        v["window"] = self.window_spin.value()
        v["labelling"] = self.labelling.currentData()
        v["k"] = self.k_spin.value()
        v["lm_architecture"] = self.lm_arch.currentData()
        v["lm_minutes"] = self.lm_minutes.value()
        return True

    def nextId(self) -> int:
        return self.wizard_.REVIEW if self.task() == LANGUAGE_MODEL else super().nextId()


# ================================================================================================ Model
def trainable_gene_models() -> list:
    """The library's gene models a fine-tune can start from (not built-in, not broken, a trainable architecture);
    for a worker thread (ModelPage reads it there)."""
    from genoview.core.library import library_rows
    from genoview.core.training.architectures import architecture_names

    trainable = set(architecture_names())
    return [row for row in library_rows() if not row.builtin and not row.broken and row.architecture in trainable
            and row.task == "gene-probability"]


class ModelPage(QWizardPage):
    """Start from a shipped model, a library model, a local Hugging Face folder, or from scratch."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Model")
        self.setSubTitle("Fine-tune a model (it keeps what it learned and re-learns this genome's specifics) "
                         "or train a new one from scratch.")
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        grid = QFormLayout()
        self.shipped_radio = QRadioButton("Shipped model", self)
        self.library_radio = QRadioButton("From my library", self)
        self.folder_radio = QRadioButton("Hugging Face folder", self)
        self.scratch_radio = QRadioButton("From scratch", self)
        self.shipped_combo = QComboBox(self)
        self.library_combo = QComboBox(self)
        self.folder_edit = QLineEdit(self)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        folder_row.addWidget(browse)
        self.arch_combo = QComboBox(self)
        self.size_combo = QComboBox(self)
        scratch_row = QHBoxLayout()
        scratch_row.addWidget(self.arch_combo, 1)
        scratch_row.addWidget(QLabel("size", self))
        scratch_row.addWidget(self.size_combo)
        for i, (radio, row) in enumerate(((self.shipped_radio, self.shipped_combo), (self.library_radio, self.library_combo),
                                          (self.folder_radio, folder_row), (self.scratch_radio, scratch_row))):
            self.group.addButton(radio, i)
            grid.addRow(radio, row)
        layout.addLayout(grid)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        layout.addStretch(1)
        from genoview.core.training.architectures import architecture_names

        self.rows: dict[str, Any] = {}
        self.loaded = False          # the library's rows are in the combos
        self._pending: str | None = None   # select_model before they came
        self._pending_scratch: tuple[str, str | None] | None = None   # restore(SCRATCH, ...) before they came
        self._pending_restored: str | None = None   # restore(SHIPPED or LIBRARY, name) before they came
        for name in sorted(architecture_names()):
            self.arch_combo.addItem(name, name)
        self.arch_combo.currentIndexChanged.connect(self._fill_sizes)
        self._fill_sizes()
        self.group.idToggled.connect(lambda *_: self._update())
        for combo in (self.shipped_combo, self.library_combo, self.arch_combo):
            combo.currentIndexChanged.connect(self._update)
        self.folder_edit.textChanged.connect(self._update)
        self._trainer_waiting: dict[str, list] = {}   # architecture -> what to do once its trainer is imported
        self.note.setText("Reading the model library…")
        self.shipped_radio.setEnabled(False)   # until the library's rows come (_fill)
        self.library_radio.setEnabled(False)
        self._read_library()

    def _read_library(self) -> None:
        """The model folders are read on a worker (config, genoview.json, card and size of each: 10-50 ms on the GUI
        thread when the wizard was made, growing with the library); the page is two clicks away meanwhile."""
        from shiboken6 import isValid

        from genoview.gui.workers import run_in_thread

        def done(rows) -> None:
            if isValid(self) and not self.loaded:   # the wizard may have closed, or a caller needed them first
                self._fill(rows)

        def failed(message: str, _exc) -> None:
            if isValid(self) and not self.loaded:
                self._fill([])
                self.note.setText(error_html(f"Could not read the model library: {message}", self))

        self._bridge = run_in_thread(trainable_gene_models, done, failed)

    def trainer_ready(self, arch: str, then=None) -> bool:
        """True when ``arch``'s trainer (its training module: defaults, options, ignored settings) is imported; else
        import it on a worker and call ``then()`` when it is. Next from this page on the GUI thread froze the window
        1.7 s (GeneCNN from scratch in a window that had predicted nothing: transformers' import), 8.8 s cold."""
        from genoview.core.training.architectures import architecture_loaded, get_architecture

        from genoview.gui import wizard as package

        if architecture_loaded(arch) or not package.IMPORT_TRAINERS_ON_WORKER:
            return True
        waiting = self._trainer_waiting.get(arch)
        if waiting is not None:   # being imported: one more thing to do when it is
            if then is not None and then not in waiting:
                waiting.append(then)
            return False
        self._trainer_waiting[arch] = [then] if then is not None else []
        from shiboken6 import isValid

        from genoview.gui.workers import run_in_thread

        def done(_architecture) -> None:
            todo = self._trainer_waiting.pop(arch, []) if isValid(self) else []
            for step in todo:
                step()

        def failed(message: str, _exc) -> None:
            if isValid(self):
                self._trainer_waiting.pop(arch, None)
                self.note.setText(error_html(f"Could not load the {arch} trainer: {message}", self))

        self._trainer_bridge = run_in_thread(lambda: get_architecture(arch), done, failed)
        return False

    def _next_when_ready(self) -> None:
        if self.wizard_.currentPage() is self:   # still here (not gone Back): go on as Next would have
            self.wizard_.next()

    def ensure_loaded(self) -> None:
        """The rows now: read here on the GUI thread only when asked before the worker returned (a test, or a
        caller reading the page at once); the user reaches the page after the worker is done."""
        if not self.loaded:
            self._fill(trainable_gene_models())

    def _fill(self, rows) -> None:
        self.loaded = True
        self.rows = {row.name: row for row in rows}
        # the default model first: it is the one Predict runs (genecnn-ecoli came first by name)
        for row in sorted(self.rows.values(), key=lambda r: not r.default):
            combo = self.shipped_combo if row.shipped else self.library_combo
            combo.addItem(f"{row.name} ({row.architecture}{', the default' if row.default else ''})", row.name)
        self.shipped_radio.setEnabled(self.shipped_combo.count() > 0)
        self.library_radio.setEnabled(self.library_combo.count() > 0)
        if not self.library_combo.count():   # a greyed-out choice says why and how it becomes available
            why = ("Your library has no gene model to start from yet: models you train here, adapt (Models ▸ Adapt to "
                   "this genome…) or import (Models ▸ Library…) appear here.")
            for widget in (self.library_radio, self.library_combo):
                widget.setToolTip(why)
            self.library_combo.setPlaceholderText("none yet: train, adapt or import a model")
        if self.group.checkedId() < 0:   # nothing chosen yet (the user has not been on the page)
            (self.shipped_radio if self.shipped_combo.count() else self.scratch_radio).setChecked(True)
        pending, self._pending = self._pending, None
        if pending:
            self.select_model(pending)
        restored, self._pending_restored = self._pending_restored, None
        if restored in self.rows:   # the last wizard's model (one deleted since: the default)
            self.select_model(restored)
        scratch, self._pending_scratch = self._pending_scratch, None
        if scratch:
            self.restore(SCRATCH, None, *scratch)
        self._update()

    def initializePage(self) -> None:
        self.ensure_loaded()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Hugging Face model folder", self.folder_edit.text() or str(Path.home()))
        if folder:
            self.folder_edit.setText(folder)

    def _fill_sizes(self) -> None:
        from genoview.core.training_plan import SIZES

        self.size_combo.clear()
        sizes = SIZES.get(self.arch_combo.currentData() or "", {})
        self.size_combo.addItem("default", None)
        for name, options in sizes.items():
            self.size_combo.addItem(name, name)
            self.size_combo.setItemData(self.size_combo.count() - 1, json.dumps(options), Qt.ItemDataRole.ToolTipRole)

    def source(self) -> str:
        self.ensure_loaded()
        return (SHIPPED, LIBRARY, FOLDER, SCRATCH)[max(0, self.group.checkedId())]

    def architecture(self) -> str | None:
        source = self.source()
        if source == SCRATCH:
            return self.arch_combo.currentData()
        if source == FOLDER:
            try:
                from genoview.core.models import inspect_model_dir

                return inspect_model_dir(self.folder_edit.text().strip())[1].architecture
            except Exception:   # noqa: BLE001 - shown as a note when going on
                return None
        combo = self.shipped_combo if source == SHIPPED else self.library_combo
        row = self.rows.get(combo.currentData())
        return row.architecture if row else None

    def init_from(self) -> str | None:
        source = self.source()
        if source == SHIPPED:
            return self.shipped_combo.currentData()
        if source == LIBRARY:
            return self.library_combo.currentData()
        if source == FOLDER:
            return self.folder_edit.text().strip() or None
        return None

    def select_model(self, name: str) -> None:
        """Prefill for "Fine-tune from this model" (kept until the library's rows come)."""
        if not self.loaded:
            self._pending = name
            return
        row = self.rows.get(name)
        if row is None:
            self.folder_radio.setChecked(True)
            self.folder_edit.setText(name)
            return
        combo, radio = (self.shipped_combo, self.shipped_radio) if row.shipped else (self.library_combo, self.library_radio)
        combo.setCurrentIndex(combo.findData(name))
        radio.setChecked(True)

    def restore(self, source: str | None, init_from: str | None, architecture: str | None, size: str | None) -> None:
        """The choice the last wizard closed with (kept until the library's rows come); a model no longer there
        leaves the page's default."""
        if source == SCRATCH and architecture:
            if not self.loaded:
                self._pending_scratch = (architecture, size)
                return
            index = self.arch_combo.findData(architecture)
            if index >= 0:
                self.scratch_radio.setChecked(True)
                self.arch_combo.setCurrentIndex(index)
                self.size_combo.setCurrentIndex(max(0, self.size_combo.findData(size)))
        elif source in (SHIPPED, LIBRARY) and init_from:
            if not self.loaded:
                self._pending_restored = init_from
            elif init_from in self.rows:
                self.select_model(init_from)
        elif source == FOLDER and init_from:
            self.select_model(init_from)

    def _update(self) -> None:
        if not self.loaded:
            return
        source = self.source()
        self.shipped_combo.setEnabled(source == SHIPPED)
        self.library_combo.setEnabled(source == LIBRARY)
        self.folder_edit.setEnabled(source == FOLDER)
        self.arch_combo.setEnabled(source == SCRATCH)
        self.size_combo.setEnabled(source == SCRATCH)
        arch = self.architecture()
        if arch:
            self.trainer_ready(arch)   # imported while the user reads this page: Next then does not wait for it
        if source == SCRATCH:
            self.note.setText(f"A new {arch} model with random weights.")
        elif arch == "genecnn":
            self.note.setText("Fine-tuning a GeneCNN re-learns its codon (dicodon) table and its rRNA/tRNA memory on "
                              "this genome by default (advanced options on the next page).")
        elif arch == "geneorf":
            self.note.setText("Fine-tuning GeneORF keeps what it learnt across genomes (its gene and start scorers), "
                              "first adapts them to this genome's whole sequence as Adapt to this genome does (no "
                              "annotation needed), then corrects their last step with the annotated genes of the "
                              "training part, and adds the rRNA and tRNA genes annotated there to its RNA memory. It tries a few ways "
                              "of combining the two, "
                              "scores each on the training part only, and "
                              + geneorf_choice_words(None).replace("another", "another way") + ". Window settings "
                              "do not apply; it takes a few minutes on a CPU. (The ways tried: next page, Advanced: "
                              "model options: recipe, candidates, lead check, offset step, continue epochs, genome "
                              "weight.)")
        else:
            self.note.setText(f"Fine-tuning a {arch or 'model'}: its weights are the starting point.")

    def validatePage(self) -> bool:
        from genoview.core.training_plan import SIZES

        arch = self.architecture()
        if arch is None:
            self.note.setText(error_html("That folder is not a model GenoView can train (it needs config.json with a "
                                         "known model_type and safetensors weights).", self))
            return False
        if self.wizard_.values.get("task") == WINDOWS and arch != "kmer-bert":
            self.note.setText(error_html("Window classification is a k-mer BERT task: choose kmer-bert (from scratch) "
                                         "or a k-mer BERT model.", self))
            return False
        if not self.trainer_ready(arch, self._next_when_ready):   # a bound method: Next pressed twice goes on once
            self.note.setText(f"Loading the {arch} trainer (once per session, a few seconds); the next page opens "
                              "by itself…")
            return False
        v = self.wizard_.values
        v["architecture"] = arch
        v["init_from"] = self.init_from()
        size = self.size_combo.currentData() if self.source() == SCRATCH else None
        v["size_options"] = dict(SIZES.get(arch, {}).get(size, {})) if size else {}
        return True


# ================================================================================================ Hyperparameters
class HyperparametersPage(QWizardPage):
    """Presets (Fast CPU, Thesis DNABERT, GPU) and every setting with its range and help as a tooltip."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Hyperparameters")
        self.setSubTitle("Start from a preset; hover a field for what it does and its allowed range.")
        from genoview.core.training.spec import spec_schema
        from genoview.core.training_plan import PRESETS

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Preset", self))
        self.preset_combo = QComboBox(self)
        self.preset_combo.addItem("Architecture defaults", None)
        for name, preset in PRESETS.items():
            self.preset_combo.addItem(name, name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, preset["help"], Qt.ItemDataRole.ToolTipRole)
        self.preset_combo.activated.connect(lambda _: self.apply_preset(self.preset_combo.currentData()))
        top.addWidget(self.preset_combo, 1)
        layout.addLayout(top)
        self.preset_help = QLabel(self)   # what the chosen preset is for (it was only the combo item's tooltip)
        self.preset_help.setWordWrap(True)
        self.preset_help.setStyleSheet(note_style(self))
        self.preset_help.setText(DEFAULTS_HELP)
        layout.addWidget(self.preset_help)
        import dataclasses

        from genoview.core.training.spec import TrainingSpec

        nullable = {f.name for f in dataclasses.fields(TrainingSpec) if "None" in str(f.type)}
        schema = {row["name"]: {**row, "nullable": row["name"] in nullable} for row in spec_schema()}
        from PySide6.QtWidgets import QScrollArea

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        inner = QWidget(scroll)
        inner_layout = QVBoxLayout(inner)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.form = OptionForm([schema[name] for name in HYPERPARAMETER_FIELDS], inner)
        self.ignored_note = QLabel(inner)
        self.ignored_note.setWordWrap(True)
        self.ignored_note.setStyleSheet(note_style(self))
        self.ignored_note.setVisible(False)
        inner_layout.addWidget(self.ignored_note)
        inner_layout.addWidget(self.form)
        self.options_box = QGroupBox("Advanced: model options", inner)
        self.options_box.setCheckable(True)
        self.options_box.setChecked(False)
        self.options_box.toggled.connect(lambda on: self.options_form.setVisible(on) if self.options_form else None)
        self.options_layout = QVBoxLayout(self.options_box)
        self.options_form: OptionForm | None = None
        inner_layout.addWidget(self.options_box)
        inner_layout.addStretch(1)
        self._scroll = scroll
        from genoview.gui.wheel_guard import guard_wheel

        guard_wheel(scroll)   # scrolling the options never moves a number or a drop-down under the pointer
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_color(self)}")
        layout.addWidget(self.error)
        # a preset made for another architecture: one click trains that architecture instead (it was "go Back to the
        # Model page and find it": the Fast CPU preset on the default GeneORF fine-tune left that to the user)
        self.switch_button = QPushButton(self)
        self.switch_button.setVisible(False)
        self.switch_button.clicked.connect(self._switch_to_preset_architecture)
        layout.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._architecture: str | None = None
        self._fine_tune: bool | None = None   # the option form's run: a fine-tune (its rows differ from scratch's)
        self._preset_options: dict[str, Any] = {}

    def initializePage(self) -> None:
        from genoview.core.training.architectures import get_architecture
        from genoview.core.training.options import options_schema

        arch = self.wizard_.values.get("architecture") or "genecnn"
        fine_tune = bool(self.wizard_.values.get("init_from"))
        if (arch, fine_tune) != (self._architecture, self._fine_tune):
            same_arch = arch == self._architecture
            kept = {}
            if same_arch and self.options_form is not None:
                with contextlib.suppress(ValueError):   # from scratch <-> fine-tune: the options typed stay
                    kept = self.options_form.values(only_changed=True)
            self._architecture, self._fine_tune = arch, fine_tune
            defaults = {**{k: None for k in ("max_steps", "max_minutes", "patience", "eval_every", "eval_windows",
                                             "windows_per_epoch", "metric")}, **get_architecture(arch).defaults}
            if not same_arch:
                self.form.set_values(defaults)
                self.form.forget_touches()   # another architecture: its own defaults, none of them typed
            if self.options_form is not None:
                self.options_form.setParent(None)
                self.options_form.deleteLater()
            rows = options_schema(arch)
            if self.wizard_.values.get("init_from"):
                from genoview.core.training_plan import SIZES  # noqa: F401 - shape options are refused on a fine-tune

                shape = {"hidden_size", "dilations", "kernel_size", "separable", "score_dims", "downsample",
                         "orf_reach", "chunk_size", "rna_kmer_size", "num_layers", "num_heads", "intermediate_size",
                         "hidden",   # GeneORF: "when training from scratch (a fine-tune keeps its parent's)"
                         "max_tokens", "phase_types"}
                rows = [row for row in rows if row["name"] not in shape and row.get("init") is not False]
            else:   # from scratch: a fine-tune's options (GeneORF's recipe and its options, own_rna) do nothing
                rows = [row for row in rows if row.get("init") is not True]
            self.options_form = OptionForm(rows, self.options_box)
            self.options_layout.addWidget(self.options_form)
            self.options_form.setVisible(self.options_box.isChecked())
            names = {row["name"] for row in rows}
            self.options_form.set_values({k: v for k, v in kept.items() if k in names})
            self.options_form.set_values(self.wizard_.values.get("size_options") or {})
            if self.wizard_.values.get("size_options"):
                self.options_box.setChecked(True)
            from genoview.gui.wheel_guard import guard_wheel

            guard_wheel(self._scroll)   # the new architecture's option boxes too
        self.show_applicable(arch)
        wanted = self.wizard_.initial.get("preset")
        if wanted:
            self.apply_preset(wanted)
            self.wizard_.initial.pop("preset", None)
        restored = self.wizard_.initial.pop("restored_hyperparameters", None)
        if restored and restored.get("architecture") == arch:   # the last wizard's settings, for the same model
            if restored.get("preset"):
                self.apply_preset(restored["preset"])
            self.form.set_values(restored.get("values") or {})
            if self.options_form is not None and restored.get("options"):
                self.options_form.set_values(restored["options"])
            self.options_box.setChecked(bool(restored.get("options_open")))

    def _switch_to_preset_architecture(self) -> None:
        """The Model page set to a new model of the preset's architecture, this page rebuilt for it, the preset kept."""
        from genoview.core.training_plan import PRESETS

        name = self.preset_combo.currentData()
        wanted = PRESETS.get(name, {}).get("architecture") if name else None
        model_page = self.wizard_.model_page
        index = model_page.arch_combo.findData(wanted)
        if wanted is None or index < 0:
            return
        model_page.scratch_radio.setChecked(True)
        model_page.arch_combo.setCurrentIndex(index)
        if not model_page.trainer_ready(wanted, self._switch_to_preset_architecture):
            self.switch_button.setText(f"Loading the {wanted} trainer (a few seconds)…")
            return
        if model_page.validatePage():
            self.initializePage()
            self.apply_preset(name)

    def show_applicable(self, arch: str) -> None:
        """Hide the settings this architecture's trainer ignores (Architecture.ignored_settings) and say why."""
        from genoview.core.training.architectures import get_architecture

        architecture = get_architecture(arch)
        ignored = architecture.ignored_settings
        for name, field in self.form.fields.items():
            self.form.layout_.setRowVisible(field, name not in ignored)
        self.ignored_note.setVisible(bool(ignored))
        if ignored:
            self.ignored_note.setText(architecture.ignored_why or f"{arch} does not use: {', '.join(ignored)} (hidden).")

    def apply_preset(self, name: str | None) -> None:
        from genoview.core.training.architectures import get_architecture
        from genoview.core.training_plan import PRESETS, preset_values

        index = self.preset_combo.findData(name)
        self.preset_combo.setCurrentIndex(max(0, index))
        arch = self._architecture or "genecnn"
        if name is None:   # an explicit reset: every field the architecture's again, typed ones too
            self.form.set_values(get_architecture(arch).defaults)
            self.form.forget_touches()
            self._preset_options = {}
            self.error.setText("")
            self.switch_button.setVisible(False)
            self.preset_help.setText(DEFAULTS_HELP)
            return
        wanted, spec_values, options = preset_values(name, arch)
        # a preset sets what the user has not set: a field typed on this page and a window set on the Task page stay
        # (the GPU preset put 12,000 over a window of 2,000 the user had typed, and said nothing)
        changed = self.form.set_values({k: v for k, v in spec_values.items() if k in self.form.fields},
                                       untouched_only=True)
        kept_fields = {k: v for k, v in self.form.touched_values().items()
                       if k in spec_values and spec_values[k] != v}
        self._preset_options = options
        if self.options_form is not None:
            self.options_form.set_values(options)
        preset_window = spec_values.get("window")
        task = getattr(self.wizard_, "task_page", None)
        user_window = task.window_spin.value() if task is not None and task.window_chosen and preset_window else None
        kept = self._fitted_window(preset_window)
        if kept:   # the example genome with Fast CPU: 4,000 went to the run, which refused it (exit 2)
            spec_values = {**spec_values, "window": kept}
        if user_window:
            spec_values = {**spec_values, "window": user_window}
        for key in ("window", "k", "labelling"):
            if key in spec_values:
                if key == "window" and self.wizard_.values.get(key) not in (None, spec_values[key]):
                    changed[key] = (self.wizard_.values[key], spec_values[key])
                self.wizard_.values[key] = spec_values[key]
        self.error.setText("" if wanted in (None, arch) else
                           f"The {name} preset is made for a new {wanted} model; the model chosen on the Model page is "
                           f"{arch}. Its settings are applied to {arch} as far as they fit; to train what the preset "
                           f"is made for, click the button below.")
        self.switch_button.setText(f"Train a new {wanted} model with the {name} preset instead")
        self.switch_button.setVisible(wanted not in (None, arch))
        self.wizard_.values["preset"] = name
        self.wizard_.preset_note = PRESETS[name]["help"]
        said = [f"{name}: {PRESETS[name]['help']}."]
        if changed:
            said.append("Set: " + ", ".join(f"{k.replace('_', ' ')} {_shown(old)} → {_shown(new)}"
                                            for k, (old, new) in changed.items()) + ".")
        else:
            said.append("Nothing changed: the settings already were the preset's.")
        if user_window and user_window != preset_window:
            said.append(f"Your window of {user_window:,} bases (Task page) is kept; the preset's is {preset_window:,}.")
        elif kept:
            said.append(f"Its {preset_window:,}-base window does not fit this genome's validation part: the window "
                        f"stays {kept:,} bases, as the Data page fitted it (set one on the Task page to change it).")
        if kept_fields:
            said.append("Kept as you typed: " + ", ".join(
                f"{k.replace('_', ' ')} {_shown(v)} (the preset's: {_shown(spec_values[k])})"
                for k, v in kept_fields.items()) + "; choose Architecture defaults to start again from scratch.")
        self.preset_help.setText(" ".join(said))

    def _fitted_window(self, window) -> int | None:
        """The window the Data page fitted to a small genome's validation part, when a preset's ``window`` is larger
        and the user set none (a preset's window would go to the run, which refuses it), else None."""
        fitted = self.wizard_.data_page.fitted_window()
        task = getattr(self.wizard_, "task_page", None)
        if not window or fitted is None or task is None or task.window_chosen or int(window) <= fitted:
            return None
        return fitted

    def validatePage(self) -> bool:
        from genoview.core.training.options import check_options

        try:
            values = self.form.values()
            options = self.options_form.values(only_changed=True) if self.options_form is not None else {}
        except ValueError as exc:
            self.error.setText(str(exc))
            return False
        options = {**(self.wizard_.values.get("size_options") or {}), **self._preset_options, **options}
        if self.wizard_.values.get("task") == WINDOWS:
            options["task"] = "windows"
        v = dict(self.wizard_.values)
        v.update(values)
        v["model_options"] = options
        try:
            v["model_options"] = check_options(v["architecture"], options, init=v.get("init_from") or False)
            spec = self.wizard_.spec_from(v)
        except Exception as exc:   # noqa: BLE001 - GenoViewInputError or ValueError: a sentence for the user
            self.error.setText(str(exc))
            return False
        self.wizard_.values.update(values)
        self.wizard_.values["model_options"] = v["model_options"]
        self.wizard_.spec = spec
        self.error.setText("")
        return True


def _default_architecture() -> str:
    """The model type a spec trains when none is chosen (TrainingSpec's default): the Data page counts windows for it."""
    import dataclasses

    from genoview.core.training.spec import TrainingSpec

    return next(f.default for f in dataclasses.fields(TrainingSpec) if f.name == "architecture")


def _shown(value) -> str:
    """A setting's value as the form shows it (empty: none)."""
    if value is None:
        return "(none)"
    if isinstance(value, float):
        return f"{value:g}"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


# ================================================================================================ Review
def unfinished_run_of(name: str) -> dict | None:
    """The unfinished run toward library model ``name`` with a checkpoint to continue from, else None (a worker's
    call: it lists the run's folder and reads its newest checkpoint's record)."""
    from genoview.core.training import runner
    from genoview.paths import model_library_dir

    if not name or "/" in name:
        return None
    try:
        found = runner.unfinished_run(model_library_dir() / name)
    except (OSError, ValueError, KeyError):   # a damaged record: nothing to offer (it raised in the slot)
        return None
    return found if found and found.get("step") else None   # stopped before its first checkpoint: nothing to continue


START_TRAINING_TEXT = "&Start training"


class ReviewPage(QWizardPage):
    """The spec, the model's name, and time and memory measured by a short timed probe in a child process."""

    def __init__(self, wizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Review")
        self.setSubTitle("Check the settings; the estimate comes from a few real training steps on this machine.")
        # this page's Next starts the run (minutes to hours of CPU): said on the button, not "Next >" as on the pages
        # before it, which a keyboard user walking the pages with Enter or Alt+N passed through unwarned
        self.setButtonText(QWizard.WizardButton.NextButton, START_TRAINING_TEXT)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.name_edit = QLineEdit(self)
        self.name_edit.setToolTip("The model's name in the library (letters, digits, . _ - +)")
        self.name_edit.textChanged.connect(self.completeChanged)
        form.addRow("Model name", self.name_edit)
        from PySide6.QtWidgets import QCheckBox

        self.resume_check = QCheckBox(self)
        self.resume_check.setVisible(False)
        form.addRow("", self.resume_check)
        # name -> its unfinished run, read once per name on a worker (each keystroke listed the library's hidden run
        # folder and read its newest checkpoint's record on the GUI thread), a short pause after typing stops
        self._unfinished: dict[str, dict | None] = {}
        self._unfinished_timer = QTimer(self)
        self._unfinished_timer.setSingleShot(True)
        self._unfinished_timer.setInterval(200)
        self._unfinished_timer.timeout.connect(self._read_unfinished)
        self.name_edit.textChanged.connect(self._check_unfinished)
        layout.addLayout(form)
        self.plain = QLabel(self)   # the run in words: the JSON below is the file `genoview train --spec` reads
        self.plain.setWordWrap(True)
        self.plain.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.plain)
        # a fine-tune whose parent trained on this run's test part (a model fine-tuned on the genome it came from):
        # "tested on 70%-100%, which it never sees" was not so; found on a worker (it reads the genome)
        self.parent_note = QLabel(self)
        self.parent_note.setWordWrap(True)
        self.parent_note.setStyleSheet(f"color: {caution_color(self)}")
        self.parent_note.setVisible(False)
        layout.addWidget(self.parent_note)
        layout.addWidget(QLabel("The training spec (the file <i>Save spec…</i> writes; "
                                "<code>genoview train --spec FILE</code> runs the same):", self))
        self.summary = QPlainTextEdit(self)
        self.summary.setReadOnly(True)
        self.summary.setTabChangesFocus(True)   # Tab stopped here: Next and Cancel were out of the keyboard's reach
        layout.addWidget(self.summary, 1)
        row = QHBoxLayout()
        self.estimate = QLabel("", self)
        self.estimate.setWordWrap(True)
        self.estimate.setObjectName("estimate")
        row.addWidget(self.estimate, 1)
        self.measure_button = QPushButton("Measure again", self)
        self.measure_button.clicked.connect(self.start_probe)
        row.addWidget(self.measure_button)
        self.save_button = QPushButton("Save spec…", self)
        self.save_button.clicked.connect(self._save_spec_as)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        self.probe_process: QProcess | None = None
        self.probe_result: dict | None = None
        self.name_error = QLabel(self)
        self.name_error.setStyleSheet(f"color: {error_color(self)}")
        layout.addWidget(self.name_error)

    def initializePage(self) -> None:
        v = self.wizard_.values
        self._unfinished.clear()   # read again each time the page is entered (a run may have been paused since)
        if not self.name_edit.text():
            self.name_edit.setText(self.wizard_.default_name())
        else:
            self._check_unfinished()
        if v.get("task") == LANGUAGE_MODEL:
            self.summary.setPlainText("genoview " + " ".join(self.wizard_.lm_arguments(self.name_edit.text())))
            self.plain.setText(lm_plain_summary(v))   # it was empty: the command line alone said what would happen
            self.estimate.setText(f"Trains for at most {v.get('lm_minutes')} minutes.")
            self.measure_button.setEnabled(False)
            self._refuse_unwritable_home()
            return
        self.measure_button.setEnabled(True)
        spec = self.wizard_.spec
        self.summary.setPlainText(json.dumps(spec.to_json(), indent=1))
        self.plain.setText(plain_summary(spec))
        self.check_parent(spec)
        if not self._refuse_unwritable_home():
            self.start_probe()

    def _refuse_unwritable_home(self) -> bool:
        """A library that cannot be written (a read-only GENOVIEW_HOME): say plainly that the model could not be
        saved, and keep Start training off (the probe and the run raised in their slots and the run page waited at
        "Starting the training process…" for ever, walked on a read-only mount in session 17). Asked again each time
        the page is entered."""
        from genoview.paths import library_unwritable

        self.probe_error = None
        reason = library_unwritable()
        if reason is None:
            self.measure_button.setEnabled(self.wizard_.values.get("task") != LANGUAGE_MODEL)
            return False
        self.stop_probe()
        self.probe_error = (f"Training here could not save its model: {reason}. Start training stays off, as nothing "
                            "would be kept. Make that folder writable and come back to this page (Back, then Next), "
                            "or set GENOVIEW_HOME to a writable folder and start GenoView again. Save spec… writes "
                            "this setup wherever you choose, to train elsewhere with genoview train --spec FILE.")
        self.estimate.setText(error_html(self.probe_error, self))
        self.measure_button.setEnabled(False)
        self.completeChanged.emit()
        return True

    def check_parent(self, spec) -> None:
        """Say (on a worker: it reads the genome) when the parent model saw this run's test part."""
        from genoview.core.training_plan import parent_saw_test
        from genoview.gui.workers import run_in_thread

        self.parent_note.setVisible(False)
        self.parent_note.setText("")   # the run page reads it: never the last spec's warning
        self._parent_for = spec

        def show(text: str) -> None:
            from shiboken6 import isValid

            if isValid(self) and self._parent_for is spec:
                self.parent_note.setText(f"⚠ {text}" if text else "")
                self.parent_note.setVisible(bool(text))

        self._parent_bridge = run_in_thread(lambda: parent_saw_test(spec), show, lambda message, exc: None)

    def _check_unfinished(self) -> None:
        """Offer to continue an unfinished (paused or interrupted) run toward this name: known names at once, others
        read on a worker after a short pause in typing."""
        name = self.name_edit.text().strip()
        if name in self._unfinished:
            self._show_unfinished(name, self._unfinished[name])
        else:
            self.resume_check.setVisible(False)
            self._unfinished_timer.start()

    def unfinished_known(self, name: str) -> bool:
        """Whether ``name``'s unfinished run (or its absence) has been read (tests wait on it)."""
        return name.strip() in self._unfinished

    def _read_unfinished(self) -> None:
        from shiboken6 import isValid

        from genoview.gui.workers import run_in_thread

        name = self.name_edit.text().strip()
        if name in self._unfinished:
            self._show_unfinished(name, self._unfinished[name])
            return

        def done(found) -> None:
            if isValid(self):
                self._unfinished[name] = found
                if self.name_edit.text().strip() == name:
                    self._show_unfinished(name, found)

        self._unfinished_bridge = run_in_thread(lambda: unfinished_run_of(name), done,
                                                lambda message, exc: done(None))

    def _show_unfinished(self, name: str, found: dict | None) -> None:
        self.resume_check.setVisible(bool(found))
        if found:
            from genoview.gui.wizard.run_page import format_seconds

            # its training time up to the checkpoint, as the Run page shows it after Resume ("3 min 00 s in all")
            seconds = found.get("seconds")
            took = (f", {format_seconds(seconds)} of training so far"
                    if isinstance(seconds, (int, float)) and seconds > 0 else "")
            self.resume_check.setText(f"Continue the unfinished run of {name} (step {found['step']}"
                                      f"{' of ' + str(found['total_steps']) if found.get('total_steps') else ''}{took});\n"
                                      "unticked, it is discarded and training starts anew")   # two lines: one ran
            # past the 900-pixel wizard's edge ("...training starts ane")
            self.resume_check.setChecked(True)

    def start_probe(self) -> None:
        """Time a few steps of this spec in a child process (nothing heavy on the GUI thread)."""
        self.stop_probe()
        if self._refuse_unwritable_home():   # "Measure again" after the home stopped being writable
            return
        try:
            path = self.wizard_.save_spec_file(self.wizard_.spec, probe=True)
        except OSError as exc:
            self.estimate.setText(error_html(f"The probe's spec could not be written: {exc}", self))
            return
        self.estimate.setText("Measuring a few training steps on this machine…")
        self.probe_result = None
        self.probe_error = None
        process = QProcess(self)
        process.finished.connect(lambda code, status, p=process: self._probe_done(p, code))
        self.probe_process = process
        process.start(sys.executable, ["-m", "genoview.core.training_plan", "probe", str(path), "3"])

    def stop_probe(self) -> None:
        if self.probe_process is not None and self.probe_process.state() != QProcess.ProcessState.NotRunning:
            self.probe_process.kill()
            self.probe_process.waitForFinished(5000)
        self.probe_process = None

    def _probe_done(self, process: QProcess, code: int) -> None:
        if process is not self.probe_process:
            return
        lines = bytes(process.readAllStandardOutput()).decode("utf-8", "replace").strip().splitlines()
        try:
            result = json.loads(lines[-1])
        except (IndexError, ValueError):
            error = bytes(process.readAllStandardError()).decode("utf-8", "replace").strip().splitlines()
            self.estimate.setText(error_html(f"The probe failed: {error[-1] if error else code}", self))
            return
        if "error" in result:   # the spec cannot run (e.g. no whole window in the validation part): say so, stay
            self.probe_error = result["error"]
            self.estimate.setText(error_html(result['error'], self))
            self.completeChanged.emit()
            return
        self.probe_result = result
        self.estimate.setText(describe_estimate(result, getattr(self.wizard_, "spec", None)))

    def _save_spec_as(self) -> None:
        from genoview.gui.export import export_folder, remember_export_folder

        # in the last export's folder (a bare name opened in the folder GenoView was started from)
        path, _ = QFileDialog.getSaveFileName(self, "Save training spec",
                                              os.path.join(export_folder(self), f"{self.name_edit.text()}.json"),
                                              "Training spec (*.json)")
        if path:
            remember_export_folder(self, path)
            self.save_spec(path)

    def save_spec(self, path: str) -> bool:
        """Write the spec to ``path``; a refusal or failure is shown (an OSError escaped the slot unseen), and it is
        never written over a genome or annotation it names (as `genoview train --save-spec`)."""
        from PySide6.QtWidgets import QMessageBox

        from genoview.core.errors import GenoViewInputError
        from genoview.core.prediction import check_outputs

        spec = self.wizard_.spec
        try:
            check_outputs({"training spec": path}, [p for g in spec.genomes for p in (g.get("fasta"),
                                                                                      g.get("annotation"))])
            spec.save(path)
        except (GenoViewInputError, OSError) as exc:
            QMessageBox.warning(self, "Spec not saved", str(exc))
            return False
        return True

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip()) and not getattr(self, "probe_error", None)

    def validatePage(self) -> bool:
        from genoview.core.library import check_new_name

        name = self.name_edit.text().strip()
        try:
            check_new_name(name)
        except Exception as exc:   # noqa: BLE001 - GenoViewInputError: a sentence for the user
            self.name_error.setText(str(exc))
            return False
        self.name_error.setText("")
        if name not in self._unfinished:   # Next before the worker answered: read it now (once), never discard a run
            self._unfinished_timer.stop()   # unseen (Run discards an unfinished run that is not continued)
            self._unfinished[name] = unfinished_run_of(name)
            self._show_unfinished(name, self._unfinished[name])
            if self._unfinished[name]:
                return False   # the box is shown now, ticked: Next again continues it
        self.wizard_.values["name"] = name
        self.wizard_.values["resume"] = not self.resume_check.isHidden() and self.resume_check.isChecked()
        self.stop_probe()
        return True

    def cleanupPage(self) -> None:
        self.stop_probe()


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _fraction(x: float) -> str:
    return f"{x * 100:.0f}%"


def plain_summary(spec) -> str:
    """The spec in a biologist's words (what is learnt from what, on which parts, how long): the Review page showed
    only the JSON."""
    import html

    from genoview.gui.dialogs.files import display_name   # genome.fna.gz says nothing: its folder does

    names = [display_name(g.get("fasta") or "") for g in (spec.genomes or [])] or [display_name(spec.fasta or "")]
    roles = [g.get("role", "train") for g in (spec.genomes or [])] or ["train"]
    start = f"fine-tune <b>{html.escape(spec.init_from)}</b>" if spec.init_from else \
        f"train a new <b>{html.escape(spec.architecture)}</b> model from scratch"
    genic = ", ".join(spec.feature_types or ())
    # a GeneORF fine-tune (recipe select) has no separate validation: its fits and its choice read the training and
    # validation parts together (core/training/geneorf.py, candidates cross-fitted there); "checks itself on
    # 63%-70%" misled (H-wiz)
    orf = (spec.architecture == "geneorf" and bool(spec.init_from)
           and str((spec.model_options or {}).get("recipe", "select")) == "select")
    if spec.split == "fraction" and orf:
        parts = (f"learns on {_fraction(spec.train_from)}–{_fraction(spec.train_to)} of each sequence (it checks "
                 "its choices inside that part, each half scored by a fit on the other: no separate validation "
                 f"part), and is tested on {_fraction(spec.test_from)}–{_fraction(spec.test_to)}, which it never sees")
    elif spec.split == "fraction":
        valid = spec.train_to - (spec.train_to - spec.train_from) * spec.valid_fraction
        parts = (f"learns on {_fraction(spec.train_from)}–{_fraction(valid)} of each sequence, checks itself on "
                 f"{_fraction(valid)}–{_fraction(spec.train_to)} (validation), and is tested on "
                 f"{_fraction(spec.test_from)}–{_fraction(spec.test_to)}, which it never sees")
    elif spec.split == "genomes":   # "The model genomes held out whole (train: a; test: b)" read as a typo
        by_role = {role: ", ".join(html.escape(n) for n, r in zip(names, roles) if r == role)
                   for role in ("train", "validation", "test")}
        check = (f"checks itself on {by_role['validation']} (validation)" if by_role["validation"] else
                 f"checks itself on the last {_fraction(spec.valid_fraction)} of each training genome (validation)")
        if orf:   # its validation genomes/parts are read with the training ones (above)
            check = ("checks its choices inside what it learns on (no separate validation)" if not by_role["validation"]
                     else f"also learns on {by_role['validation']}, checking its choices inside what it learns on")
        tested = (f"is tested on <b>{by_role['test']}</b>, held out whole: it never sees it" if by_role["test"]
                  else "has no test genome")
        parts = f"learns on {by_role['train'] or 'no genome'}, {check}, and {tested}"
        names = [n for n, r in zip(names, roles) if r == "train"] or names   # "train ... on a, b" named the test one
    else:
        parts = (f"held-out sequences: validation {', '.join(spec.valid_seqids) or '–'}, test "
                 f"{', '.join(spec.test_seqids) or '–'}")
    if spec.architecture == "geneorf":   # "16 passes over the training windows": GeneORF has no windows or passes
        # the choice rule (core/training/geneorf.py, lead_check 'halves'): the adapted candidate is the anchor
        length = ("tries a few candidates, each scored on the training part by two-fold cross-fitting, and "
                  + geneorf_choice_words(spec.model_options) if spec.init_from
                  else "fits its scorers on the training part's annotated genes")
    elif spec.max_steps:
        length = f"at most {spec.max_steps:,} steps"
    elif spec.epochs:
        length = f"{spec.epochs:g} pass{'es' if spec.epochs != 1 else ''} over the training windows"
    else:
        length = "the architecture's default length"
    if spec.max_minutes:
        length += f", stopped after {spec.max_minutes:g} minutes at most"
    if spec.architecture != "geneorf":
        length = f"trains for {length}"
    early = f"; it stops early when validation has not improved for {spec.patience} checks" if (
        spec.patience and spec.architecture != "geneorf") else ""
    if spec.max_minutes:   # what the bound means: the run is cut, not failed
        length += " (then the best model so far is kept)"
    genomes = ", ".join(html.escape(n) for n in names if n) or "the chosen genome"
    try:
        from genoview.paths import model_library_dir

        where = f" (Models ▸ Library…; its folder: {html.escape(str(model_library_dir()))})"
    except OSError:
        where = " (Models ▸ Library…)"
    return (f"GenoView will {start} on <b>{genomes}</b>, with bases inside <i>{html.escape(genic)}</i> features as "
            f"genic. The model {parts}.{relearn_words(spec)} It {length}{early} (seed {spec.seed}: the same settings "
            f"give the same model). When it ends the model is added to your library{where} and scored on the test "
            "part.")


def relearn_words(spec) -> str:
    """What a fine-tune re-learns on the new genome (issue 11: "Fine-tuning states what it re-learns"), from the
    run's model options; "" for a model trained from scratch. Said on the Model page only, the Review page's
    account of the run left it out, and the GeneORF note named no RNA memory."""
    if not spec.init_from:
        return ""
    options = spec.model_options or {}
    if spec.architecture == "geneorf":
        rna = (" Whichever is kept, the rRNA and tRNA genes annotated in the training part are added to its RNA "
               "memory (option own_rna).") if geneorf_option(options, "own_rna") else ""
        return (" Its adapted candidates re-learn this genome's own gene statistics (codon and dicodon usage, start "
                "and upstream signals) from the whole sequence, without reading its annotation." + rna)
    if spec.architecture == "genecnn":
        table = options.get("codon_table") or "recount"
        memory = options.get("rna_memory") or "relearn"
        said = []
        if table == "recount" or options.get("train_dicodons"):
            said.append("its codon (dicodon) table from this genome's training-part genes")
        if memory in ("relearn", "merge"):
            said.append("its rRNA/tRNA memory from the training part's RNA genes"
                        + (" (added to the parent's)" if memory == "merge" else ""))
        kept = " It keeps the parent's codon table and RNA memory (model options)." if not said else ""
        return (f" It re-learns {' and '.join(said)}; the rest of the network starts from the parent's weights."
                if said else kept)
    return " It starts from the parent's weights and learns on this genome's training part."


def lm_plain_summary(values: dict) -> str:
    """A language-model run in words, as plain_summary says a gene model's (what `genoview train-lm` will do)."""
    import html

    from genoview.gui.dialogs.files import display_name

    arch = html.escape(values.get("lm_architecture") or "ngram")
    genome = html.escape(display_name(values.get("fasta") or "")) or "the chosen genome"
    train = values.get("train_to") or 0.7
    minutes = values.get("lm_minutes") or 5
    length = ("counts only: it takes seconds" if arch == "ngram" else f"it trains for at most {minutes:g} minutes")
    return (f"GenoView will train a new <b>{arch}</b> language model on the annotated genes of <b>{genome}</b>: genes "
            f"wholly in the first {_fraction(train)} of each sequence teach it (the last seventh of them checks it: "
            f"validation), and the genes in the rest are its test, which it never sees ({length}). When it ends it is "
            "in your library, for Real vs mutated (its test perplexity in its card).")


def geneorf_option(options: dict | None, name: str):
    """A GeneORF fine-tune option as the run will use it: the spec's value, else the declared default (one place:
    core/training/geneorf.py's table; the words below quoted defaults that had changed, e.g. candidates)."""
    if options and name in options:
        return options[name]
    from genoview.core.training.options import option_table

    return next((o.default for o in option_table("geneorf") if o.name == name), None)


ANCHOR_WORDS = {"adapt": "the adapted one", "adapt_last": "the adapted one with its last step refitted on the "
                "training part's genes", "parent": "the model as it is",
                "soup": "an average of the adapted ones' weights",
                "soup_parent": "an average of the model's and the adapted ones' weights",
                "soup_greedy": "an average of the best adapted ones' weights"}


def geneorf_choice_words(options: dict | None) -> str:
    """The select recipe's rule in words, from the options (anchor, margin, lead_check): what is kept."""
    from genoview.core.training.geneorf import planned_anchor

    # the anchor the run keeps: the option's when it is among the candidates, else adapt, else the parent
    anchor = planned_anchor({name: geneorf_option(options, name) for name in ("anchor", "candidates")})
    margin = float(geneorf_option(options, "margin") or 0.0)
    check = str(geneorf_option(options, "lead_check") or "halves")
    better = "scores better" + (f" by at least {margin:g} MCC" if margin > 0 else "")
    sure = {"halves": " and on both halves of it", "bootstrap": " with a sure lead (bootstrap)"}.get(check, "")
    return f"keeps {ANCHOR_WORDS.get(anchor, anchor)} unless another {better}{sure}"


def describe_estimate(result: dict, spec=None) -> str:
    """The probe's estimate in words; a GeneORF fine-tune's refits and cross-fits are not in its steps."""
    caveat = ""
    if spec is not None and spec.architecture == "geneorf" and spec.init_from:
        recipe = (spec.model_options or {}).get("recipe", "select")
        candidates = str(geneorf_option(spec.model_options, "candidates") or "")
        if recipe == "refit" or (recipe == "select" and "refit" in candidates):
            caveat = (f" GeneORF's '{recipe}' recipe also refits its scorers"
                      + (" and cross-fits each candidate" if recipe == "select" else "")
                      + ": expect a few minutes more than this.")
        elif recipe == "select":
            caveat = (" GeneORF's 'select' recipe also self-trains on the genome and cross-fits each candidate: "
                      "expect up to a minute more than this.")
    seconds = result["estimated_seconds"]
    steps = result.get("planned_steps")
    when = f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"
    memory = result["peak_memory_bytes"] / 2**20
    return (f"Estimated <b>{when}</b> on {result['device']} ({steps if steps else 'time-bounded'} steps at "
            f"{result['step_seconds'] * 1000:.0f} ms each, {result['prepare_seconds']:.0f} s to prepare the data), "
            f"peak memory <b>{memory:.0f} MiB</b>; {result['parameters']:,} parameters. Measured from "
            f"{result['probe_steps']} real step{'' if result['probe_steps'] == 1 else 's'}.{caveat}{busy_note()}")


def busy_note(load: float | None = None, cpus: int | None = None) -> str:
    """A busy machine's steps are slower now than they may be later (Mycoplasma, Fast CPU: 22.9 min estimated at load
    4.6 on 2 cores, the run took ~2 min): say so, with the figures, instead of a precise-looking number alone."""
    try:
        load = os.getloadavg()[0] if load is None else load
    except (AttributeError, OSError):   # no load average on this system
        return ""
    cpus = cpus or os.cpu_count() or 1
    if load <= cpus:
        return ""
    return (f" The machine is busy now (load {load:.1f} on {cpus} cores): the run may go faster or slower "
            "than this as the load changes.")
