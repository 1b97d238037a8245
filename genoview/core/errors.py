"""Errors a user can meet: one type, whose message names the file, the line and what is wrong."""
from __future__ import annotations

import os


class GenoViewInputError(Exception):
    """Bad input the user can fix: a malformed file, an unknown sequence id, a missing model directory.

    The message is complete on its own (``str(err)``), e.g.
    ``annotation.gff, line 12: end (90) is before start (120); fix the coordinates``.
    """

    def __init__(self, message: str, path: str | os.PathLike | None = None, line: int | None = None):
        self.path = os.fspath(path) if path is not None else None
        self.line = line
        self.reason = message
        where = ""
        if self.path is not None:
            where = os.path.basename(self.path) if len(self.path) > 60 else self.path
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)


class Cancelled(Exception):
    """A long job stopped because its cancel token was set. Nothing half-done is left behind."""


def require_input_file(path: str | os.PathLike, what: str = "a file", fix: str = "check the path") -> None:
    """Refuse a missing input or a folder given as one, each in its own words (a folder given as a pair file, VCF,
    gene table, annotation or track said 'no such file' / 'file not found', sending the user to look for a file
    that is there; session 18 CLI walk). ``what`` names the file wanted ("a pair file", "a VCF", ...)."""
    if os.path.isdir(path):
        raise GenoViewInputError(f"this is a folder, not {what}; give the file's path", path)
    if not os.path.isfile(path):
        raise GenoViewInputError(f"file not found; {fix}", path)


class read_as_text:
    """``with read_as_text(path, "a pair file"):`` around reading a text input (plain or gzip): a truncated or damaged
    gzip, or a binary file, is one GenoViewInputError naming the file (it was an EOFError or UnicodeDecodeError
    traceback from score-pairs, mutate and train-lm; H-cli18). GenoViewInputErrors raised inside pass through."""

    def __init__(self, path: str | os.PathLike, what: str | None = "a text file") -> None:   # None: gzip only
        self.path, self.what = path, what

    def __enter__(self) -> "read_as_text":
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        import gzip
        import zlib

        if exc is None or isinstance(exc, GenoViewInputError):
            return False
        if isinstance(exc, (EOFError, zlib.error, gzip.BadGzipFile)):
            raise GenoViewInputError(f"the gzip data is damaged or truncated ({exc}); re-download or re-compress the "
                                     "file", self.path) from None
        if isinstance(exc, UnicodeDecodeError) and self.what:
            raise GenoViewInputError(f"not {self.what}: it holds bytes that are not text (a binary file?)",
                                     self.path) from None
        return False
