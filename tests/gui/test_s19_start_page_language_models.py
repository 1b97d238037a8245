"""The start page names Real vs mutated (H-walk19: a newcomer with a human gene found only the genome workflow there;
the language models were in the Tools menu alone), with the menu entry and its key as the window has them."""
from __future__ import annotations

from genoview.gui.start_page import STEPS_HTML


def test_start_page_names_real_vs_mutated_as_the_menu_does(make_window):
    assert "<i>Tools ▸ Real vs mutated…</i> (Ctrl+M)" in STEPS_HTML and "no genome needed" in STEPS_HTML
    window = make_window()
    tools = [a for a in window.menuBar().actions() if a.text().replace("&", "") == "Tools"][0].menu()
    entries = {a.text().replace("&", "") for a in tools.actions()}
    assert "Real vs mutated…" in entries
    keys = {a.shortcut().toString() for a in window.findChildren(type(tools.actions()[0]))
            if a.text().replace("&", "").startswith("Real vs mutated")}
    assert "Ctrl+M" in keys
