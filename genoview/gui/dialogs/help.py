"""Help ▸ Keyboard and mouse, Help ▸ User guide: the two things a newcomer looked for in the Help menu and did not find.

The shortcuts are read from the window's menus when the box opens (tools install their actions after the window is
built), so the list is never out of date; the guide is the README shipped beside the code, shown in the app (no
browser, no network), with the commands it names.
"""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QTextOption
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QSplitter,
    QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget,
)

from genoview.paths import ROOT
from genoview.gui.theme import note_style

MOUSE = (
    ("Mouse wheel over the tracks", "Zoom in or out around the pointer"),
    ("Drag (left button)", "Pan along the sequence"),
    ("Drag (right button)", "Draw a box to zoom into (left button too with View ▸ Zoom box, Z)"),
    ("Click a gene", "Its details: coordinates, strand, attributes"),
    ("Drag the dashed line on a track", "Change the threshold (the evaluation follows)"),
    ("Right-click a track's name", "Hide, rename, colour, move or remove the track"),
    ("Click FP or FN in the evaluation", "List those stretches; click one to go there"),
    ("Click a gene disagreement", "Show that gene; the arrow keys step through the list"),
)


def shortcut_rows(window) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every menu action with a shortcut, in menu order; then the window's own actions
    (shortcuts that are in no menu)."""
    rows, seen = [], set()

    def walk(menu, path: str) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path} ▸ {action.menu().title().replace('&', '')}")
            elif not action.isSeparator():
                seen.add(action)
                keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
                if keys:
                    rows.append((path, action.text().replace("&", "").rstrip("…"), keys))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.menu().title().replace("&", ""))
    for action in window.actions():
        if action not in seen and action.shortcuts() and action.text():
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
            rows.append(("", action.text().replace("&", "").rstrip("…"), keys))
    return rows


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut (from the menus) and what the mouse does in the genome view."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.setWindowTitle("Keyboard and mouse")
        layout = QVBoxLayout(self)
        rows = shortcut_rows(window)
        self.keys = QTableWidget(len(rows), 3)
        self.keys.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.keys.setHorizontalHeaderLabels(["Menu", "Action", "Keys"])
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                self.keys.setItem(r, c, QTableWidgetItem(value))
        self.mouse = QTableWidget(len(MOUSE), 2)
        self.mouse.setTabKeyNavigation(False)   # Tab leaves the table; the arrows move within it
        self.mouse.setHorizontalHeaderLabels(["Mouse", "Does"])
        for r, values in enumerate(MOUSE):
            for c, value in enumerate(values):
                self.mouse.setItem(r, c, QTableWidgetItem(value))
        for table in (self.keys, self.mouse):
            table.verticalHeader().hide()
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(QLabel("<b>Keyboard</b> (the menus show the same keys)"))
        layout.addWidget(self.keys, 3)
        layout.addWidget(QLabel("<b>Mouse</b>, in the genome view and the panels"))
        layout.addWidget(self.mouse, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 640)


def guide_path():
    """The README beside the code (a checkout or a frozen build that bundles it), or None."""
    path = ROOT / "README.md"
    return path if path.is_file() else None


GUIDE_IMAGE_WIDTH = 820   # pixels: the README's 1600-pixel screenshots made the guide scroll sideways


CODE_HANGING_INDENT = 24   # pixels: a wrapped code line's continuation sits this far right of its first line


def wrap_code_blocks(document) -> int:
    """Let the guide's code blocks wrap (the Markdown reader makes them non-breaking lines): a 1366-pixel-wide window
    scrolled the whole guide sideways for its long command lines. A wrapped line's continuation hangs indented, so
    where each command line starts stays plain; tables take 99 % of the width (returns the code lines changed)."""
    from PySide6.QtGui import QTextCursor, QTextLength, QTextTable

    cursor = QTextCursor(document)
    cursor.beginEditBlock()   # one layout pass, not one per line
    changed = 0
    block = document.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.nonBreakableLines():
            fmt.setNonBreakableLines(False)
            fmt.setLeftMargin(fmt.leftMargin() + CODE_HANGING_INDENT)
            fmt.setTextIndent(-CODE_HANGING_INDENT)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(fmt)
            changed += 1
        block = block.next()
    for frame in document.rootFrame().childFrames():   # tables: within the text's width (a wide one came out 1-4
        if isinstance(frame, QTextTable):              # pixels wider, its border beyond 100 %: a sideways scroll)
            table = frame.format()
            table.setWidth(QTextLength(QTextLength.Type.PercentageLength, 99))
            frame.setFormat(table)
    cursor.endEditBlock()
    return changed


def fit_images(document, width: int) -> bool:
    """Draw the document's images at most ``width`` pixels wide (aspect kept by Qt when only the width is set);
    whether any changed."""
    from PySide6.QtGui import QTextCursor

    changed = False
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                size = document.resource(document.ResourceType.ImageResource, image.name())
                natural = size.width() if hasattr(size, "width") else 0
                shown = min(width, natural) if natural else width
                if shown != image.width():   # again when the guide is resized: smaller, or back towards natural
                    image.setWidth(shown)
                    if natural:
                        image.setHeight(size.height() * shown / natural)
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.setCharFormat(image)
                    changed = True
            iterator += 1
        block = block.next()
    return changed


def guide_headings(document) -> list:
    """(block, level, title) of the document's headings of level 1-3, in order."""
    headings = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if 1 <= level <= 3 and block.text().strip():
            headings.append((block, level, block.text().strip()))
        block = block.next()
    return headings


class GuideDialog(QDialog):
    """The user guide (README) rendered in the app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("GenoView user guide")
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        # a path or URL longer than the text's width breaks anywhere rather than scrolling the guide sideways
        self.browser.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        path = guide_path()
        if path is not None:
            self.browser.setSearchPaths([str(path.parent)])   # its screenshots, wherever GenoView was started
            self.browser.setMarkdown(path.read_text(encoding="utf-8"))
            fit_images(self.browser.document(), GUIDE_IMAGE_WIDTH)
            wrap_code_blocks(self.browser.document())
        else:
            self.browser.setHtml(
                "<h3>User guide</h3><p>The guide (README.md) is not installed with this copy of GenoView; it is in "
                "the project's source. Help ▸ Getting started lists the first steps, Help ▸ Keyboard and mouse the "
                "shortcuts, and every command line tool explains itself: <code>genoview --help</code>, "
                f"<code>genoview predict --help</code>.</p><p>Looked for: {html.escape(str(ROOT / 'README.md'))}</p>")
        # a 48,000-character guide without contents or search: newcomers scrolled for "Adapt" or "VCF"
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText("Find in the guide (Enter: next)")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.returnPressed.connect(self.find_next)
        self.find_note = QLabel("")
        self.find_note.setStyleSheet(note_style(self))
        find_row = QHBoxLayout()
        find_row.addWidget(self.find_edit, 1)
        find_row.addWidget(self.find_note)
        self.contents = QListWidget()
        self.contents.setToolTip("The guide's sections: click one to go there")
        for block, level, title in guide_headings(self.browser.document()):
            item = QListWidgetItem("    " * (level - 1) + title)
            item.setData(Qt.ItemDataRole.UserRole, block.position())
            item.setToolTip(title)
            self.contents.addItem(item)
        self.contents.itemClicked.connect(self.go_to_section)
        # a long heading ends in "…" (its tooltip the whole) rather than scrolling the contents sideways
        self.contents.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.contents.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.contents.setVisible(self.contents.count() > 0)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.contents)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([280, 820])
        layout.addLayout(find_row)
        layout.addWidget(splitter, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        from genoview.gui.screen_fit import fit_to_screen

        fit_to_screen(self, 1100, 760)
        # the images follow the text's width: at 1100 pixels wide (the dialog on a 1366 x 768 laptop) the text is
        # ~790 pixels, the 820-pixel screenshots made every page scroll sideways
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)   # once the resize is laid out (a scroll bar may take some of the width)
        self._fit_timer.timeout.connect(self.fit_images)
        self.browser.viewport().installEventFilter(self)

    def fit_images(self) -> None:
        if guide_path() is not None:
            document = self.browser.document()
            if fit_images(document, self.image_width()):
                # an image's new size, laid out again from its block on, left later text without lines (blank
                # screens of the guide where its code blocks wrap): the whole text is laid out again
                document.markContentsDirty(0, document.characterCount())

    def image_width(self) -> int:
        """The width the guide's images are drawn at: the text's width, at most GUIDE_IMAGE_WIDTH."""
        margin = int(self.browser.document().documentMargin())
        return max(200, min(GUIDE_IMAGE_WIDTH, self.browser.viewport().width() - 2 * margin - 4))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        from PySide6.QtCore import QEvent

        if event.type() == QEvent.Type.Resize and watched is self.browser.viewport():
            self._fit_timer.start()
        return super().eventFilter(watched, event)

    def go_to_section(self, item) -> None:
        """Scroll so that the section's heading is at the top."""
        document = self.browser.document()
        block = document.findBlock(int(item.data(Qt.ItemDataRole.UserRole)))
        top = document.documentLayout().blockBoundingRect(block).top()
        self.browser.verticalScrollBar().setValue(int(top))

    def find_next(self) -> bool:
        """Select the next place the typed text occurs (from the top again at the end)."""
        text = self.find_edit.text().strip()
        if not text:
            return False
        found = self.browser.find(text)
        if not found:   # wrap around
            from PySide6.QtGui import QTextCursor

            self.browser.moveCursor(QTextCursor.MoveOperation.Start)
            found = self.browser.find(text)
        self.find_note.setText("" if found else "not found")
        return found


def install_help_actions(window) -> None:
    """Help ▸ User guide and Help ▸ Keyboard and mouse, before About."""
    guide = QAction("&User guide", window)
    guide.setStatusTip("The README: what GenoView does, the models, the commands, in a window")
    keys = QAction("&Keyboard and mouse", window)
    keys.setShortcut(QKeySequence("Ctrl+/"))
    keys.setStatusTip("Every keyboard shortcut and what the mouse does")
    window.addAction(keys)

    def show(dialog_class) -> None:
        dialog = dialog_class(window)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open() if window.isVisible() else dialog.show()
        window.help_dialog = dialog

    guide.triggered.connect(lambda: show(GuideDialog))
    keys.triggered.connect(lambda: show(ShortcutsDialog))
    before = window.about_action
    window.help_menu.insertAction(before, guide)
    window.help_menu.insertAction(before, keys)
    window.help_menu.insertSeparator(before)
    window.guide_action, window.shortcuts_action = guide, keys
