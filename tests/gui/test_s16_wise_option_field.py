"""GeneORF's fine-tune option `wise` (WiSE-FT toward the parent, session 16) in the wizard's option form: a number
box at 0 by default, its help, range (0 to 1) and design-bed result in the tooltip, and a value outside the range
refused with a sentence naming it."""
from __future__ import annotations

import pytest


def test_wise_renders_with_its_default_range_and_help(qtbot):
    from genoview.core.training.options import options_schema
    from genoview.gui.wizard.fields import OptionForm

    form = OptionForm(options_schema("geneorf"))
    qtbot.addWidget(form)
    field = form.fields["wise"]
    assert field.value() == 0.0 and "wise" not in form.values(only_changed=True)
    tip = field.editor.toolTip()
    assert "toward the parent's" in tip and "WiSE-FT" in tip and "(from 0.0 to 1.0)" in tip and "not the default" in tip
    field.editor.setText("0.5")
    assert form.values(only_changed=True)["wise"] == 0.5
    field.editor.setText("1.5")
    with pytest.raises(ValueError, match="wise"):
        field.value()
