"""rev12: the model library's search matches a one-letter typo itself when nothing matches exactly ("gencnn" shows
genecnn-ecoli; it left an empty table with a "did you mean" beside it), and the count says the rows are one letter
off what was typed; an exact match is never mixed with typo matches."""
from __future__ import annotations

from genoview.gui.library import LibraryWindow, one_edit_apart


def test_one_edit_apart():
    assert one_edit_apart("gencnn", "genecnn") and one_edit_apart("genecnn", "gencnn")   # left out / added
    assert one_edit_apart("geneorg", "geneorf") and one_edit_apart("gneeorf", "geneorf")  # changed / swapped
    assert not one_edit_apart("geneorf", "geneorf") and not one_edit_apart("gnorf", "geneorf")
    assert not one_edit_apart("abcd", "badc")


def test_a_one_letter_typo_finds_the_model(qtbot):
    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    total = len(library.model.rows)
    names = [row.name for row in library.model.rows]
    if "geneorf-bacteria" not in names:
        import pytest

        pytest.skip("shipped model geneorf-bacteria not present")

    def shown() -> list[str]:
        proxy = library.proxy
        return [library.model.rows[proxy.mapToSource(proxy.index(r, 0)).row()].name for r in range(proxy.rowCount())]

    library.search.setText("genorf-bacteria")   # one letter missing from the whole name
    assert "geneorf-bacteria" in shown()
    assert library.count_label.text() == f"{len(shown())} of {total} models, one letter off 'genorf-bacteria'"
    library.search.setText("bactreia")          # two letters swapped in a part of the name
    assert "geneorf-bacteria" in shown() and "one letter off" in library.count_label.text()
    library.search.setText("geneorf")           # exact: only exact matches, no "one letter off"
    rows = {row.name: row for row in library.model.rows}
    assert shown() and all("geneorf" in library.proxy._haystack(rows[name]) for name in shown())
    assert "one letter off" not in library.count_label.text()
    library.search.setText("")
    assert library.count_label.text() == f"{total} models"
