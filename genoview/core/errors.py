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
