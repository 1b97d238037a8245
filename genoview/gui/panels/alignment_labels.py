"""Row labels that stay in view when an alignment is scrolled sideways (a frozen first column).

The alignment's text starts each line with its label ("real", "mutated"); scrolled to a later edit, the labels went
out of view and the two rows could not be told apart. This strip, laid over the viewport's left edge while it is
scrolled, paints the labels where the text has them, on the text's background.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QPainter, QPalette, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget


class FrozenRowLabels(QWidget):
    """Paint ``labels`` (one per text line) over the left ``columns`` character columns of ``editor``'s viewport."""

    def __init__(self, editor: QTextEdit, labels: tuple[str, ...], columns: int) -> None:
        super().__init__(editor.viewport())
        self.editor, self.labels, self.columns = editor, labels, columns
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)   # selecting text under it still works
        self.hide()
        editor.horizontalScrollBar().valueChanged.connect(self.refresh)
        editor.verticalScrollBar().valueChanged.connect(self.refresh)
        editor.textChanged.connect(self.refresh)
        editor.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.refresh()
        return False

    def line_tops(self) -> list[QRect]:
        """Viewport rectangles of the starts of the text's first lines (as many as there are labels)."""
        text = self.editor.toPlainText()
        rects, position = [], 0
        for _ in self.labels:
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(min(position, len(text)))
            rects.append(self.editor.cursorRect(cursor))
            position = text.find("\n", position) + 1
            if position <= 0:
                break
        return rects

    def refresh(self, *_) -> None:
        scrolled = self.editor.horizontalScrollBar().value() > 0 and bool(self.editor.toPlainText())
        self.setVisible(scrolled)
        if scrolled:
            width = self.editor.fontMetrics().horizontalAdvance("M" * self.columns)
            margin = int(self.editor.document().documentMargin())
            self.setGeometry(0, 0, margin + width, self.editor.viewport().height())
            self.raise_()
            self.update()

    def paintEvent(self, event) -> None:   # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.editor.palette().color(QPalette.ColorRole.Base))
        painter.setFont(self.editor.font())
        painter.setPen(self.editor.palette().color(QPalette.ColorRole.Text))
        margin = int(self.editor.document().documentMargin())
        for label, rect in zip(self.labels, self.line_tops()):
            painter.drawText(QRect(margin, rect.top(), self.width() - margin, rect.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label.strip())
        painter.setPen(self.editor.palette().color(QPalette.ColorRole.Mid))
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        painter.end()
