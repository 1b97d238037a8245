"""JobRunner and run_in_thread: signals on the GUI thread, progress, cancel, errors, one job at a time."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from genoview.core.errors import GenoViewInputError
from genoview.gui.workers import Job, JobRunner, run_in_thread


def test_job_result_and_progress_arrive_on_gui_thread(qtbot, runner):
    seen = []
    runner.progress.connect(lambda job, f, msg: seen.append((f, msg, QThread.currentThread() is qtbot_thread())))

    def work(progress, cancel):
        progress(0.5, "half")
        progress(1.0, "done")
        return 42

    with qtbot.waitSignal(runner.finished, timeout=5000) as blocker:
        job = runner.submit(Job("answer", work))
    assert blocker.args == [job, 42]
    assert job.state == "done" and job.result == 42
    assert seen and all(on_gui for _, _, on_gui in seen)
    assert seen[-1][:2] == (1.0, "done")
    assert not runner.busy


def qtbot_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_progress_is_throttled(qtbot, runner):
    seen = []
    runner.progress.connect(lambda job, f, msg: seen.append(f))

    def chatty(progress, cancel):
        for i in range(10000):
            progress(i / 10000)
        progress(1.0)

    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.submit(Job("chatty", chatty))
    assert 1 <= len(seen) < 50
    assert seen[-1] == 1.0


def test_input_error_reports_its_message(qtbot, runner):
    def bad(progress, cancel):
        raise GenoViewInputError("end before start", path="x.gff", line=3)

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        job = runner.submit(Job("bad", bad))
    assert blocker.args == [job, "x.gff, line 3: end before start"]
    assert job.state == "failed"


def test_unexpected_error_gives_short_summary(qtbot, runner):
    def broken(progress, cancel):
        return 1 / 0

    with qtbot.waitSignal(runner.failed, timeout=5000) as blocker:
        runner.submit(Job("broken", broken))
    assert blocker.args[1].startswith("ZeroDivisionError: division by zero (in broken")


def test_cancel_running_and_queued_jobs(qtbot, runner):
    started = threading.Event()

    def long(progress, cancel):
        started.set()
        while True:
            cancel.check()
            started.wait(0.005)

    ran_second = []
    first = runner.submit(Job("long", long))
    second = runner.submit(Job("queued", lambda p, c: ran_second.append(1)))
    qtbot.waitUntil(lambda: first.state == "running", timeout=5000)
    cancelled = []
    runner.cancelled.connect(cancelled.append)
    runner.cancel_all()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert cancelled == [second, first]
    assert first.state == second.state == "cancelled"
    assert ran_second == []


def test_single_worker_runs_jobs_in_order(qtbot, runner):
    active = []
    overlap = []
    order = []
    lock = threading.Lock()

    def make(i):
        def work(progress, cancel):
            with lock:
                active.append(i)
                overlap.append(len(active))
            threading.Event().wait(0.01)
            with lock:
                active.remove(i)
            order.append(i)
            return i

        return work

    with qtbot.waitSignal(runner.busy_changed, timeout=10000, check_params_cb=lambda busy: not busy):
        for i in range(5):
            runner.submit(Job(f"job {i}", make(i)))
    assert order == [0, 1, 2, 3, 4]
    assert max(overlap) == 1


def test_partial_results_reach_gui_thread(qtbot, runner):
    got = []
    runner.partial.connect(lambda job, value: got.append((value, QThread.currentThread() is qtbot_thread())))

    def tiles(progress, cancel):
        for i in range(3):
            job.emit_partial(i)
        return "ok"

    job = Job("tiles", tiles)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.submit(job)
    assert got == [(0, True), (1, True), (2, True)]


def test_wait_returns_when_queue_empties(qtbot, runner):
    gate = threading.Event()
    runner.submit(Job("gated", lambda p, c: gate.wait(5)))
    finished = []
    runner.finished.connect(lambda job, result: finished.append(result))
    assert runner.wait(50) is False
    gate.set()
    assert runner.wait(5000) is True
    assert finished == [True] and not runner.busy  # reports are delivered by wait()


def test_run_in_thread_result_and_error(qtbot):
    results, errors = [], []
    main = qtbot_thread()
    run_in_thread(
        lambda: threading.current_thread().name,
        lambda value: results.append((value, QThread.currentThread() is main)),
        lambda message, exc: errors.append(message),
    )
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results[0][1] is True and results[0][0] != threading.main_thread().name

    def fail():
        raise GenoViewInputError("not a FASTA file", path="a.fa", line=1)

    run_in_thread(fail, results.append, lambda m, e: errors.append((m, type(e))))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == [("a.fa, line 1: not a FASTA file", GenoViewInputError)]
