"""The training curves' keys sit above the loss plot, not in a corner over the data (walked under Xvfb, session 16:
the validation loss ends top right, under the corner legend), and the smoothing slider says its weight."""
from __future__ import annotations


def test_loss_keys_are_in_the_title_row_and_the_smoothing_weight_is_shown(qtbot):
    from genoview.gui.wizard.curves import TrainingCurves

    curves = TrainingCurves()
    qtbot.addWidget(curves)
    item = curves.loss_plot.getPlotItem()
    assert item.legend is None
    title = item.titleLabel.text
    for key in ("loss", "smoothed", "validation loss"):
        assert key in title
    assert curves.smoothing_label.text() == "Smoothing 0.60"
    curves.smoothing.setValue(0)
    assert curves.smoothing_label.text() == "Smoothing 0.00"
    for step, loss in ((5, 0.7), (10, 0.4), (15, 0.3)):
        curves.add_log(step, loss)
    curves.redraw()
    assert list(curves.smooth_curve.getData()[1]) == [0.7, 0.4, 0.3]   # weight 0: the raw values
