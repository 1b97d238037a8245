"""GUI test setup: offscreen Qt, a guard that fails any test leaving top-level widgets behind, and one that fails
any test during which an exception escaped a Qt slot (PySide6 prints those and goes on: a user sees a traceback)."""
from __future__ import annotations

import gc
import os
import sys
import traceback

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu  # noqa: E402


def _flush_deletes() -> None:
    gc.collect()  # pyqtgraph's parentless context menus go when their plot items are collected
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def _pyqtgraph_menu(widget) -> bool:
    """A hidden context menu pyqtgraph made without a parent (or a popup inside one): not a window the test left
    open. pyqtgraph plots create them parentless; they go when Python collects the plot item, which a reference
    cycle or start-up's gc.freeze() can delay past the test."""
    root = widget
    while root.parent() is not None:
        root = root.parent()
    return isinstance(root, QMenu) and not root.isVisible()


@pytest.fixture(autouse=True)
def fail_on_leaked_widgets(qapp):
    """napari's guard: a test must close and delete every top-level widget it made (qtbot.addWidget does)."""
    before = {id(w) for w in QApplication.topLevelWidgets()}
    yield
    _flush_deletes()
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in before]
    menus = [w for w in leaked if _pyqtgraph_menu(w)]
    leaked = [w for w in leaked if not _pyqtgraph_menu(w)]
    for menu in menus:
        if menu.parent() is None:
            menu.deleteLater()
    if leaked:
        names = ", ".join(f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})" for w in leaked)
        for widget in leaked:
            widget.close()
            widget.deleteLater()
        _flush_deletes()
        pytest.fail(f"test leaked top-level widgets: {names}")


@pytest.fixture(autouse=True)
def fail_on_slot_exceptions(monkeypatch):
    """An exception raised in a slot, timer or event handler reaches ``sys.excepthook`` (PySide6 prints it and the
    app goes on); record it and fail the test, as pytest-qt's ``qt_no_exception_capture`` off would, but for every
    GUI test including those that run their own event loops."""
    caught: list[str] = []

    def hook(kind, value, tb):
        caught.append("".join(traceback.format_exception(kind, value, tb)))

    monkeypatch.setattr(sys, "excepthook", hook)
    yield caught
    _flush_deletes()
    if caught:
        pytest.fail("an exception escaped a Qt slot during the test:\n" + "\n".join(caught), pytrace=False)


@pytest.fixture(autouse=True)
def trainers_imported_at_next(monkeypatch):
    """Tests walk the wizard's pages with synchronous ``next()`` calls: the Model page imports a trainer there
    instead of on a worker (the worker path: tests/gui/test_s16_wizard_trainer_offthread.py)."""
    import genoview.gui.wizard as wizard

    monkeypatch.setattr(wizard, "IMPORT_TRAINERS_ON_WORKER", False)


@pytest.fixture
def errors(monkeypatch):
    """QMessageBox.critical patched so a test never blocks on a modal box; records (title, text) it would show."""
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a, **k: shown.append((title, text)))
    return shown


@pytest.fixture
def make_window(qtbot):
    """A factory of shown main windows (each with its own session and job runner), closed by qtbot."""
    from genoview.gui.main_window import MainWindow
    from genoview.gui.session import Session
    from genoview.gui.workers import JobRunner
    from genoview.settings import load_settings

    def make(settings=None, size=(1000, 600)):
        window = MainWindow(Session(), JobRunner(), settings if settings is not None else load_settings())
        window.session.setParent(window)
        window.runner.setParent(window)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        return window

    return make


@pytest.fixture
def session(qapp, data_dir):
    """A Session holding the small GUI test genome (guib_small.fa + .gff3); test files may define their own."""
    from genoview.core.genome import open_genome
    from genoview.gui.session import Session

    genome = open_genome(data_dir / "guib_small.fa", data_dir / "guib_small.gff3")
    session = Session()
    session.set_genome(genome)
    yield session
    genome.close()


@pytest.fixture
def runner(qapp):
    """A JobRunner that cancels and drains its jobs and the background writers (cache, imports) at teardown."""
    from genoview.gui.workers import JobRunner, wait_for_background

    runner = JobRunner()
    yield runner
    runner.cancel_all()
    assert runner.wait(10000)
    assert wait_for_background(60000)  # cache writes; the start-up import of torch and transformers


@pytest.fixture
def open_example_window(qtbot):
    """open(fasta, annotation): a non-interactive main window (as `genoview gui` makes it) with that genome loaded;
    open() is the example genome with its annotation, open(fasta) a FASTA alone; ``size=(w, h)``: resized and shown
    before the genome opens."""
    from genoview.app import create_main_window
    from genoview.gui.start_page import EXAMPLE_ANNOTATION, EXAMPLE_GENOME
    from genoview.settings import Settings

    def open_(fasta=None, *annotation, settings=None, size=None):
        if fasta is None:
            fasta, annotation = EXAMPLE_GENOME, (EXAMPLE_ANNOTATION,)
        window = create_main_window(settings if settings is not None else Settings())
        window.interactive = False
        window.remember_layout = False
        qtbot.addWidget(window)
        if size is not None:
            window.resize(*size)
            window.show()
        with qtbot.waitSignal(window.genome_loaded, timeout=20000):
            window.open_genome(fasta, *annotation)
        return window

    return open_


@pytest.fixture
def fake_prepared_modules(tmp_path, monkeypatch):
    """make(count): the names of ``count`` tiny importable modules of a fresh package (not yet imported), for the
    wizard's idle-time import chain (``genoview.gui.wizard.prepare_while_idle``)."""
    def make(count: int = 3) -> list[str]:
        package = tmp_path / "fake_prepared"
        package.mkdir(exist_ok=True)
        (package / "__init__.py").write_text("")
        names = []
        for i in range(count):
            (package / f"m{i}.py").write_text(f"VALUE = {i}\n")
            names.append(f"fake_prepared.m{i}")
        monkeypatch.syspath_prepend(str(tmp_path))
        for name in names + ["fake_prepared"]:
            monkeypatch.delitem(sys.modules, name, raising=False)
        return names

    return make


@pytest.fixture
def resumable_wizard(qtbot, tmp_path, monkeypatch):
    """make(checkpoint) -> (wizard, run_page, started): a training wizard whose run page starts no child process
    (``started`` collects each start's ``resume`` flag) and whose unfinished run is ``checkpoint``
    (``runner.unfinished_run``'s record)."""
    from types import SimpleNamespace

    import genoview.core.training.runner as runner
    from genoview.gui.wizard import TrainingWizard

    def make(checkpoint):
        wizard = TrainingWizard()
        wizard.ask_before_closing = False
        qtbot.addWidget(wizard)
        wizard.values.update(name="resumed-run", task="gene-track", architecture="genecnn")
        wizard.spec = SimpleNamespace(eval_every=50, split="fraction", test_from=0.7, test_to=1.0)
        run = wizard.run_page
        monkeypatch.setattr(wizard, "save_spec_file", lambda spec, probe=False: tmp_path / "spec.json")
        started = []
        monkeypatch.setattr(run.process, "start", lambda spec, out, name, resume=False: started.append(resume))
        monkeypatch.setattr(runner, "unfinished_run", lambda out: checkpoint)
        return wizard, run, started

    return make


@pytest.fixture
def wizard(qtbot):
    """A training wizard that does not ask before closing; afterwards its Review probe and any training child it
    started are stopped."""
    from genoview.gui.wizard import TrainingWizard

    w = TrainingWizard()
    w.ask_before_closing = False
    qtbot.addWidget(w)
    yield w
    if w.run_page.process.running:
        w.run_page.process.cancel()
        w.run_page.process.wait(30000)
    w.review_page.stop_probe()
