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
    if len(feature.parts) > 1:
        rows.append(("Parts", ", ".join(f"{s + 1:,}-{e:,}" for s, e in feature.parts)))
    if feature.line is not None:
        rows.append(("Annotation line", str(feature.line)))
    return rows


MAX_SHOWN = 5000     # characters of one attribute value shown (a 3 MB Note froze the window 2 s, 3 s per resize)
MAX_TOOLTIP = 1000


def shown_value(value: str, limit: int = MAX_SHOWN) -> str:
    """An attribute value as the table shows it: whole up to ``limit`` characters, else its start and its length."""
    return value if len(value) <= limit else f"{value[:limit]}… ({len(value):,} characters in all)"


class FeatureDetailsDialog(QDialog):
    """Non-modal: stays open beside the browser; several can be open at once."""

    def __init__(self, feature: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feature = feature
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
        layout.addWidget(buttons)
        self.resize(620, 460 if attributes else 200)

    def resizeEvent(self, event) -> None:
        """Wrapped rows as high as their text at the Value column's width now (measured at the final width)."""
        super().resizeEvent(event)
        table = getattr(self, "attribute_table", None)
        if table is not None:
            QTimer.singleShot(0, table, table.resizeRowsToContents)
