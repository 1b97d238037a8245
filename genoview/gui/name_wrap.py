"""Labels that wrap long sequence names: an assembler's contig name is one word of 100+ characters, and a
word-wrapped QLabel is never narrower than its longest word, so docks grew past the window's edge."""
from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtWidgets import QLabel, QMenu

BREAK = "\u200b"   # a zero-width space: a place to break, invisible, and never part of a name
LONG_NAME = 30   # characters: a longer word with no '/' (a sequence name, not a path) may break after _ . | -


def breakable(text: str) -> str:
    """``text`` with break opportunities (zero-width spaces) after ``_ . | -`` in words over LONG_NAME characters:
    an assembler's contig name ("contig_1_length_80000_cov_37.4_..._polished", 117 characters) is one word, and a
    word-wrapped label is never narrower than its longest word, so the panel grew past the window's edge."""
    if len(text) <= LONG_NAME:
        return text

    def split(word: re.Match) -> str:   # a path stays whole (it is copied from the label), and markup (<b>, style=)
        text = word.group(0)
        return text if any(c in text for c in "/<>=&") else re.sub(r"([_.|-])", "\\1" + BREAK, text)

    return re.sub(rf"\S{{{LONG_NAME + 1},}}", split, text)


class NameWrappingLabel(QLabel):
    """A word-wrapped label whose long sequence names may break (``breakable``); ``text()`` keeps what was set, and
    a selectable one copies the names as written: Ctrl+C, the context menu's Copy and (X11) the mouse selection gave
    the break characters too, invisible in the pasted name and fatal to a grep or a samtools region."""

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self._text = text
        super().setText(breakable(text))

    def text(self) -> str:
        return self._text

    def selectedText(self) -> str:  # noqa: N802 - Qt's name
        return super().selectedText().replace(BREAK, "")

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().keyPressEvent(event)   # Ctrl+C (Ctrl+Insert) copies through Qt's own control
        self._copy_unbroken()

    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().contextMenuEvent(event)   # Qt's own menu (Copy, Select All), a popup child of the label
        menus = self.findChildren(QMenu)
        if menus:   # its Copy runs when chosen: mend the clipboard on the next turn, after it
            menus[-1].triggered.connect(lambda _: QTimer.singleShot(0, self, self._copy_unbroken))

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().mouseReleaseEvent(event)   # X11: the selection is copied to the middle-click clipboard
        self._copy_unbroken()

    def _copy_unbroken(self) -> None:
        """The clipboard (and the X11 selection) without break characters, when it holds this label's selection."""
        selected = super().selectedText()
        if BREAK not in selected:
            return
        clipboard = QGuiApplication.clipboard()
        modes = [QClipboard.Mode.Clipboard] + ([QClipboard.Mode.Selection] if clipboard.supportsSelection() else [])
        for mode in modes:
            if clipboard.text(mode) == selected:
                clipboard.setText(selected.replace(BREAK, ""), mode)


def short_locus(locus: str, seqid: str, longest: int = 28) -> str:
    """The locus with a long sequence name cut in the middle ("contig_1_len…_polished:1,030-1,143"): an assembler's
    117-character contig names took two lines a row; the cell's tooltip keeps the whole locus."""
    if len(seqid) <= longest or not locus.startswith(seqid):
        return locus
    keep = (longest - 1) // 2
    return seqid[:keep] + "…" + seqid[-keep:] + locus[len(seqid):]
