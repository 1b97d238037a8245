"""Text outputs written through a temporary file, gzip when the output's name ends in .gz."""
from __future__ import annotations

import contextlib
import gzip
import io
import os
from typing import Iterator, TextIO


@contextlib.contextmanager
def text_out(tmp: str | os.PathLike, final: str | os.PathLike, newline: str = "") -> Iterator[TextIO]:
    """A UTF-8 text handle writing ``tmp`` for the output ``final``: gzip when ``final`` ends in .gz, its header
    naming ``final`` as gzip would (``gzip.open(tmp)`` recorded the temporary name, ".pairs.csv.gz.tmp", which
    `file` shows and `gunzip -N` restores; H-cli18)."""
    if not os.fspath(final).lower().endswith(".gz"):
        with open(tmp, "w", newline=newline, encoding="utf-8") as handle:
            yield handle
        return
    with open(tmp, "wb") as raw, \
            gzip.GzipFile(filename=os.path.basename(os.fspath(final)), mode="wb", fileobj=raw) as packed, \
            io.TextIOWrapper(packed, encoding="utf-8", newline=newline) as handle:
        yield handle
