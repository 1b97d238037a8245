"""The session state the widgets draw from: the open genome, the sequence and region in view, the tracks.

Data flows one way: files -> core objects -> this session -> widgets redraw. Widgets change the view
only through the session's methods and listen to its signals; they never reach into each other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from genoview.core.genome import Genome


@dataclass
class ProbabilityTrack:
    """A per-nucleotide probability track of one sequence; NaN where not predicted (yet)."""

    key: str
    label: str
    seqid: str
    values: np.ndarray
    model_name: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    threshold: float = 0.5
    color: str = "#1f77b4"
    visible: bool = True

    @property
    def complete(self) -> bool:
        return not bool(np.isnan(self.values).any())


class Session(QObject):
    genome_changed = Signal(object)        # Genome | None
    annotation_changed = Signal()          # the genome's features were replaced (annotation opened)
    sequence_changed = Signal(str)         # seqid now shown
    region_changed = Signal(int, int)      # visible [start, end), 0-based half-open
    tracks_changed = Signal()              # a track was added, removed, shown, hidden or moved
    track_style_changed = Signal(str)      # key of a track renamed or recoloured
    track_updated = Signal(str, int, int)  # key, start, end of newly filled values
    threshold_changed = Signal(float)      # the evaluation threshold, shared by panels and tracks
    status_message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.genome: Genome | None = None
        self.seqid: str | None = None
        self.region: tuple[int, int] = (0, 0)
        self.tracks: dict[str, ProbabilityTrack] = {}
        self.threshold: float = 0.5

    # --- genome and sequence -------------------------------------------------
    def set_genome(self, genome: Genome | None) -> None:
        self.genome = genome
        self.seqid, self.region = None, (0, 0)   # the old genome's sequence is not in the new one
        self.tracks.clear()
        self.genome_changed.emit(genome)
        self.tracks_changed.emit()
        if genome is not None and genome.sequences:
            self.set_sequence(next(iter(genome.sequences)))

    def set_annotation(self, features, annotation_path: str) -> None:
        """Attach a freshly read annotation (a FeatureTable) to the open genome; tracks and view stay."""
        if self.genome is None:
            return
        self.genome.features, self.genome.annotation_path = features, annotation_path
        self.annotation_changed.emit()

    def sequence_length(self) -> int:
        if self.genome is None or self.seqid is None:
            return 0
        return self.genome.sequences[self.seqid].length

    def set_sequence(self, seqid: str) -> None:
        if self.genome is None or seqid not in self.genome.sequences:
            return
        self.seqid = seqid
        self.sequence_changed.emit(seqid)
        self.set_region(0, self.sequence_length())

    # --- view ----------------------------------------------------------------
    def set_region(self, start: int, end: int) -> None:
        length = self.sequence_length()
        start, end = int(max(0, min(start, length))), int(max(0, min(end, length)))
        if end <= start:
            end = min(length, start + 1)
        if (start, end) != self.region:
            self.region = (start, end)
            self.region_changed.emit(start, end)

    def navigate_to(self, seqid: str, start: int, end: int) -> None:
        if seqid != self.seqid:
            self.set_sequence(seqid)
        self.set_region(start, end)

    # --- tracks --------------------------------------------------------------
    def add_track(self, track: ProbabilityTrack) -> None:
        self.tracks[track.key] = track
        self.tracks_changed.emit()

    def remove_track(self, key: str) -> None:
        if self.tracks.pop(key, None) is not None:
            self.tracks_changed.emit()

    def set_track_style(self, key: str, *, label: str | None = None, color: str | None = None,
                        visible: bool | None = None) -> None:
        """Rename, recolour, show or hide a track (the track list and the session file do)."""
        track = self.tracks.get(key)
        if track is None:
            return
        if label is not None or color is not None:
            track.label = label if label is not None else track.label
            track.color = color if color is not None else track.color
            self.track_style_changed.emit(key)
        if visible is not None and bool(visible) != track.visible:
            track.visible = bool(visible)
            self.tracks_changed.emit()

    def move_track(self, key: str, position: int) -> None:
        """Put a track at ``position`` in the order tracks are listed and drawn."""
        keys = [k for k in self.tracks if k != key]
        if key not in self.tracks:
            return
        keys.insert(max(0, min(position, len(keys))), key)
        if keys != list(self.tracks):
            ordered = [(k, self.tracks[k]) for k in keys]
            self.tracks.clear()
            self.tracks.update(ordered)
            self.tracks_changed.emit()

    def update_track(self, key: str, start: int, end: int, values: np.ndarray) -> None:
        track = self.tracks.get(key)
        if track is None:
            return
        track.values[start:end] = values
        self.track_updated.emit(key, start, end)

    def set_threshold(self, threshold: float) -> None:
        if threshold != self.threshold:
            self.threshold = float(threshold)
            self.threshold_changed.emit(self.threshold)
