"""Per-nucleotide track files (bedGraph, plain or gzip; bigWig): the one reader, and matching one to a genome.

``read_track`` is what `genoview evaluate --bedgraph` reads and what the window's File ▸ Open track… reads (moved
here from ``cli/evaluate.py`` in session 17 so the window and the CLI share it). ``tracks_for_genome`` keeps the
sequences the open genome has and says, with the file and line, which it does not.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from genoview.core.errors import GenoViewInputError, read_as_text, require_input_file
from genoview.core.io import BIGWIG_MAGIC

TRACK_SUFFIXES = (".bedgraph", ".bg", ".bw", ".bigwig", ".bedgraph.gz", ".bg.gz")


def is_track_file(path: str | os.PathLike) -> bool:
    """A bedGraph or bigWig by its name (a drop onto the window; the reader tells the format by content)."""
    return os.fspath(path).lower().endswith(TRACK_SUFFIXES)


def is_bigwig(path: str | os.PathLike) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) in BIGWIG_MAGIC


def read_track(path: str, lengths: dict[str, int] | None = None, foreign: dict[str, int | None] | None = None,
               genome: str = "the genome") -> dict[str, tuple[int, np.ndarray]]:
    """``{seqid: (start, values)}`` of a bedGraph (plain or gzip, told by content, not by name) or a bigWig
    (told by its magic number): what `genoview predict --bedgraph/--bigwig` writes. Anything else is refused
    with one line (it was a UnicodeDecodeError traceback for a bigWig), and so is a damaged file (a truncated bigWig
    or gzip: pybigtools' "Error opening bigWig." and gzip's EOFError came out as they were, a traceback in the CLI).

    With ``lengths`` (the genome's sequences): only those are read; the file's other names go into ``foreign`` (with
    their first line in a bedGraph, None in a bigWig), and an end past a sequence's end is an error (at its line in
    a bedGraph), before any array as long as that end is made. A damaged gzip or a file of bytes that are not text
    is refused in the words of the other text readers (``errors.read_as_text``)."""
    from genoview.core.inference import read_bedgraph

    path = os.fspath(path)
    require_input_file(path, "a track (bedGraph or bigWig)")   # a folder said "file not found" (File ▸ Open track…)
    try:
        with read_as_text(path, "a bedGraph (a text file of 'seqid start end value' lines) nor a bigWig"):
            if is_bigwig(path):
                return _read_bigwig(path, lengths, foreign, genome)
            return read_bedgraph(path, lengths, foreign, genome)   # plain or gzip, told by content
    except OSError as exc:   # (a damaged gzip is read_as_text's GenoViewInputError by now, not this OSError)
        raise GenoViewInputError(f"cannot be read ({exc.strerror or exc})", path) from None


def _read_bigwig(path: str, lengths, foreign, genome: str) -> dict[str, tuple[int, np.ndarray]]:
    import pybigtools

    from genoview.core.inference import spans_to_tracks

    try:
        with pybigtools.open(path) as bw:
            names = list(bw.chroms())
            if lengths is not None and foreign is not None:
                for seqid in names:
                    if seqid not in lengths:
                        foreign.setdefault(seqid, None)
            rows = {}
            for seqid in names:
                if lengths is not None and seqid not in lengths:
                    continue
                rows[seqid] = list(bw.records(seqid))
    except Exception as exc:   # pybigtools.BBIReadError and the like: "Error opening bigWig."
        if isinstance(exc, GenoViewInputError):
            raise
        raise GenoViewInputError(f"a damaged or incomplete bigWig ({exc}); copy or export it again", path) from None
    if lengths is not None:
        for seqid, spans in rows.items():
            end = max((b for _, b, _ in spans), default=0)
            if end > lengths[seqid]:
                raise GenoViewInputError(
                    f"values for {seqid} reach base {end:,}, past its end in {genome} ({lengths[seqid]:,}); is this "
                    "track for another genome (another assembly version)?", path)
    return spans_to_tracks(rows)


def _names(names, limit: int = 5) -> str:
    names = list(names)
    return ", ".join(names[:limit]) + (f", … ({len(names)} in all)" if len(names) > limit else "")


@dataclass
class GenomeTracks:
    """A track file's values on the genome's sequences: ``values`` {seqid: (start, float32 values)}; ``skipped``:
    the file's sequence names the genome lacks; ``value_range``: (min, max) of the values kept (NaN ignored)."""

    values: dict[str, tuple[int, np.ndarray]]
    skipped: list[str] = field(default_factory=list)
    value_range: tuple[float, float] = (0.0, 1.0)

    @property
    def is_probability(self) -> bool:
        return 0.0 <= self.value_range[0] and self.value_range[1] <= 1.0


def tracks_for_genome(path: str, lengths: dict[str, int], genome: str = "the open genome") -> GenomeTracks:
    """Read a track file and keep the sequences ``lengths`` has. None of its names matching, or values past a
    sequence's end, are ``GenoViewInputError``s naming the file and line, the names expected and the names found."""
    path = os.fspath(path)
    foreign: dict[str, int | None] = {}   # the file's names the genome lacks: their values are never read
    kept = read_track(path, lengths, foreign, genome)
    skipped = list(foreign)
    if not kept and not skipped:
        raise GenoViewInputError("holds no values (no 'seqid start end value' lines); is it empty?", path)
    if not kept:
        first = skipped[0]
        error = GenoViewInputError(
            f"its sequence names ({_names(skipped)}) are not those of {genome} ({_names(lengths)}); is this track "
            "for another genome? Open its genome, or rename the first column to the genome's names",
            path, foreign[first])
        error.skipped = skipped
        raise error
    finite = [v[np.isfinite(v)] for _, v in kept.values()]
    finite = [v for v in finite if len(v)]
    value_range = ((float(min(v.min() for v in finite)), float(max(v.max() for v in finite))) if finite
                   else (0.0, 1.0))
    return GenomeTracks(kept, skipped, value_range)
