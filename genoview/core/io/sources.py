"""Random-access byte sources behind a FASTA index: a plain file, a decompressed spool, or BGZF blocks."""
from __future__ import annotations

import gzip
from collections import OrderedDict
import os
import struct
import tempfile
import threading
import weakref
import zlib
from typing import Callable, Iterator

import numpy as np

from genoview.core.errors import GenoViewInputError

CHUNK_BYTES = 16 * 1024 * 1024
# gzip text up to this size stays in RAM; beyond it the decompressed text spills to an unlinked temp file
SPOOL_IN_RAM_BYTES = 256 * 1024 * 1024
BGZF_CACHED_BLOCKS = 16  # 64 KB each: a 1 MB window of recently read text

Feed = Callable[[bytes], None]


class ByteSource:
    """Thread-safe ``read(offset, size)`` over the uncompressed text of one file.

    A handle opened for reading is closed by ``close()`` or, at the latest, when the source is
    garbage-collected (``weakref.finalize``), so forgetting ``close()`` never leaks a file.
    """

    size: int = 0

    def read(self, offset: int, size: int) -> bytes:
        raise NotImplementedError

    def __getstate__(self) -> dict:
        # pickled into worker processes (data loaders): locks and open handles are re-made there
        state = dict(self.__dict__)
        state.pop("_lock", None)
        state["_handle"] = None
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def close(self) -> None:
        """Release the file handle; a later read opens it again."""


def _open_with_finalizer(owner: ByteSource, path: str):
    handle = open(path, "rb")
    weakref.finalize(owner, handle.close)
    return handle


class MemorySource(ByteSource):
    """Text already in memory (an embedded ##FASTA section, a small test string)."""

    def __init__(self, data: bytes):
        self._data = data
        self.size = len(data)

    def read(self, offset: int, size: int) -> bytes:
        return self._data[offset:offset + size]


class PlainFileSource(ByteSource):
    """An uncompressed file on disk, opened lazily and read with seek+read under a lock."""

    def __init__(self, path: str):
        self.path = path
        self.size = os.path.getsize(path)
        self._lock = threading.Lock()
        self._handle = None

    def read(self, offset: int, size: int) -> bytes:
        with self._lock:
            if self._handle is None:
                self._handle = _open_with_finalizer(self, self.path)
            self._handle.seek(offset)
            return self._handle.read(size)

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    def stream(self, feed: Feed) -> None:
        """Pass the whole file to ``feed`` in large chunks."""
        with open(self.path, "rb") as handle:
            while True:
                chunk = handle.read(CHUNK_BYTES)
                if not chunk:
                    return
                feed(chunk)


def _read_gzip(handle, path: str) -> bytes:
    try:
        return handle.read(CHUNK_BYTES)
    except (OSError, EOFError, zlib.error) as exc:
        raise GenoViewInputError(
            f"the gzip data is damaged or truncated ({exc}); re-download or re-compress the file", path
        ) from None


class SpoolSource(ByteSource):
    """A gzip file decompressed once into RAM (small) or an anonymous temp file (large): gzip cannot seek."""

    def __init__(self, path: str, feed: Feed):
        self.path = path
        self._lock = threading.Lock()
        self._spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_RAM_BYTES, prefix="genoview-")
        try:
            with gzip.open(path, "rb") as handle:
                while chunk := _read_gzip(handle, path):
                    try:
                        self._spool.write(chunk)
                    except OSError as exc:
                        raise GenoViewInputError(
                            f"cannot keep the decompressed copy in the temp folder ({exc.strerror or exc}); "
                            "free disk space or decompress the file yourself", path,
                        ) from None
                    feed(chunk)
        except BaseException:
            self._spool.close()
            raise
        self.size = self._spool.tell()
        weakref.finalize(self, self._spool.close)

    def read(self, offset: int, size: int) -> bytes:
        with self._lock:
            self._spool.seek(offset)
            return self._spool.read(size)

    def close(self) -> None:
        with self._lock:
            self._spool.close()

    def __reduce__(self):
        # a temp file cannot travel to another process: send the decompressed text itself
        return MemorySource, (self.read(0, self.size),)


_BGZF_HEADER = struct.Struct("<4BI2BH2BH")  # magic(2) CM FLG MTIME XFL OS XLEN SI1 SI2 SLEN
_BGZF_HEADER_SIZE = 18


def is_bgzf(path: str) -> bool:
    """True when the file starts with a BGZF block header (gzip with the 'BC' extra subfield)."""
    with open(path, "rb") as handle:
        head = handle.read(_BGZF_HEADER_SIZE)
    if len(head) < _BGZF_HEADER_SIZE:
        return False
    m1, m2, _cm, flg, _mtime, _xfl, _os, xlen, si1, si2, _slen = _BGZF_HEADER.unpack(head[:16])
    return m1 == 0x1F and m2 == 0x8B and flg & 4 and xlen == 6 and si1 == 66 and si2 == 67


def _bgzf_blocks(handle, path: str) -> Iterator[tuple[int, int, bytes]]:
    """Yield (compressed offset, compressed size, decompressed data) for every block."""
    offset = 0
    while True:
        head = handle.read(_BGZF_HEADER_SIZE)
        if not head:
            return
        if len(head) < _BGZF_HEADER_SIZE or head[:2] != b"\x1f\x8b" or head[12:14] != b"BC":
            raise GenoViewInputError(
                f"damaged BGZF block at byte {offset}; the file is truncated or not bgzip-compressed", path
            )
        block_size = struct.unpack("<H", head[16:18])[0] + 1
        if block_size < _BGZF_HEADER_SIZE + 8:  # a damaged size field: no room for the deflate data and trailer
            raise GenoViewInputError(f"damaged BGZF block at byte {offset} (impossible block size {block_size})",
                                     path)
        rest = handle.read(block_size - _BGZF_HEADER_SIZE)
        if len(rest) != block_size - _BGZF_HEADER_SIZE:
            raise GenoViewInputError(f"the BGZF file is truncated at byte {offset}; re-download it", path)
        try:
            data = zlib.decompress(rest[:-8], -15)
        except zlib.error as exc:
            raise GenoViewInputError(f"damaged BGZF block at byte {offset} ({exc})", path) from None
        if len(data) != struct.unpack("<I", rest[-4:])[0]:
            raise GenoViewInputError(f"damaged BGZF block at byte {offset} (wrong size)", path)
        yield offset, block_size, data
        offset += block_size


class BgzfSource(ByteSource):
    """A bgzip file read by block: a table maps uncompressed offsets to compressed blocks (like .gzi)."""

    def __init__(self, path: str, feed: Feed):
        self.path = path
        self._lock = threading.Lock()
        self._handle = None
        compressed, uncompressed = [], []
        pending: list[bytes] = []
        pending_size = 0
        total = 0
        with open(path, "rb") as handle:
            for coffset, _csize, data in _bgzf_blocks(handle, path):
                compressed.append(coffset)
                uncompressed.append(total)
                total += len(data)
                pending.append(data)
                pending_size += len(data)
                if pending_size >= CHUNK_BYTES:
                    feed(b"".join(pending))
                    pending, pending_size = [], 0
            end = handle.tell()
        if pending:
            feed(b"".join(pending))
        compressed.append(end)
        uncompressed.append(total)
        self._coffsets = np.asarray(compressed, dtype=np.int64)
        self._uoffsets = np.asarray(uncompressed, dtype=np.int64)
        self.size = total
        self._cache: OrderedDict[int, bytes] = OrderedDict()

    def read(self, offset: int, size: int) -> bytes:
        if size <= 0 or offset >= self.size:
            return b""
        stop = min(offset + size, self.size)
        first = int(np.searchsorted(self._uoffsets, offset, side="right")) - 1
        last = int(np.searchsorted(self._uoffsets, stop - 1, side="right")) - 1
        data = b"".join(self._block(block) for block in range(first, last + 1))
        skip = offset - int(self._uoffsets[first])
        return data[skip:skip + (stop - offset)]

    def _block(self, block: int) -> bytes:
        """One decompressed block; the last few are cached, as nearby fetches share blocks."""
        with self._lock:
            data = self._cache.get(block)
            if data is not None:
                self._cache.move_to_end(block)
                return data
            if self._handle is None:
                self._handle = _open_with_finalizer(self, self.path)
            start, end = int(self._coffsets[block]), int(self._coffsets[block + 1])
            self._handle.seek(start)
            raw = self._handle.read(end - start)
        data = zlib.decompress(raw[_BGZF_HEADER_SIZE:-8], -15)
        with self._lock:
            self._cache[block] = data
            if len(self._cache) > BGZF_CACHED_BLOCKS:
                self._cache.popitem(last=False)
        return data

    def close(self) -> None:
        with self._lock:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
