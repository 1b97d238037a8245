"""The plots' canvas colours (genome view, evaluation plots, training curves) for the desktop's palette, light or dark.

The genome view and the plots were drawn on a fixed white canvas with dark grey text: on a dark desktop theme they
stayed white slabs in a dark window. :func:`canvas_for` gives the colours for a widget's palette (dark: the
palette's own Base as the background, light text and axes, darker hatching for "not predicted"), items that paint
themselves read :func:`current` when they paint, and :func:`follow_palette` calls a widget's restyling again when the
desktop switches theme while GenoView runs. Track, feature and base colours stay as they are: mid-tone colours chosen
to read on either canvas. Figures exported from the plots keep the light canvas (:data:`LIGHT`)."""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QWidget

from genoview.gui.theme import is_dark, palette_of


@dataclass(frozen=True)
class Canvas:
    background: str
    text: str          # row labels, ruler numbers, axis numbers and titles
    muted: str         # legends under the labels
    axis: str          # axis lines and ticks
    guide: str         # the dashed threshold line
    hover: str         # the threshold line under the mouse
    separator: str     # the dashed line between the strands' gene rows
    hint: str          # "Zoom in to see the sequence"
    not_predicted_fill: str
    not_predicted_line: str
    tab: tuple[int, int, int, int]   # the translation frames' name tabs (RGBA)
    tab_text: str
    codon: str         # a translated codon that is neither start nor stop
    codon_text: str


LIGHT = Canvas(background="#ffffff", text="#333333", muted="#6a6a6a", axis="#999999", guide="#444444",
               hover="#000000", separator="#c8c8c8", hint="#7a7a7a", not_predicted_fill="#efefef",
               not_predicted_line="#c4c4c4", tab=(255, 255, 255, 220), tab_text="#555555", codon="#e8e8e8",
               codon_text="#333333")
# on a dark Base (#1e1e1e-#2b2b2b) each text colour is >= 7:1, the muted legend >= 4.5:1
DARK = Canvas(background="#1e1e1e", text="#dddddd", muted="#a8a8a8", axis="#8c8c8c", guide="#c8c8c8",
              hover="#ffffff", separator="#505050", hint="#9a9a9a", not_predicted_fill="#2e2e2e",
              not_predicted_line="#5a5a5a", tab=(30, 30, 30, 220), tab_text="#c8c8c8", codon="#474747",
              codon_text="#eeeeee")
MUTED = {LIGHT.muted, DARK.muted}   # a label's legend colour, swapped on a change

_current: list[Canvas] = [LIGHT]


def current() -> Canvas:
    """The canvas colours last chosen by :func:`canvas_for` (what self-painting items read when they paint)."""
    return _current[0]


def make_current(colors: Canvas) -> Canvas:
    """Paint with ``colors`` from now on (an export on the light canvas; :func:`canvas_for` gives the palette's)."""
    _current[0] = colors
    pg.setConfigOptions(background=colors.background, foreground=colors.text)
    return colors


@contextmanager
def light_canvas_of(widget):
    """Exports are figures: ``widget`` (one with ``apply_canvas(colors=None)``: the genome view, Real vs mutated)
    painted on the light canvas for the time of the block, whatever the desktop's theme, and its own canvas after."""
    if current() is LIGHT:
        yield
        return
    widget.apply_canvas(LIGHT)
    try:
        yield
    finally:
        widget.apply_canvas()


_FIGURES = [0]   # exports being drawn (nested: a count)


@contextmanager
def drawing_figure():
    """An export (a PNG or SVG figure) is being painted for the time of the block: the hints meant for the screen
    ("Zoom in to see the sequence", "No annotation: File ▸ Open annotation…") are left out of it."""
    _FIGURES[0] += 1
    try:
        yield
    finally:
        _FIGURES[0] -= 1


def hints_shown() -> bool:
    """Whether on-screen hints are painted now (not while a figure is exported)."""
    return _FIGURES[0] == 0


def canvas_for(widget: QWidget | None = None) -> Canvas:
    """The canvas for ``widget``'s palette (the application's without one), made current; new pyqtgraph plots take
    its background and text colour too."""
    if is_dark(widget):
        base = palette_of(widget).color(QPalette.ColorRole.Base)
        canvas = dataclasses.replace(DARK, background=base.name()) if base.lightness() < 100 else DARK
    else:
        canvas = LIGHT
    return make_current(canvas)


def style_plot(plot, canvas: Canvas) -> None:
    """Give a pyqtgraph PlotWidget (or PlotItem) the canvas: background, axes, tick numbers, axis titles, the plot's
    title, its text items and its legend."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    if isinstance(plot, pg.PlotWidget):
        plot.setBackground(canvas.background)
    for name in ("left", "bottom", "top", "right"):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(canvas.axis))
        axis.setTextPen(pg.mkPen(canvas.text))   # also the axis title's colour
    title = item.titleLabel
    if title.text:
        title.setText(title.text, color=canvas.text)
    for child in item.items:
        if isinstance(child, pg.TextItem):
            child.setColor(canvas.text)
    legend = item.legend
    if legend is not None:
        legend.setLabelTextColor(canvas.text)
        for _sample, label in legend.items:
            label.setText(label.text, color=canvas.text)


def _canvas_key(widget: QWidget) -> tuple[bool, str]:
    """What a canvas is made from: light or dark, and a dark palette's Base (its background)."""
    dark = is_dark(widget)
    return dark, palette_of(widget).color(QPalette.ColorRole.Base).name() if dark else ""


class _PaletteFollower(QObject):
    def __init__(self, widget: QWidget, restyle: Callable[[], None]) -> None:
        super().__init__(widget)
        self._restyle = restyle
        self._key: tuple[bool, str] | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            key = _canvas_key(watched)
            if key != self._key:   # several PaletteChange events per switch (and none that matter to a canvas)
                self._key = key
                self._restyle()
        return False


def follow_palette(widget: QWidget, restyle: Callable[[], None]) -> None:
    """Call ``restyle()`` whenever ``widget``'s palette turns from light to dark or back, or from one dark theme to
    another with another Base (the desktop switched its theme while GenoView runs); nothing per frame."""
    follower = _PaletteFollower(widget, restyle)
    follower._key = _canvas_key(widget)


def title_with_legend(title: str, size_pt: int, entries, text: str = "#222222") -> str:
    """A title with its legend on a line below it: drawn outside the data, so it never crosses the threshold
    (``text``: the legend words' colour, the canvas's)."""
    keys = "&nbsp;&nbsp;&nbsp;".join(f'<span style="color:{color}; font-weight:bold">{mark}</span>&nbsp;{name}'
                                      for mark, color, name in entries)
    return (f'<span style="font-size:{size_pt}pt">{title}</span><br>'
            f'<span style="font-size:{max(8, size_pt - 1)}pt; color:{text}">{keys}</span>')


def set_plot_title(item: pg.PlotItem, title: str, height: int, **style) -> None:
    """A title row tall enough for its text (pyqtgraph fixes it at 30 px, which cuts a two-line title)."""
    item.setTitle(title, **{"color": current().text, **style})
    item.titleLabel.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)
