"""The exported view (File ▸ Export ▸ View as PNG or SVG) held "Zoom in to see the sequence" (H-walk, session 17),
and on a genome without annotation the Genes row's "No annotation: File ▸ Open annotation…": hints for the screen,
not for a figure. The screen keeps them."""
from __future__ import annotations

from genoview.gui.export import save_widget_image
from genoview.gui.genome_view.feature_track import FeatureTrackItem
from genoview.gui.genome_view.sequence_track import SequenceTrackItem
from genoview.gui.start_page import EXAMPLE_GENOME


def test_exported_view_leaves_out_the_screen_hints(qtbot, open_example_window, tmp_path, monkeypatch):
    painted = []
    for cls, name in ((SequenceTrackItem, "_paint_hint"), (FeatureTrackItem, "_paint_empty_hint")):
        real = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda self, *a, _real=real, _name=name: painted.append(_name) or _real(self, *a))
    window = open_example_window(EXAMPLE_GENOME, size=(1400, 800))   # no annotation, the whole sequence in view
    window.view.grab()
    assert {"_paint_hint", "_paint_empty_hint"} <= set(painted)   # on screen: both hints
    for suffix in ("png", "svg"):
        painted.clear()
        save_widget_image(window.view, tmp_path / f"view.{suffix}")
        assert painted == [], suffix
        assert (tmp_path / f"view.{suffix}").stat().st_size > 0
    assert "Zoom in to see" not in (tmp_path / "view.svg").read_text(errors="replace")
    painted.clear()
    window.view.grab()
    assert "_paint_hint" in painted   # the screen has them again
