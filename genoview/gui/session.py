"""The session state the widgets draw from: the open genome, the sequence and region in view, the tracks.

Data flows one way: files -> core objects -> this session -> widgets redraw. Widgets change the view
only through the session's methods and listen to its signals; they never reach into each other.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from genoview.core.genome import Genome
from genoview.core.tracks import SparseTrack


class TrackValues:
    """A track's values: call ``values(start, end)`` for float32 with NaN where not predicted.

    Also reads like the whole-sequence array tracks used to be (``len``, slicing, slice assignment,
    ``np.asarray``) so code written for that keeps working; ``np.asarray`` materialises the whole
    sequence, which new code avoids (use ``values(start, end)`` and ``predicted_intervals()``).
    """

    dtype = np.dtype(np.float32)
    ndim = 1

    def __init__(self, storage: SparseTrack) -> None:
        self.storage = storage

    def __call__(self, start: int = 0, end: int | None = None) -> np.ndarray:
        return self.storage.values(start, end)

    def __len__(self) -> int:
        return self.storage.length

    @property
    def shape(self) -> tuple[int]:
        return (self.storage.length,)

    def _span(self, key: slice) -> tuple[int, int, int]:
        return key.indices(self.storage.length)

    def __getitem__(self, key):
        if isinstance(key, slice):
            start, stop, step = self._span(key)
            values = self.storage.values(start, max(start, stop)) if step > 0 else np.asarray(self)[key]
            return values[::step] if step > 1 else values
        if isinstance(key, (int, np.integer)):
            index = int(key) + (self.storage.length if key < 0 else 0)
            return self.storage.values(index, index + 1)[0]
        return np.asarray(self)[key]

    def __setitem__(self, key, value) -> None:
        if not isinstance(key, slice) or key.step not in (None, 1):
            full = np.asarray(self).copy()
            full[key] = value
            self.storage.clear()
            self.storage.set(0, full)
            return
        start, stop, _ = self._span(key)
        if stop <= start:
            return
        value = np.asarray(value, dtype=np.float32)
        if value.ndim == 0:
            if np.isnan(value):
                self.storage.clear(start, stop)
                return
            value = np.full(stop - start, value, dtype=np.float32)
        self.storage.set(start, value)

    def copy(self) -> np.ndarray:
        return np.asarray(self)

    def astype(self, dtype) -> np.ndarray:
        return np.asarray(self).astype(dtype)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        values = self.storage.values(0, self.storage.length)
        return values if dtype is None else values.astype(dtype)


class ProbabilityTrack:
    """A per-nucleotide probability track of one sequence; NaN where not predicted (yet).

    Storage is :class:`~genoview.core.tracks.SparseTrack`: only predicted blocks, as uint16 codes
    (nothing visible is lost), so a 1 Mb region of a 250 Mb chromosome costs 2 MB, not 1 GB.
    ``values`` may be given as an array (quantised into the storage) or left out with ``length``.
    """

    def __init__(self, key: str, label: str, seqid: str, values: np.ndarray | None = None, model_name: str = "",
                 params: dict[str, Any] | None = None, threshold: float = 0.5, color: str = "#1f77b4",
                 visible: bool = True, length: int | None = None) -> None:
        if values is None and length is None:
            raise ValueError("give the track's values or its sequence length")
        self.key, self.label, self.seqid = key, label, seqid
        self.model_name, self.params = model_name, dict(params or {})
        self.threshold, self.color, self.visible = threshold, color, visible
        self.storage = SparseTrack(len(values) if values is not None else int(length))
        if values is not None:
            self.storage.set_known(0, values)   # not-predicted runs (NaN) take no room
        self.values = TrackValues(self.storage)

    @property
    def length(self) -> int:
        return self.storage.length

    def predicted_intervals(self) -> list[tuple[int, int]]:
        """(start, end) runs of bases holding values, sorted."""
        return self.storage.predicted_intervals()

    @property
    def complete(self) -> bool:
        return self.storage.is_complete()


class Session(QObject):
    genome_changed = Signal(object)        # Genome | None
    annotation_changed = Signal()          # the genome's features were replaced (annotation opened)
    sequence_changed = Signal(str)         # seqid now shown
    region_changed = Signal(int, int)      # visible [start, end), 0-based half-open
    tracks_changed = Signal()              # a track was added, removed, shown, hidden or moved
    track_style_changed = Signal(str)      # key of a track renamed or recoloured
    track_updated = Signal(str, int, int)  # key, start, end of newly filled values
    threshold_changed = Signal(float)      # the evaluation threshold, shared by panels and tracks
    selection_changed = Signal(object, int, int)   # seqid (None: nothing selected), start, end of the selected bases
    status_message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.genome: Genome | None = None
        self.seqid: str | None = None
        self.region: tuple[int, int] = (0, 0)
        self.tracks: dict[str, ProbabilityTrack] = {}
        self.threshold: float = 0.5
        self.selection: tuple[str, int, int] | None = None

    # --- genome and sequence -------------------------------------------------
    def set_genome(self, genome: Genome | None) -> None:
        self.genome = genome
        self.seqid, self.region = None, (0, 0)   # the old genome's sequence is not in the new one
        self.tracks.clear()
        self.set_selection(None)
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

    def set_selection(self, seqid: str | None, start: int = 0, end: int = 0) -> None:
        """The bases the user selected (a clicked feature), offered by the evaluation panel as its scope "Selection"."""
        selection = (seqid, int(start), int(end)) if seqid is not None and end > start else None
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(*(selection or (None, 0, 0)))

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
        """Store ``values`` (float32, or uint16 codes of core.tracks) over [start, end) and announce it."""
        track = self.tracks.get(key)
        if track is None:
            return
        values = np.asarray(values)
        if values.dtype == np.uint16:
            track.storage.set_codes(start, values[:end - start])
        else:
            track.storage.set(start, values[:end - start])
        self.track_updated.emit(key, start, end)

    def set_threshold(self, threshold: float) -> None:
        if threshold != self.threshold:
            self.threshold = float(threshold)
            self.threshold_changed.emit(self.threshold)
