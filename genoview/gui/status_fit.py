"""Status-bar messages that fit: Qt cuts a temporary message at the first permanent widget, mid-word and unmarked.
In a 1216-pixel window (a 1280 x 720 laptop) 'genomic.fna.gz: 1 sequence, 4,641,652 bases' read '4,641,6', a wrong
length, and 'Predicted …' showed 'Predic' half under the running job's label. The message is elided with '…' to the
room there is, again whenever the permanent widgets move (a job starts, the locus label grows), and the whole text
is the status bar's tooltip meanwhile. :class:`ElidedLabel` does the same for a label among the permanent widgets
(the running job's: 'Gene calls of prodigal: Prodigal's genes, t' was cut mid-word in a narrow window)."""
from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QLabel, QSizeGrip, QSizePolicy, QStatusBar, QWidget

MIN_ROOM = 60   # pixels: less than this shows no message (a letter and '…' said nothing); the tooltip keeps it


class StatusMessageFitter(QObject):
    """Elides the messages of a :class:`FittingStatusBar` (its ``fitter``) to the room left of its permanent widgets."""

    def __init__(self, status: "FittingStatusBar") -> None:
        super().__init__(status)
        self.status = status
        self.full = ""        # the message as shown by its sender
        self.shown = ""       # what this fitter put in its place
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)   # once the permanent widgets are laid out
        self._timer.timeout.connect(self.fit)
        status.messageChanged.connect(self._changed)
        status.installEventFilter(self)

    def room(self) -> int:
        """The width Qt draws the message in: up to the leftmost visible permanent widget, less a margin."""
        status = self.status
        lefts = [w.x() for w in status.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if w.isVisible() and w.x() > 6 and not isinstance(w, QSizeGrip)]
        return (min(lefts) if lefts else status.width()) - 2 - 6 - 4

    def _changed(self, text: str) -> None:
        if text and text == self.shown:   # this fitter's own message
            return
        self.full, self.shown = text, ""
        self.status.setToolTip("")
        if text:
            self._timer.start()

    def fit(self) -> None:
        status = self.status
        current = status.currentMessage()
        if not self.full or current not in (self.full, self.shown) or not status.isVisible():
            return   # not on screen (a window being built, or never shown): nothing is cut
        room = self.room()
        metrics = status.fontMetrics()
        if metrics.horizontalAdvance(self.full) <= room:
            text = self.full
        else:
            text = metrics.elidedText(self.full, Qt.TextElideMode.ElideRight, room) if room >= MIN_ROOM else " "
        if text == current:
            return
        self.shown = text if text != self.full else ""
        status.show_fitted(text)   # for as long as its sender asked (0: until replaced)
        status.setToolTip(self.full if text != self.full else "")

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.status and event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize) and self.full:
            self._timer.start()
        return False


class FittingStatusBar(QStatusBar):
    """The main window's status bar: long messages elided by a :class:`StatusMessageFitter` (``fitter``), shown for
    the time their sender asked (an elided copy was shown for 8 s whatever the sender's timeout: 'Reading genome…',
    meant to stay until the reading ended, went blank after 8 s in a narrow window), and :meth:`whole_message` is the
    text as sent (code that compared ``currentMessage()`` with what it had shown missed an elided copy: a go-to error
    stayed up after a successful jump)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # the last message shown through showMessage here, its timeout (ms) and when (time.monotonic); Qt's own
        # (a menu item's status tip) come past it, with no timeout
        self._timing = ("", 0, 0.0)
        self.fitter = StatusMessageFitter(self)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 - Qt's name
        self._timing = (text, int(timeout), time.monotonic())
        super().showMessage(text, timeout)

    def show_fitted(self, text: str) -> None:
        """Show the fitter's copy of the current message for what is left of its sender's timeout."""
        sent, timeout, since = self._timing
        left = 0 if timeout <= 0 or sent != self.fitter.full else \
            max(1, int(timeout - 1000 * (time.monotonic() - since)))
        super().showMessage(text, left)

    def whole_message(self) -> str:
        """The current message as its sender gave it (``currentMessage()`` may be the fitter's elided copy)."""
        current = self.currentMessage()
        return self.fitter.full if current and current == self.fitter.shown else current


class ElidedLabel(QLabel):
    """A one-line label that ends its text with '…' when it is given less room than the text needs (a status bar's
    permanent widget in a narrow window), the whole text then in its tooltip. It asks for its text's width but
    accepts down to ``min_width`` pixels, so the layout can shrink it instead of cutting it mid-word."""

    def __init__(self, text: str = "", parent: QWidget | None = None, min_width: int = MIN_ROOM) -> None:
        super().__init__(parent)
        self._full = ""
        self._min_width = min_width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(False)
        self.set_full_text(text)

    def full_text(self) -> str:
        """The text as given (what is shown may end in '…')."""
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._fit()
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right() + 2
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(min(self._min_width, self.sizeHint().width()), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right() - 2
        metrics = self.fontMetrics()
        elided = metrics.horizontalAdvance(self._full) > room
        shown = metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, max(room, 0)) if elided else self._full
        if shown != super().text():
            super().setText(shown)
        self.setToolTip(self._full if elided else "")
