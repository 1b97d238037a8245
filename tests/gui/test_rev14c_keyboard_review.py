"""The wizard's list of genomes was the one table 74fb1c0 left walking Tab cell by cell: Tab went round its cells
and role boxes and never out (Remove, the feature types, Next out of reach); now Tab goes table, each role box,
Remove, on; the arrows still move between its cells (review rev14c)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def test_tab_leaves_the_wizards_genome_list_through_its_role_boxes(qtbot, data_dir):
    from genoview.gui.wizard import TrainingWizard

    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    page = wizard.data_page
    page.add_genome(str(data_dir / "engine_tiny.fa"), str(data_dir / "engine_tiny.gff3"))
    page.add_genome(str(data_dir / "guib_small.fa"), None, "test")
    wizard.show()
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow, timeout=5000)
    table = page.genomes_table
    table.setFocus()
    table.setCurrentCell(0, 0)
    QTest.keyClick(table, Qt.Key.Key_Right)
    QTest.keyClick(table, Qt.Key.Key_Down)
    assert (table.currentRow(), table.currentColumn()) == (1, 1)   # arrows within
    walked = []
    for _ in range(3):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget())
    assert walked == [table.cellWidget(0, 2), table.cellWidget(1, 2), page.remove_button]


def test_esc_in_the_librarys_search_clears_it_before_closing(qtbot):
    """87bbf35's Esc closed the library from the search box too, with the search typed in it (review rev14c)."""
    from genoview.gui.library import LibraryWindow

    library = LibraryWindow()
    library.quiet = True
    qtbot.addWidget(library)
    qtbot.waitUntil(lambda: library.loaded, timeout=60000)
    library.show()
    library.activateWindow()
    qtbot.waitUntil(library.isActiveWindow, timeout=5000)
    library.search.setFocus()
    QTest.keyClicks(library.search, "bert")
    QTest.keyClick(library.search, Qt.Key.Key_Escape)
    assert library.search.text() == "" and library.isVisible()
    QTest.keyClick(library.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not library.isVisible(), timeout=5000)
