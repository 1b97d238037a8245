"""A desktop switched between light and dark while GenoView runs (review rev14c of 5f21295): notes and errors kept the
colours computed when their widget was made (a #545454 note on the dark window, 1.9:1); Real vs mutated's red
"mutated" verdict was #d62728 whatever the theme (3.3:1 on a dark table)."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette

from genoview.gui import theme
from tests.gui.test_mutation_panel import GENES, _run, ngram_dir, panel  # noqa: F401 - fixtures
from tests.gui.test_ux9_keyboard_dark_theme import _dark_palette, _style_color, contrast


@pytest.fixture
def palettes(qapp):
    """Switch the application's palette (as a desktop's theme change does); the test's start palette put back after."""
    before = QPalette(qapp.palette())
    light = QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    light.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    yield {"light": light, "dark": _dark_palette()}
    qapp.setPalette(before)


def test_notes_and_errors_follow_a_switch_to_dark_and_back(qtbot, qapp, session, palettes):
    from genoview.gui.dialogs.predict import PredictDialog

    qapp.setPalette(palettes["light"])
    dialog = PredictDialog(None, session)
    qtbot.addWidget(dialog)
    light_note, light_error = _style_color(dialog.model_note), _style_color(dialog.message)
    assert light_error.name() == theme.ERROR_COLORS[0]
    qapp.setPalette(palettes["dark"])   # the desktop goes dark with the dialog open
    window = palettes["dark"].color(QPalette.ColorRole.Window)
    assert contrast(_style_color(dialog.model_note), window) >= 4.5   # was the light #545454: 1.9
    assert _style_color(dialog.message).name() == theme.ERROR_COLORS[1]
    qapp.setPalette(palettes["light"])
    assert (_style_color(dialog.model_note), _style_color(dialog.message)) == (light_note, light_error)


def test_the_verdicts_are_readable_on_either_theme_and_follow_a_switch(qtbot, qapp, panel, palettes):
    qapp.setPalette(palettes["dark"])
    panel.pasted.setPlainText(GENES[0])
    panel.seed.setValue(3)
    _run(qtbot, panel, panel.run_compare)
    base = palettes["dark"].color(QPalette.ColorRole.Base)
    colours = {panel.verdicts.item(0, c).text(): panel.verdicts.item(0, c).foreground().color() for c in (5, 6)}
    for word, colour in colours.items():
        assert contrast(colour, base) >= 4.5, (word, colour.name())   # "mutated" was #d62728: 3.3
    qapp.setPalette(palettes["light"])
    for c in (5, 6):
        item = panel.verdicts.item(0, c)
        expected = theme.GOOD_COLORS[0] if item.text() == "real" else theme.BAD_COLORS[0]
        assert item.foreground().color().name() == expected
        assert contrast(item.foreground().color(), QColor("#ffffff")) >= 4.5


def test_each_theme_colour_belongs_to_one_pair():
    """A switch maps each colour back to its own pair's (a dark red shared by errors and verdicts turned a light
    error into the verdicts' red)."""
    values = [value for pair in theme.PAIRS for value in pair]
    assert len(values) == len(set(values))
