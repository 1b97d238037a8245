"""Run core work off the GUI thread: a single-worker model-job queue and one-off background calls.

Core functions take ``progress`` and ``cancel`` (see ``genoview.core.jobs``); here they run on a
``QThreadPool`` and report back through signals that are always emitted on the GUI thread, so
slots may touch widgets and the session directly. Only one model job runs at a time (STYLE.md 5);
``JobRunner.wait`` lets the main window wait for the running job on exit.

Usage (a core generator driven on the worker, superqt's GeneratorWorker shape; see predict_controller)::

    def work(progress, cancel):
        for event in prediction.predict(request, cancel):      # checks cancel between batches
            if isinstance(event, prediction.Tile):
                job.emit_partial((event.start, event.end, event.codes))
            elif isinstance(event, prediction.Done):
                return event.result
    job = Job("Predict NC_000913.3", work)
    runner.partial.connect(fill_track)      # (job, (start, end, codes)) on the GUI thread
    runner.finished.connect(show_result)    # (job, result)
    runner.submit(job)
"""
from __future__ import annotations

import itertools
import os
import sys
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback

JobFunction = Callable[[ProgressCallback, CancelToken], Any]

PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress signals a second reach the GUI
_job_ids = itertools.count(1)


def describe_error(exc: BaseException) -> str:
    """The text a user sees for a failed job: the input error's own message, else a short traceback summary."""
    if isinstance(exc, GenoViewInputError):
        return str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        where = f" (in {last.name}, {last.filename.rsplit('/', 1)[-1]}:{last.lineno})"
    return f"{type(exc).__name__}: {exc}{where}"


class Job:
    """One unit of long work: ``fn(progress, cancel) -> result`` plus a title the user reads.

    ``context`` is free for the submitter's bookkeeping (e.g. which track the job fills). From inside
    ``fn``, ``job.emit_partial(value)`` sends an intermediate result to ``JobRunner.partial``.
    """

    def __init__(self, title: str, fn: JobFunction, context: Any = None) -> None:
        self.id = next(_job_ids)
        self.title = title
        self.fn = fn
        self.context = context
        self.cancel_token = CancelToken()
        self.state = "new"  # new -> queued -> running -> done | failed | cancelled
        self.result: Any = None
        self.error: str | None = None
        self._bridge: _JobBridge | None = None

    def emit_partial(self, value: Any) -> None:
        """Hand an intermediate result to the GUI thread (safe to call from the worker thread)."""
        if self._bridge is not None:
            self._bridge.partial.emit(self, value)

    @property
    def is_cancelled(self) -> bool:
        return self.cancel_token.is_cancelled()

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.title!r} {self.state}>"


class _JobBridge(QObject):
    """Carries a worker thread's reports to the GUI thread (lives there; its signals are queued)."""

    progress = Signal(object, float, str)
    partial = Signal(object, object)
    done = Signal(object, str, object)  # job, outcome ("finished" | "failed" | "cancelled"), payload
    started = Signal(object)


WORKER_NICE = 5   # background threads' scheduling priority (Linux nice); the GUI thread keeps 0


def below_the_window() -> None:
    """Lower the calling (worker) thread's CPU priority below the GUI thread's, once: on a busy machine a worker and
    the window share cores, and the window's pauses were the worker's time slices (its own work 30 ms of a 100 ms
    pause). Linux only (nice is per thread there, and inherited by the threads it starts); results do not change."""
    if not sys.platform.startswith("linux"):
        return
    try:
        thread = threading.get_native_id()
        if os.getpriority(os.PRIO_PROCESS, thread) < WORKER_NICE:
            os.setpriority(os.PRIO_PROCESS, thread, WORKER_NICE)
    except (OSError, AttributeError):   # not permitted, or no such call: keep the priority
        pass


class _JobRunnable(QRunnable):
    def __init__(self, job: Job, bridge: _JobBridge) -> None:
        super().__init__()
        self.job = job
        self.bridge = bridge
        self.setAutoDelete(False)  # Python keeps the reference until the job is done

    def run(self) -> None:
        below_the_window()
        job, bridge = self.job, self.bridge
        if job.is_cancelled:
            bridge.done.emit(job, "cancelled", None)
            return
        bridge.started.emit(job)
        last = [0.0]

        def progress(fraction: float, message: str | None = None) -> None:
            now = time.monotonic()
            if fraction >= 1.0 or now - last[0] >= PROGRESS_INTERVAL_S:
                last[0] = now
                bridge.progress.emit(job, float(fraction), message or "")

        try:
            result = job.fn(progress, job.cancel_token)
        except Cancelled:
            bridge.done.emit(job, "cancelled", None)
        except Exception as exc:  # every failure must reach the user, never kill the worker silently
            bridge.done.emit(job, "failed", describe_error(exc))
        else:
            if job.is_cancelled:
                bridge.done.emit(job, "cancelled", None)
            else:
                bridge.done.emit(job, "finished", result)


class JobRunner(QObject):
    """A single-worker queue for model jobs: one job on the device at a time, the rest wait in order."""

    started = Signal(object)                # job
    progress = Signal(object, float, str)   # job, fraction, message (throttled to <= ~10/s)
    partial = Signal(object, object)        # job, intermediate result from job.emit_partial
    finished = Signal(object, object)       # job, result
    failed = Signal(object, str)            # job, message
    cancelled = Signal(object)              # job
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._bridge = _JobBridge(self)
        self._bridge.started.connect(self._on_started)
        self._bridge.progress.connect(self._on_progress)
        self._bridge.partial.connect(self._on_partial)
        self._bridge.done.connect(self._on_done)
        self._active: dict[int, _JobRunnable] = {}  # queued or running, in submission order

    @property
    def busy(self) -> bool:
        return bool(self._active)

    @property
    def jobs(self) -> list[Job]:
        """Queued and running jobs, oldest first."""
        return [runnable.job for runnable in self._active.values()]

    def submit(self, job: Job) -> Job:
        was_busy = self.busy
        job.state = "queued"
        job._bridge = self._bridge
        runnable = _JobRunnable(job, self._bridge)
        self._active[job.id] = runnable
        self._pool.start(runnable)
        if not was_busy:
            self.busy_changed.emit(True)
        return job

    def cancel(self, job: Job | None = None) -> None:
        """Cancel one job (default: the running one). A queued job is dropped without running."""
        if job is None:
            running = [j for j in self.jobs if j.state == "running"]
            if not running:
                return
            job = running[0]
        runnable = self._active.get(job.id)
        if runnable is None:
            return
        job.cancel_token.cancel()
        if job.state == "queued" and self._pool.tryTake(runnable):
            self._on_done(job, "cancelled", None)

    def cancel_all(self) -> None:
        for job in reversed(self.jobs):  # queued ones first, so none starts while the running one stops
            self.cancel(job)

    def wait(self, timeout_ms: int = 30000) -> bool:
        """Block until the queue is empty (True) or the timeout passes (False); reports are then delivered."""
        done = bool(self._pool.waitForDone(int(timeout_ms)))
        if done:  # deliver the finished/failed/cancelled reports still queued for this object
            QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        return done

    # --- reports from the worker thread, delivered on the GUI thread ---------------------------
    @Slot(object)
    def _on_started(self, job: Job) -> None:
        if job.state == "queued":
            job.state = "running"
            self.started.emit(job)

    @Slot(object, float, str)
    def _on_progress(self, job: Job, fraction: float, message: str) -> None:
        if job.id in self._active and not job.is_cancelled:
            self.progress.emit(job, fraction, message)

    @Slot(object, object)
    def _on_partial(self, job: Job, value: Any) -> None:
        if job.id in self._active and not job.is_cancelled:
            self.partial.emit(job, value)

    @Slot(object, str, object)
    def _on_done(self, job: Job, outcome: str, payload: Any) -> None:
        if self._active.pop(job.id, None) is None:
            return
        job.state = "done" if outcome == "finished" else outcome
        if outcome == "finished":
            job.result = payload
            self.finished.emit(job, payload)
        elif outcome == "failed":
            job.error = payload
            self.failed.emit(job, payload)
        else:
            self.cancelled.emit(job)
        if not self._active:
            self.busy_changed.emit(False)


class _CallBridge(QObject):
    """Delivers one background call's outcome on the GUI thread (its own slots run there)."""

    result = Signal(object)
    error = Signal(str, object)  # message, exception
    _raw_result = Signal(object)
    _raw_error = Signal(str, object)

    def __init__(self) -> None:
        super().__init__()
        self._raw_result.connect(self._deliver_result)
        self._raw_error.connect(self._deliver_error)

    @Slot(object)
    def _deliver_result(self, value: Any) -> None:
        _live_calls.discard(self)
        self.result.emit(value)

    @Slot(str, object)
    def _deliver_error(self, message: str, exc: BaseException) -> None:
        _live_calls.discard(self)
        self.error.emit(message, exc)


_live_calls: set[_CallBridge] = set()
_call_pool_lock = threading.Lock()
_call_pool: QThreadPool | None = None


def background_pool() -> QThreadPool:
    """The pool for one-off background calls (file loading): separate from the model-job queue."""
    global _call_pool
    with _call_pool_lock:
        if _call_pool is None:
            _call_pool = QThreadPool()
            _call_pool.setMaxThreadCount(2)
        return _call_pool


class _CallRunnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], bridge: _CallBridge) -> None:
        super().__init__()
        self.fn = fn
        self.bridge = bridge
        self.setAutoDelete(False)

    def run(self) -> None:
        below_the_window()
        try:
            value, failure = self.fn(), None
        except Exception as exc:  # reported to on_error on the GUI thread
            value, failure = None, exc
        try:
            if failure is None:
                self.bridge._raw_result.emit(value)
            else:
                self.bridge._raw_error.emit(describe_error(failure), failure)
        except RuntimeError:   # "Signal source has been deleted": the window (or a test) went while this ran;
            pass               # nobody is left to tell, and a traceback from a worker thread would only alarm


def run_in_thread(
    fn: Callable[[], Any],
    on_result: Callable[[Any], None],
    on_error: Callable[[str, BaseException], None],
) -> QObject:
    """Run ``fn()`` on a background thread; ``on_result(value)`` or ``on_error(message, exc)`` runs on the GUI thread.

    For one-off work such as opening a file, so the GUI thread never reads one. Returns the bridge
    object (its ``result``/``error`` signals may also be connected to); it is kept alive until done.
    """
    bridge = _CallBridge()
    bridge.result.connect(on_result)
    bridge.error.connect(on_error)
    bridge._runnable = _CallRunnable(fn, bridge)  # type: ignore[attr-defined]  # alive as long as the bridge
    _live_calls.add(bridge)
    background_pool().start(bridge._runnable)  # type: ignore[attr-defined]
    return bridge


def read_then_ask(
    owner: QObject,
    flag: str,
    read: Callable[[], Any],
    show: Callable[[Any], None],
    failed: Callable[[str, BaseException], None],
) -> bool:
    """A menu action that reads files, then asks in a dialog: ``read()`` on a worker, then ``show(value)`` on the GUI
    thread from a timer (a dialog's own event loop then runs as a menu action's would, not inside the worker's result
    slot), or ``failed(message, exc)``. ``owner``'s attribute ``flag`` is True meanwhile: a second click does
    nothing (False is returned). Tools ▸ Predict… and Models ▸ Adapt to this genome… read the model library so."""
    if getattr(owner, flag, False):
        return False
    setattr(owner, flag, True)

    def shown(value) -> None:
        setattr(owner, flag, False)
        show(value)

    def error(message: str, exc: BaseException) -> None:
        setattr(owner, flag, False)
        failed(message, exc)

    run_in_thread(read, lambda value: QTimer.singleShot(1, owner, lambda: shown(value)), error)
    return True


def wait_for_background(timeout_ms: int = 10000) -> bool:
    """Wait for one-off background calls to finish (on exit)."""
    return bool(background_pool().waitForDone(int(timeout_ms)))
