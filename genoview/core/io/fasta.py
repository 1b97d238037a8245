"""FASTA (plain, gzip, bgzip): one fast scan builds a faidx-like index; bases are read lazily per range.

The scan reads large blocks and finds '>' and newlines with numpy, never looping in Python per line.
Each record is a list of *segments*: runs of lines with the same number of bases and bytes (a regular
file has one per record, as samtools faidx requires; blank lines or changing widths just add segments).
"""
from __future__ import annotations

import os
import numpy as np

from genoview.core.errors import GenoViewInputError
from genoview.core.io.sequence import IUPAC_LETTERS, SequenceRecord
from genoview.core.io.sources import (
    BgzfSource,
    ByteSource,
    MemorySource,
    PlainFileSource,
    SpoolSource,
    is_bgzf,
)
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, ensure_progress

NEWLINE, CR, GT = 10, 13, 62
# bytes a sequence line may hold: IUPAC letters in either case, '-' for gaps, and line ends
_ALLOWED = np.zeros(256, dtype=bool)
for _letter in IUPAC_LETTERS + b"-":
    _ALLOWED[_letter] = True
    _ALLOWED[ord(chr(_letter).lower())] = True
_ALLOWED[[NEWLINE, CR]] = True
_ALLOWED_BYTES = bytes(np.flatnonzero(_ALLOWED).astype(np.uint8))
# segment columns: first base (in the record), file offset of that base, bases per line, bytes per line
SEG_BASE, SEG_OFFSET, SEG_WIDTH, SEG_STRIDE = range(4)
# bases read per source call when fetching a long range
FETCH_PIECE = 4 * 1024 * 1024
# lines looked at a time while building segments (temporaries of a few MB, never per-line arrays of the whole file)
SEGMENT_BLOCK = 1 << 18


def _shown_byte(value: int) -> str:
    """A byte as a user reads it in a message: 'X', ' ', "a tab", or its code (was Python's b'X', b'\\t')."""
    names = {9: "a tab", 13: "a carriage return"}
    if value in names:
        return names[value]
    return repr(chr(value)) if 32 <= value < 127 else f"the byte 0x{value:02X}"


class IndexedRecord(SequenceRecord):
    """A FASTA record read lazily through its segments (faidx offsets) from a byte source."""

    def __init__(self, id: str, description: str, length: int, source: ByteSource, segments: np.ndarray):
        super().__init__(id, description, length)
        self._source = source
        self._segments = segments

    def _fetch(self, start: int, end: int) -> np.ndarray:
        out = np.empty(end - start, dtype=np.uint8)
        pos = start
        segments = self._segments
        index = int(np.searchsorted(segments[:, SEG_BASE], start, side="right")) - 1
        while pos < end:
            base, offset, width, stride = (int(v) for v in segments[index])
            seg_end = int(segments[index + 1, SEG_BASE]) if index + 1 < len(segments) else self.length
            stop = min(end, seg_end, pos + FETCH_PIECE)
            first = offset + ((pos - base) // width) * stride + (pos - base) % width
            last = offset + ((stop - 1 - base) // width) * stride + (stop - 1 - base) % width
            raw = np.frombuffer(self._source.read(first, last + 1 - first), dtype=np.uint8)
            if stride != width:
                raw = raw[(raw != NEWLINE) & (raw != CR)]
            if len(raw) != stop - pos:
                raise GenoViewInputError(
                    f"sequence {self.id} changed on disk since it was opened; open it again",
                    getattr(self._source, "path", None),
                )
            out[pos - start:stop - start] = raw
            pos = stop
            if pos >= seg_end:
                index += 1
        return out

    def close(self) -> None:
        self._source.close()


class FastaScanner:
    """Collects newline, header and '\r' positions from consecutive chunks, then builds the index.

    Bytes that are not nucleotide letters are checked chunk by chunk (outside header lines they are
    an error at once), so a damaged or binary file never makes the scanner hold one entry per byte.
    """

    def __init__(self, path: str | None, line_offset: int = 0):
        self.path = path
        self.line_offset = line_offset
        self.size = 0
        self._started = False
        self._lines_before = 0  # newlines in the chunks already scanned
        self._at_line_start = True  # the previous chunk ended with a newline (or there was none)
        self._in_header = False  # the line the previous chunk ended in is a '>' header
        self._newlines: list[np.ndarray] = []
        self._headers: list[np.ndarray] = []
        self._crs: list[np.ndarray] = []

    def feed(self, chunk: bytes) -> None:
        """Scan the next chunk of the file's text."""
        if not chunk:
            return
        if not self._started:
            if chunk.startswith(b"\xef\xbb\xbf"):
                raise GenoViewInputError(
                    "the file starts with a byte-order mark (BOM); save it as plain text without BOM",
                    self.path, 1 + self.line_offset,
                )
            stripped = chunk.lstrip(b" \t\r\n")
            if stripped:
                self._started = True
                if stripped[0] != GT:
                    line = chunk[:len(chunk) - len(stripped)].count(b"\n") + 1 + self.line_offset
                    raise GenoViewInputError(
                        "this is not a FASTA file: the first line must start with '>' and a sequence id",
                        self.path, line,
                    )
        data = np.frombuffer(chunk, dtype=np.uint8)
        offset = self.size
        newlines = np.flatnonzero(data == NEWLINE)
        # C-speed checks first: most chunks of a big chromosome hold no header, no '\r', no odd byte
        if b">" in chunk:
            gts = np.flatnonzero(data == GT)
            at_start = data[np.maximum(gts - 1, 0)] == NEWLINE
            at_start[gts == 0] = self._at_line_start
            self._headers.append(gts[at_start] + offset)
        if b"\r" in chunk:
            self._crs.append(np.flatnonzero(data == CR) + offset)
        if chunk.translate(None, _ALLOWED_BYTES):
            self._check_letters(data, newlines)
        if len(newlines):
            last_start = int(newlines[-1]) + 1
            self._at_line_start = last_start == len(data)
            self._in_header = not self._at_line_start and data[last_start] == GT
        elif self._at_line_start:
            self._at_line_start, self._in_header = False, data[0] == GT
        self._newlines.append(newlines + offset)
        self._lines_before += len(newlines)
        self.size += len(chunk)

    def _check_letters(self, data: np.ndarray, newlines: np.ndarray) -> None:
        """Raise at the first byte outside a header line that is not a nucleotide letter."""
        suspects = np.flatnonzero(~_ALLOWED[data])
        line_in_chunk = np.searchsorted(newlines, suspects)
        if len(newlines):
            line_starts = np.where(line_in_chunk > 0, newlines[np.maximum(line_in_chunk - 1, 0)] + 1, 0)
        else:
            line_starts = np.zeros(len(suspects), dtype=np.int64)
        in_header = data[np.minimum(line_starts, len(data) - 1)] == GT
        continued = line_in_chunk == 0
        if not self._at_line_start:
            in_header[continued] = self._in_header  # the line began in the previous chunk
        bad = suspects[~in_header]
        if len(bad):
            position = int(bad[0])
            line = self._lines_before + int(np.searchsorted(newlines, position)) + 1 + self.line_offset
            letter = chr(int(data[position])).upper()
            # amino-acid letters that no nucleotide code uses: a protein FASTA (.faa) opened as the genome
            fix = ("this looks like a protein FASTA (amino acids): open the genome's nucleotide FASTA (.fna/.fa) "
                   "instead" if letter in "EFILPQ*" else "fix or remove it")
            raise GenoViewInputError(
                f"{_shown_byte(int(data[position]))} is not a nucleotide letter (IUPAC A C G T U R Y S W K M "
                f"B D H V N, '-' for gaps); {fix}",
                self.path, line,
            )

    def _line(self, newlines: np.ndarray, position: int) -> int:
        return int(np.searchsorted(newlines, position, side="left")) + 1 + self.line_offset

    def finish(self, source: ByteSource) -> dict[str, IndexedRecord]:
        """Check the collected positions and return the records, in file order."""
        if not self._started:
            raise GenoViewInputError("the FASTA file is empty: it holds no '>' record", self.path)
        total = self.size
        newlines, header_starts, crs = (_join(parts) for parts in (self._newlines, self._headers, self._crs))
        at = np.searchsorted(newlines, header_starts)
        header_ends = np.where(at < len(newlines), newlines[np.minimum(at, len(newlines) - 1)], total) \
            if len(newlines) else np.full(len(header_starts), total)
        self._check_line_ends(newlines, crs, total)
        records: dict[str, IndexedRecord] = {}
        for k, (hs, he) in enumerate(zip(header_starts.tolist(), header_ends.tolist())):
            line = self._line(newlines, hs)
            title = source.read(hs + 1, he - hs - 1).decode("utf-8", errors="replace").strip()
            name, description = (title.split(None, 1) + ["", ""])[:2] if title else ("", "")
            if not name:
                raise GenoViewInputError("a FASTA header has no sequence id after '>'", self.path, line)
            if name in records:
                raise GenoViewInputError(
                    f"sequence id {name!r} appears twice; every record needs its own id", self.path, line
                )
            seq_start = min(he + 1, total)
            seq_end = int(header_starts[k + 1]) if k + 1 < len(header_starts) else total
            segments, length = _segments(newlines, crs, seq_start, seq_end)
            if length == 0:
                raise GenoViewInputError(
                    f"sequence {name!r} has no bases; remove the record or add its sequence", self.path, line
                )
            records[name] = IndexedRecord(name, description.strip(), length, source, segments)
        return records

    def _check_line_ends(self, newlines: np.ndarray, crs: np.ndarray, total: int) -> None:
        if len(crs):
            ok = _contains(newlines, crs + 1) | (crs + 1 == total)
            if not ok.all():
                position = int(crs[~ok][0])
                raise GenoViewInputError(
                    "a carriage return ('\\r') in the middle of a line; convert the file to Unix or "
                    "Windows line endings", self.path, self._line(newlines, position),
                )


def _join(parts: list[np.ndarray]) -> np.ndarray:
    """The chunks' positions as one int64 array, emptying ``parts`` as it goes (never two copies of them at once)."""
    out = np.empty(sum(len(part) for part in parts), dtype=np.int64)
    at = 0
    while parts:
        part = parts.pop(0)
        out[at:at + len(part)] = part
        at += len(part)
    return out


def _contains(sorted_values: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """Which ``queries`` occur in ``sorted_values`` (np.isin without hashing millions of positions)."""
    if len(sorted_values) == 0:
        return np.zeros(len(queries), dtype=bool)
    at = np.searchsorted(sorted_values, queries)
    return sorted_values[np.minimum(at, len(sorted_values) - 1)] == queries


def _segments(newlines: np.ndarray, crs: np.ndarray, seq_start: int, seq_end: int) -> tuple[np.ndarray, int]:
    """Segments (runs of equal lines) of one record's sequence lines between seq_start and seq_end."""
    inside = newlines[np.searchsorted(newlines, seq_start):np.searchsorted(newlines, seq_end)]
    tail = seq_end > (int(inside[-1]) + 1 if len(inside) else seq_start)   # last line without a final newline
    lines = len(inside) + int(tail)
    runs: list[list[int]] = []   # width, stride, offset of the first line, lines
    line_start, expected = seq_start, -1   # where the next line starts; where a run's next line would start
    for lo in range(0, lines, SEGMENT_BLOCK):
        hi = min(lines, lo + SEGMENT_BLOCK)
        ends = inside[lo:min(hi, len(inside))]
        if hi > len(inside):
            ends = np.append(ends, seq_end)
        starts = np.empty(len(ends), dtype=np.int64)
        starts[0] = line_start
        starts[1:] = ends[:-1] + 1
        line_start = int(ends[-1]) + 1
        has_cr = _contains(crs, ends - 1) & (ends > starts)
        widths = ends - has_cr - starts
        strides = ends + 1 - starts
        keep = widths > 0
        starts, widths, strides = starts[keep], widths[keep], strides[keep]
        if len(starts) == 0:
            continue
        breaks = np.flatnonzero(
            (widths[1:] != widths[:-1]) | (strides[1:] != strides[:-1]) | (starts[1:] != starts[:-1] + strides[:-1])
        ) + 1
        run_starts = [0] + breaks.tolist()
        for a, b in zip(run_starts, run_starts[1:] + [len(starts)]):
            width, stride, offset = int(widths[a]), int(strides[a]), int(starts[a])
            if a == 0 and runs and runs[-1][:2] == [width, stride] and offset == expected:
                runs[-1][3] += b - a   # the run goes on from the block before
            else:
                runs.append([width, stride, offset, b - a])
        expected = int(starts[-1]) + int(strides[-1])
    if not runs:
        return np.zeros((0, 4), dtype=np.int64), 0
    rows: list[list[int]] = []
    base = 0
    previous_full: tuple[int, int, int] | None = None  # width, stride, offset where the next line must start
    for width, stride, offset, count in runs:
        # a single short line right after a run of full lines is that run's last line (faidx layout)
        if (previous_full is not None and count == 1 and width < previous_full[0]
                and offset == previous_full[2]):
            base += width
            previous_full = None
            continue
        rows.append([base, offset, width, stride])
        base += width * count
        previous_full = (width, stride, offset + stride * count)
    return np.asarray(rows, dtype=np.int64), base


def index_fasta(
    path: str | os.PathLike,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> dict[str, IndexedRecord]:
    """Index a FASTA file (plain, gzip or bgzip) in one scan; records fetch their bases lazily."""
    path = os.fspath(path)
    progress = ensure_progress(progress)
    cancel = ensure_cancel(cancel)
    try:
        file_size = max(os.path.getsize(path), 1)
        with open(path, "rb") as handle:
            magic = handle.read(2)
    except OSError as exc:
        raise GenoViewInputError(f"cannot read the file ({exc.strerror or exc})", path) from None
    scanner = FastaScanner(path)
    done = [0]

    def feed(chunk: bytes) -> None:
        cancel.check()
        scanner.feed(chunk)
        done[0] += len(chunk)
        progress(min(done[0] / (file_size * (3.5 if magic == b"\x1f\x8b" else 1.0)), 0.99), "indexing FASTA")

    source: ByteSource
    if magic == b"\x1f\x8b":
        source = BgzfSource(path, feed) if is_bgzf(path) else SpoolSource(path, feed)
    else:
        source = PlainFileSource(path)
        source.stream(feed)
    try:
        records = scanner.finish(source)
    except BaseException:
        source.close()
        raise
    progress(1.0, "indexing FASTA")
    return records


def index_fasta_bytes(data: bytes, path: str | None = None, line_offset: int = 0) -> dict[str, IndexedRecord]:
    """Index FASTA text held in memory (e.g. the ##FASTA section of a GFF3 file)."""
    scanner = FastaScanner(path, line_offset)
    scanner.feed(data)
    return scanner.finish(MemorySource(data))


def write_fasta(path: str | os.PathLike, records: dict[str, np.ndarray | bytes | str], width: int = 60) -> None:
    """Write sequences as plain FASTA with ``width`` bases per line (for exports and tests)."""
    with open(path, "wb") as handle:
        for name, bases in records.items():
            data = bases.encode("ascii") if isinstance(bases, str) else bytes(bases)
            handle.write(b">" + name.encode("utf-8") + b"\n")
            for start in range(0, len(data), width):
                handle.write(data[start:start + width] + b"\n")
