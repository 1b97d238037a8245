"""A small window listing one feature: type, 1-based coordinates, strand, length and every attribute."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from genoview.gui.genome_view.feature_track import feature_label
from genoview.gui.table_copy import make_copyable

STRAND_TEXT = {1: "+ (forward)", -1: "− (reverse)", 0: "none"}


def feature_fields(feature: Any) -> list[tuple[str, str]]:
    """The rows the dialog shows, in the user's coordinates (1-based, inclusive)."""
    rows = [
        ("Name", feature_label(feature)),
        ("Type", feature.type),
        ("Location", f"{feature.seqid}:{feature.start + 1:,}-{feature.end:,}"),
        ("Strand", STRAND_TEXT.get(feature.strand, str(feature.strand))),
        ("Length", f"{feature.end - feature.start:,} bp"),
    ]
    # a gene call (the Gene calls row's CallFeature) has no parts and no file line: clicking one raised AttributeError
    parts = getattr(feature, "parts", None) or []
    if len(parts) > 1:
        rows.append(("Parts", ", ".join(f"{s + 1:,}-{e:,}" for s, e in parts)))
    if getattr(feature, "line", None) is not None:
        rows.append(("Annotation line", str(feature.line)))
    # a gene call's details said nothing of why it is orange or grey: who has the gene (same strand, same stop)
    systems = getattr(feature, "systems", None)
    if systems:
        words = {"GenoView": "the track's gene calls", "Prodigal": "Prodigal", "Annotation": "the annotation"}
        rows.append(("Found by", ", ".join(words.get(s, str(s)) for s in systems)))
    return rows


MAX_SHOWN = 5000     # characters of one attribute value shown (a 3 MB Note froze the window 2 s, 3 s per resize)
MAX_TOOLTIP = 1000


def shown_value(value: str, limit: int = MAX_SHOWN) -> str:
    """An attribute value as the table shows it: whole up to ``limit`` characters, else its start and its length."""
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value):,} characters in all)"


class FeatureDetailsDialog(QDialog):
    """Non-modal: stays open beside the browser; several can be open at once."""

    def __init__(self, feature: Any, parent: QWidget | None = None, genome: Any = None) -> None:
        super().__init__(parent)
        self.feature = feature
        self.genome = genome
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"{feature_label(feature)} — {feature.type}")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        for key, value in feature_fields(feature):
            label = QLabel(value)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(f"{key}:", label)
        layout.addLayout(form)
        attributes = sorted(feature.attributes.items())
        if attributes:
            table = QTableWidget(len(attributes), 2, self)
            make_copyable(table)
            table.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
            table.setHorizontalHeaderLabels(["Attribute", "Value"])
            table.verticalHeader().setVisible(False)
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            for row, (key, value) in enumerate(attributes):
                table.setItem(row, 0, QTableWidgetItem(key))
                item = QTableWidgetItem(shown_value(value.replace(",", ", ") if key.lower() == "dbxref" else value))
                item.setToolTip(shown_value(value, MAX_TOOLTIP))
                table.setItem(row, 1, item)
            # long values (a product note, Dbxref lists) wrap in the Value column instead of running off to the
            # right behind a horizontal scroll bar, where the header "Value" and the text were cut
            table.setWordWrap(True)
            table.setTextElideMode(Qt.TextElideMode.ElideNone)
            table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            header = table.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            layout.addWidget(table)
            self.attribute_table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        if genome is not None and feature.seqid in genome.sequences:
            self._add_sequence_buttons(buttons)
        layout.addWidget(buttons)
        self.resize(620, 460 if attributes else 200)

    def _add_sequence_buttons(self, buttons: QDialogButtonBox) -> None:
        """Copy the feature's DNA or protein as FASTA, or save either: a gene found in the view could not be taken
        anywhere (to BLAST it, to order primers) but by reading its bases off the screen."""
        from genoview.core.feature_sequence import coding_feature

        role = QDialogButtonBox.ButtonRole.ActionRole
        self.copy_dna_button = buttons.addButton("Copy DNA", role)
        self.copy_dna_button.setToolTip("The feature's bases 5'→3' on its strand (parts joined) as FASTA, to paste "
                                        "into BLAST or a primer tool")
        self.copy_dna_button.clicked.connect(lambda: self.copy_fasta(protein=False))
        self.copy_protein_button = buttons.addButton("Copy protein", role)
        coding = coding_feature(self.genome, self.feature) is not None
        self.copy_protein_button.setEnabled(coding)
        self.copy_protein_button.setToolTip("The CDS translated (its transl_table, else code 11) as FASTA" if coding
                                            else "Not a coding feature (no CDS ends at its stop): no protein")
        self.copy_protein_button.clicked.connect(lambda: self.copy_fasta(protein=True))
        self.save_button = buttons.addButton("Save as FASTA…", role)
        self.save_button.setToolTip("The DNA (.fna, .fa) or, for a coding feature, the protein (.faa) as a FASTA file")
        self.save_button.clicked.connect(self.save_fasta)
        for button in (self.copy_dna_button, self.copy_protein_button, self.save_button):
            button.setAutoDefault(False)   # Enter still closes the window, as before
            button.setDefault(False)

    def fasta(self, protein: bool) -> str:
        from genoview.core.feature_sequence import (coding_feature, fasta_text, feature_dna, feature_header,
                                                    feature_protein)

        feature = coding_feature(self.genome, self.feature) if protein else self.feature
        name, description = feature_header(self.feature)
        product = (getattr(feature, "attributes", {}) or {}).get("product", "")
        if product and product not in description:   # a gene clicked: its CDS names the product
            description += f" {product}"
        if protein:
            return fasta_text(name, description.replace(f" {self.feature.type}", " protein", 1),
                              feature_protein(self.genome, feature))
        return fasta_text(name, description, feature_dna(self.genome, feature))

    def copy_fasta(self, protein: bool) -> None:
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QMessageBox

        from genoview.core.errors import GenoViewInputError

        try:
            text = self.fasta(protein)
        except GenoViewInputError as exc:
            QMessageBox.warning(self, "Not copied", str(exc))
            return
        QGuiApplication.clipboard().setText(text)
        self.setWindowTitle(f"{feature_label(self.feature)} — {'protein' if protein else 'DNA'} copied")

    def save_fasta(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QMessageBox

        from genoview.core.errors import GenoViewInputError
        from genoview.core.feature_sequence import coding_feature, feature_header
        from genoview.core.io.atomic import write_atomically
        from genoview.gui.export import ask_save_path

        coding = coding_feature(self.genome, self.feature) is not None
        filters = "DNA FASTA (*.fna *.fa *.fasta)" + (";;Protein FASTA (*.faa)" if coding else "")
        path = ask_save_path(self, "Save as FASTA", f"{feature_header(self.feature)[0]}.fna", filters)
        if not path:
            return
        try:
            protein = Path(path).suffix.lower() == ".faa"
            if protein and not coding:
                raise GenoViewInputError(f"{self.feature.type} is not a coding feature: no protein; save it as .fna")
            inputs = [getattr(self.genome, "path", None), getattr(self.genome, "annotation_path", None)]
            from genoview.core.prediction import check_outputs

            check_outputs({"FASTA": path}, [p for p in inputs if p])   # never over the genome or annotation
            text = self.fasta(protein)
            write_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="ascii", errors="replace"))
        except (GenoViewInputError, OSError) as exc:
            QMessageBox.warning(self, "Not saved", str(exc))
            return
        self.setWindowTitle(f"{feature_label(self.feature)} — saved {Path(path).name}")

    def resizeEvent(self, event) -> None:
        """Wrapped rows as high as their text at the Value column's width now (measured at the final width)."""
        super().resizeEvent(event)
        table = getattr(self, "attribute_table", None)
        if table is not None:
            QTimer.singleShot(0, table, table.resizeRowsToContents)
