"""One way to replace a user's file: write a temporary file beside it, then ``os.replace`` (issue: nothing lost)."""
from __future__ import annotations

import os


def write_atomically(path: str | os.PathLike, write_to):
    """``write_to(tmp)`` on a temporary file in ``path``'s folder (same suffix, so writers that read the format from
    the name still do), then ``os.replace`` onto ``path``; on any failure or interrupt the temporary file is removed
    and an earlier ``path`` is left as it was. Returns what ``write_to`` returned."""
    path = os.fspath(path)
    folder, name = os.path.split(path)
    stem, suffix = os.path.splitext(name)
    tmp = os.path.join(folder, f".{stem}.{os.getpid()}.genoview-part{suffix}")   # per process: two saves never share one
    try:
        result = write_to(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise
    return result
