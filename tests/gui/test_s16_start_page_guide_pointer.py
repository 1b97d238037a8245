"""The start page (and Help ▸ Getting started) points to the user guide's quick start, where the questions of a first
day are answered; the section it names is in the README the guide shows."""
from __future__ import annotations

from genoview.gui.dialogs.help import guide_path
from genoview.gui.start_page import STEPS_HTML


def test_start_page_names_the_guides_quick_start():
    assert "Help ▸ User guide" in STEPS_HTML and "Quick start" in STEPS_HTML and "IGV" in STEPS_HTML
    readme = guide_path().read_text(encoding="utf-8")
    assert "\n## Quick start: your first genome\n" in readme and "\n### Questions a first day raises\n" in readme
