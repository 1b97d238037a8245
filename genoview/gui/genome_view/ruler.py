"""The genomic axis: ticks on whole bases, labelled with the 1-based positions users read."""
from __future__ import annotations

import pyqtgraph as pg


def position_label(position: int, spacing: float) -> str:
    """'1,234,567' for a 1-based position; whole megabases read as '2 Mb' when ticks are that far apart."""
    if spacing >= 1_000_000 and position % 1_000_000 == 0:
        return f"{position // 1_000_000:,} Mb"
    return f"{position:,}"


class GenomicAxis(pg.AxisItem):
    """An x axis over 0-based base coordinates whose ticks sit on base centres and read as 1-based positions.

    Base ``i`` (0-based) covers ``[i, i + 1)``; its 1-based position ``i + 1`` is drawn at ``x = i + 0.5``.
    """

    def __init__(self, orientation: str = "bottom", **kwargs) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        # a fixed size: otherwise every new tick label width re-lays out all rows during a pan
        self.setStyle(autoExpandTextSpace=False, autoReduceTextSpace=False)
        if orientation in ("top", "bottom"):
            self.setHeight(26)

    def tickValues(self, minVal: float, maxVal: float, size: float):
        levels = []
        for spacing, values in super().tickValues(minVal + 0.5, maxVal + 0.5, size):
            if spacing < 1:
                continue  # no ticks between bases
            ticks = [v - 0.5 for v in values if v >= 1 and float(v).is_integer()]
            levels.append((spacing, ticks))
        return levels

    def tickStrings(self, values, scale, spacing):
        return [position_label(int(round(v + 0.5)), spacing) for v in values]
