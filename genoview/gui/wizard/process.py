"""A training run in a child process (`genoview train --spec ... --progress json`), read line by line.

The GUI keeps its threads and survives a crash of the run: QProcess delivers stdout on the event loop, each
line is one JSON event (start, message, log, eval, progress, done, error), parsed here and re-emitted as a
dict. Stop creates the run's stop file (the child evaluates, keeps the best weights and finishes a usable
model); Cancel kills the child and discards its unfinished folder; Resume starts it again with ``--resume``.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, Signal

# The child runs at a lower CPU priority (nice 5, where the platform has it): when cores are short the
# window's thread is scheduled first, so drawing never waits behind training (bench/train_gui_bench.py).
CHILD_NICE = 5
CLI = ["-c", "import os, sys\n"
             f"if hasattr(os, 'nice'): os.nice({CHILD_NICE})\n"
             "from genoview.cli import main; sys.exit(main())"]


def train_arguments(spec_path: str | os.PathLike, out_dir: str | os.PathLike, name: str, stop_file: str | os.PathLike,
                    resume: bool = False) -> list[str]:
    """The child's arguments after the Python executable (the same command a user can type as `genoview ...`)."""
    args = [*CLI, "train", "--spec", str(spec_path), "--out", str(out_dir), "--name", name, "--progress", "json",
            "--stop-file", str(stop_file)]
    if resume:
        args.append("--resume")
    return args


class TrainingProcess(QObject):
    """One training child at a time; ``event`` carries each JSON line as a dict."""

    event = Signal(dict)
    output = Signal(str)            # a line that is not JSON (stderr, warnings)
    ended = Signal(str, int)        # "finished" | "stopped" | "paused" | "cancelled" | "failed" | "crashed", exit code

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.process: QProcess | None = None
        self.out_dir: Path | None = None
        self.stop_file: Path | None = None
        self._buffer = b""
        self._cancelling = False
        self._stopping = False
        self._pausing = False
        self.done_event: dict | None = None
        self.error_event: dict | None = None
        self.json_events = True
        self.child_pid = 0   # the running child's pid (its train run in the store carries it)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.state() != QProcess.ProcessState.NotRunning

    def start_command(self, program: str, arguments: list[str], out_dir: str | os.PathLike | None = None,
                      stop_file: str | os.PathLike | None = None, json_events: bool = False) -> None:
        """Start any child; with ``json_events`` it succeeds only once it sent its "done" event (genoview train),
        otherwise exit status 0 is success (e.g. genoview train-lm, which prints text)."""
        self.json_events = json_events
        if self.running:
            raise RuntimeError("a training run is already running")
        self.out_dir = Path(out_dir) if out_dir else None
        self.stop_file = Path(stop_file) if stop_file else None
        if self.stop_file is not None:
            self.stop_file.unlink(missing_ok=True)
        self._buffer = b""
        self._cancelling = self._stopping = self._pausing = False
        self.done_event = self.error_event = None
        self.child_pid = 0
        process = QProcess(self)
        process.started.connect(lambda p=process: setattr(self, "child_pid", int(p.processId())))
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONUNBUFFERED", "1")
        env.insert("TOKENIZERS_PARALLELISM", "false")
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        self.process = process
        process.start(program, arguments)

    def start(self, spec_path, out_dir, name: str, resume: bool = False) -> None:
        out_dir = Path(out_dir)
        stop_file = out_dir.parent / f".{out_dir.name}.stop"
        self.start_command(sys.executable, train_arguments(spec_path, out_dir, name, stop_file, resume),
                           out_dir, stop_file, json_events=True)

    def stop(self) -> None:
        """Finish early: the child evaluates, keeps the best checkpoint and writes a usable model."""
        if not self.running:
            return
        self._stopping = True
        if self.stop_file is not None:
            self.stop_file.touch()
        else:
            self.process.terminate()

    def pause(self) -> None:
        """Kill the child but keep its checkpoints: Resume (now or in a later session) continues from the newest."""
        if not self.running:
            return
        self._pausing = True
        self.process.kill()

    def cancel(self) -> None:
        """Kill the child and discard its unfinished run (nothing of it stays on disk)."""
        if not self.running:
            return
        self._cancelling = True
        self.process.kill()

    def _lines(self, data: bytes) -> list[str]:
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]

    def _read_stdout(self) -> None:
        for line in self._lines(bytes(self.process.readAllStandardOutput())):
            self._handle(line)

    def _handle(self, line: str) -> None:
        line = line.strip()
        if not line:
            return
        try:
            record = json.loads(line)
        except ValueError:
            self.output.emit(line)
            return
        if not isinstance(record, dict) or "event" not in record:
            self.output.emit(line)
            return
        if record["event"] == "done":
            self.done_event = record
        elif record["event"] == "error":
            self.error_event = record
        self.event.emit(record)

    def _read_stderr(self) -> None:
        text = bytes(self.process.readAllStandardError()).decode("utf-8", "replace")
        for line in text.splitlines():
            if line.strip():
                self.output.emit(line)

    def _error(self, error) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.output.emit(f"the training process could not start: {self.process.errorString()}")
            self.ended.emit("failed", -1)

    def _finished(self, code: int, status) -> None:
        if self._buffer:
            self._handle(self._buffer.decode("utf-8", "replace"))
            self._buffer = b""
        if self.stop_file is not None:
            self.stop_file.unlink(missing_ok=True)
        # Pause and Cancel kill the child (a crash exit); a child that exited normally ended on its own before the kill
        # landed (finished, or failed and recorded so): its own outcome wins, in the window as in the store
        killed = status == QProcess.ExitStatus.CrashExit
        if code == 0 and not killed and (self.done_event is not None or not self.json_events):
            outcome = "stopped" if self._stopping else "finished"
        elif self._cancelling and killed:
            outcome = "cancelled"
            self._record_killed_run("cancelled", "cancelled in the training wizard: its unfinished run was discarded")
        elif self._pausing and killed:
            outcome = "paused"
            self._record_killed_run("paused", "paused in the training wizard: Resume (the wizard, same model name, "
                                              "or genoview train --spec ... --resume) continues it from its checkpoint")
        elif killed:
            outcome = "crashed"
        else:
            outcome = "failed"
        if self._cancelling and outcome not in ("finished", "stopped"):   # what Cancel promised: nothing of it kept
            from genoview.core.training.runner import discard_unfinished

            if self.out_dir is not None:
                discard_unfinished(self.out_dir)
        self.ended.emit(outcome, int(code))

    def _record_killed_run(self, status: str, message: str) -> None:
        """The store's record of a child this wizard killed on purpose (Pause, Cancel): it stayed "running" until the
        next start marked it "failed", and the library's Training runs tab and `genoview runs` listed a paused or
        cancelled run as failed (walked under Xvfb, session 16). Written on a worker (the store may wait for
        another process's write)."""
        pid = self.child_pid
        if not pid:
            return
        from genoview.gui.workers import run_in_thread

        self._record_bridge = run_in_thread(lambda: mark_killed_run(pid, status, message), lambda _: None,
                                            lambda *_: None)

    def wait(self, ms: int = 30000) -> bool:
        return self.process is None or self.process.waitForFinished(ms)


def mark_killed_run(pid: int, status: str, message: str) -> int | None:
    """Close the train run of the child ``pid`` (this host) with ``status``; its id, or None when none is found (a
    child killed before it recorded its run)."""
    from genoview.core.store import HOST, open_store

    store = open_store()
    for run in store.runs(kind="train", limit=50):
        if run.get("pid") == pid and run.get("host") == HOST:
            # the run's own final status, written before the kill landed, wins (one conditional UPDATE: no window
            # between reading the status here and writing it)
            return run["id"] if store.close_killed_run(run["id"], status, message) else None
    return None
