"""The go-to box: type a region, a sequence id, a gene name or a locus tag; completes gene names."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from genoview.core.errors import GenoViewInputError
from genoview.core.locus import Locus, centered_window, format_locus, padded, parse_locus, resolve_locus
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


def ambiguous_names(text: str, genome) -> list[str]:
    """The gene names and locus tags starting with ``text`` when it names no feature exactly and several
    features by prefix ("thr": thrA, thrB, thrC, ...): the user should choose. Empty otherwise."""
    name = text.strip()
    if not name or genome is None:
        return []
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    try:
        if parse_locus(name, lengths, None) is not None:
            return []
    except GenoViewInputError:
        return []
    hits = genome.features.find(name)
    lowered = name.lower()
    labels: set[str] = set()
    for feature in hits:
        names = {feature.name, feature.id, feature.attributes.get("gene"), feature.attributes.get("locus_tag")}
        if lowered in {n.lower() for n in names if n}:
            return []   # an exact name wins
        label = feature.name or feature.attributes.get("locus_tag") or feature.id
        if label and label.lower().startswith(lowered):
            labels.add(label)
    return sorted(labels, key=str.lower) if len(labels) > 1 else []


class GoToBox(QLineEdit):
    """Enter moves the session to what was typed; a bad entry is reported through ``failed``; a prefix shared by
    several genes ("thr") opens the list of them to choose from (``ambiguous``) instead of jumping to the first."""

    failed = Signal(str)
    went_to = Signal(object)  # Locus
    ambiguous = Signal(str, list)  # what was typed, the names it could mean

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
        choices = ambiguous_names(text, genome)
        if choices:
            self._offer(text, choices)
            return False
        try:
            locus = resolve_locus(text, genome, self.session.seqid)
        except GenoViewInputError as exc:
            self.failed.emit(str(exc))
            return False
        start, end = region_for(locus, genome.sequences[locus.seqid].length)
        self.setModified(False)   # done typing: the box follows the view again
        self.session.navigate_to(locus.seqid, start, end)
        self.went_to.emit(locus)
        return True

    def _offer(self, text: str, choices: list[str]) -> None:
        """Show the names ``text`` could mean under the box (the completer's list, filtered by the prefix)."""
        self.ambiguous.emit(text, choices)
        completer = self.completer()
        completer.setCompletionPrefix(text.strip())
        if self.isVisible():
            completer.complete()

    def show_region(self, seqid: str, start: int, end: int) -> None:
        """Follow the view (pans, zooms) unless the user is typing in the box (it has focus and was edited)."""
        if not (self.hasFocus() and self.isModified()):
            self.setText(format_locus(seqid, start, end))   # setText also clears isModified
