"""Guard (session 19 walk at 1280 x 800 and 1366 x 768 under Xvfb): Tools ▸ Predict…, Models ▸ Adapt to this
genome… and every page of the training wizard need no more than a laptop screen's free area, so no button sits
below its edge (the walk found none; the Evaluation panel's fixes are test_s19_small_screen_evaluation.py)."""
from __future__ import annotations

from PySide6.QtCore import QRect

import genoview.gui.screen_fit as screen_fit

SMALLEST = QRect(0, 0, 1280, 728)   # 1366 x 768 (the shorter laptop) less a 40-pixel task bar, 1280 wide


def test_predict_and_adapt_dialogs_fit(open_example_window, qtbot):
    from genoview.gui.dialogs.adapt import AdaptDialog
    from genoview.gui.dialogs.predict import PredictDialog

    window = open_example_window()
    for dialog in (PredictDialog(window, window.session, window.settings),
                   AdaptDialog(window.session.genome.path, ["geneorf-bacteria"], window)):
        dialog.show()
        hint = dialog.sizeHint()
        assert hint.width() <= SMALLEST.width() * 0.95 and hint.height() <= SMALLEST.height() * 0.9, \
            (type(dialog).__name__, hint)
        dialog.close()
        dialog.deleteLater()


def test_every_wizard_page_fits_the_shorter_laptop(qtbot, monkeypatch):
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
    from genoview.gui.wizard import TrainingWizard
    from tests.gui.waits import fill_data_page

    monkeypatch.setattr(screen_fit, "free_area", lambda widget: SMALLEST)
    wizard = TrainingWizard()
    wizard.ask_before_closing = False
    qtbot.addWidget(wizard)
    assert wizard.height() <= SMALLEST.height() * 0.9
    try:
        fill_data_page(qtbot, wizard, EXAMPLE_GENOME, EXAMPLE_ANNOTATION)
        seen = []
        while type(wizard.currentPage()).__name__ != "ReviewPage":
            seen.append(type(wizard.currentPage()).__name__)
            assert wizard.minimumSizeHint().height() <= wizard.height(), seen[-1]   # nothing squeezed or cut
            wizard.next()
            qtbot.wait(20)
            assert len(seen) < 8
        assert wizard.minimumSizeHint().height() <= wizard.height()
        assert seen == ["DataPage", "TaskPage", "ModelPage", "HyperparametersPage"]
    finally:
        wizard.review_page.stop_probe()   # its measuring child
