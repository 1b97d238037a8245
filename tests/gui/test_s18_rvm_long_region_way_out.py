"""Real vs mutated with a whole bacterial genome in view says how to go on besides zooming in: a gene (H-walk18 under
Xvfb, S. aureus COL in view: 'the visible region is 2,809,422 bases; zoom in to at most 20,000' and nothing about the
Gene field, the quicker way to a gene-sized sequence)."""
from __future__ import annotations

import pytest

from genoview.core.errors import GenoViewInputError
from genoview.gui.panels.mutation import MAX_REGION


def test_a_region_too_long_names_the_gene_field(qtbot, open_example_window):
    window = open_example_window()   # the whole 100 kb chromosome in view
    panel = window.mutation_panel
    start, end = window.session.region
    assert end - start > MAX_REGION and panel.source.currentText() == "Visible region"
    with pytest.raises(GenoViewInputError) as error:
        panel.real_sequence()
    message = str(error.value)
    assert f"{end - start:,} bases" in message and "zoom in" in message and "Gene field" in message
