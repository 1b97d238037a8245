"""The wheel guard (gui/wheel_guard.py) on every scrolling panel with number boxes or drop-downs, not the evaluation
panel only: scrolling the Real vs mutated form to its results moved its seed from 0 to 4 (H-walk, session 17), and
the wizard's hyperparameter page scrolls past a column of number boxes and the model's option drop-downs."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox

from genoview.gui.session import Session
from genoview.gui.workers import JobRunner


def _wheel(widget, steps=-1):
    event = QWheelEvent(QPointF(5, 5), QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def _boxes(widget):
    return [*widget.findChildren(QAbstractSpinBox), *widget.findChildren(QComboBox)]


def test_scrolling_the_real_vs_mutated_panel_leaves_its_seed(qtbot):
    from genoview.gui.panels.mutation import MutationPanel

    panel = MutationPanel(Session(), JobRunner(), default_lm="", default_gene_model="")
    panel.quiet = True
    qtbot.addWidget(panel)
    panel.resize(420, 500)   # shorter than the form and its 640-pixel tabs: it scrolls
    panel.show()
    qtbot.waitExposed(panel)
    boxes = _boxes(panel._scroll.widget())
    assert boxes and all(b.focusPolicy() != Qt.FocusPolicy.WheelFocus for b in boxes)
    panel.seed.setValue(0)
    _wheel(panel.seed, steps=1)   # wheel up over the seed
    _wheel(panel.seed, steps=-4)
    assert panel.seed.value() == 0
    assert panel._scroll.verticalScrollBar().value() > 0


def test_the_wizard_hyperparameter_pages_boxes_are_guarded_after_a_model_change(qtbot):
    from genoview.gui.wizard import TrainingWizard

    w = TrainingWizard()
    w.ask_before_closing = False
    w.remember_settings = False
    qtbot.addWidget(w)
    page = w.hyper_page
    # each architecture builds its own option boxes; GeneORF as a fine-tune, whose recipe options are spin and combo
    # boxes (from scratch since eaecc7e its form holds a check box and a line edit only)
    for arch, init_from in (("genecnn", None), ("geneorf", "geneorf-bacteria")):
        w.values["architecture"] = arch
        w.values["init_from"] = init_from
        page.initializePage()
        boxes = _boxes(page._scroll.widget())
        assert boxes and page.options_form is not None and _boxes(page.options_form)
        assert all(b.focusPolicy() != Qt.FocusPolicy.WheelFocus for b in boxes), arch
