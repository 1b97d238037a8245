"""Sequence records: ASCII bases as numpy uint8, fetched by 0-based half-open range; base codes; GC and N counts."""
from __future__ import annotations

import numpy as np

IUPAC_LETTERS = b"ACGTURYSWKMBDHVN"
# bases counted per call when a whole record is scanned (GC, N): bounded memory for any length
STATS_CHUNK = 8 * 1024 * 1024

_ENCODE = np.full(256, 4, dtype=np.uint8)
for _code, _letter in enumerate(b"ACGT"):
    _ENCODE[_letter] = _code
    _ENCODE[_letter + 32] = _code  # lower case (soft-masked) bases get the same code


def encode(ascii_bases: np.ndarray) -> np.ndarray:
    """Map ASCII bases to model codes: A=0 C=1 G=2 T=3 (either case), anything else 4 (N)."""
    return _ENCODE[np.asarray(ascii_bases, dtype=np.uint8)]


def _letters(text: bytes) -> np.ndarray:
    codes = np.frombuffer(text, dtype=np.uint8)
    return np.concatenate([codes, codes + 32])


_GC = _letters(b"GCS")
_ACGTSW = _letters(b"ACGTSW")
_N = _letters(b"N")


def base_counts(ascii_bases: np.ndarray) -> np.ndarray:
    """Count of every byte value (length 256, int64) in an ASCII base array."""
    return np.bincount(np.asarray(ascii_bases, dtype=np.uint8), minlength=256).astype(np.int64)


def gc_fraction_of_counts(counts: np.ndarray) -> float:
    """(G+C+S) / (A+C+G+T+S+W), either case: Biopython's ``gc_fraction(seq, "remove")``; 0 when no such base."""
    known = int(counts[_ACGTSW].sum())
    return float(counts[_GC].sum()) / known if known else 0.0


def n_count_of_counts(counts: np.ndarray) -> int:
    """Number of N or n bases."""
    return int(counts[_N].sum())


def windowed_gc(ascii_bases: np.ndarray, window: int) -> np.ndarray:
    """GC fraction per non-overlapping window (the last one may be shorter), float32; NaN where all N."""
    if window < 1:
        raise ValueError(f"window must be at least 1, got {window}")
    bases = np.asarray(ascii_bases, dtype=np.uint8)
    gc_table = np.zeros(256, dtype=np.int32)
    gc_table[_GC] = 1
    known_table = np.zeros(256, dtype=np.int32)
    known_table[_ACGTSW] = 1
    starts = np.arange(0, len(bases), window)
    if len(starts) == 0:
        return np.zeros(0, dtype=np.float32)
    gc = np.add.reduceat(gc_table[bases], starts)
    known = np.add.reduceat(known_table[bases], starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(known > 0, gc / np.maximum(known, 1), np.nan).astype(np.float32)


class SequenceRecord:
    """One sequence of a genome: id, description, length, and bases fetched on demand."""

    def __init__(self, id: str, description: str, length: int):
        self.id = id
        self.description = description
        self.length = int(length)
        self._counts: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.id!r}, length={self.length})"

    def __len__(self) -> int:
        return self.length

    def _check_range(self, start: int, end: int | None) -> tuple[int, int]:
        end = self.length if end is None else int(end)
        start = int(start)
        if not 0 <= start <= end <= self.length:
            raise IndexError(f"range {start}..{end} is outside {self.id} (0..{self.length})")
        return start, end

    def fetch(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """ASCII codes (uint8) of bases [start, end), exactly as in the file (soft-mask kept)."""
        start, end = self._check_range(start, end)
        return self._fetch(start, end)

    def _fetch(self, start: int, end: int) -> np.ndarray:
        raise NotImplementedError

    def text(self, start: int = 0, end: int | None = None) -> str:
        """Bases [start, end) as a string (for display and short regions)."""
        return self.fetch(start, end).tobytes().decode("ascii")

    def codes(self, start: int = 0, end: int | None = None) -> np.ndarray:
        """Model codes (A=0 C=1 G=2 T=3 other=4) of bases [start, end)."""
        return encode(self.fetch(start, end))

    def base_counts(self) -> np.ndarray:
        """Count of every byte value over the whole record (cached; computed in bounded chunks)."""
        if self._counts is None:
            counts = np.zeros(256, dtype=np.int64)
            for start in range(0, self.length, STATS_CHUNK):
                counts += base_counts(self._fetch(start, min(start + STATS_CHUNK, self.length)))
            self._counts = counts
        return self._counts

    @property
    def gc_fraction(self) -> float:
        """GC fraction of the whole record (see :func:`gc_fraction_of_counts`)."""
        return gc_fraction_of_counts(self.base_counts())

    @property
    def n_count(self) -> int:
        """Number of N bases in the record."""
        return n_count_of_counts(self.base_counts())

    def close(self) -> None:
        """Release any file handle held for fetching."""


class InMemoryRecord(SequenceRecord):
    """A record whose bases are held as one uint8 array (GenBank files, generated sequences)."""

    def __init__(self, id: str, description: str, bases: np.ndarray | bytes):
        array = np.frombuffer(bases, dtype=np.uint8) if isinstance(bases, (bytes, bytearray)) else bases
        super().__init__(id, description, len(array))
        self._bases = np.asarray(array, dtype=np.uint8)

    def _fetch(self, start: int, end: int) -> np.ndarray:
        return self._bases[start:end].copy()
