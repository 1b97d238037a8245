"""Run a model over a genome in the background and fill probability tracks live as tiles finish.

The work is core's one prediction path (``core.prediction.predict``, a generator of events), iterated on
the JobRunner's worker thread: the cache lookup (which hashes the model's files), reading a cached
prediction, loading the model, predicting, saving to the cache and recording the run all happen there.
Events come back through ``job.emit_partial``: cached slices and tiles (uint16 codes) are queued on the
GUI thread and written into the session at most five times a second, at most :data:`DELIVERY_SLICE` bases per
event-loop turn: a whole-sequence model (GeneORF) hands a whole genome over at once, and writing it in one go
(the session, the evaluation panel's bookkeeping, the view's queue) paused the window for tens of milliseconds.
A finished job says so (``finished``) only once its last slice is in the session. Before a new track's row
appears (predicted or read from the cache) the worker waits for it to be laid out and painted.
While predicting on the CPU, torch leaves one core to the GUI. Cancelled or failed jobs leave nothing.
"""
from __future__ import annotations

import gc
import importlib
import os
import threading
import time
from collections import deque
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from genoview.core.device import describe_device, pick_device
from genoview.core.errors import GenoViewInputError
from genoview.core.prediction import MODEL_LOCK, model_label, part_of_a_sequence_stage
from genoview.core.tracks import NOT_PREDICTED
from genoview.gui.genome_view.colors import track_color
from genoview.gui.session import ProbabilityTrack, Session
from genoview.gui.workers import Job, JobRunner, run_in_thread

WARM_UP_DELAY_MS = 400   # the model runtime warms up this long after the window is made
FLUSH_INTERVAL_MS = 200  # at most ~5 track redraws a second while tiles stream in
DELIVERY_SLICE = 1 << 20  # bases written into the session per event-loop turn (a 4.6 Mb genome: five turns)
DEVICE_PENDING_TEXT = "device: auto"  # until the background check of the device answers
RUNTIME_LOCK = MODEL_LOCK  # one thread at a time imports the model runtime or loads a model (core's lock)
PLANNED_WAIT_S = 2.0  # the worker waits at most this long for the GUI to add a planned track's row
PLANNED_PAINT_MS = 40  # ... and then this long, for the first paint of that row
TRACK_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf")


def format_eta(seconds: float) -> str:
    """'ETA 42 s', 'ETA 3 min 05 s', 'ETA 1 h 02 min'."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"ETA {seconds} s"
    if seconds < 3600:
        return f"ETA {seconds // 60} min {seconds % 60:02d} s"
    return f"ETA {seconds // 3600} h {seconds % 3600 // 60:02d} min"


@dataclass
class SequenceTarget:
    """One sequence of a prediction and the track it fills."""

    seqid: str
    start: int
    end: int
    track_key: str
    from_cache: bool = False   # the store held it; nothing predicted
    created_track: bool = False


@dataclass
class PredictionContext:
    """A prediction job's bookkeeping, kept in ``job.context``."""

    model: str
    params: dict
    targets: list[SequenceTarget]
    genome: object = None      # the genome it predicts: its reports are dropped once another genome is open


class TorchThreadsSparingOneCore:
    """Run torch on all cores but one while a GUI prediction runs (the GUI thread keeps one); ``restore`` after.

    Applied only once a model is ready (a cache hit never touches torch). A user who set
    OMP_NUM_THREADS chose the count: it is left alone.
    """

    def __init__(self) -> None:
        self.previous: int | None = None

    def apply(self) -> None:
        if self.previous is not None or os.environ.get("OMP_NUM_THREADS"):
            return
        import torch

        self.previous = torch.get_num_threads()
        torch.set_num_threads(max(1, (os.cpu_count() or 1) - 1))

    def restore(self) -> None:
        if self.previous is not None:
            import torch

            torch.set_num_threads(self.previous)
            self.previous = None


def prepare_model_runtime() -> str:
    """Import what running a model needs and describe the device an 'auto' prediction uses; for a background thread.

    Importing torch, transformers and the architectures takes seconds and makes some 300k lasting objects;
    meanwhile Python's cyclic collector runs full collections that pause every thread, the GUI's too,
    for 0.1-0.4 s each. Done once at start-up (with one load of the default model, and ``gc.freeze`` of what
    start-up made), none of that happens while the first prediction runs.
    """
    collecting = gc.isenabled()
    gc.disable()   # measured: full collections over what the imports made paused the shown window 50-140 ms each
    try:
        return _prepare_model_runtime()
    finally:
        if collecting:
            gc.enable()


def _prepare_model_runtime() -> str:
    with RUNTIME_LOCK:
        device = describe_device(pick_device(None))
        for module in ("genoview.core.inference", "genoview.core.models.genecnn", "genoview.core.models.kmer_bert",
                       "genoview.core.gene_level", "pyrodigal"):   # the gene-calls job after a prediction: its C
            importlib.import_module(module)   # extension's first import held the GIL for 60-100 ms on the worker
        try:   # the first from_pretrained builds transformers' weight-renaming tables (thousands of regexes): now
            from genoview.core.models import default_model_name, load_model

            model = load_model(default_model_name(), device="cpu")
            _warm_up(model)
        except Exception:  # noqa: BLE001 - only a warm-up; a real prediction reports any problem with the model
            pass
    # what start-up made lives as long as the app: keep the cyclic collector's full passes from rescanning it
    gc.freeze()
    return device


def _warm_up(model) -> None:
    """Run the default model once over 20 kb of the bundled example genome (a fraction of a second): the modules and
    lazily built tables its first prediction needs (GeneORF's ORF code, torch's operator registry for its RNA head,
    C extensions) are imported now. An import holds the GIL for up to 0.15 s at a time, which a first prediction
    on the worker thread would otherwise turn into pauses of the window."""
    from genoview.core.genome import open_genome
    from genoview.core.inference import predict_region
    from genoview.gui.start_page import EXAMPLE_GENOME

    if not EXAMPLE_GENOME.is_file():
        return
    genome = open_genome(EXAMPLE_GENOME)
    record = next(iter(genome.sequences.values()))
    predict_region(model, record, 0, min(20_000, record.length))


def with_eta(progress):
    """A progress callback whose message, while predicting, is '42% · ETA 12 s' (the status bar shows it)."""
    started = time.monotonic()

    def report(fraction: float, message: str | None = None) -> None:
        elapsed = time.monotonic() - started
        if message is None and 0.0 < fraction < 1.0:
            message = f"{fraction:.0%}" + (f" · {format_eta(elapsed / fraction - elapsed)}" if elapsed > 1.0 and fraction > 0.01 else "")
        progress(fraction, message)

    return report


def usable_device(device: str | None, kept: bool) -> str | None:
    """The device a job asks the service for (None: auto). A kept device (settings.device) this machine lacks now
    (GENOVIEW_SETTING_DEVICE=cuda, a GPU gone) is auto, as the Predict dialog then offers auto; a device asked for
    explicitly is passed on (the service says why it cannot be used). Call on the worker (it may import torch)."""
    if device in (None, "", "auto"):
        return None
    if kept:
        from genoview.core.device import pick_device

        try:
            pick_device(device)
        except GenoViewInputError:
            return None
    return device


class PredictController(QObject):
    """Predicts probability tracks through the shared JobRunner; one model job runs at a time."""

    started = Signal(object)        # job
    progress = Signal(float, str)   # fraction, ETA text
    finished = Signal(str)          # key of the track filled on the shown sequence (else the first)
    failed = Signal(str)            # message for the user
    cancelled = Signal()
    device_changed = Signal(str)    # e.g. "CPU (2 threads)"
    cached = Signal(str)            # track key whose prediction is now in the cache

    def __init__(self, session: Session, job_runner: JobRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.job_runner = job_runner
        self.device_text = DEVICE_PENDING_TEXT
        self._jobs: dict[int, Job] = {}
        # (track key, start, end, codes, job id): a stopped job forgets its own slices only (a finished job's
        # slices of the same track may still be queued)
        self._pending_tiles: list[tuple[str, int, int, np.ndarray, int]] = []
        self._finishing: deque[tuple[Job, dict]] = deque()   # done on the worker, slices still to write
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(FLUSH_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush_tiles)
        self._next_slice_timer = QTimer(self)   # the next slice, once the event loop has turned
        self._next_slice_timer.setSingleShot(True)
        self._next_slice_timer.setInterval(0)
        self._next_slice_timer.timeout.connect(self._flush_tiles)
        job_runner.started.connect(self._on_started)
        job_runner.progress.connect(self._on_progress)
        job_runner.partial.connect(self._on_partial)
        job_runner.finished.connect(self._on_finished)
        job_runner.failed.connect(self._on_failed)
        job_runner.cancelled.connect(self._on_cancelled)
        session.genome_changed.connect(self._forget_previous_genome)
        # after the window's first frames: the warm-up's imports, run meanwhile, took the interpreter lock between
        # the many Python calls of the first paint and stretched it from ~40 to 90-150 ms
        QTimer.singleShot(WARM_UP_DELAY_MS, self, self._announce_default_device)

    # --- public -------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        """True while a prediction of this controller is queued or running."""
        return bool(self._jobs)

    def models_running(self) -> list[str]:
        """The models (names or folders, as asked) of the predictions queued or running."""
        return [job.context.model for job in self._jobs.values()]

    def predicting(self, track_key: str) -> bool:
        """True while a queued or running prediction of this controller fills ``track_key``."""
        return any(t.track_key == track_key for job in self._jobs.values() for t in job.context.targets)

    def predict(
        self,
        model_name_or_dir: str,
        seqids: list[str] | None = None,
        region: tuple[int, int] | None = None,
        device: str | None = None,
        batch_size: int | None = None,
    ) -> Job | None:
        """Predict ``seqids`` (default: the current sequence), or ``region`` of the single sequence given.

        ``device`` None: the one kept in the window's settings (the Predict dialog's last choice, or
        ``GENOVIEW_SETTING_DEVICE``), else auto; a library row's Predict and a re-predict used auto whatever was kept.

        Returns at once with the queued job, or None when the request is invalid (``failed`` emitted).
        The job looks in the cache first: a cached sequence's track appears as soon as it is read, and
        the model is loaded only when something is left to predict.
        """
        try:
            targets = self._plan(model_name_or_dir, seqids, region)
        except GenoViewInputError as exc:
            self.failed.emit(str(exc))
            return None
        kept = device is None
        if kept:
            device = getattr(getattr(self.parent(), "settings", None), "device", "") or "auto"
        params = {"device": device, "batch_size": batch_size, "device_kept": kept}
        context = PredictionContext(model_name_or_dir, params, targets, self.session.genome)
        what = targets[0].seqid if len(targets) == 1 else f"{len(targets)} sequences"

        def emit_partial(value) -> None:  # called on the worker thread once `job` exists
            job.emit_partial(value)

        job = Job(f"Predict {what} with {model_label(model_name_or_dir)}", self._job_function(context, emit_partial), context)
        self._jobs[job.id] = job
        self.job_runner.submit(job)
        return job

    def cancel(self) -> None:
        """Cancel every prediction this controller queued or runs."""
        for job in list(self._jobs.values()):
            self.job_runner.cancel(job)

    # --- planning on the GUI thread (cheap checks only: no file is read here) --------------------
    def _plan(self, model: str, seqids, region) -> list[SequenceTarget]:
        """The sequences and ranges the request covers; GenoViewInputError for an impossible request."""
        genome = self.session.genome
        if genome is None:
            raise GenoViewInputError("no genome is open; open a FASTA or GenBank file first")
        seqids = list(seqids) if seqids else ([self.session.seqid] if self.session.seqid else [])
        if not seqids:
            raise GenoViewInputError("the genome has no sequences to predict")
        if region is not None and len(seqids) != 1:
            raise GenoViewInputError("a region can only be predicted on one sequence at a time")
        targets = []
        for seqid in seqids:
            if seqid not in genome.sequences:
                raise GenoViewInputError(f"sequence {seqid!r} is not in the open genome")
            length = genome.sequences[seqid].length
            start, end = (0, length) if region is None else (max(0, int(region[0])), min(length, int(region[1])))
            if end <= start:
                raise GenoViewInputError(f"the region {start + 1}-{end} of {seqid} is empty")
            targets.append(SequenceTarget(seqid, start, end, self._track_key(model, seqid)))
        return targets

    @staticmethod
    def _track_key(model: str, seqid: str) -> str:
        return f"{model_label(model)} @ {seqid}"

    def _show_track(self, model: str, target: SequenceTarget, room: np.ndarray | None = None) -> bool:
        """Add the target's track (nothing predicted yet) unless it is there; room is made for its region only
        (``room``: that block, filled on the worker thread). True when a track (a row) was added."""
        track = self.session.tracks.get(target.track_key)
        if track is None:
            target.created_track = True  # half empty if the job stops: removed then
            track = ProbabilityTrack(
                key=target.track_key,
                label=model_label(model),
                seqid=target.seqid,
                length=self.session.genome.sequences[target.seqid].length,
                model_name=model,
                threshold=self.session.threshold,
                # one model, one colour: its tracks on other sequences do not count as taken (chromosome 2 was red)
                color=next((t.color for t in self.session.tracks.values() if t.model_name == model),
                           None) or track_color(model_label(model), (t.color for t in self.session.tracks.values())),
            )
            if room is None or len(room) != target.end - target.start or not track.storage.adopt_room(target.start, room):
                track.storage.reserve(target.start, target.end)
            self.session.add_track(track)
            return True
        track.storage.reserve(target.start, target.end)
        return False

    # --- the work, on the worker thread ---------------------------------------------------------
    def _job_function(self, context: PredictionContext, emit_partial):
        genome = self.session.genome

        def run(progress, cancel) -> dict[str, bool]:
            from genoview.core import prediction as service

            progress = with_eta(progress)
            progress(0.0, "looking in the cache")
            device = usable_device(context.params["device"], context.params.get("device_kept", False))
            request = service.PredictionRequest(
                genome=genome, model=context.model, regions=[(t.seqid, t.start, t.end) for t in context.targets],
                batch_size=context.params["batch_size"], device=device, use_cache=True)
            threads = TorchThreadsSparingOneCore()
            # progress: GeneORF's stages while it calls the whole genome (was 0 % "loading" until done)
            events = service.predict(request, cancel, progress=progress)
            shown_rows: set[str] = set()

            def wait_for_row(seqid: str) -> None:
                """Adding a track row is the GUI's heaviest step: let it run before the model (or the cache reader)
                competes with it for the interpreter (under contention it took 200 ms instead of 50)."""
                shown_rows.add(seqid)
                shown = threading.Event()
                # a new track's block, filled here: 10+ ms (a whole genome's page faults) off the GUI thread
                target = next(t for t in context.targets if t.seqid == seqid)
                room = np.full(target.end - target.start, NOT_PREDICTED, dtype=np.uint16)
                emit_partial(("planned", seqid, shown, room))
                shown.wait(PLANNED_WAIT_S)

            try:
                for event in events:
                    if isinstance(event, service.Progress):
                        progress(event.fraction, event.message)
                    elif isinstance(event, (service.Tile, service.Cached)):
                        kind = "tile" if isinstance(event, service.Tile) else "cached"
                        if kind == "cached" and event.seqid not in shown_rows:
                            wait_for_row(event.seqid)
                        emit_partial((kind, event.seqid, event.start, event.end, event.codes))
                    elif isinstance(event, service.Planned):
                        wait_for_row(event.seqid)
                    elif isinstance(event, service.ModelReady):
                        threads.apply()   # the description counts torch's threads: after they are set
                        emit_partial(("device", describe_device("cpu") if event.device.startswith("CPU")
                                      else event.device))
                    elif isinstance(event, service.CacheSaved):
                        emit_partial(("saved", event.seqid))
                    elif isinstance(event, service.Done):
                        return dict(zip((t.seqid for t in context.targets), event.result.from_cache))
            except OSError as exc:  # the genome file moved away, the cache folder is not readable, ...
                raise GenoViewInputError(f"cannot run the prediction: {exc}") from exc
            finally:
                events.close()
                threads.restore()
            return {}

        return run

    # --- reports, on the GUI thread -----------------------------------------------------------
    def _mine(self, job: Job) -> bool:
        return job.id in self._jobs

    @Slot(object)
    def _on_started(self, job: Job) -> None:
        if self._mine(job):
            self.started.emit(job)
            self.progress.emit(0.0, "starting…")

    @Slot(object, float, str)
    def _on_progress(self, job: Job, fraction: float, message: str) -> None:
        if self._mine(job):
            if message and self._partial(job):
                # GeneORF calls the whole genome's genes: "4,504 genes" for the visible 19 kb read as the region's
                message = part_of_a_sequence_stage(message)
            self.progress.emit(float(fraction), message)

    def _partial(self, job: Job) -> bool:
        """Whether a job predicts part of a sequence (the visible region), not whole sequences."""
        genome = self.session.genome
        targets = getattr(job.context, "targets", ())
        return genome is not None and any(
            t.seqid in genome.sequences and (t.start > 0 or t.end < genome.sequences[t.seqid].length) for t in targets)

    @Slot(object, object)
    def _on_partial(self, job: Job, payload) -> None:
        added = False
        try:
            added = self._take_partial(job, payload)
        finally:
            if payload[0] == "planned":   # the worker goes on (it waits for this, see _job_function) once the new
                # row has been laid out and painted, and the panels a first track shows (a turn later: app.py)
                shown = payload[2]
                if added:
                    QTimer.singleShot(1, self, lambda: QTimer.singleShot(PLANNED_PAINT_MS, self, shown.set))
                else:
                    shown.set()

    def _take_partial(self, job: Job, payload) -> bool:
        """Take a worker's report; True when it added a track row."""
        if not self._mine(job) or not self._current(job):
            return False
        kind = payload[0]
        if kind == "device":
            self._set_device_text(payload[1])
            return
        target = next(t for t in job.context.targets if t.seqid == payload[1])
        added = False
        if kind == "saved":
            self.cached.emit(target.track_key)
        elif kind == "planned":
            added = self._show_track(job.context.model, target, payload[3] if len(payload) > 3 else None)
        else:
            if kind == "cached":
                target.from_cache = True
                added = self._show_track(job.context.model, target)
            _, _, tile_start, tile_end, codes = payload
            for offset in range(0, tile_end - tile_start, DELIVERY_SLICE):   # a whole genome: slices (views)
                self._pending_tiles.append((target.track_key, tile_start + offset,
                                            min(tile_end, tile_start + offset + DELIVERY_SLICE),
                                            codes[offset:offset + DELIVERY_SLICE], job.id))
            if not self._flush_timer.isActive() and not self._next_slice_timer.isActive():
                self._flush_timer.start()
        return added

    @Slot()
    def _flush_tiles(self) -> None:
        """Write queued tiles into the session, at most DELIVERY_SLICE bases this turn (adjacent tiles of a track
        merged into one update), the rest on the next turns; then report the jobs finished meanwhile."""
        self._flush_timer.stop()
        tiles = sorted(self._pending_tiles, key=lambda tile: (tile[0], tile[1]))
        written, i = 0, 0
        while i < len(tiles) and written < DELIVERY_SLICE:
            key, start, end = tiles[i][0], tiles[i][1], tiles[i][2]
            j = i + 1
            while (j < len(tiles) and tiles[j][0] == key and tiles[j][1] == end
                   and written + tiles[j][2] - start <= DELIVERY_SLICE):
                end = tiles[j][2]
                j += 1
            values = tiles[i][3] if j == i + 1 else np.concatenate([t[3] for t in tiles[i:j]])
            self.session.update_track(key, start, end, values)
            written += end - start
            i = j
        self._pending_tiles = tiles[i:]
        if self._pending_tiles:
            self._next_slice_timer.start()
        else:
            self._report_finished()

    @Slot(object, object)
    def _on_finished(self, job: Job, results: dict) -> None:
        if not self._mine(job):
            return
        self._finishing.append((job, results))
        self._flush_tiles()   # the first slice now; ``finished`` once the last one is in

    def _report_finished(self) -> None:
        """Tell about the jobs whose last tile is now in the session."""
        while self._finishing:
            job, results = self._finishing.popleft()
            self._jobs.pop(job.id, None)
            if results and all(results.values()):
                self.session.status_message.emit(
                    f"Prediction of {model_label(job.context.model)} reopened from the cache")
            else:
                self.session.status_message.emit(f"{job.title}: done")
            self.progress.emit(1.0, "done")
            # the shown sequence's track (gene calls follow it): "All sequences" of a draft listed the first contig's
            targets = job.context.targets
            shown = next((t for t in targets if t.seqid == self.session.seqid), targets[0])
            self.finished.emit(shown.track_key)

    @Slot(object, str)
    def _on_failed(self, job: Job, message: str) -> None:
        if self._mine(job):
            self._discard(job)
            self.session.status_message.emit(f"{job.title} failed")
            self.failed.emit(message)

    @Slot(object)
    def _on_cancelled(self, job: Job) -> None:
        if self._mine(job):
            self._discard(job)
            self.session.status_message.emit(f"{job.title}: cancelled")
            self.cancelled.emit()

    def _discard(self, job: Job) -> None:
        """Forget a stopped job's tiles and the empty tracks it added (they would be half empty)."""
        del self._jobs[job.id]
        self._pending_tiles = [t for t in self._pending_tiles if t[4] != job.id]
        for target in job.context.targets:
            if target.created_track and self._current(job):   # never a track of a genome opened since
                self.session.remove_track(target.track_key)
        if not self._pending_tiles:
            self._report_finished()   # a job that finished before this one waited for nothing else

    def _current(self, job: Job) -> bool:
        """True when ``job`` predicts the genome open now."""
        genome = getattr(job.context, "genome", None)
        return genome is None or genome is self.session.genome

    @Slot(object)
    def _forget_previous_genome(self, genome) -> None:
        """Another genome is open: the jobs predicting the previous one are cancelled and their slices not yet
        written are dropped (they would land in the new genome's tracks of the same name)."""
        self._pending_tiles = [t for t in self._pending_tiles if t[4] in self._jobs and self._current(self._jobs[t[4]])]
        kept = deque()
        while self._finishing:
            job, results = self._finishing.popleft()
            if self._current(job):
                kept.append((job, results))
            else:
                self._jobs.pop(job.id, None)
        self._finishing = kept
        for job in list(self._jobs.values()):
            if not self._current(job):
                self.job_runner.cancel(job)
        if not self._pending_tiles:
            self._report_finished()

    # --- device ----------------------------------------------------------------------------------
    def _announce_default_device(self) -> None:
        """Find where an 'auto' prediction would run, on a background thread (it imports torch: seconds)."""
        run_in_thread(prepare_model_runtime, self._on_default_device, self._on_device_error)

    @Slot(str)
    def _on_default_device(self, text: str) -> None:
        if self.device_text == DEVICE_PENDING_TEXT:  # a job that already started knows better
            self._set_device_text(text)

    @Slot(str, object)
    def _on_device_error(self, message: str, exc: BaseException) -> None:
        self.session.status_message.emit(message)  # $GENOVIEW_DEVICE names a device this machine lacks

    def _set_device_text(self, text: str) -> None:
        if text != self.device_text:
            self.device_text = text
            self.device_changed.emit(text)
