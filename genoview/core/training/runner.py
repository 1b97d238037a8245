"""Train a model from a TrainingSpec end to end: open the genome, split, build, train, calibrate, test, document,
then rename the finished folder into place, record the run and register the model."""
from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import Any, Callable

from genoview.core.errors import Cancelled, GenoViewInputError
from genoview.core.jobs import CancelToken, ProgressCallback, ensure_cancel, wrap_progress
from genoview.core.training.architectures import get_architecture
from genoview.core.training.calibration import choose_decoding, labelled_predictions
from genoview.core.training.datasets import (
    load_tracks,
    open_training_genomes,
    positive_fraction,
    split_regions,
)
from genoview.core.training.datasets import wants_validation as _wants_validation
from genoview.core.training.loop import (
    TrainingResult, apply_threads, check_resumable, list_checkpoints, set_seed, train_model, update_metadata,
)
from genoview.core.training.options import check_options
from genoview.core.training.spec import TrainingSpec


PARTIAL_SUFFIX = ".partial"


def work_dir_for(output_dir: str | os.PathLike) -> Path:
    """Where a run toward ``output_dir`` trains: a hidden folder beside it, renamed into place at the very end."""
    target = Path(output_dir)
    return target.parent / f".{target.name}{PARTIAL_SUFFIX}"


def unfinished_run(output_dir: str | os.PathLike) -> dict[str, Any] | None:
    """The unfinished run toward ``output_dir`` (for a GUI's Resume): its folder, newest step, spec and history up to
    that checkpoint (the records ``on_log`` had: the curves a resumed run goes on from), or None."""
    import json

    from genoview.core.training.loop import STATE_FILE

    work = work_dir_for(output_dir)
    checkpoints = list_checkpoints(work)
    if not checkpoints:
        return {"folder": str(work), "step": 0, "spec": None} if work.is_dir() else None
    state = json.loads((checkpoints[-1] / STATE_FILE).read_text())
    return {"folder": str(work), "step": state["step"], "total_steps": state.get("total_steps"),
            "seconds": state.get("seconds"), "spec": state.get("spec"), "history": state.get("history") or []}


def discard_unfinished(output_dir: str | os.PathLike) -> bool:
    """Delete the unfinished run toward ``output_dir`` (a GUI's Cancel); True if there was one."""
    work = work_dir_for(output_dir)
    if not work.is_dir():
        return False
    shutil.rmtree(work)
    return True


OWNER_FILE = ".genoview-owner"   # in a .partial folder: the process training in it (removed before the rename)


def owner_record(work: Path) -> dict[str, Any] | None:
    """The owner record in ``work`` (pid, host, proc_start, started), or None (none, or unreadable)."""
    import json

    try:
        owner = json.loads((work / OWNER_FILE).read_text())
        owner["pid"] = int(owner["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner


def describe_owner(owner: dict[str, Any]) -> str:
    """"process 123" or "process 123 on node7", then " of `genoview adapt`" and ", started TIME" when the record has
    them."""
    from genoview.core.store import HOST

    text = f"process {owner['pid']}" + (f" on {owner.get('host')}" if owner.get("host") != HOST else "")
    if isinstance(owner.get("command"), str):   # which command: a train-lm was told an adapt "is writing" as its own
        text += f" of `genoview {owner['command']}`"
    return text + (f", started {owner['started']}" if owner.get("started") else "")


def live_owner(work: Path) -> str | None:
    """Who writes in ``work`` now (:func:`describe_owner`), or None (no owner, or it has ended).

    Two `genoview train` toward one --out trained into one .partial folder (the second was told to --resume), and
    --overwrite deleted a live run's folder; another host's owner counts as live (its pid means nothing here)."""
    from genoview.core.store import HOST, process_alive

    owner = owner_record(work)
    if owner is None:
        return None
    if owner.get("host") != HOST:
        return describe_owner(owner)
    pid = owner["pid"]
    return describe_owner(owner) if pid != os.getpid() and process_alive(pid, owner.get("proc_start")) else None


TRAIN_BUSY = ("another training run toward this folder is in progress",
              "wait for it, or stop it (SIGTERM keeps its best weights) and continue with --resume")


def _refuse_live_owner(work: Path, target: Path, busy: tuple[str, str] = TRAIN_BUSY) -> None:
    owner = live_owner(work)
    if owner:
        # another host's process cannot be checked from here: if it is gone (a lost node), its record is removed by hand
        elsewhere = (f"; if that process has ended (its node lost), delete {work / OWNER_FILE} first"
                     if " on " in owner else "")
        raise GenoViewInputError(f"{busy[0]} ({owner}, in {work}); {busy[1]}" + elsewhere, target)


def claim_work_dir(work: Path, target: Path, *, new: bool, busy: tuple[str, str] = TRAIN_BUSY,
                   command: str = "train") -> None:
    """Make (``new``) or take over the run's .partial folder, recording this process as its owner; refuses a folder
    a live process owns. The check and the record happen under a lock, so two runs started at once cannot both win."""
    import json

    from genoview.core.store import HOST, _now, _proc_start

    try:
        import fcntl
    except ImportError:   # Windows: no flock; the record alone (a start at the same instant is not excluded)
        fcntl = None

    if new:
        try:
            work.mkdir()
        except FileExistsError:   # another run made it since check_output
            _refuse_live_owner(work, target, busy)
            raise GenoViewInputError(f"an unfinished run toward this folder is in {work}: pass --resume to continue "
                                     "it, --overwrite to start again, or delete that folder", target) from None
    with open(work / OWNER_FILE, "a+") as fh:
        if fcntl is not None:
            fcntl.flock(fh, fcntl.LOCK_EX)
        _refuse_live_owner(work, target, busy)
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps({"pid": os.getpid(), "host": HOST, "proc_start": _proc_start(os.getpid()),
                             "started": _now(), "command": command}))
        fh.flush()


def claim_model_out(target: Path, command: str, *, overwrite: bool) -> Path:
    """The claimed ``.NAME.partial`` folder a command that does not resume (``train-lm``, ``adapt``) writes its model
    into before :func:`finish_model_out` renames it to ``target``, with this process's owner record, as
    ``genoview train`` has. A folder a live process writes is refused naming it (pid, host, start time); one left
    by a run that ended unfinished is refused with how to clear it (``overwrite`` clears it)."""
    import time

    work = work_dir_for(target)
    busy = ("another run is writing a model toward this folder",   # the owner named says which command
            "wait for it to finish, or stop it, or choose another --out")
    for _attempt in range(3):
        try:
            work.mkdir()
        except FileExistsError:
            _refuse_live_owner(work, target, busy)
            owner = owner_record(work)
            try:
                fresh = owner is None and time.time() - work.stat().st_mtime < 5
            except OSError:
                continue   # removed meanwhile: try again
            if fresh:   # made this instant by a process about to write its record
                raise GenoViewInputError(f"{busy[0]} (it has just started, in {work}); {busy[1]}", target) from None
            if overwrite:
                shutil.rmtree(work, ignore_errors=True)
                continue
            who = describe_owner(owner) if owner else "no owner record: an older GenoView or a crash at its start"
            raise GenoViewInputError(
                f"a run toward this folder ended before it finished ({who}) and left {work}; delete that folder "
                f"(rm -r '{work}') or pass --overwrite to start again", target) from None
        claim_work_dir(work, target, new=False, busy=busy, command=command)
        return work
    raise GenoViewInputError(f"{work} keeps appearing and disappearing (another process?); run again", target)


def finish_model_out(work: Path, target: Path, *, overwrite: bool) -> None:
    """Rename the claimed, finished ``work`` folder to ``target``: its owner record dropped first. A model another
    process saved in ``target`` while this one worked is replaced only with ``overwrite``; else this model stays in
    ``work`` and the message says so."""
    if not overwrite and target.is_dir() and any(target.iterdir()):
        release_work_dir(work)
        raise GenoViewInputError(f"while this run worked, another process saved files in this folder; they were left "
                                 f"as they are and this run's model is in {work} (rename it, or run again with "
                                 "--overwrite)", target)
    (work / OWNER_FILE).unlink(missing_ok=True)
    _move_into_place(work, target)


def release_work_dir(work: Path) -> None:
    """Drop this process's owner record; a folder that holds nothing else (a run that failed before its first
    checkpoint) is removed, so the next run is not told to --resume nothing."""
    import json

    try:
        if json.loads((work / OWNER_FILE).read_text()).get("pid") != os.getpid():
            return
        (work / OWNER_FILE).unlink()
    except (OSError, ValueError, AttributeError):
        return
    try:
        work.rmdir()
    except OSError:
        pass


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
        return True
    except ValueError:
        return False


def check_output(spec: TrainingSpec, output_dir: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """The absolute output folder, after refusing one that is (or holds) an input or an existing model.

    An existing folder is replaced only with ``overwrite``; an unfinished run toward it (its hidden
    ``.NAME.partial`` folder) is continued only with ``spec.resume`` (or discarded with ``overwrite``).
    """
    target = Path(output_dir).expanduser().absolute()
    inputs = [("the genome", spec.fasta), ("the annotation", spec.annotation), ("the initial model", spec.init_from)]
    inputs += [item for g in spec.genomes[1:] for item in (("the genome", g["fasta"]), ("the annotation", g["annotation"]))]
    for what, value in inputs:
        if not value:
            continue
        path = Path(value).expanduser().absolute()
        if not path.exists():
            continue
        if path == target or _inside(path, target) or _inside(target, path) and path.is_file():
            raise GenoViewInputError(f"the output folder would overwrite {what} ({path}); choose another --out",
                                     target)
    work = work_dir_for(target)
    if work.is_dir():   # before --resume or --overwrite act on it
        _refuse_live_owner(work, target)
    check_model_out(target, overwrite, "already holds a model (or other files); pass --overwrite to replace it when "
                    "the new one is finished, or choose another --out (--resume continues an unfinished run, which "
                    "lives in a hidden .NAME.partial folder)")
    if spec.resume:
        if not work.is_dir():
            raise GenoViewInputError(f"there is no unfinished run to resume ({work.name} does not exist); start the "
                                     "run without --resume", target)
        check_resumable(work, spec)
    elif work.exists():
        if not overwrite:
            raise GenoViewInputError(f"an unfinished run toward this folder is in {work}: pass --resume to continue "
                                     "it, --overwrite to start again, or delete that folder", target)
        shutil.rmtree(work)
    return target


def check_model_out(target: Path, overwrite: bool, occupied: str) -> None:
    """The --out rules of the training commands (train, train-lm): a folder, in an existing place, empty or (with
    --overwrite) a model folder; ``occupied`` is the message for a folder in use without --overwrite."""
    if target.exists() and not target.is_dir():
        raise GenoViewInputError("exists and is not a folder; choose another --out", target)
    from genoview.core.prediction import check_output_place

    check_output_place(target, "model (--out)")   # no missing folders made above it (the one rule of every command)
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            raise GenoViewInputError(occupied, target)
        if not (target / "config.json").is_file():
            # --overwrite replaced the whole folder at the end: `--out ~/project --overwrite` deleted the project
            raise GenoViewInputError("holds files but no model (no config.json); --overwrite replaces only a model "
                                     "folder: choose another --out", target)


def _resolve_init(spec: TrainingSpec) -> TrainingSpec:
    """The spec with ``init_from`` as a folder (a library or shipped model's name resolved)."""
    if not spec.init_from:
        return spec
    from genoview.core.models import resolve_model_dir

    directory = resolve_model_dir(spec.init_from)
    if directory is None:
        raise GenoViewInputError(f"{spec.init_from} is built in and has no weights to fine-tune; choose a trained "
                                 "model for --init")
    return dataclasses.replace(spec, init_from=str(directory))


def _store():
    from genoview.core.store import open_store

    return open_store()


def run_training(spec: TrainingSpec, output_dir: str | os.PathLike, *, name: str | None = None,
                 command: str | None = None, progress: ProgressCallback | None = None,
                 cancel: CancelToken | None = None, on_log: Callable[[dict[str, Any]], None] | None = None,
                 device: str | None = None, should_stop: Callable[[], bool] | None = None,
                 overwrite: bool = False, record_run: bool = True,
                 on_message: Callable[[str], None] | None = None) -> TrainingResult:
    """Train ``spec.architecture`` on ``spec.fasta``/``spec.annotation`` into ``output_dir``.

    The run trains in a hidden folder beside ``output_dir`` (:func:`work_dir_for`; checkpoints, then the
    final weights, the decision threshold chosen on the validation slice, test metrics, ``genoview.json``
    and the ``README.md`` model card) and renames it into place as its very last step, so a run killed at
    any moment never leaves a folder that looks finished. ``spec.resume`` continues such an unfinished run.
    The run is recorded in the store (``train``) and the model registered in the library (its parent,
    ``spec.init_from``, recorded). ``on_message`` receives sentences for the user (what a fine-tune
    re-learns). ``should_stop()`` finishes the run early with the best weights so far (the GUI's Stop).
    """
    from genoview.core.device import pick_device

    cancel = ensure_cancel(cancel)
    say = on_message or (lambda text: None)
    if not spec.fasta:
        raise GenoViewInputError("no genome given; pass --fasta (FASTA or GenBank)")
    architecture = get_architecture(spec.architecture)
    check_options(spec.architecture, spec.model_options, init=spec.init_from or False)
    target = check_output(spec, output_dir, overwrite=overwrite)
    work = work_dir_for(target)
    name = name or target.name
    run_spec = _resolve_init(spec)
    device = pick_device(device)
    apply_threads(spec.num_threads)
    from genoview.core.store import writable_or_warn

    # a GENOVIEW_HOME that cannot be written (read-only, full): trained all the same, unrecorded (said once)
    recordable = writable_or_warn(_store())
    claim_work_dir(work, target, new=not spec.resume)
    try:
        run_id = _store().start_run("train", name, {"spec": spec.to_json(), "output": str(target),
                                                    "command": command}) if record_run and recordable else None
    except BaseException:
        release_work_dir(work)
        raise
    if run_id is not None:   # the paused (or Ctrl-C'd) attempt it continues, or starts again, is no longer waiting
        try:
            _store().mark_resumed(run_id, str(target), continued=bool(spec.resume))
        except Exception:   # noqa: BLE001 - a record's wording never costs the run
            pass
    if run_id is not None:   # its last-seen time, for `genoview runs` on other nodes of a shared GENOVIEW_HOME
        progress, on_log = _store().beating(run_id, progress), _store().beating(run_id, on_log)
    try:
        result = _train_into(run_spec, spec, architecture, work, name=name, command=command, progress=progress,
                             cancel=cancel, on_log=on_log, device=device, should_stop=should_stop, say=say)
        (work / OWNER_FILE).unlink(missing_ok=True)   # the finished model carries no owner record
        _move_into_place(work, target)
        for checkpoint in list_checkpoints(target):   # the finished model needs none of them
            shutil.rmtree(checkpoint, ignore_errors=True)
        result.output_dir = target
        result.extra["model_dir"] = str(target)
        if recordable:
            _register(target, name, say)
            _record_details(run_id, target, name, spec, result, say)
        else:   # the model is in its folder; the library (a database it cannot write) does not list it by name
            say(f"{name} is not in your library's list (its database cannot be written); use it as --model {target}")
    except (Cancelled, KeyboardInterrupt):
        release_work_dir(work)
        try:   # Ctrl+C said only "interrupted": say what is kept and how to go on (the record said it, unseen)
            kept = work.is_dir() and list_checkpoints(work)
        except OSError:
            kept = False
        # before its first checkpoint (the first evaluation) nothing is kept: the record said "continue with
        # --resume" all the same, which then said "there is no unfinished run to resume" (H-cli18)
        nothing = ("cancelled before its first checkpoint (written at each evaluation): nothing to resume; run the "
                   "same command again")
        if run_id is not None:
            _store().finish_run(run_id, "cancelled", message=f"cancelled; continue with --resume ({work})" if kept
                                else nothing)
        if kept:
            say(f"stopped before the end; its checkpoints are in {work}: the same command with --resume "
                "continues it (with --overwrite it starts again)")
        else:
            say(f"stopped {nothing[len('cancelled '):]}")
        raise
    except BaseException as exc:
        release_work_dir(work)
        if run_id is not None:
            _store().finish_run(run_id, "failed", message=str(exc) or type(exc).__name__)
        raise
    if run_id is not None:
        metrics = {f"test_{k}": v for k, v in result.extra.get("test", {}).items()}
        metrics.update({f"validation_{k}": v for k, v in result.best_metrics.items()})
        chosen = (result.extra.get("fine_tuning") or {}).get("chosen")   # a GeneORF select fine-tune's kept candidate
        if chosen:
            _store().add_run_params(run_id, chosen=chosen)
        _store().finish_run(run_id, "finished", metrics, message=f"{result.steps} steps ({result.stopped_because})"
                            + (f"; kept candidate: {chosen}" if chosen else ""))
    return result


def _train_into(run_spec: TrainingSpec, spec: TrainingSpec, architecture, work: Path, *, name, command, progress,
                cancel, on_log, device, should_stop, say) -> TrainingResult:

    wrap_progress(progress, 0.0, 0.02)(0.0, "reading the genome")
    genome = open_training_genomes(spec)
    for warning in getattr(genome, "annotation_warnings", []):   # skipped or repaired lines: said, not silent
        say(warning)
    if run_spec.init_from:   # fine-tuning a bacterial gene model on what looks like a eukaryote: said once
        from genoview.core.genome_kind import warn_if_eukaryote

        warn_if_eukaryote(genome, run_spec.init_from, Path(run_spec.init_from).name)
    lengths = {seqid: record.length for seqid, record in genome.sequences.items()}
    split = split_regions(lengths, spec, genome.parts)
    wants_validation = _wants_validation(spec)
    if wants_validation and not any(r.length for r in split.valid):
        raise GenoViewInputError("the validation part is empty, so no checkpoint or threshold can be chosen; raise "
                                 "--valid-fraction (e.g. 0.1) or give --valid-seqids", spec.fasta)
    if not wants_validation:
        say("no validation part (valid_fraction 0): the last weights are kept and no decision threshold is chosen")
    used = [r.seqid for r in split.train + split.valid + split.test]
    tracks = load_tracks(genome, used, spec.feature_types)
    if not any(tracks[r.seqid][1][r.start:r.end].any() for r in split.train):
        if not spec.annotation and not genome.features.count_by_type():   # `train --fasta G` without --gff said
            raise GenoViewInputError(                                      # "check the annotation" (H-cli18)
                "has no annotation to learn the genes from: give the genome's genes with --gff GENES.gff3 after "
                "its --fasta (GFF3, GTF or GenBank), or a GenBank genome that carries them", spec.fasta)
        raise GenoViewInputError(
            f"no {'/'.join(spec.feature_types)} features in the training part; check the annotation and --feature-types",
            spec.annotation or spec.fasta,
        )
    cancel.check()
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()   # loading a parent model: the run reports its own progress
    set_seed(spec.seed)   # before the model is built: its initial weights are part of the run
    if spec.architecture == "geneorf":   # no window model: its own fit (core/training/geneorf.py)
        return _train_geneorf(run_spec, spec, work, genome=genome, tracks=tracks, split=split, name=name,
                              command=command, progress=progress, cancel=cancel, on_log=on_log,
                              should_stop=should_stop, say=say)
    prepared = architecture.prepare(run_spec, genome, tracks, split)
    fine_tuning = prepared.metadata.get("fine_tuning")
    if spec.init_from:
        relearned = (fine_tuning or {}).get("relearned", [])
        kept = (fine_tuning or {}).get("kept", [])
        say(f"fine-tuning {spec.init_from} on {os.path.basename(spec.fasta)}; re-learned on this genome: "
            + ("; ".join(relearned) if relearned else "nothing beyond the weights")
            + (f"; kept from the parent: {'; '.join(kept)}" if kept else ""))
    if wants_validation and (prepared.eval_dataset is None or len(prepared.eval_dataset) == 0):
        from genoview.core.training_plan import valid_window_refusal

        raise GenoViewInputError(valid_window_refusal(spec, lengths, genome.parts, split, prepared.eval_dataset),
                                 spec.fasta)
    work.mkdir(parents=True, exist_ok=True)   # made and claimed by run_training (claim_work_dir)
    result = train_model(
        prepared.model, prepared.train_dataset, prepared.eval_dataset if wants_validation else None, spec,
        output_dir=work,
        progress=wrap_progress(progress, 0.02, 0.9), cancel=cancel, on_log=on_log,
        compute_metrics=prepared.compute_metrics, collate_fn=prepared.collate_fn,
        compute_loss=prepared.compute_loss, save_extra=prepared.save_extra, device=device, should_stop=should_stop,
    )
    settings = {k: v for k, v in prepared.metadata.items() if k not in ("description", "fine_tuning")}
    test_metrics = {}
    track = None
    if prepared.load_track_model is not None:
        # the architecture's settings (e.g. how a k-mer BERT decodes) are part of loading the model
        update_metadata(work, **settings)
        track = prepared.load_track_model(work, device)
    if track is not None and track.settings_key and split.valid:
        # the decision threshold (and any decoding setting) is chosen on the validation slice and stored
        # with the model (calibration.py)
        wrap_progress(progress, 0.9, 0.95)(0.0, "choosing the decision threshold on the validation part")
        track.threshold = 0.5
        decoding = choose_decoding(track, genome, tracks, split.valid, cancel=cancel)
        for setting, value in decoding["settings"].items():
            track = track.with_setting(setting, value)
        track.threshold = decoding["threshold"]
        settings.setdefault(track.settings_key, {}).update(decoding["settings"], threshold=track.threshold)
    if track is not None and split.test:
        test_metrics = evaluate_on_regions(track, genome, tracks, split.test,
                                           progress=wrap_progress(progress, 0.95, 1.0), cancel=cancel)
    cancel.check()
    info = update_metadata(
        work,
        name=name,
        architecture=spec.architecture,
        task=prepared.task,
        description=prepared.metadata.get("description", architecture.description),
        parent=spec.init_from,
        command=command,
        seed=spec.seed,
        data=_data_record(spec, genome, tracks, split),
        metrics={"test": test_metrics, "validation": result.best_metrics},
        training_minutes=round(result_seconds(work) / 60.0, 2),
        **({"fine_tuning": {"parent": spec.init_from, **fine_tuning}} if fine_tuning else {}),
        **settings,
    )
    (work / "README.md").write_text(model_card(info))
    wrap_progress(progress, 0.9, 1.0)(1.0, "done")
    result.extra["test"] = test_metrics
    if fine_tuning:
        result.extra["fine_tuning"] = fine_tuning
    return result


def _data_record(spec: TrainingSpec, genome, tracks, split) -> dict[str, Any]:
    """genoview.json's data entry: the genomes read and which were train / validation / test, and the regions."""
    parts = getattr(genome, "parts", None) or []
    by_key = {key: name for name, keys, _ in parts for key in keys}
    roles = {}
    for role, regions in (("train", split.train), ("validation", split.valid), ("test", split.test)):
        roles[role] = list(dict.fromkeys(by_key.get(r.seqid, "") for r in regions if r.length))
    genomes = []
    for (name, _, role), entry in zip(parts, spec.genomes):
        genomes.append({"name": name, "fasta": os.path.basename(entry["fasta"]),
                        "annotation": os.path.basename(entry["annotation"]) if entry["annotation"] else None,
                        **({"role": role} if spec.split == "genomes" else {})})
    return {
        "fasta": os.path.basename(spec.fasta),
        "annotation": os.path.basename(spec.annotation) if spec.annotation else None,
        "genomes": genomes,
        "split": spec.split,
        "train_genomes": roles["train"], "validation_genomes": roles["validation"], "test_genomes": roles["test"],
        "feature_types": spec.feature_types,
        "train": [r.__dict__ for r in split.train],
        "valid": [r.__dict__ for r in split.valid],
        "test": [r.__dict__ for r in split.test],
        "train_genic_fraction": round(positive_fraction(tracks, split.train), 4),
    }


def _geneorf_plan(spec) -> str:
    """What a GeneORF fine-tune is about to do, in the words of its recipe and options (the run's first message)."""
    from genoview.core.training.geneorf import planned_anchor
    from genoview.core.training.options import with_defaults

    options = with_defaults("geneorf", spec.model_options)
    recipe = options["recipe"]
    what = {
        "select": (f"tries the candidates {options['candidates']} on this run's training part, scores each by two-fold "
                   f"cross-fitting (fit on one half, score the other) and keeps the anchor {planned_anchor(options)} unless "
                   "the best of them leads it"
                   + (f" by at least {float(options['margin']):g} (margin)" if float(options["margin"]) > 0 else "")
                   + {"halves": " on both halves", "bootstrap": f" with confidence {float(options['confidence']):g}",
                      "none": ""}.get(options["lead_check"], "") + f" (lead_check {options['lead_check']})"
                   + ("; then the parent unless the choice also leads it on both halves (floor parent)"
                      if options.get("floor") == "parent" else "")
                   + ("; then the call filter refitted on the training part's calls, kept if it leads the unchanged "
                      "filter (stage_refit)" if options.get("stage_refit") else "")
                   + (f"; then the kept scorers' weights moved {float(options['wise']):g} of the way toward the "
                      "parent's (wise)" if float(options.get("wise") or 0) > 0 else "")),
        "refit": "refits the gene and start scorers as the parent was fitted, on the parent's training genomes plus "
                 "this run's training part (genome_weight)",
        "continue": "trains the parent's scorers further on this run's training part and keeps the round with the "
                    "best validation MCC",
    }.get(recipe, "")
    return (f"fine-tuning {spec.init_from} (GeneORF, recipe {recipe}): {what}"
            + ("; RNA memory: the parent's references plus the rRNA/tRNA genes annotated in the training part "
               "(own_rna)" if options["own_rna"] else "; RNA memory: the parent's references (own_rna false)"))


def _train_geneorf(run_spec, spec, work, *, genome, tracks, split, name, command, progress, cancel, on_log,
                   should_stop, say) -> TrainingResult:
    from genoview.core.training.geneorf import train_geneorf

    if spec.init_from:
        say(_geneorf_plan(spec))
    work.mkdir(parents=True, exist_ok=True)   # made and claimed by run_training (claim_work_dir)
    result, test_metrics, extra = train_geneorf(
        run_spec, spec, work, genome=genome, tracks=tracks, split=split,
        progress=wrap_progress(progress, 0.02, 1.0), cancel=cancel, on_log=on_log or (lambda r: None),
        should_stop=should_stop, say=say)
    fine_tuning = extra["fine_tuning"] if spec.init_from else None
    info = update_metadata(
        work, name=name, architecture="geneorf", task="gene-probability", description=extra["description"],
        parent=spec.init_from, command=command, seed=spec.seed, data=_data_record(spec, genome, tracks, split),
        metrics={"test": test_metrics, "validation": result.best_metrics},
        training_minutes=round(result_seconds(work) / 60.0, 2),
        **({"fine_tuning": {"parent": spec.init_from, **fine_tuning}} if fine_tuning else {}),
    )
    (work / "README.md").write_text(model_card(info))
    result.extra["test"] = test_metrics
    if fine_tuning:
        result.extra["fine_tuning"] = fine_tuning
    return result


def result_seconds(directory: Path) -> float:
    """Training seconds recorded by the loop in ``directory``'s genoview.json (all sessions of a resumed run)."""
    from genoview.core.models.metadata import ModelMetadata

    return float(ModelMetadata.load(directory).training.get("seconds", 0.0))


def _move_into_place(work: Path, target: Path) -> None:
    """Rename the finished run's folder to ``target`` (an existing model there is replaced only now)."""
    if target.is_dir() and any(target.iterdir()):
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
        os.replace(work, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        if target.is_dir():
            target.rmdir()
        os.replace(work, target)


def _register(target: Path, name: str, say) -> None:
    """Make the model reachable by name: a library folder already is; another folder is registered."""
    from genoview.paths import model_library_dir

    if target.parent.resolve() == model_library_dir().resolve() and target.name == name:
        return
    try:
        from genoview.core.models import register_model_dir

        register_model_dir(target, name)
    except GenoViewInputError as exc:
        say(f"the model was saved but not added to the library: {exc}")


def _record_details(run_id, target: Path, name: str, spec: TrainingSpec, result: TrainingResult, say) -> None:
    """The store's per-step history of the run, the genome it read and the library row's details."""
    try:
        import hashlib

        from genoview.core.models import resolve_model_dir
        from genoview.core.models.metadata import ModelMetadata

        store = _store()
        if run_id is not None:
            store.add_history(run_id, result.history)
        meta = ModelMetadata.load(target).to_dict()
        regions = meta.get("data", {})
        lengths = {r["seqid"]: r["end"] for part in ("train", "valid", "test") for r in regions.get(part, [])}
        for entry in spec.genomes or [{"fasta": spec.fasta, "annotation": spec.annotation}]:
            digest = hashlib.sha256()
            with open(entry["fasta"], "rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            store.add_genome(os.path.abspath(entry["fasta"]), digest.hexdigest(), lengths,
                             os.path.abspath(entry["annotation"]) if entry["annotation"] else None)
        found = resolve_model_dir(name)   # a library folder as GENOVIEW_HOME spells it (relative, through a link)
        if found is not None and found.resolve() == target.resolve():
            store.record_model(name, target, meta)
    except (OSError, GenoViewInputError) as exc:
        say(f"the model was saved, but its details could not be recorded in the library database: {exc}")


def evaluate_on_regions(track_model, genome, tracks, regions, *, progress=None, cancel=None) -> dict[str, float]:
    """Predict the regions with a TrackModel and score them together (score_track.py's metrics)."""
    from genoview.core.evaluation import evaluate

    report = evaluate(*labelled_predictions(track_model, genome, tracks, regions, progress=progress, cancel=cancel))
    out = report.to_json()
    return {k: out[k] for k in ("mcc", "roc_auc", "accuracy", "f1", "precision", "recall", "n", "genic_fraction")}


def _fmt(value) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def model_card(info: dict[str, Any]) -> str:
    """A README.md model card from the genoview.json metadata."""
    data = info.get("data", {})
    training = info.get("training", {})
    spec = training.get("spec", {})
    test = info.get("metrics", {}).get("test", {})
    valid = info.get("metrics", {}).get("validation", {})
    lines = [
        f"# {info.get('name', 'model')}",
        "",
        info.get("description", ""),
        "",
        f"- Architecture: `{info.get('architecture')}` (task: {info.get('task')})",
        f"- Training data: `{data.get('fasta')}` with `{data.get('annotation')}`; genic = {', '.join(data.get('feature_types', []))} features on either strand"
        if len(data.get("genomes") or []) < 2 else
        f"- Training data: {len(data['genomes'])} genomes with their annotation; genic = "
        f"{', '.join(data.get('feature_types', []))} features on either strand",
        *([f"- Genomes: train {', '.join(data.get('train_genomes') or ['-'])}; validation "
           f"{', '.join(data.get('validation_genomes') or ['-'])}; test {', '.join(data.get('test_genomes') or ['-'])}"]
          if data.get("genomes") else []),
        (f"- Split: train {spec.get('train_from')}..{spec.get('train_to')} of each sequence "
         f"(last {spec.get('valid_fraction')} of it for validation), test {spec.get('test_from')}..{spec.get('test_to')}"
         if spec.get("split", "fraction") == "fraction" else f"- Split: by held-out {spec.get('split')}"),
        f"- Seed: {info.get('seed')}; steps: {training.get('steps')} ({training.get('stopped_because')}); "
        f"training time: {info.get('training_minutes')} min",
    ]
    tuning = info.get("fine_tuning") or {}
    if info.get("parent"):
        lines.append(f"- Fine-tuned from `{info['parent']}`")
        lines += [f"  - re-learned on this genome: {item}" for item in tuning.get("relearned", [])]
        lines += [f"  - kept from the parent: {item}" for item in tuning.get("kept", [])]
    lines += [
        "",
        "## Command",
        "",
        "```",
        info.get("command") or "(trained from the GUI or the Python API; see genoview.json)",
        "```",
        "",
        "## Metrics (nucleotide level, threshold 0.5)",
        "",
        "| part | MCC | ROC AUC | accuracy | F1 |",
        "|---|---|---|---|---|",
    ]
    if test:
        lines.append(f"| test | {_fmt(test.get('mcc'))} | {_fmt(test.get('roc_auc'))} | {_fmt(test.get('accuracy'))} | {_fmt(test.get('f1'))} |")
    if valid:
        lines.append(f"| validation | {_fmt(valid.get('mcc'))} | {_fmt(valid.get('roc_auc', '-'))} | {_fmt(valid.get('accuracy', '-'))} | {_fmt(valid.get('f1', '-'))} |")
    lines += _choice_lines(tuning)
    lines += ["", "History (loss, validation metrics per evaluation) is in `history.json`.", ""]
    return "\n".join(lines)


def _outcome(tuning: dict[str, Any]) -> str:
    """What became of the best candidate's lead over the anchor, from what was chosen (a lead above 0 may still
    fall short of the margin, and a final fit out of time keeps the parent)."""
    chosen = f"{tuning.get('chosen')} {float(tuning.get('offset_delta') or 0.0):+g}"
    if chosen == tuning.get("best_by_mcc"):
        return " (above 0: it replaced the anchor)."
    if chosen != tuning.get("anchor"):   # the final fit of the best did not finish in time: the parent kept
        return f" (its final fit did not finish within --max-minutes: {chosen} was kept)."
    if tuning["lead_lower_bound"] > 0:
        return f" (above 0, but its lead is under the margin {float(tuning.get('margin') or 0.0):g}: the anchor was kept)."
    return " (not above 0: the anchor was kept)."


def _choice_lines(tuning: dict[str, Any]) -> list[str]:
    """The card's account of a fine-tune that chose among candidates (GeneORF recipe select): what, why, scores."""
    candidates = tuning.get("candidates") or {}
    if not candidates:
        return []
    offsets = sorted({d for scores in candidates.values() for d in scores}, key=float)
    lines = ["", "## What the fine-tune chose", "",
             f"Chosen: **{tuning.get('chosen')}** with gene decision offset {tuning.get('offset_delta', 0):+g} "
             f"(gene offset {tuning.get('gene_offset', float('nan')):.3g}), cross-fitted MCC "
             f"{_fmt(tuning.get('cross_fitted_mcc'))}. {tuning.get('why', '')}", "",
             "| candidate | " + " | ".join(f"offset {d}" for d in offsets) + " |",
             "|---|" + "---|" * len(offsets)]
    for name, scores in candidates.items():
        lines.append(f"| {name} | " + " | ".join(_fmt(scores[d]) if d in scores else "-" for d in offsets) + " |")
    if tuning.get("lead_lower_bound") is not None:   # the best by MCC and how sure its lead over the anchor was
        how = ("smaller lead of the two halves" if tuning.get("lead_check", "halves") == "halves"
               else f"{tuning.get('confidence'):g} lower bound of its lead")
        lines.append(f"\nBest cross-fitted MCC: {tuning.get('best_by_mcc')}; the {how} over the anchor "
                     f"({tuning.get('anchor')}): {tuning['lead_lower_bound']:+.4f}" + _outcome(tuning))
    if tuning.get("floor_lead") is not None:   # option floor=parent: the choice compared with the parent
        lines.append(f"\nFloor (the parent): the smaller lead of the two halves over the parent "
                     f"{tuning['floor_lead']:+.4f}" + (" (above 0: the choice was kept)." if tuning["floor_lead"] > 0
                                                       else " (not above 0: the parent was kept)."))
    stage = tuning.get("stage_refit")
    if stage and "lead" in stage:   # option stage_refit: the call filter refitted on the training part's calls
        lines.append(f"\nCall filter refitted on {stage['calls']} calls of the training part ({stage['true_calls']} "
                     f"ending at an annotated stop): cross-fitted MCC {_fmt(stage['cross_fitted_mcc'])} against "
                     f"{_fmt(stage['unchanged_mcc'])} unchanged, smaller half lead {stage['half_lead']:+.4f}: "
                     + ("kept." if stage["kept"] else f"the parent's kept (needs a lead of {stage['needed']:g} "
                                                      "pooled and on each half)."))
    wise = tuning.get("wise")
    if wise:   # option wise: the kept candidate interpolated with the parent (WiSE-FT)
        lines.append(f"\nWiSE-FT (option wise {wise['alpha']:g}): " + (
            f"the gene and start scorers' weights are {1 - wise['alpha']:g} x the chosen candidate's + "
            f"{wise['alpha']:g} x the parent's." if wise.get("applied") else f"not applied ({wise.get('why')})."))
    for name, why in (tuning.get("left_out") or {}).items():
        lines.append(f"\n{name} was left out: {why}.")
    return lines
