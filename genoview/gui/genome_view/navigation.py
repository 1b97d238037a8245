"""The go-to box: type a region, a sequence id, a gene name or a locus tag; completes gene names."""
from __future__ import annotations

from typing import Iterable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from genoview.core.errors import GenoViewInputError
from genoview.core.io.features import attribute_value, go_to_name
from genoview.core.locus import (
    Locus, centered_window, format_locus, namesakes, padded, parse_locus, place_key, place_label, resolve_locus,
    shared_name_words,
)
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


MAX_LISTED = 500   # features listed for a type or product ("tRNA", "ribosomal"): the list stops there


def described_matches(text: str, genome) -> tuple[list[tuple[str, str]], str]:
    """Features of the type ``text`` names ("tRNA", case-insensitive) or whose product mentions it ("ribosomal"),
    when it is no gene name's prefix: ([(name to go to, what it is shown as)], what was found, in words)."""
    name = text.strip()
    lowered = name.lower()
    if len(lowered) < 3 or genome is None or not genome.features:
        return [], ""
    types = {t.lower(): t for t in genome.features.types}
    kind = types.get(lowered) or types.get(lowered.rstrip("s"))   # "trnas" too
    found: list[tuple[str, str]] = []
    for feature in genome.features.described(lowered, kind, MAX_LISTED):   # columns, no walk (core)
        target = go_to_name(feature)
        product = attribute_value(feature, "product") or ""
        what = " ".join(x for x in (feature.type, product) if x)
        found.append((target, f"{target}  ({what}, {feature.seqid}:{feature.start + 1:,})"))
    if not found:
        return [], ""
    more = "+" if len(found) >= MAX_LISTED else ""
    words = (f"{len(found)}{more} {kind} features" if kind else
             f"{len(found)}{more} features whose product mentions '{name}'")
    return found, words


def _is_locus(text: str, genome, seqid: str | None) -> bool:
    """Whether ``text`` reads as coordinates or a sequence id (a malformed one included: resolve_locus says why)."""
    lengths = {name: record.length for name, record in genome.sequences.items()}
    try:
        return parse_locus(text.strip(), lengths, seqid) is not None
    except GenoViewInputError:
        return True


def _names_start(text: str, genome) -> bool:
    """Whether a feature's name, gene or locus tag (not only its ID) starts with ``text``."""
    lowered = text.strip().lower()
    for feature in genome.features.find(text.strip()):
        names = (feature.name, attribute_value(feature, "gene"), attribute_value(feature, "locus_tag"))
        if any(n and n.lower().startswith(lowered) for n in names):
            return True
    return False


class GoToBox(QLineEdit):
    """Enter moves the session to what was typed; a bad entry is reported through ``failed``; a prefix shared by
    several genes ("thr") opens the list of them to choose from (``ambiguous``) instead of jumping to the first."""

    failed = Signal(str)
    went_to = Signal(object)  # Locus
    ambiguous = Signal(str, list)  # what was typed, the names it could mean
    left = Signal()   # Enter went there, or Escape (no list open): the keys go back to the genome view
    noted = Signal(str)   # after a jump: a name several genes share, which one was taken and where the others are

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setPlaceholderText("Go to: NC_000913.3:1,000-2,000, thrA or b0002")
        self.setClearButtonEnabled(True)
        self.setToolTip("Type a region (1-based, e.g. NC_000913.3:1,000-2,000, 1000-2000 or 1.5M-1.6M), a gene name or "
                        "a locus tag; "
                        "Enter goes there and hands the keys to the view (arrows pan, + and - zoom), Esc hands them "
                        "back without going; Ctrl+L comes back here")
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setModelSorting(QCompleter.ModelSorting.CaseInsensitivelySortedModel)
        completer.setMaxVisibleItems(12)
        completer.activated.connect(self._go_completed)
        self.setCompleter(completer)
        self.listing_places = False    # the last go listed the places of a name several genes share
        self._places: dict = {}        # those places by their label in the list
        self._enter_on_entry = False   # this Enter chose a list entry: the list goes there (see _return_pressed)
        self.returnPressed.connect(self._return_pressed)
        # features listed by type or product: not names the text starts, so a list of its own, shown whole
        self._described: dict[str, str] = {}
        self._described_names = QStringListModel(self)
        self._described_completer = QCompleter(self._described_names, self)
        self._described_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._described_completer.setMaxVisibleItems(12)
        self._described_completer.setWidget(self)
        self._described_completer.activated.connect(self._go_described)

    def keyPressEvent(self, event) -> None:
        popups = (self.completer().popup(), self._described_completer.popup())
        if event.key() == Qt.Key.Key_Escape and not any(p is not None and p.isVisible() for p in popups):
            # without going: the box shows where the view is again (the text typed stayed, read as the region shown)
            self.setModified(False)
            if self.session.genome is not None and self.session.seqid is not None:
                self.show_region(self.session.seqid, *self.session.region)
            self.left.emit()
            return
        super().keyPressEvent(event)

    def set_names(self, names: list[str]) -> None:
        """A genome or annotation was opened: its names; the last listing (a shared name's places, features by type)
        was of the one before, and choosing from it went to that genome's places."""
        self._names.setStringList(names)
        self._described, self._places, self.listing_places = {}, {}, False
        self._described_names.setStringList([])

    def go(self, text: str | None = None) -> bool:
        """Navigate to ``text`` (default: the box's text); True when it was understood."""
        text = self.text() if text is None or not isinstance(text, str) else text
        self.listing_places = False
        genome = self.session.genome
        if genome is None:
            self.failed.emit("Open a genome first (File ▸ Open genome…)")
            return False
        choices = ambiguous_names(text, genome)
        if choices:
            self._offer(text, choices)
            return False
        if not _is_locus(text, genome, self.session.seqid) and not _names_start(text, genome):
            found, words = described_matches(text, genome)   # "tRNA": its features, not the first whose ID says so
            if len(found) > 1:
                self._offer_described(found, words)
                return False
        try:
            locus = resolve_locus(text, genome, self.session.seqid)
        except GenoViewInputError as exc:
            self.failed.emit(str(exc))
            # a typing slip: the names it could be, to click (found by resolve_locus from core's index, no walk)
            suggestions = getattr(exc, "suggestions", None)
            if suggestions:
                self._offer_similar(suggestions)
            return False
        start, end = region_for(locus, genome.sequences[locus.seqid].length)
        # a name several genes share ("yfgG" twice): the first is taken (resolve_locus's order), the others listed
        places = namesakes(text, genome, self.session.seqid) if locus.feature is not None else []
        self.setModified(False)   # done typing: the box follows the view again
        self.session.navigate_to(locus.seqid, start, end)
        self.went_to.emit(locus)
        self.listing_places = len(places) > 1
        if self.listing_places:
            self.noted.emit(shared_name_words(text, places, "choose from the list under the Go-to box, or type "
                                              "its locus tag"))
            self._offer_places(places)
        return True

    def offered(self) -> list[tuple[str, str]]:
        """What the list under the box offers now (places of a shared name, features found by type or product, names
        like a mistyped one): (what to type to go there, the line shown)."""
        return [(str(self._described.get(shown, shown)), shown) for shown in self._described_names.stringList()]

    def _offer_places(self, places: list) -> None:
        """List each place a shared name has (locus tag, where, strand) under the box, as the Gene field of Real vs
        mutated does; choosing one goes there (by its locus tag, which names one place)."""
        labels = [place_label(f) for f in places]
        self._described = {label: place_key(f) for label, f in zip(labels, places)}
        self._places = dict(zip(labels, places))   # gone to by place: a feature with no locus tag or ID of its own
        self._described_names.setStringList(labels)
        if self.isVisible():
            self._described_completer.complete()

    def _offer_described(self, found: list[tuple[str, str]], words: str) -> None:
        """List features found by type or product under the box, each with what it is; choosing one goes there."""
        self._described, self._places = dict((shown, target) for target, shown in found), {}
        self._described_names.setStringList([shown for _, shown in found])
        self.failed.emit(f"{words}: choose one from the list")
        if self.isVisible():
            self._described_completer.complete()

    def _offer_similar(self, names: list[str]) -> None:
        """List the names a mistyped entry could be under the box (the status bar says "did you mean")."""
        self._described, self._places = {name: name for name in names}, {}
        self._described_names.setStringList(names)
        if names and self.isVisible():
            self._described_completer.complete()

    def _go_described(self, shown: str) -> None:
        target = self._described.get(shown)
        place = self._places.get(shown)
        genome = self.session.genome
        if place is not None and genome is not None and place.seqid in genome.sequences:
            self.setModified(False)   # the place itself: its key may be the shared name (no locus tag, no ID)
            locus = Locus(place.seqid, place.start, place.end, place)
            self.session.navigate_to(place.seqid, *region_for(locus, genome.sequences[place.seqid].length))
            self.went_to.emit(locus)
            self.listing_places = False
            self._went_from_list(True)
            return
        if target is not None:
            self.setText(target)
            self._went_from_list(self.go(target))

    def _go_completed(self, text: str) -> None:
        self._went_from_list(self.go(text))

    def _went_from_list(self, went: bool) -> None:
        if went and self._enter_on_entry and not self.listing_places:   # chosen with Enter: the keys go to the view
            # (unless it listed a shared name's places: they stay for that list)
            self.left.emit()
        self._enter_on_entry = False

    def _return_pressed(self) -> None:
        """A jump typed: go there and hand the keys to the view. Enter on a highlighted list entry reaches the box
        first (returnPressed), then the list goes there (activated): going here too ran every look-up twice on the
        GUI thread, so the list's go is the one (and hands the keys on)."""
        for completer in (self.completer(), self._described_completer):
            popup = completer.popup()
            if popup is not None and popup.isVisible() and popup.currentIndex().isValid():
                self._enter_on_entry = True
                QTimer.singleShot(0, self, self._forget_enter)   # the list may not go (no entry): not kept
                return
        if self.go() and not self.listing_places:   # a shared name's places listed: the keys stay for the list
            self.left.emit()

    def _forget_enter(self) -> None:
        self._enter_on_entry = False

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
