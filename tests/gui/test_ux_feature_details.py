"""A gene's details window shows long attribute values (a product note, a Dbxref list) whole, wrapped in the Value
column: they ran off to the right behind a scroll bar, with the "Value" header cut."""
from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtCore import Qt

from genoview.gui.dialogs.feature_details import FeatureDetailsDialog

NOTE = "bifunctional: aspartokinase I (N-terminal); homoserine dehydrogenase I (C-terminal) " * 2


def test_long_attribute_values_wrap_and_show_whole(qtbot):
    feature = SimpleNamespace(seqid="chrA", start=336, end=2799, strand=1, type="CDS", id="cds1", name="NP_414543.1",
                              parent=None, phase=0, line=12, parts=[(336, 2799)],
                              attributes={"Note": NOTE, "Dbxref": "ASAP:ABE-0000008,UniProtKB/Swiss-Prot:P00561",
                                          "ID": "cds1"})
    dialog = FeatureDetailsDialog(feature)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.attribute_table
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff and table.wordWrap()
    row = [table.item(r, 0).text() for r in range(table.rowCount())].index("Note")
    line = table.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: table.rowHeight(row) >= 2 * line, timeout=3000)   # wrapped onto several lines
    assert table.columnViewportPosition(1) + table.columnWidth(1) <= table.viewport().width() + 1
    dbxref = [table.item(r, 1).text() for r in range(table.rowCount()) if table.item(r, 0).text() == "Dbxref"][0]
    assert dbxref == "ASAP:ABE-0000008, UniProtKB/Swiss-Prot:P00561"   # breakable between entries
    dialog.close()
