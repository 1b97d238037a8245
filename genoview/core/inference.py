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


def check_batch_size(batch_size) -> int | None:
    """``batch_size`` as an int >= 1 (None keeps the model's own); anything else is an input error."""
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise GenoViewInputError(f"batch size {batch_size!r} is not a whole number >= 1; give --batch-size 1 or more")
    return int(batch_size)


def tile_batches(model, start: int, end: int, batch_size: int | None = None) -> list[list[int]]:
    """The tile numbers of [start, end) on the model's grid, grouped in batches (the unit of work and of sharding)."""
    chunk = int(model.chunk_size)
    batch_size = check_batch_size(batch_size) or int(model.default_batch_size)
    tiles = list(range(start // chunk, (end - 1) // chunk + 1))
    return [tiles[b:b + batch_size] for b in range(0, len(tiles), batch_size)]


def tile_span(model, tile: int, end: int) -> int:
    """Bases of tile ``tile`` (before its flanks) the model reads in a sequence of ``end`` bases.

    A model that reads tiles of any length (``any_length``: a convolution whose ``context`` covers its
    whole reach) gets only the part of the tile up to the sequence's end, rounded up to its ``tile_multiple``:
    a 1 kb contig then costs 1 kb plus the flanks, not a whole ``chunk_size`` tile of N. Every kept base
    still has ``context`` bases of flank, so its value is the one the full tile gives (the tile's start,
    and with it the reading frames and any pooling grid, does not move). Other models get whole tiles.
    ``end`` is the SEQUENCE's end, never a region's: beyond it the full tile reads only N, so the value is the
    full tile's bit for bit; a tile cut at a region's end changed GeneCNN's values by up to 7.5e-5 (its reverse
    strand's float32 running sums start at the tile's end), so a base's value depended on the region asked.
    """
    chunk = int(model.chunk_size)
    if not getattr(model, "any_length", False):
        return chunk
    multiple = max(1, int(getattr(model, "tile_multiple", 1)))
    need = min(chunk, end - tile * chunk)
    return min(chunk, -(-need // multiple) * multiple)


def predict_batch(model, record, start: int, end: int, batch: list[int]) -> list[tuple[int, int, np.ndarray]]:
    """(tile_start, tile_end, float32 probs) of each tile of ``batch``, clipped to [start, end).

    A tile running past the sequence's end is cut there (``tile_span``); tiles of different spans are run apart.
    """
    chunk, context = int(model.chunk_size), int(model.context)
    spans = [tile_span(model, t, int(record.length)) for t in batch]
    by_tile = {}
    for span in dict.fromkeys(spans):
        group = [t for t, s in zip(batch, spans) if s == span]
        codes = np.stack([_window_codes(record, t * chunk - context, t * chunk + span + context) for t in group])
        by_tile.update(zip(group, np.asarray(model.predict_chunk(codes), dtype=np.float32)))
    pieces = []
    for t in batch:
        lo, hi = max(t * chunk, start), min((t + 1) * chunk, end)
        pieces.append((lo, hi, by_tile[t][lo - t * chunk:hi - t * chunk]))
    return pieces


def iter_tiles(model, record, start: int = 0, end: int | None = None, *, batch_size: int | None = None,
               device: str | None = None, cancel: CancelToken | None = None, shard: tuple[int, int] = (0, 1),
               progress=None):
    """Yield ``(fraction_done, [(tile_start, tile_end, float32 probs), ...])`` batch by batch, in order.

    ``progress`` (optional ``(fraction, message)``) hears a whole-sequence model's stages while it works
    between two yields (GeneORF: ORFs, self-training, choosing genes, RNA genes); it changes no value.

    ``shard=(rank, world)`` keeps every ``world``-th batch from ``rank`` (distributed prediction: batches
    are composed exactly as in one process, so the values are identical). ``cancel`` is checked
    between batches. Whole-sequence models (Prodigal) yield one piece for the region.
    """
    end = record.length if end is None else end
    if not 0 <= start < end <= record.length:
        raise GenoViewInputError(
            f"region {start + 1}-{end} is outside {record.id} (1-{record.length}); choose a region inside it"
        )
    cancel = ensure_cancel(cancel)
    rank, world = shard
    if getattr(model, "whole_sequence", False):
        cancel.check()
        if rank == 0 and hasattr(model, "iter_record"):   # pieces as they are ready (GeneORF: chunk by chunk)
            kwargs = {"progress": progress} if progress is not None else {}
            for fraction, pieces in model.iter_record(record, start, end, cancel=cancel, **kwargs):
                yield fraction, [(lo, hi, np.asarray(v, dtype=np.float32)) for lo, hi, v in pieces]
        elif rank == 0:
            probs = np.asarray(model.predict_record(record, start, end, cancel=cancel), dtype=np.float32)
            yield 1.0, [(start, end, probs)]
        return

    import torch  # only chunked (neural) models need it; Prodigal runs without loading torch

    _use_device(model, device)
    batches = tile_batches(model, start, end, batch_size)
    with torch.inference_mode():
        for b, batch in enumerate(batches):
            if b % world != rank:
                continue
            cancel.check()
            yield (b + 1) / len(batches), predict_batch(model, record, start, end, batch)
    cancel.check()


def predict_region(model, record, start: int = 0, end: int | None = None, *, batch_size: int | None = None,
                   device: str | None = None, progress: ProgressCallback | None = None,
                   cancel: CancelToken | None = None, on_tile: OnTile | None = None) -> np.ndarray:
    """Genic probability (float32) of every base of ``record[start:end]`` under ``model``, at full precision.

    The low-level loop (no cache, no outputs, no run record): applications go through
    :mod:`genoview.core.prediction`. ``on_tile(tile_start, tile_end, probs)`` receives each finished piece.
    """
    end = record.length if end is None else end
    progress = ensure_progress(progress)
    out = None
    for fraction, pieces in iter_tiles(model, record, start, end, batch_size=batch_size, device=device,
                                       cancel=cancel):
        if out is None:
            out = np.empty(end - start, dtype=np.float32)
        for lo, hi, piece in pieces:
            out[lo - start:hi - start] = piece
            if on_tile is not None:
                on_tile(lo, hi, piece)
        progress(fraction, None)
    progress(1.0, None)
    return out


def _value_strings(precision: int) -> list[str]:
    return [f"{i / 10**precision:.{precision}f}" for i in range(10**precision + 1)]


WRITE_SLICE = 1 << 16   # bases formatted at a time by the streaming writers


class RunMerger:
    """Turns values arriving tile by tile (in order) into runs of equal values rounded to ``precision``
    decimals, across tile edges; NaN (not predicted) runs are dropped. ``add`` returns the runs completed
    so far as (seqid, starts, ends, steps) arrays; ``flush`` the last open one."""

    def __init__(self, precision: int = 4) -> None:
        self.precision = precision
        self._open: tuple[str, int, int, int] | None = None   # seqid, start, end, step (-1 = NaN)

    def add(self, seqid: str, start: int, values: np.ndarray):
        values = np.asarray(values, dtype=np.float64)
        if values.size == 0:
            return None
        steps = np.round(np.clip(values, 0.0, 1.0) * 10**self.precision)
        steps = np.where(np.isnan(values), -1, steps).astype(np.int64)
        cuts = np.flatnonzero(np.diff(steps)) + 1
        run_starts = np.concatenate(([0], cuts)) + start
        run_ends = np.concatenate((cuts + start, [start + steps.size]))
        run_steps = steps[np.concatenate(([0], cuts))]
        if self._open is not None:
            o_seqid, o_start, o_end, o_step = self._open
            if o_seqid == seqid and o_end == start and o_step == run_steps[0]:
                run_starts[0] = o_start
                self._open = None
        done = self._flush_open()
        self._open = (seqid, int(run_starts[-1]), int(run_ends[-1]), int(run_steps[-1]))
        keep = run_steps[:-1] >= 0
        block = (seqid, run_starts[:-1][keep], run_ends[:-1][keep], run_steps[:-1][keep])
        return [done, block] if done is not None else [block]

    def _flush_open(self):
        if self._open is None:
            return None
        seqid, a, b, step = self._open
        self._open = None
        if step < 0:
            return None
        return (seqid, np.array([a]), np.array([b]), np.array([step]))

    def flush(self):
        done = self._flush_open()
        return [done] if done is not None else []


class BedGraphWriter:
    """Streams probabilities into a bedGraph text file as they come (nothing but one tile's text in memory).

    ``add(seqid, start, values)`` in order; runs of equal rounded values merge, also across tiles. With
    ``background=True`` the formatting and writing run on a thread of their own (bounded queue), beside
    the model, which spends its time in torch with the GIL released.
    """

    def __init__(self, handle, precision: int = 4, track_line: str | None = None, background: bool = False) -> None:
        self.handle = handle
        self.merger = RunMerger(precision)
        self.names = np.array([v + "\n" for v in _value_strings(precision)], dtype=object)
        self.lines = 0
        if track_line:
            handle.write(track_line.rstrip("\n") + "\n")
        self._queue = self._thread = self._error = None
        if background:
            import queue
            import threading

            self._queue = queue.Queue(maxsize=8)
            self._thread = threading.Thread(target=self._drain, name="bedgraph-writer", daemon=True)
            self._thread.start()

    def _drain(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is None:
                try:
                    self._add_now(*item)
                except BaseException as exc:  # noqa: BLE001 - raised in the producing thread by close()
                    self._error = exc

    def add(self, seqid: str, start: int, values: np.ndarray) -> None:
        if self._queue is None:
            self._add_now(seqid, start, values)
            return
        if self._error is not None:
            raise self._error
        self._queue.put((seqid, start, values))

    def _add_now(self, seqid: str, start: int, values: np.ndarray) -> None:
        for a in range(0, len(values), WRITE_SLICE):   # bounded memory whatever the piece's size
            for block in self.merger.add(seqid, start + a, values[a:a + WRITE_SLICE]) or ():
                self._write(*block)

    def close(self) -> int:
        self.abort()
        if self._error is not None:
            raise self._error
        for block in self.merger.flush():
            self._write(*block)
        return self.lines

    def abort(self) -> None:
        """Stop the background thread, if any (what it had queued is written first)."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _write(self, seqid: str, starts: np.ndarray, ends: np.ndarray, steps: np.ndarray) -> None:
        n = len(starts)
        if n == 0:
            return
        # one str() per number and a single join: ~3x faster than formatting each line in Python
        parts = [None] * (4 * n)
        parts[0::4] = [seqid] * n
        parts[1::4] = list(map(str, starts.tolist()))
        parts[2::4] = list(map(str, ends.tolist()))
        parts[3::4] = self.names[steps].tolist()
        text = "\t".join(parts).replace("\n\t", "\n")
        self.handle.write(text)
        self.lines += n


class BigWigWriter:
    """Streams probabilities into a bigWig as they come; ``seqids`` with their lengths, in the order they
    will be written. Runs of equal values rounded to ``precision`` decimals, as bedGraph.

    pybigtools (the Rust bigtools) builds the data and zoom levels in bounded memory (pyBigWig holds
    every zoom record until close: 1.3 GB for a 250 Mb chromosome). Its writer pulls records from an
    iterator, so it runs on a thread of its own fed through a small bounded queue.
    """

    def __init__(self, path: str | os.PathLike, seqids: list[tuple[str, int]], precision: int = 4) -> None:
        import queue
        import threading

        try:
            import pybigtools
        except ImportError as exc:   # pragma: no cover - a declared dependency
            raise GenoViewInputError("bigWig output needs the pybigtools package: pip install pybigtools") from exc
        self.path = os.fspath(path)
        self.merger = RunMerger(precision)
        self.scale = 10.0**precision
        self.lines = 0
        self._queue: queue.Queue = queue.Queue(maxsize=4)
        self._error: BaseException | None = None
        self._closed = False
        handle = pybigtools.open(self.path, "w")
        chroms = {str(s): int(n) for s, n in seqids}
        self._thread = threading.Thread(target=self._write_all, args=(handle, chroms), name="bigwig-writer",
                                        daemon=True)
        self._thread.start()

    def _records(self):
        from itertools import repeat

        while True:
            block = self._queue.get()
            if block is None:
                return
            seqid, starts, ends, values = block
            yield from zip(repeat(seqid), starts, ends, values)

    def _write_all(self, handle, chroms) -> None:
        try:
            handle.write(chroms, self._records())
        except BaseException as exc:  # noqa: BLE001 - handed to the producing thread
            self._error = exc
            while self._queue.get() is not None:   # let a producer blocked on the queue go on to fail
                pass

    def _put(self, item) -> None:
        import queue

        while True:
            if self._error is not None:
                raise GenoViewInputError(f"writing the bigWig failed: {self._error}", self.path)
            try:
                self._queue.put(item, timeout=0.5)
                return
            except queue.Full:
                if not self._thread.is_alive():
                    raise GenoViewInputError("the bigWig writer stopped", self.path) from self._error

    def add(self, seqid: str, start: int, values: np.ndarray) -> None:
        for a in range(0, len(values), WRITE_SLICE):
            for block in self.merger.add(seqid, start + a, values[a:a + WRITE_SLICE]) or ():
                self._write(*block)

    def close(self) -> int:
        for block in self.merger.flush():
            self._write(*block)
        self._closed = True
        self._put(None)
        self._thread.join()
        if self._error is not None:
            raise GenoViewInputError(f"writing the bigWig failed: {self._error}", self.path)
        return self.lines

    def abort(self) -> None:
        """Stop the writer thread (the caller removes the file)."""
        if not self._closed:
            self._closed = True
            try:
                self._put(None)
            except GenoViewInputError:
                pass
            self._thread.join(timeout=30)

    def _write(self, seqid: str, starts: np.ndarray, ends: np.ndarray, steps: np.ndarray) -> None:
        if len(starts):
            self._put((seqid, starts.tolist(), ends.tolist(), (steps.astype(np.float64) / self.scale).tolist()))
            self.lines += len(starts)


class GeneCaller:
    """Runs of values >= ``threshold`` at least ``min_length`` long, found tile by tile (in order)."""

    def __init__(self, threshold: float = 0.5, min_length: int = 60) -> None:
        self.threshold, self.min_length = threshold, min_length
        self.genes: dict[str, list[tuple[int, int]]] = {}
        self._open: tuple[str, int, int] | None = None   # seqid, start, end of a run reaching the last tile's end

    def add(self, seqid: str, start: int, values: np.ndarray) -> None:
        starts, ends = runs_above(values, self.threshold)
        starts, ends = (starts + start).tolist(), (ends + start).tolist()
        if self._open is not None:
            o_seqid, o_start, o_end = self._open
            if starts and o_seqid == seqid and o_end == start and starts[0] == start:
                starts[0] = o_start
            else:
                self._close(*self._open)
            self._open = None
        if starts and ends[-1] == start + len(values):
            self._open = (seqid, starts.pop(), ends.pop())
        for a, b in zip(starts, ends):
            self._close(seqid, a, b)

    def _close(self, seqid: str, a: int, b: int) -> None:
        if b - a >= self.min_length:
            self.genes.setdefault(seqid, []).append((a, b))

    def finish(self) -> dict[str, list[tuple[int, int]]]:
        if self._open is not None:
            self._close(*self._open)
            self._open = None
        return self.genes


def write_bedgraph(path_or_file, seqid: str, start: int, probs: np.ndarray, precision: int = 4,
                   track_line: str | None = None) -> int:
    """Write probabilities as bedGraph (0-based, half-open), merging runs of equal rounded values.

    ``path_or_file``: a path (``.gz`` compresses) or an open text file to append to. Returns the
    number of data lines written. NaN (no prediction) bases are left out.
    """
    def write(handle) -> int:
        writer = BedGraphWriter(handle, precision, track_line)
        probs_ = np.asarray(probs)
        for a in range(0, len(probs_), 1 << 20):
            writer.add(seqid, start + a, probs_[a:a + (1 << 20)])
        return writer.close()

    if isinstance(path_or_file, io.TextIOBase) or hasattr(path_or_file, "write"):
        return write(path_or_file)
    path = os.fspath(path_or_file)
    if path.endswith(".gz"):
        import gzip

        with gzip.open(path, "wt", compresslevel=3) as handle:
            return write(handle)
    with open(path, "w") as handle:
        return write(handle)


def read_bedgraph(path: str | os.PathLike, lengths: dict[str, int] | None = None, foreign: dict[str, int] | None = None,
                  genome: str = "the genome") -> dict[str, tuple[int, np.ndarray]]:
    """Read a bedGraph into ``{seqid: (start, values)}``; values are float32, NaN where not covered.

    With ``lengths`` (a genome's sequences), only those sequences are kept, each name not among them goes into
    ``foreign`` with the number of its first line, and an end past a sequence's length is an error at its line: a
    track of another genome, or one typo'd end (2,000,000,000), was read whole first (an array per name as long as
    its last end: 8 GB for that typo) before the names or ends were checked."""
    import gzip

    path = os.fspath(path)
    rows: dict[str, list[tuple[int, int, float]]] = {}
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"   # gzip told by content, not by the name
    opener = gzip.open if gzipped else open
    with opener(path, "rt") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip() or line.startswith(("track", "browser", "#")):
                continue
            cols = line.split()
            try:
                seqid, a, b, value = cols[0], int(cols[1]), int(cols[2]), float(cols[3])
            except (IndexError, ValueError):
                raise GenoViewInputError(_bedgraph_line_problem(cols, number), path, number) from None
            if b < a:
                raise GenoViewInputError(f"end {b} is before start {a}; fix the coordinates", path, number)
            if lengths is not None:
                if seqid not in lengths:
                    if foreign is not None:
                        foreign.setdefault(seqid, number)
                    continue
                if b > lengths[seqid]:
                    raise GenoViewInputError(
                        f"values for {seqid} reach base {b:,}, past its end in {genome} ({lengths[seqid]:,}); is this "
                        "track for another genome (another assembly version)?", path, number)
            rows.setdefault(seqid, []).append((a, b, value))
    return spans_to_tracks(rows)


def _bedgraph_line_problem(cols: list[str], number: int) -> str:
    """What is wrong with a bedGraph line: it said "expected 4 columns" of a 4-column line whose value was 0,5."""
    if number == 1 and cols and cols[0].startswith(">"):
        return "this is a FASTA file, not a track (bedGraph or bigWig, as `genoview predict` writes)"
    if len(cols) >= 8 and cols[3].isdigit() and cols[4].isdigit() and cols[6] in "+-.?":
        # an annotation given as the track said "the start 'GenBank' is not a whole number; fix or remove this line"
        return ("this is an annotation (GFF3 or GTF: seqid, source, type, start, end, ...), not a track (bedGraph or "
                "bigWig, as `genoview predict` writes); give it as the annotation (--gff; in the window File ▸ Open "
                "annotation…)")
    if len(cols) < 4:
        return f"expected 4 columns 'seqid start end value', found {len(cols)}; fix or remove this line"
    for name, text in (("start", cols[1]), ("end", cols[2])):
        if not text.isdigit():
            return f"the {name} {text!r} is not a whole number of bases; fix or remove this line"
    value = cols[3]
    if value.count(",") == 1 and value.replace(",", ".", 1).replace(".", "", 1).lstrip("-").isdigit():
        return (f"the value {value!r} has a decimal comma; bedGraph values use a point ({value.replace(',', '.')}): "
                "export it again with a point (a spreadsheet's language setting writes commas)")
    return f"the value {value!r} is not a number; fix or remove this line"


def spans_to_tracks(rows: dict[str, list[tuple[int, int, float]]]) -> dict[str, tuple[int, np.ndarray]]:
    """``{seqid: [(start, end, value)]}`` -> ``{seqid: (start, float32 values)}``, NaN between spans."""
    tracks = {}
    for seqid, spans in rows.items():
        if not spans:
            continue
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
