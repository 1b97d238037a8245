"""Run a TrackModel over any region: tile, batch, stitch per-nucleotide probabilities; write tracks out.

Tiles sit on a fixed grid of the model's ``chunk_size`` counted from base 0 of the sequence, each read
with ``context`` bases of real flank on both sides (N beyond the sequence ends), and only the centre of
each prediction is kept. So a base's probability does not depend on which region was asked for (no
seams, and predicting a region at once or in pieces gives the same values). Memory holds the output
array and one batch of tiles, so chromosomes of any length stream through.
"""
from __future__ import annotations

import io
import os
from typing import Callable, Iterable

import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress

N_CODE = 4
OnTile = Callable[[int, int, np.ndarray], None]


def _window_codes(record, start: int, end: int) -> np.ndarray:
    """Base codes of record[start:end], with N where the window runs past either end of the sequence."""
    from genoview.core.genome import encode

    codes = np.full(end - start, N_CODE, dtype=np.uint8)
    lo, hi = max(start, 0), min(end, record.length)
    if hi > lo:
        codes[lo - start:hi - start] = encode(record.fetch(lo, hi))
    return codes


def _use_device(model, device: str | None) -> None:
    if device is None:
        return
    from genoview.core.device import pick_device

    device = pick_device(device)
    module = getattr(model, "model", None)
    if device != model.device and module is not None and hasattr(module, "to"):
        module.to(device)
        model.device = device


def predict_region(model, record, start: int = 0, end: int | None = None, *, batch_size: int | None = None,
                   device: str | None = None, progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None, on_tile: OnTile | None = None) -> np.ndarray:
    """Genic probability (float32) of every base of ``record[start:end]`` under ``model``.

    ``on_tile(tile_start, tile_end, probs)`` receives each finished piece (sequence coordinates) as it
    comes; ``cancel`` is checked between batches and raises :class:`~genoview.core.errors.Cancelled`.
    """
    end = record.length if end is None else end
    if not 0 <= start < end <= record.length:
        raise GenoViewInputError(
            f"region {start + 1}-{end} is outside {record.id} (1-{record.length}); choose a region inside it"
        )
    progress = ensure_progress(progress)
    cancel = ensure_cancel(cancel)
    if getattr(model, "whole_sequence", False):
        probs = np.asarray(model.predict_record(record, start, end, progress=progress, cancel=cancel), dtype=np.float32)
        if on_tile is not None:
            on_tile(start, end, probs)
        progress(1.0, None)
        return probs

    import torch  # only chunked (neural) models need it; Prodigal runs without loading torch

    _use_device(model, device)
    chunk, context = int(model.chunk_size), int(model.context)
    batch_size = int(batch_size or model.default_batch_size)
    first, last = start // chunk, (end - 1) // chunk
    out = np.empty(end - start, dtype=np.float32)
    tiles = list(range(first, last + 1))
    with torch.inference_mode():
        for b in range(0, len(tiles), batch_size):
            cancel.check()
            batch = tiles[b:b + batch_size]
            codes = np.stack([_window_codes(record, t * chunk - context, (t + 1) * chunk + context) for t in batch])
            probs = np.asarray(model.predict_chunk(codes), dtype=np.float32)
            for t, tile_probs in zip(batch, probs):
                lo, hi = max(t * chunk, start), min((t + 1) * chunk, end)
                piece = tile_probs[lo - t * chunk:hi - t * chunk]
                out[lo - start:hi - start] = piece
                if on_tile is not None:
                    on_tile(lo, hi, piece)
            progress(min(b + batch_size, len(tiles)) / len(tiles), None)
    cancel.check()
    return out


def _value_strings(precision: int) -> list[str]:
    return [f"{i / 10**precision:.{precision}f}" for i in range(10**precision + 1)]


def write_bedgraph(path_or_file, seqid: str, start: int, probs: np.ndarray, precision: int = 4,
                   track_line: str | None = None) -> int:
    """Write probabilities as bedGraph (0-based, half-open), merging runs of equal rounded values.

    ``path_or_file``: a path (``.gz`` compresses) or an open text file to append to. Returns the
    number of data lines written. NaN (no prediction) bases are left out.
    """
    probs = np.asarray(probs, dtype=np.float64)
    steps = np.round(np.clip(probs, 0.0, 1.0) * 10**precision)
    steps = np.where(np.isnan(probs), -1, steps).astype(np.int64)
    if steps.size == 0:
        return 0
    cuts = np.flatnonzero(np.diff(steps)) + 1
    run_starts = np.concatenate(([0], cuts))
    run_ends = np.concatenate((cuts, [steps.size]))
    values = steps[run_starts]
    keep = values >= 0
    run_starts, run_ends, values = run_starts[keep] + start, run_ends[keep] + start, values[keep]
    names = _value_strings(precision)
    prefix = f"{seqid}\t"
    text = "".join(f"{prefix}{a}\t{b}\t{names[v]}\n" for a, b, v in zip(run_starts.tolist(), run_ends.tolist(), values.tolist()))
    if track_line:
        text = track_line.rstrip("\n") + "\n" + text
    if isinstance(path_or_file, io.TextIOBase) or hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        path = os.fspath(path_or_file)
        if path.endswith(".gz"):
            import gzip

            with gzip.open(path, "wt", compresslevel=3) as handle:
                handle.write(text)
        else:
            with open(path, "w") as handle:
                handle.write(text)
    return int(values.size)


def read_bedgraph(path: str | os.PathLike) -> dict[str, tuple[int, np.ndarray]]:
    """Read a bedGraph into ``{seqid: (start, values)}``; values are float32, NaN where not covered."""
    import gzip

    path = os.fspath(path)
    rows: dict[str, list[tuple[int, int, float]]] = {}
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith(("track", "browser", "#")):
                continue
            cols = line.split()
            try:
                seqid, a, b, value = cols[0], int(cols[1]), int(cols[2]), float(cols[3])
            except (IndexError, ValueError):
                raise GenoViewInputError(
                    "expected 4 columns 'seqid start end value'; fix or remove this line", path, number
                ) from None
            if b < a:
                raise GenoViewInputError(f"end {b} is before start {a}; fix the coordinates", path, number)
            rows.setdefault(seqid, []).append((a, b, value))
    tracks = {}
    for seqid, spans in rows.items():
        lo = min(a for a, _, _ in spans)
        values = np.full(max(b for _, b, _ in spans) - lo, np.nan, dtype=np.float32)
        for a, b, value in spans:
            values[a - lo:b - lo] = value
        tracks[seqid] = (lo, values)
    return tracks


def runs_above(values: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Starts and ends (0-based half-open, int64) of the runs with value >= ``threshold``; NaN counts as below."""
    above = np.zeros(len(values) + 2, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        above[1:-1] = np.asarray(values) >= threshold
    edges = np.flatnonzero(np.diff(above))
    return edges[0::2].astype(np.int64), edges[1::2].astype(np.int64)


def predicted_genes(probs: np.ndarray, threshold: float = 0.5, min_length: int = 60) -> list[tuple[int, int]]:
    """Runs of bases with probability >= ``threshold`` at least ``min_length`` long, as (start, end) indices."""
    starts, ends = runs_above(probs, threshold)
    keep = ends - starts >= min_length
    return list(zip(starts[keep].tolist(), ends[keep].tolist()))


def write_gene_gff(path_or_file, seqid: str, intervals: Iterable[tuple[int, int]], offset: int = 0,
                   source: str = "GenoView", scores: Iterable[float] | None = None) -> int:
    """Write predicted genic runs as GFF3 ``gene`` features (1-based, closed); returns the feature count."""
    lines = ["##gff-version 3"]
    score_list = list(scores) if scores is not None else None
    count = 0
    for i, (a, b) in enumerate(intervals):
        score = f"{score_list[i]:.3f}" if score_list is not None else "."
        lines.append(f"{seqid}\t{source}\tgene\t{a + offset + 1}\t{b + offset}\t{score}\t.\t.\t"
                     f"ID={seqid}_pred{i + 1};Name=pred{i + 1}")
        count += 1
    text = "\n".join(lines) + "\n"
    if hasattr(path_or_file, "write"):
        path_or_file.write(text)
    else:
        with open(path_or_file, "w") as handle:
            handle.write(text)
    return count
