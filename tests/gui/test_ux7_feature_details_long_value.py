"""H-ux7: a feature with a huge attribute value (a pipeline's 3 MB Note, a sequence kept in an attribute) froze the
window for seconds when its details opened, and again at every resize (the table wrapped and measured all of it).
The table shows the value's first 5,000 characters and its length; the tooltip 1,000."""
from __future__ import annotations

from genoview.core.io.features import Feature
from genoview.gui.dialogs.feature_details import MAX_SHOWN, FeatureDetailsDialog


def test_a_huge_value_is_shown_in_part_with_its_length(qtbot):
    feature = Feature("chr1", 99, 400, 1, "gene", id="g1", attributes={"ID": "g1", "Note": "A" * 3_000_000,
                                                                         "product": "a short one"})
    dialog = FeatureDetailsDialog(feature)
    qtbot.addWidget(dialog)
    table = dialog.attribute_table
    rows = {table.item(r, 0).text(): table.item(r, 1) for r in range(table.rowCount())}
    note = rows["Note"]
    assert note.text().endswith("… (3,000,000 characters in all)") and len(note.text()) < MAX_SHOWN + 50
    assert len(note.toolTip()) < 1100
    assert rows["product"].text() == "a short one" and rows["product"].toolTip() == "a short one"
