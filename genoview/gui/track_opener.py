"""File ▸ Open track…: a bedGraph or bigWig (one GenoView exported, a colleague's, another tool's) shown as a track.

The file is read on a background thread with core's one track reader (``core.track_files``, also `genoview evaluate
--bedgraph`'s), the tracks made there too; the GUI thread only adds them to the session, where they are rows like a
prediction's (the track list renames, recolours and removes them; the evaluation panel scores them; sessions
remember the file). Values outside 0..1 are stored scaled from their range to 0..1 (``value_range``): the row's
axis says the file's numbers.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from genoview.gui.session import ProbabilityTrack

FILE_FILTER = ("Tracks (*.bedGraph *.bedgraph *.bg *.bw *.bigWig *.bigwig *.bedGraph.gz *.bedgraph.gz *.bg.gz);;"
               "All files (*)")


def track_key(path: str, seqid: str) -> str:
    """The session key of a track file's track on ``seqid``: what the evaluation panel's Track list shows."""
    return f"{Path(path).name} @ {seqid}"


def free_key(tracks: dict, track: ProbabilityTrack) -> str:
    """``track``'s key, or, when another file or a model's track holds it (two folders' ``track.bedGraph``), the
    same with the file's folder name added, then a number."""
    key, n = track.key, 1
    path = Path(track.source_path)
    while key in tracks and getattr(tracks[key], "source_path", "") != track.source_path:
        n += 1
        key = f"{path.name} ({path.parent.name}{f' {n - 1}' if n > 2 else ''}) @ {track.seqid}"
    return key


@dataclass
class OpenedTrack:
    """What the worker hands back: the tracks to add, the file's names the genome lacks, the value range."""

    path: str
    tracks: list[ProbabilityTrack]
    skipped: list[str] = field(default_factory=list)
    value_range: tuple[float, float] = (0.0, 1.0)
    scaled: bool = False


def load_track_file(path: str, genome, threshold: float = 0.5, color: str = "#1f77b4",
                    label: str | None = None) -> OpenedTrack:
    """Worker-thread part of File ▸ Open track…: read the file, keep the genome's sequences, make the tracks."""
    from genoview.core.track_files import tracks_for_genome

    path = os.fspath(path)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    from genoview.gui.dialogs.files import display_name

    name = display_name(genome.path) if getattr(genome, "path", None) else "the open genome"
    found = tracks_for_genome(path, lengths, genome=name)
    lo, hi = found.value_range
    scaled = not found.is_probability
    tracks = []
    for seqid, (start, values) in found.values.items():
        if scaled:   # a colleague's track need not be a probability: drawn from its min to its max
            values = (values - np.float32(lo)) / np.float32(hi - lo if hi > lo else 1.0)
        full = ProbabilityTrack(key=track_key(path, seqid), label=label or Path(path).name, seqid=seqid,
                                length=lengths[seqid], threshold=threshold, color=color)
        full.storage.set_known(start, values)   # the file's gaps (NaN) stay gaps and take no room
        full.source_path = os.path.abspath(path)
        full.value_range = (lo, hi) if scaled else None
        tracks.append(full)
    return OpenedTrack(path, tracks, found.skipped, (lo, hi), scaled)


def opened_words(opened: OpenedTrack) -> str:
    """The status line after a track file opened: what was skipped first (a narrow window elides the end), then how
    many sequences, and the range if scaled."""
    name = Path(opened.path).name
    n = len(opened.tracks)
    words = f"{name}: "
    if opened.skipped:
        shown = ", ".join(opened.skipped[:5]) + (f", … ({len(opened.skipped)} in all)" if len(opened.skipped) > 5 else "")
        words += f"skipped {shown} (not in the open genome); "
    words += f"a track on {n} sequence{'s' * (n != 1)}"
    if opened.scaled:
        words += (f"; values {opened.value_range[0]:.4g} to {opened.value_range[1]:.4g} (not probabilities), drawn "
                  "scaled to the row")
    return words
