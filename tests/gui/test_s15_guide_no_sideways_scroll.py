"""Help > User guide on a 1366 x 768 laptop (the dialog 1100 pixels wide): its long command lines (code blocks laid
out as non-breaking lines) and its tables (1-3 pixels over the text's width with their border) scrolled the whole
guide sideways. Code lines wrap now, a continuation hanging indented; tables keep within the text; the contents'
long headings end in "…". And the text after a long paragraph stayed blank once the images were fitted to the width
(the browser laid it out again only up to there) (session 15)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from genoview.gui.dialogs.help import GuideDialog, guide_path

pytestmark = pytest.mark.skipif(guide_path() is None, reason="the README is not installed")


def _blocks(document):
    block = document.begin()
    while block.isValid():
        yield block
        block = block.next()


def _blank_blocks(document) -> list[str]:
    """Blocks with text that the layout left without a line (drawn as blank space; the browser lays the rest out in
    steps on a timer, hence the waits)."""
    return [b.text()[:40] for b in _blocks(document) if b.text() and b.layout().lineCount() == 0]


@pytest.mark.parametrize("width", [1100, 800])
def test_the_guide_does_not_scroll_sideways(qtbot, width):
    dialog = GuideDialog(None)
    qtbot.addWidget(dialog)
    dialog.resize(width, 690)
    dialog.show()
    qtbot.waitExposed(dialog)
    browser = dialog.browser
    document = browser.document()
    code = [b for b in _blocks(document) if b.text().startswith("genoview train --architecture genecnn")]   # the code line, not prose naming it
    assert code and not any(b.blockFormat().nonBreakableLines() for b in _blocks(document))
    assert code[0].blockFormat().textIndent() < 0 < code[0].blockFormat().leftMargin()   # hanging continuation
    qtbot.waitUntil(lambda: not _blank_blocks(document), timeout=5000)
    qtbot.waitUntil(lambda: browser.horizontalScrollBar().maximum() == 0, timeout=5000)
    assert document.size().width() <= browser.viewport().width()
    assert dialog.contents.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    long_heading = next(dialog.contents.item(i) for i in range(dialog.contents.count())
                        if "System packages" in dialog.contents.item(i).text())
    assert long_heading.toolTip().startswith("System packages")   # the whole heading, where the pane cuts it
