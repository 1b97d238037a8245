"""Help > User guide on a 1366 x 768 laptop (the dialog 1100 pixels wide, the text ~790): the README's screenshots
were drawn 820 pixels wide, their right edge out of sight behind a sideways scroll bar; they follow the text's
width now, and grow back when the guide is widened."""
from __future__ import annotations

import pytest

from genoview.gui.dialogs.help import GUIDE_IMAGE_WIDTH, GuideDialog, guide_path


def image_widths(document) -> list[float]:
    widths = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fmt = iterator.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.toImageFormat().width())
            iterator += 1
        block = block.next()
    return widths


@pytest.mark.skipif(guide_path() is None, reason="the README is not installed")
def test_guide_images_fit_the_text_width(qtbot):
    dialog = GuideDialog(None)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 690)
    dialog.show()
    qtbot.waitExposed(dialog)
    viewport = dialog.browser.viewport()
    assert image_widths(dialog.browser.document())
    qtbot.waitUntil(lambda: max(image_widths(dialog.browser.document())) <= viewport.width() - 8)
    dialog.resize(1800, 690)   # wider: back to the readable size, never beyond it
    qtbot.waitUntil(lambda: max(image_widths(dialog.browser.document())) == GUIDE_IMAGE_WIDTH)
