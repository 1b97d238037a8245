"""The one place where core and GUI are wired: the window, the session, the job queue and the panels.

``main(argv)`` runs the ``genoview gui`` command; ``launch(args)`` starts Qt for parsed arguments,
either interactively or in headless screenshot mode (open, navigate, optionally predict, evaluate,
save ``QWidget.grab()`` as PNG, exit).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel

from genoview.gui.dialogs.predict import draft_contigs
from genoview.gui.main_window import MainWindow
from genoview.gui.session import Session
from genoview.gui.startup import application   # there: light to import before the splash
from genoview.gui.workers import JobRunner
from genoview.settings import Settings, load_settings

SCREENSHOT_SIZE = (1600, 1000)   # --screenshot's window without --width / --height
SCREENSHOT_TIMEOUT_S = 900  # give up (exit 1) if a headless screenshot cannot be taken in this time
EVALUATION_WAIT_MS = 60_000

EVALUATION_MIN_WIDTH = 320  # pixels: the evaluation dock's width when it first appears, at least
EVALUATION_MAX_SHARE = 0.3   # ... and at most this share of the window: the genome view keeps the larger part
TRACK_LIST_WIDTH = 170
TRACK_LIST_MIN_WINDOW = 1200   # narrower windows keep the genome view's width; View ▸ Track list shows it


def import_model_core() -> None:
    """Import torch's C core (and pyrodigal's) before the window exists. On the start-up warm-up thread its import
    held the interpreter lock, so the window froze: 0.1-0.2 s at a time on an idle machine, 2.4 s on a busy one. Here
    it delays the first window by about 1 s instead, with nothing on screen to freeze."""
    import gc
    import importlib

    collecting = gc.isenabled()
    gc.disable()   # two full collections over torch's new objects cost 0.13 s of the start
    try:
        for module in ("torch", "pyrodigal"):   # pyrodigal: gene calls' C extension, whose module init holds the
            try:   # interpreter lock ~40 ms; on the niced warm-up thread of a busy machine that froze the shown
                importlib.import_module(module)   # window 140-190 ms (2 busy processes on 2 cores)
            except ImportError:   # a build without it: the warm-up or the gene calls say what is missing
                pass
    finally:
        if collecting:
            gc.enable()
    gc.freeze()   # what start-up made so far lives as long as the app: full collections need not rescan it


def create_main_window(settings: Settings | None = None) -> MainWindow:
    """A main window with its session and job queue, plus prediction, evaluation and export."""
    import_model_core()
    settings = settings if settings is not None else load_settings()
    session = Session()
    runner = JobRunner()
    session.set_threshold(settings.threshold)
    window = MainWindow(session, runner, settings)
    session.setParent(window)
    runner.setParent(window)
    _add_prediction(window)
    _add_track_list(window)
    _add_evaluation(window)
    _add_export(window)
    from genoview.gui.dialogs.adapt import install_adapt_action   # issue 12: Models > Adapt to this genome…
    from genoview.gui.panels.disagreements import install_gene_calls   # issue 12: gene-calls row + disagreements

    install_gene_calls(window)
    install_adapt_action(window)
    _add_evaluation_export(window)   # last: it was added before the track exports, and came first in File ▸ Export
    window.restore_layout()  # the docks too, now that they all exist (MainWindow restored the geometry alone)
    QTimer.singleShot(0, window.view, window.view.warm_up)   # the context: never after the view is gone
    return window


def _add_prediction(window: MainWindow) -> None:
    from genoview.gui.dialogs.predict import ask_and_predict
    from genoview.gui.predict_controller import PredictController

    controller = PredictController(window.session, window.runner, window)
    window.predict_controller = controller
    action = QAction("&Predict…", window)
    action.setShortcut("Ctrl+P")
    action.setStatusTip("Run a model over the genome and show its gene-probability track")
    action.triggered.connect(lambda: ask_and_predict(window, controller))   # the models are read on a worker
    window.add_tool_action(action)
    window.predict_action = action
    controller.failed.connect(lambda message: window.report_error("Prediction failed", message))
    controller.cancelled.connect(lambda: window.statusBar().showMessage("Prediction cancelled", 8000))
    window.device_label = QLabel()
    show_device(window.device_label, controller.device_text)
    controller.device_changed.connect(lambda text: show_device(window.device_label, text))
    window.statusBar().addPermanentWidget(window.device_label)


def show_device(label: QLabel, text: str) -> None:
    """One wording for where models run: 'Models run on: CPU' (the details, e.g. threads, in the tooltip: the thread
    count changes while a prediction runs, which read as unexplained changes of device in the status bar)."""
    from genoview.gui.predict_controller import DEVICE_PENDING_TEXT

    pending = text == DEVICE_PENDING_TEXT
    device, _, details = text.partition(" (")
    label.setText("Models run on: checking…" if pending else f"Models run on: {device}")
    label.setToolTip(
        ("" if pending else f"{text}\n\n")
        + "Where predictions run: the first available of a CUDA GPU, Apple MPS and the CPU (choose another "
        "device in Tools ▸ Predict…). On the CPU the thread count is how many cores the model uses; while a "
        "prediction runs, one core is left to the window, so it is one lower then.")


def _add_track_list(window: MainWindow) -> None:
    from genoview.gui.panels.tracks import TrackListPanel

    panel = TrackListPanel(window.session, window)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, panel)
    panel.hide()
    window.track_panel = panel
    toggle = panel.toggleViewAction()
    toggle.setText("&Track list")
    toggle.setShortcut("Ctrl+Shift+T")
    window.view_menu.addSeparator()
    window.view_menu.addAction(toggle)
    shown_once = [False]

    def show_with_first_track() -> None:   # once: a user who closed it keeps it closed
        if window.session.tracks and not shown_once[0]:
            shown_once[0] = True
            if not panel.isVisible() and window.width() >= TRACK_LIST_MIN_WINDOW:
                panel.show()
                window.resizeDocks([panel], [TRACK_LIST_WIDTH], Qt.Orientation.Horizontal)

    # shown a turn after the first track's row is added (both at once paused the window twice as long); a 1 ms timer,
    # not 0: a 0 ms single shot is a posted event, run before the window paints or takes input
    window.session.tracks_changed.connect(lambda: QTimer.singleShot(1, panel, show_with_first_track))
    window.view.track_menu_requested.connect(panel.show_menu_for)


def _add_evaluation(window: MainWindow) -> None:
    from genoview.gui.panels.evaluation import EvaluationPanel

    panel = EvaluationPanel(window.session, window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, panel)
    panel.hide()
    window.evaluation_panel = panel
    window.view_menu.addSeparator()
    toggle = panel.toggleViewAction()
    toggle.setText("&Evaluation panel")
    toggle.setShortcut("Ctrl+E")
    window.view_menu.addAction(toggle)
    # shown by the user (Ctrl+E, the menu): the keys go to it, as with Ctrl+M; shown for a new track, they stay put
    toggle.triggered.connect(lambda checked: panel.track_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)
                             if checked else None)
    # shown once there is something to evaluate: an annotation and a track, whichever comes last (files opened one by
    # one included: annotation_changed); never empty, and at most EVALUATION_MAX_SHARE of the window's width
    shown_for = [None]

    def show_panel() -> None:
        genome = window.session.genome
        if genome is None or not genome.features or not window.session.tracks or panel.isVisible():
            return
        if shown_for[0] is genome:   # the user closed it for this genome: leave it closed
            return
        shown_for[0] = genome
        panel.show()
        width = max(EVALUATION_MIN_WIDTH, min(panel.sizeHint().width(), int(window.width() * EVALUATION_MAX_SHARE)))
        window.resizeDocks([panel], [width], Qt.Orientation.Horizontal)

    window.session.genome_changed.connect(lambda genome: show_panel())
    window.session.annotation_changed.connect(show_panel)
    # a turn after the track list: a timer started by a timer is due only after the pass that ran the first (two timers
    # from the same moment were both overdue after the new row's layout, and both docks' layouts ran at once: 60 ms)
    window.session.tracks_changed.connect(lambda: QTimer.singleShot(1, panel, lambda: QTimer.singleShot(1, panel, show_panel)))


def _add_evaluation_export(window: MainWindow) -> None:
    """File ▸ Export ▸ Evaluation: the evaluation panel's Export menu, where users look for every export; greyed
    until a track is evaluated; after the other exports, past a separator."""
    menu, panel = getattr(window, "export_menu", None), getattr(window, "evaluation_panel", None)
    if menu is None or panel is None:
        return
    evaluation = panel._export_menu()
    evaluation.setTitle("Evaluation")
    menu.addSeparator()
    menu.addMenu(evaluation)
    evaluation.menuAction().setToolTip("The evaluation panel's metrics, curves and plots (evaluate a track first)")
    menu.aboutToShow.connect(lambda: evaluation.menuAction().setEnabled(getattr(panel, "result", None) is not None))
    window.export_evaluation_menu = evaluation


def _add_export(window: MainWindow) -> None:
    from genoview.gui.export import install_export_actions

    window.export_actions = install_export_actions(window.export_menu, window.session, window.view)


class ScreenshotRun:
    """Headless steps: open -> go to the locus -> predict (optional) -> evaluate -> save the PNG -> exit."""

    def __init__(self, window: MainWindow, args: Any) -> None:
        self.window = window
        self.args = args
        self.exit_code = 1
        self.loop = QEventLoop()
        window.interactive = False
        window.remember_layout = False
        window.genome_loaded.connect(self._on_loaded)
        window.load_failed.connect(lambda message: self._fail(message))
        self._guard = QTimer(window)
        self._guard.setSingleShot(True)
        self._guard.timeout.connect(lambda: self._fail(f"no screenshot after {SCREENSHOT_TIMEOUT_S} s"))

    def start(self) -> None:
        self._guard.start(SCREENSHOT_TIMEOUT_S * 1000)
        self.window.open_genome(self.args.fasta, self.args.gff)

    def _go_to_locus(self) -> bool:
        if self.args.locus and not self.window.go_to(self.args.locus):
            message = self.window.statusBar().whole_message()   # names what was typed (never elided)
            offered = self.window.go_to_box.offered()   # the list the window shows under the box: print it here
            if offered:
                shown = "\n  ".join(line if line.startswith(target) else f"{target}   ({line})"
                                     for target, line in offered[:20])
                shown += f"\n  ... and {len(offered) - 20} more" if len(offered) > 20 else ""
                message = message.replace("choose one from the list", "give one of these as --locus") + ":\n  " + shown
            self._fail(f"--locus: {message}")
            return False
        return True

    def _on_loaded(self, genome) -> None:
        if not self._go_to_locus():
            return
        if not self.args.model:
            self._save()
            return
        controller = self.window.predict_controller
        controller.finished.connect(lambda key: self._after_prediction())
        controller.failed.connect(self._fail)
        controller.cancelled.connect(lambda: self._fail("prediction cancelled"))
        seqids = draft_contigs(genome) or [self.window.session.seqid]   # a draft: all its contigs, as the dialog
        what = self.window.session.seqid if len(seqids) == 1 else f"all {len(seqids)} sequences"
        print(f"genoview gui: predicting {what} with {self.args.model}…", file=sys.stderr)
        controller.predict(self.args.model, seqids, None, self.args.device or "auto")

    def _after_prediction(self) -> None:
        panel = self.window.evaluation_panel
        panel.show()
        self._go_to_locus()
        waited = QTimer(self.window)
        waited.setSingleShot(True)
        waited.timeout.connect(self._save)
        saving = []

        def save_once() -> None:
            if not saving:
                saving.append(True)
                waited.stop()
                QTimer.singleShot(100, self._save_when_calls_done)

        panel.evaluated.connect(lambda result: save_once())
        waited.start(EVALUATION_WAIT_MS)
        panel.evaluate_now()
        if panel.result is not None and panel.result.scope == panel.current_scope():
            save_once()   # evaluated already (a draft's tracks come before its job ends): no signal would come

    def _save_when_calls_done(self) -> None:
        """Save once the prediction's gene-calls job (gene-calls row, disagreements dock) is done too, so the
        picture shows what a user sees a moment later; at most EVALUATION_WAIT_MS more."""
        runner = self.window.runner

        def calls_running() -> bool:
            return any(getattr(job, "context", None) == "gene-calls" for job in runner.jobs)

        if not calls_running():
            self._save()
            return
        waited = QTimer(self.window)
        waited.setSingleShot(True)
        waited.timeout.connect(self._save)
        waited.start(EVALUATION_WAIT_MS)

        def job_done(*_args) -> None:
            if not calls_running() and waited.isActive():
                waited.stop()
                QTimer.singleShot(500, self._save)   # the dock appears a turn later and fills its table in slices

        for signal in (runner.finished, runner.failed, runner.cancelled):
            signal.connect(job_done)

    def _save(self) -> None:
        if self.exit_code == 0:
            return
        app = QApplication.instance()
        self.window.view.flush()
        for _ in range(3):
            app.processEvents()
        out = Path(self.args.screenshot)
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")   # the target replaced only by a whole PNG
        if not self.window.grab().save(str(tmp), "PNG"):
            tmp.unlink(missing_ok=True)
            self._fail(f"could not write {out}")
            return
        os.replace(tmp, out)
        print(f"genoview gui: saved {out} ({self.window.width()}x{self.window.height()})", file=sys.stderr)
        self.exit_code = 0
        self._finish()

    def _fail(self, message: str) -> None:
        if self.exit_code == 0:
            return
        print(f"genoview gui: error: {message}", file=sys.stderr)
        self.exit_code = 2
        self._finish()

    def _finish(self) -> None:
        self._guard.stop()
        QTimer.singleShot(0, self.window.close)
        QTimer.singleShot(0, self.loop.quit)

    def run(self) -> int:
        """Run the steps in a local event loop (not app.exec(), so the application is not shut down)."""
        QTimer.singleShot(0, self.start)
        self.loop.exec()
        return self.exit_code


def launch(args: Any, splash: Any = None) -> int:
    """Start the GUI for parsed ``genoview gui`` arguments (``cli/gui.py`` has checked the system libraries Qt
    needs); returns the exit code. ``splash``: the start-up splash it showed before importing this module; closed once
    the window shows."""
    app = application()
    window = create_main_window()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if args.screenshot:
        window.resize(args.width or SCREENSHOT_SIZE[0], args.height or SCREENSHOT_SIZE[1])
        window.show()
        return ScreenshotRun(window, args).run()
    if args.width or args.height:   # given: that size; else the last window's (restore_layout), fitted to the screen
        window.resize(args.width or window.width(), args.height or window.height())
    window.show()
    if splash is not None:
        splash.finish(window)   # closes when the window is on screen
    open_from_command_line(window, args)
    return int(app.exec())


def open_from_command_line(window: Any, args: Any) -> None:
    """Open what ``genoview gui`` was given: a session, or a genome with --locus and --model run once it has loaded.
    Those two wait for this genome only: a genome that fails to load, or a track file given instead of a genome,
    leaves nothing waiting (rev18b: --locus and --model stayed connected and went to whatever genome the user opened
    next, a prediction started on it)."""
    if args.fasta and args.fasta.lower().endswith(".json"):   # `genoview my.genoview.json`: reopen a session
        window.open_session(args.fasta)
        return
    if not args.fasta:
        return
    from genoview.core.track_files import is_track_file

    waiting = []
    if args.locus:
        waiting.append(lambda genome: window.go_to(args.locus))
    if args.model:
        waiting.append(lambda genome: window.predict_controller.predict(
            args.model, draft_contigs(genome), device=args.device or "auto"))   # a draft: all contigs
    if waiting and args.gff is None and is_track_file(args.fasta):   # it opens as a track, on no genome of its own
        given = " and ".join(f"--{name}" for name in ("locus", "model") if getattr(args, name))
        print(f"genoview gui: {given} not used: {os.path.basename(args.fasta)} is a track, not a genome",
              file=sys.stderr)
        waiting = []
    for slot in waiting:
        window.after_genome_loads(slot)
    window.open_genome(args.fasta, args.gff)


def main(argv: list[str] | None = None) -> int:
    """``python -m genoview.app [FASTA] [--gff G] ...``: the same as ``genoview gui``."""
    from genoview.cli import main as cli_main

    return cli_main(["gui", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
