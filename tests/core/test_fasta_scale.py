"""FASTA indexing in bounded memory (issue 9): segments are built a block of lines at a time, with the same result."""
from __future__ import annotations

import numpy as np

from genoview.core.io import fasta


def test_segments_built_in_blocks_equal_one_pass(monkeypatch):
    rng = np.random.default_rng(7)
    letters = np.frombuffer(b"ACGTN", dtype=np.uint8)
    for trial in range(300):
        width = int(rng.integers(1, 9))
        lines = [b"A" * width + b"\n"]   # at least one base
        for _ in range(int(rng.integers(0, 40))):
            r = rng.random()
            n = width if r < 0.75 else 0 if r < 0.85 else int(rng.integers(1, 12))   # full, blank or odd lines
            lines.append(letters[rng.integers(0, 5, n)].tobytes() + (b"\r\n" if rng.random() < 0.15 else b"\n"))
        # a record before, and (mostly) a last line without its newline at the end of the file
        text = b">b\nACGT\n>a\n" + b"".join(lines) + letters[rng.integers(0, 5, int(rng.integers(0, 9)))].tobytes()
        monkeypatch.setattr(fasta, "SEGMENT_BLOCK", 1 << 18)
        whole = fasta.index_fasta_bytes(text)
        for block in (1, 2, 3, 7):
            monkeypatch.setattr(fasta, "SEGMENT_BLOCK", block)
            blocked = fasta.index_fasta_bytes(text)
            for name in whole:
                assert np.array_equal(blocked[name]._segments, whole[name]._segments), (text, block)
                assert blocked[name].length == whole[name].length
                assert blocked[name].text() == whole[name].text()
        expected = b"".join(text.split(b">a\n")[1].split()).decode()
        assert whole["a"].text() == expected
