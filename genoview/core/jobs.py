"""Progress callbacks and cancel tokens for long work (Orange3's `state` pattern, without Qt).

Long work in core is a plain function taking ``progress`` (a callable receiving a fraction in
[0, 1] and an optional message) and ``cancel`` (a :class:`CancelToken`). The GUI runs such a
function on a worker thread; the CLI draws a text progress bar; tests pass plain callables.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Callable, Optional

from genoview.core.errors import Cancelled

ProgressCallback = Callable[[float, Optional[str]], None]


def _ignore_progress(fraction: float, message: str | None = None) -> None:
    return None


class CancelToken:
    """Thread-safe flag a job checks between batches; ``check()`` raises :class:`Cancelled` once set."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def is_cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled by the user")


def ensure_progress(progress: ProgressCallback | None) -> ProgressCallback:
    return progress if progress is not None else _ignore_progress


def ensure_cancel(cancel: CancelToken | None) -> CancelToken:
    return cancel if cancel is not None else CancelToken()


def wrap_progress(progress: ProgressCallback | None, start: float, end: float) -> ProgressCallback:
    """Map a stage's own 0..1 progress onto [start, end] of the whole job (Orange3's wrap_callback)."""
    inner = ensure_progress(progress)

    def wrapped(fraction: float, message: str | None = None) -> None:
        inner(start + (end - start) * min(max(fraction, 0.0), 1.0), message)

    return wrapped


class TextProgressBar:
    """A progress callback for the CLI: one self-rewriting line on stderr, with an ETA."""

    def __init__(self, label: str = "", stream=None, width: int = 30) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.started = time.monotonic()
        self._last = -1.0
        self._finished: str | None = None   # the 100% line written last, if the last line was one
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, fraction: float, message: str | None = None) -> None:
        now = time.monotonic()
        if fraction < 1.0:
            self._finished = None   # a new stage: its end is written again
            if now - self._last < (0.1 if self._tty else 5.0):
                return
        self._last = now
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(self.width * fraction)
        elapsed = now - self.started
        eta = f" ETA {elapsed / fraction - elapsed:5.0f}s" if 0.02 < fraction < 1.0 else ""
        text = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {fraction * 100:5.1f}%{eta}"
        if message:
            text += f" {message}"
        if fraction >= 1.0 and self._finished is not None and (
                text == self._finished or not self._tty or not message):
            # a stage and then the run both said 100% (predict: the last tile, "writing the outputs", the end): one
            # line in a log; a terminal also shows a 100% that names a new step
            return
        self._finished = text if fraction >= 1.0 else None
        end = "\r" if self._tty and fraction < 1.0 else "\n"
        self.stream.write(text[:120].ljust(80 if self._tty else 0) + end)
        self.stream.flush()


class RecordedRun:
    """A run recorded in the store while it works (see :func:`recorded_run`): ``beating(callback)`` wraps a
    progress or log callback so that each call also beats the run's heartbeat (at most every 30 s, one small
    write); ``metrics`` and ``message`` are stored when it finishes."""

    def __init__(self, store, run_id: int) -> None:
        self.store, self.id = store, run_id
        self.metrics: dict[str, float] = {}
        self.message = ""

    def beating(self, callback=None):
        if self.store is None:   # not recorded (a store that cannot be written)
            return callback
        return self.store.beating(self.id, callback)


def recorded_run(kind: str, model: str | None, params: dict | None = None):
    """Context manager recording a command's run in the store (``genoview runs``, the library's Runs tab) as
    ``genoview train`` and ``predict`` do: running (this host, pid, heartbeat) while the block works, then
    finished with the metrics set on it, cancelled (Cancel, Ctrl+C) or failed with the error's words."""
    from contextlib import contextmanager

    @contextmanager
    def _recorded():
        from genoview.core.store import open_store, writable_or_warn

        store = open_store()
        if not writable_or_warn(store):   # a read-only or full GENOVIEW_HOME: the command runs, unrecorded (said once)
            yield RecordedRun(None, None)
            return
        run = RecordedRun(store, store.start_run(kind, model, params))
        try:
            yield run
        except BaseException as exc:
            cancelled = isinstance(exc, (Cancelled, KeyboardInterrupt))
            store.finish_run(run.id, "cancelled" if cancelled else "failed",
                             message=str(exc) or ("cancelled" if cancelled else type(exc).__name__))
            raise
        store.finish_run(run.id, "finished", run.metrics, message=run.message)

    return _recorded()
