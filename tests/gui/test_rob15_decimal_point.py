"""H-rob (session 15): a number box read only its locale's decimal point: 0,5 typed in an English box (or 0.5 in a
German one, as the window's tables write numbers) set the threshold to 0.000 without a word; under de_DE the boxes
showed 0,500 beside tables of 0.9832."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDoubleSpinBox

from genoview.gui.decimal_input import accept_either_decimal_point, use_point_decimals


@pytest.fixture
def restore_locale():
    saved = QLocale()
    yield
    QLocale.setDefault(saved)


def _typed(qtbot, text: str) -> QDoubleSpinBox:
    spin = accept_either_decimal_point(QDoubleSpinBox())
    qtbot.addWidget(spin)
    spin.setRange(0.0, 1.0)
    spin.setDecimals(3)
    spin.setValue(0.9)
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin, text)
    spin.interpretText()
    return spin


@pytest.mark.parametrize("language, country", [(QLocale.Language.English, QLocale.Country.UnitedStates),
                                               (QLocale.Language.German, QLocale.Country.Germany)])
@pytest.mark.parametrize("typed, value", [("0.5", 0.5), ("0,5", 0.5), ("0,25", 0.25), (".75", 0.75), ("0.5,2", 0.52)])
def test_either_key_is_the_decimal_point(qtbot, restore_locale, language, country, typed, value):
    QLocale.setDefault(QLocale(language, country))
    assert _typed(qtbot, typed).value() == pytest.approx(value)


def test_the_window_writes_points_whatever_the_locale(qtbot, restore_locale):
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    use_point_decimals()
    spin = _typed(qtbot, "0,5")
    assert spin.text() == "0.500"
    assert QLocale().toString(1234567) == "1234567"


def test_the_window_panels_use_it(qtbot):
    from genoview.gui.panels.evaluation import EvaluationPanel

    spin = EvaluationPanel._fraction_spin(0.5)
    qtbot.addWidget(spin)
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin, "0,3" if spin.locale().decimalPoint() == "." else "0.3")
    spin.interpretText()
    assert spin.value() == pytest.approx(0.3)


@pytest.mark.parametrize("typed, value", [("0,1", 0.1), ("0.1", 0.1), ("1e-4", 1e-4)])
def test_a_wizard_number_field_takes_a_decimal_comma(qtbot, typed, value):
    from genoview.gui.wizard.fields import OptionField

    field = OptionField({"name": "dropout", "type": "float", "default": 0.1, "help": "dropout"})
    qtbot.addWidget(field)
    field.editor.setText(typed)
    assert field.value() == pytest.approx(value)


def test_a_wizard_number_field_still_refuses_what_is_no_number(qtbot):
    from genoview.gui.wizard.fields import OptionField

    field = OptionField({"name": "dropout", "type": "float", "default": 0.1, "help": "dropout"})
    qtbot.addWidget(field)
    field.editor.setText("1,000.5,2")
    with pytest.raises(ValueError, match="is not a number"):
        field.value()
