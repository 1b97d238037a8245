"""Session files (``.genoview.json``): what was open, where, and which tracks, as IGV and JBrowse sessions keep it.

A session names the genome and annotation files (absolute, and relative to the session file so a folder can
be moved or copied as a whole: see ``_find`` for which one opens), the sequence and region in view, the threshold,
and each track: its model, sequence, the ranges that were predicted, and its name, colour and visibility. Track
values are not copied into the file: reopening predicts the same ranges again, which the prediction cache answers at
once.
No Qt here beyond reading the session object: the tests read and write these files directly.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from genoview.core.errors import GenoViewInputError

FORMAT = "genoview-session"
VERSION = 1
SUFFIX = ".genoview.json"
FILE_FILTER = "GenoView sessions (*.genoview.json *.json);;All files (*)"


@dataclass
class TrackState:
    model: str
    seqid: str
    ranges: list[tuple[int, int]]
    label: str
    color: str
    visible: bool = True
    model_path: str = ""   # the model's folder when saved: a model registered from another folder, or given by path
    # library.model_fingerprint of that folder when saved (None: a built-in model, or a session saved before it):
    # reopening leaves the track out rather than predict it with another model now under that name or folder
    model_fingerprint: dict | None = None


@dataclass
class SessionState:
    genome: str
    annotation: str | None = None
    seqid: str | None = None
    region: tuple[int, int] | None = None
    threshold: float = 0.5
    tracks: list[TrackState] = field(default_factory=list)
    # (what, opened, saved) for each file read_session took from beside a moved or copied session file instead of
    # the path it was saved with: the window says so (the old copy's data would otherwise open unnoticed)
    relocated: list[tuple[str, str, str]] = field(default_factory=list)
    # (what, path) for each file of a moved or copied session opened where it was saved, none being beside the
    # session: with a relocated one, the project opened is a mix (the copy's genome, the original's annotation)
    kept: list[tuple[str, str]] = field(default_factory=list)
    # track files opened with File ▸ Open track… (bedGraph, bigWig): {"path", "label", "color", "visible"}; reopened
    # from the file (their values are not in the session); "missing": saved path of one not found (said, left out)
    track_files: list[dict] = field(default_factory=list)


def predicted_ranges(track) -> list[tuple[int, int]]:
    """The (start, end) runs of a track that hold predictions (NaN elsewhere)."""
    intervals = getattr(track, "predicted_intervals", None)
    if callable(intervals):
        return [(int(a), int(b)) for a, b in intervals()]
    values = track.values(0, None) if callable(track.values) else track.values
    known = np.zeros(len(values) + 2, dtype=np.int8)
    known[1:-1] = ~np.isnan(values)
    edges = np.flatnonzero(np.diff(known))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist()))


def model_folder(model: str) -> str:
    """The folder a model name stands for now ("" for a built-in model or one GenoView cannot find)."""
    from genoview.core.models import resolve_model_dir

    try:
        directory = resolve_model_dir(model)
    except GenoViewInputError:
        return ""
    return os.fspath(directory) if directory is not None else ""


def choose_model(track: TrackState) -> tuple[str | None, Path | None]:
    """(what to predict the track with, or None; the folder found under its name or saved folder whose model is not
    the one the track was made with, when that is why it is None: renamed, then a new model made under the old name,
    its fingerprint differs). One look per track: the window reads both from one call."""
    from genoview.core.library import model_fingerprint, same_model
    from genoview.core.models import resolve_model_dir

    folder = Path(track.model_path) if track.model_path else None
    saved = folder is not None and (folder / "config.json").is_file()
    try:
        directory = resolve_model_dir(track.model)
    except GenoViewInputError:
        known, directory = False, None
    else:
        known = True
        if directory is None:   # built in: nothing to tell apart
            return track.model, None
    candidates: list[tuple[str, Path]] = []
    if saved and (not known or os.path.realpath(directory) != os.path.realpath(folder)):
        # the name now stands for another folder (a model registered under a name the session's model had), or
        # for none: the track is predicted again with the model that made it, not silently with another
        candidates.append((os.fspath(folder), folder))
    if known:
        candidates.append((track.model, Path(directory)))
    changed = None
    for model, where in candidates:
        if same_model(track.model_fingerprint, model_fingerprint(where)):
            return model, None
        changed = changed or where
    return None, changed


def usable_model(track: TrackState) -> str | None:
    """What to predict a saved track with: its model's name when GenoView has it (the folder it was saved from when
    the name now stands for another folder that is still there), else that saved folder (a model registered from
    elsewhere and since taken off the library), else None (renamed, deleted, or made on
    another computer: the window says so instead of one "Prediction failed" per track). A session that saved the
    model's fingerprint gets None too when the model there now is another one (``choose_model``)."""
    return choose_model(track)[0]


def renamed_to(fingerprint: dict | None) -> list[str]:
    """Names of the models GenoView has now whose fingerprint is ``fingerprint`` (the model a track was made with,
    renamed since)."""
    from genoview.core.library import model_fingerprint, same_model
    from genoview.core.models import list_models

    if not fingerprint:
        return []
    return [info.name for info in list_models()
            if info.path != "(built-in)" and not info.broken and same_model(fingerprint, model_fingerprint(info.path))]


def changed_model_message(session_name: str, changed: list[tuple[TrackState, Path]]) -> str:
    """The one message for a session's tracks left out because their model's name or folder now holds another
    model: which track, the model it was made with (name, created), what is there now, and what to do."""
    from genoview.core.library import model_created

    parts = []
    for track, folder in changed:
        made = (track.model_fingerprint or {}).get("created") or "unknown"
        renamed = [name for name in renamed_to(track.model_fingerprint) if name != track.model]
        now_created = model_created(folder) or "unknown"
        parts.append(f"{track.label!r} ({track.seqid}) was made with the model {track.model!r} created {made}; "
                     f"{folder} now holds another model, created {now_created}"
                     + (f" (the model it was made with is in the library as {', '.join(map(repr, renamed))})"
                        if renamed else ""))
    many = len(changed) > 1
    return (f"{session_name}: {'; '.join(parts)}. {'These tracks were' if many else 'The track was'} left out, not "
            "predicted again with a different model; the rest of the session opened. Predict "
            f"{'them' if many else 'it'} again with the current model (Tools ▸ Predict…) and save the session, or "
            "import the old model (Models ▸ Model library…, Import) and reopen the session.")


def capture(session) -> SessionState:
    """The state of a GUI Session worth saving; GenoViewInputError when no genome is open."""
    from genoview.core.library import model_fingerprint

    genome = session.genome
    if genome is None or genome.path is None:
        raise GenoViewInputError("open a genome before saving a session")
    tracks, track_files = [], {}
    for track in session.tracks.values():
        source = getattr(track, "source_path", "")
        if source:   # a track file: one entry per file, whatever sequences it covers
            track_files.setdefault(source, {"path": source, "label": track.label, "color": track.color,
                                            "visible": getattr(track, "visible", True)})
            continue
        ranges = predicted_ranges(track)
        if ranges:
            model = track.model_name or track.label
            folder = model_folder(model)
            tracks.append(TrackState(model, track.seqid, ranges, track.label, track.color,
                                     getattr(track, "visible", True), folder,
                                     model_fingerprint(folder) if folder else None))
    return SessionState(os.fspath(genome.path), os.fspath(genome.annotation_path) if genome.annotation_path else None,
                        session.seqid, tuple(session.region) if session.seqid else None, float(session.threshold), tracks,
                        track_files=list(track_files.values()))


def _path_entry(path: str | None, base: Path) -> dict | None:
    if not path:
        return None
    absolute = Path(path).resolve()
    try:
        relative = os.path.relpath(absolute, base)
    except ValueError:   # another drive on Windows
        relative = None
    return {"path": os.fspath(absolute), "relative": relative}


def write_session(path: str | os.PathLike, state: SessionState) -> None:
    """Write the session as JSON, atomically; never over the genome or annotation it names."""
    from genoview.core.io.atomic import write_atomically
    from genoview.core.prediction import check_outputs

    check_outputs({"session": path}, [state.genome, state.annotation])   # GenoViewInputError naming both files
    path = Path(path)
    base = path.resolve().parent
    data: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "genome": _path_entry(state.genome, base),
        "annotation": _path_entry(state.annotation, base),
        "locus": {"seqid": state.seqid, "start": state.region[0], "end": state.region[1]} if state.region else None,
        "threshold": state.threshold,
        "tracks": [
            {"model": t.model, "seqid": t.seqid, "ranges": [list(r) for r in t.ranges], "label": t.label,
             "color": t.color, "visible": t.visible, **({"model_path": t.model_path} if t.model_path else {}),
             **({"model_fingerprint": t.model_fingerprint} if t.model_fingerprint else {})}
            for t in state.tracks
        ],
        **({"track_files": [{**_path_entry(t["path"], base), "label": t["label"], "color": t["color"],
                             "visible": t["visible"]} for t in state.track_files]} if state.track_files else {}),
    }
    text = json.dumps(data, indent=2) + "\n"
    write_atomically(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _find(entry: Any, base: Path, what: str, session_path: Path, found: dict[str, str] | None = None,
          relocated: list | None = None, kept: list | None = None) -> str | None:
    """The file a session's ``entry`` means now.

    The rule: a file the user pointed to (``found``) first. Then, when the session file is no longer where it was
    saved (its path relative to the session file no longer leads to the saved absolute path: the project folder was
    moved or copied), the file at that relative path, if there is one: a copied project opens its own data, not
    the old copy's. Otherwise the saved absolute path (the session file moved alone, the data where it was), else
    the relative one. A file taken from beside the session instead of the saved path is added to ``relocated``; one
    taken from the saved path although the session moved, to ``kept``."""
    if entry is None:
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise GenoViewInputError(f"the {what} entry is not a file path", session_path)
    if found and entry["path"] in found and not found[entry["path"]]:
        return None   # the user chose to go on without it (a session's moved annotation: the genome alone)
    if found and entry["path"] in found and Path(found[entry["path"]]).is_file():
        return os.fspath(Path(found[entry["path"]]))
    saved = Path(entry["path"])
    near = Path(os.path.normpath(base / entry["relative"])) if isinstance(entry.get("relative"), str) else None
    moved = near is not None and near != Path(os.path.normpath(saved))
    candidates = [near, saved] if moved else [saved, near]
    for candidate in candidates:
        if candidate is not None and candidate.is_file():
            if candidate is near and moved and relocated is not None and not _same_file(near, saved):
                relocated.append((what, os.fspath(near), entry["path"]))
            if candidate is saved and moved and kept is not None:
                kept.append((what, entry["path"]))
            return os.fspath(candidate)
    # a moved or copied project looked beside the session file too: say both places, or the user, who moved the data
    # with it, reads only the old place and wonders why the new one was not tried
    beside = f", nor beside the session file at {near}" if moved else ""
    error = GenoViewInputError(f"the session's {what} file {entry['path']} is not there any more{beside} (moved or "
                               "deleted): " + ("find it, or open the session's genome alone" if what == "annotation"
                                               else "find it, or open it with File ▸ Open"),
                               session_path)
    error.missing = (what, entry["path"])   # the window asks where it is now (read_session's ``found``)
    raise error


def read_session(path: str | os.PathLike, found: dict[str, str] | None = None) -> SessionState:
    """Read a session file; GenoViewInputError (with what to do) when it is not one or its files are gone (then
    ``error.missing`` = (what, saved path)). ``found``: {saved path: where the user says the file is now}."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise GenoViewInputError("no such session file", path) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise GenoViewInputError("not a GenoView session file (it is not readable JSON)", path) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise GenoViewInputError("not a GenoView session file", path)
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        raise GenoViewInputError("this session was saved by a newer GenoView; update GenoView to open it", path)
    base = path.resolve().parent
    relocated: list[tuple[str, str, str]] = []
    kept: list[tuple[str, str]] = []
    genome = _find(data.get("genome"), base, "genome", path, found, relocated, kept)
    if genome is None:
        raise GenoViewInputError("the session names no genome", path)
    annotation = _find(data.get("annotation"), base, "annotation", path, found, relocated, kept)
    try:
        locus = data.get("locus")
        seqid, region = (locus["seqid"], (int(locus["start"]), int(locus["end"]))) if locus else (None, None)
        tracks = [
            TrackState(str(t["model"]), str(t["seqid"]), [(int(a), int(b)) for a, b in t["ranges"]],
                       str(t.get("label") or t["model"]), str(t.get("color") or "#1f77b4"), bool(t.get("visible", True)),
                       str(t.get("model_path") or ""),
                       t["model_fingerprint"] if isinstance(t.get("model_fingerprint"), dict) else None)
            for t in data.get("tracks") or []
        ]
        threshold = float(data.get("threshold", 0.5))
        track_files = [_track_file(t, base) for t in data.get("track_files") or []]
    except (KeyError, TypeError, ValueError) as exc:
        raise GenoViewInputError(f"the session file is damaged ({exc.__class__.__name__}: {exc})", path) from exc
    return SessionState(genome, annotation, seqid, region, threshold, tracks, relocated, kept, track_files)


def _track_file(entry: dict, base: Path) -> dict:
    """A saved track file: where it is now (the saved path, else the same place beside a moved session), or
    ``missing`` set to the saved path when it is in neither place (the window says so; the rest opens)."""
    saved = str(entry["path"])
    near = os.path.normpath(base / entry["relative"]) if isinstance(entry.get("relative"), str) else None
    where = next((p for p in (saved, near) if p and os.path.isfile(p)), None)
    return {"path": where or saved, "missing": None if where else saved, "label": str(entry.get("label") or
            Path(saved).name), "color": str(entry.get("color") or "#1f77b4"), "visible": bool(entry.get("visible", True))}
