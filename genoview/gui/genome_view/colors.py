"""Track colours that belong to a model, not to the order tracks were added in.

Prodigal's track is the same colour whether it is alone or the third one; a second track whose model
hashes to a colour already shown takes the next free one. The user can still recolour any track.
"""
from __future__ import annotations

import zlib
from typing import Iterable

TRACK_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def track_color(model_label: str, used: Iterable[str] = ()) -> str:
    """The colour of ``model_label``'s track: fixed by its name, skipping colours in ``used`` while others are free."""
    taken = {color.lower() for color in used}
    first = zlib.crc32(model_label.encode("utf-8")) % len(TRACK_COLORS)
    for step in range(len(TRACK_COLORS)):
        color = TRACK_COLORS[(first + step) % len(TRACK_COLORS)]
        if color not in taken:
            return color
    return TRACK_COLORS[first]
