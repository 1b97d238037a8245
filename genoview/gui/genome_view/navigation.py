"""The go-to box: type a region, a sequence id, a gene name or a locus tag; completes gene names."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from genoview.core.errors import GenoViewInputError
from genoview.core.locus import Locus, centered_window, padded, resolve_locus
from genoview.gui.genome_view.view import MIN_SPAN
from genoview.gui.session import Session

FEATURE_CONTEXT = 0.1  # show a found gene with 10% of its length on either side
MAX_COMPLETIONS = 20_000


def completion_names(features: Iterable) -> list[str]:
    """Gene names and locus tags to offer while typing, sorted case-insensitively, without repeats."""
    names: set[str] = set()
    for feature in features:
        if feature.type in ("gene", "pseudogene", "tRNA", "rRNA", "ncRNA"):
            for name in (feature.name, feature.attributes.get("locus_tag")):
                if name:
                    names.add(name)
                if len(names) >= MAX_COMPLETIONS:
                    break
    return sorted(names, key=str.lower)


def region_for(locus: Locus, length: int) -> tuple[int, int]:
    """The region to show for a locus: a found feature with some context, at least MIN_SPAN bases."""
    start, end = locus.start, locus.end
    if locus.feature is not None:
        start, end = padded(start, end, FEATURE_CONTEXT, length)
    return centered_window(start, end, MIN_SPAN, length)


class GoToBox(QLineEdit):
    """Enter moves the session to what was typed; a bad entry is reported through ``failed``."""

    failed = Signal(str)
    went_to = Signal(object)  # Locus

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setPlaceholderText("Go to: NC_000913.3:1,000-2,000, thrA or b0002")
        self.setClearButtonEnabled(True)
        self.setToolTip("Type a region (1-based, e.g. NC_000913.3:1,000-2,000 or 1000-2000), a gene name or a locus tag")
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setModelSorting(QCompleter.ModelSorting.CaseInsensitivelySortedModel)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self.go)
        self.setCompleter(completer)
        self.returnPressed.connect(self.go)

    def set_names(self, names: list[str]) -> None:
        self._names.setStringList(names)

    def go(self, text: str | None = None) -> bool:
        """Navigate to ``text`` (default: the box's text); True when it was understood."""
        text = self.text() if text is None or not isinstance(text, str) else text
        genome = self.session.genome
        if genome is None:
            self.failed.emit("Open a genome first (File ▸ Open genome…)")
            return False
        try:
            locus = resolve_locus(text, genome, self.session.seqid)
        except GenoViewInputError as exc:
            self.failed.emit(str(exc))
            return False
        start, end = region_for(locus, genome.sequences[locus.seqid].length)
        self.session.navigate_to(locus.seqid, start, end)
        self.went_to.emit(locus)
        return True
