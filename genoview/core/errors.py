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
