"""``genoview.json``, GenoView's metadata beside a model's weights, and the one class that reads and writes it.

In the spirit of transformers' ``PretrainedConfig``: :class:`ModelMetadata` knows the fields, checks their
types on reading (a message naming the file, the line and the fix, never a traceback), keeps keys it does
not know (a newer GenoView's, or an architecture's own records) and saves atomically. Nothing else in
GenoView opens the file: ``ModelMetadata.load(directory)`` / ``.save(directory)`` /
``ModelMetadata.update_file(directory, **entries)``.

Layout (one JSON object)::

    {"schema_version": 1, "name": ..., "architecture": "genecnn", "task": "gene-probability",
     "description": ..., "default": false, "parent": "kmer-bert-pretrained" | null,
     "data": {"fasta", "annotation", "feature_types", "train": [regions], "valid": [...], "test": [...]},
     "command": "genoview train ...", "seed": 1, "metrics": {"test": {...}, "validation": {...}},
     "training": {...}, "history": [...],
     "genecnn": {"threshold": 0.47}, ...}      # per-architecture settings sections (TrackModel.settings_key)

Any other top-level key is kept as it is in :attr:`ModelMetadata.sections`.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from genoview.core.errors import GenoViewInputError
from genoview.core.models.registry import Task, normalize_task

METADATA_FILE = "genoview.json"
SCHEMA_VERSION = 1

# field -> (accepted JSON types, what to write instead); None is accepted for every field
_FIELDS: dict[str, tuple[tuple[type, ...], str]] = {
    "schema_version": ((int,), f"an integer ({SCHEMA_VERSION})"),
    "name": ((str,), "a string"),
    "architecture": ((str,), 'a string such as "genecnn"'),
    "task": ((str,), f"one of {', '.join(repr(t.value) for t in Task)}"),
    "description": ((str,), "a string"),
    "default": ((bool,), "true or false"),
    "parent": ((str,), "the name or folder of the model this one was trained from, or null"),
    "data": ((dict,), "an object with the training data and split"),
    "command": ((str,), "a string"),
    "seed": ((int,), "an integer"),
    "metrics": ((dict,), 'an object such as {"test": {"mcc": 0.7}}'),
    "training": ((dict,), "an object"),
    "history": ((list,), "a list"),
}


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"\s*:?|[{}\[\]]')


def json_key_line(text: str, *path: str) -> int | None:
    """1-based line of the key at ``path`` (top-level key, then keys inside its object) in a JSON text, for
    messages; None when it is not there. Keys of the same name deeper in the file are not mistaken for it."""
    depth, want = 0, 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
        elif token in "}]":
            depth -= 1
            if want and depth <= want:   # left the value of the key found last
                return None
        elif token.endswith(":"):
            if want and depth <= want:   # that key's value held no object with the next key
                return None
            if depth == want + 1 and json.loads(token[:-1].rstrip()) == path[want]:
                want += 1
                if want == len(path):
                    return text.count("\n", 0, match.start()) + 1
    return None


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


@dataclass
class ModelMetadata:
    """The content of a model directory's ``genoview.json``; every field optional (a downloaded model has none).

    ``task`` is a :class:`~genoview.core.models.registry.Task` (old names such as "gene-track" or
    "token-classification" are read as their task); ``sections`` holds the per-architecture settings
    (``"genecnn": {"threshold": ...}``) and every key this class does not know, kept on saving.
    """

    name: str | None = None
    architecture: str | None = None
    task: Task | None = None
    description: str = ""
    default: bool = False
    parent: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    command: str | None = None
    seed: int | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    history: list[Any] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION
    source: Path | None = field(default=None, repr=False, compare=False)   # the file it was read from

    # ------------------------------------------------------------------ reading
    @classmethod
    def path_in(cls, directory: str | os.PathLike) -> Path:
        """Where the metadata of a model directory lives."""
        return Path(directory) / METADATA_FILE

    @classmethod
    def exists(cls, directory: str | os.PathLike) -> bool:
        return cls.path_in(directory).is_file()

    @classmethod
    def load(cls, directory: str | os.PathLike) -> "ModelMetadata":
        """The metadata of a model directory (defaults when it has no genoview.json).

        Raises GenoViewInputError naming the file and line for bad JSON, a value of the wrong type or an
        unknown task.
        """
        path = cls.path_in(directory)
        if not path.is_file():
            return cls()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise GenoViewInputError(f"cannot be read ({exc}); fix its permissions or delete it "
                                     "(GenoView then uses defaults)", path) from exc
        meta = cls.from_json_text(text, path)
        meta.source = path
        return meta

    @classmethod
    def from_json_text(cls, text: str, path: str | os.PathLike | None = None) -> "ModelMetadata":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise GenoViewInputError(f"not valid JSON ({exc.msg}); fix the file, or delete it to load the model "
                                     "without GenoView's metadata", path, exc.lineno) from exc
        if not isinstance(data, dict):
            raise GenoViewInputError(f"expected a JSON object with the model's metadata, found {_type_name(data)}; "
                                     "fix or delete the file", path, 1)
        return cls.from_dict(data, path, text)

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str | os.PathLike | None = None,
                  text: str | None = None) -> "ModelMetadata":
        """Metadata from a dict in the file's layout, checking the known fields' types."""
        def fail(key: str, message: str):
            line = json_key_line(text, key) if text is not None else None
            raise GenoViewInputError(f"{message}; fix the value or delete the file", path, line)

        values: dict[str, Any] = {}
        sections: dict[str, Any] = {}
        for key, value in data.items():
            if key not in _FIELDS:
                sections[key] = value
                continue
            if value is None:
                continue
            types, expected = _FIELDS[key]
            ok = isinstance(value, types) and not (bool not in types and isinstance(value, bool))
            if not ok:
                fail(key, f'"{key}" is {_type_name(value)} ({json.dumps(value)[:40]}); expected {expected}')
            values[key] = value
        if values.get("schema_version", SCHEMA_VERSION) > SCHEMA_VERSION:
            fail("schema_version", f"written by a newer GenoView (schema {values['schema_version']}, this one "
                                   f"reads up to {SCHEMA_VERSION}); update GenoView")
        if "task" in values:
            task = normalize_task(values["task"])
            if task is None:
                fail("task", f'"task" is {values["task"]!r}, which GenoView does not know; expected '
                             f"{_FIELDS['task'][1]}")
            values["task"] = task
        return cls(**values, sections=sections)

    # ------------------------------------------------------------------ writing
    def to_dict(self) -> dict[str, Any]:
        """The file's layout: known fields (empty ones left out), then the sections in their order."""
        out: dict[str, Any] = {"schema_version": self.schema_version}
        for key in _FIELDS:
            if key == "schema_version":
                continue
            value = getattr(self, key)
            if value is None or value == "" or value == {} or value == [] or (key == "default" and not value):
                continue
            out[key] = value.value if isinstance(value, Task) else value
        for key, value in self.sections.items():
            out.setdefault(key, value)
        return out

    def save(self, directory: str | os.PathLike) -> Path:
        """Write ``directory/genoview.json`` atomically: a unique temporary file renamed into place."""
        path = self.path_in(directory)
        text = json.dumps(self.to_dict(), indent=2, default=_json_default) + "\n"
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{METADATA_FILE}.", suffix=".tmp")
        except OSError as exc:
            raise _write_error(path, exc) from exc
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if isinstance(exc, OSError):
                raise _write_error(path, exc) from exc
            raise
        readable_as_umask_allows(path.parent)
        return path

    def update(self, **entries: Any) -> "ModelMetadata":
        """Set fields and sections from keyword arguments (the file's keys); returns self.

        A known field is type-checked as on reading (``task`` normalised); any other key replaces that
        section whole.
        """
        checked = type(self).from_dict({k: _plain(v) for k, v in entries.items()}, None)
        for key, value in entries.items():
            if key in _FIELDS:
                setattr(self, key, getattr(checked, key) if value is not None else _empty(key))
            else:
                self.sections[key] = _plain(value)
        return self

    @classmethod
    @contextlib.contextmanager
    def editing(cls, directory: str | os.PathLike):
        """``with ModelMetadata.editing(directory) as meta: ...``: load, change, and save on leaving (not when
        the block raises), holding the directory's lock throughout."""
        with _directory_lock(directory):
            meta = cls.load(directory)
            yield meta
            meta.save(directory)

    @classmethod
    def update_file(cls, directory: str | os.PathLike, **entries: Any) -> "ModelMetadata":
        """Load ``directory``'s metadata (defaults if missing), update it with ``entries`` and save it, holding
        a lock on the directory meanwhile, so updates from two processes (a calibration while the library
        marks a default) both land."""
        with cls.editing(directory) as meta:
            meta.update(**entries)
        return meta

    # ------------------------------------------------------------------ training data
    def regions(self, part: str) -> list[tuple[str, int, int]]:
        """(seqid, start, end) of the ``part`` ("train", "valid" or "test") recorded in ``data``, 0-based
        half-open; [] when none is recorded. An entry that is not {seqid, start, end} with 0 <= start < end
        is an input error naming the file."""
        out = []
        for item in self.data.get(part) or []:
            ok = isinstance(item, dict) and isinstance(item.get("seqid"), str)
            start, end = (item.get("start"), item.get("end")) if ok else (None, None)
            if not (ok and all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end))
                    and 0 <= start < end):
                raise GenoViewInputError(f'"data": {{"{part}": [...]}} holds {json.dumps(item)[:60]}; expected '
                                         '{"seqid": "...", "start": N, "end": M} with 0 <= N < M; fix the entry or '
                                         "delete the file", self.source)
            out.append((item["seqid"], start, end))
        return out

    # ------------------------------------------------------------------ sections
    def section(self, key: str) -> dict[str, Any]:
        """The settings section ``key`` (e.g. "genecnn"), created empty if missing; an input error if not an object."""
        value = self.sections.setdefault(key, {})
        if not isinstance(value, dict):
            raise GenoViewInputError(f'"{key}" is {_type_name(value)}; expected an object of settings '
                                     '(such as {"threshold": 0.5}); fix the value or delete the file', self.source)
        return value

    def setting(self, key: str, name: str, default: Any = None) -> Any:
        """One value of a settings section (``default`` when the section or the value is missing)."""
        value = self.sections.get(key)
        return value.get(name, default) if isinstance(value, dict) else default

    def threshold(self, key: str | None) -> float:
        """The decision threshold stored under ``key`` (0.5 when none); an input error if it is not in (0, 1)."""
        value = self.setting(key, "threshold", 0.5) if key else 0.5
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 < float(value) < 1.0:
            raise GenoViewInputError(f'"{key}": {{"threshold": {json.dumps(value)}}} must be a number between 0 and 1 '
                                     f"(exclusive); run `genoview calibrate` again or delete the value", self.source,
                                     json_key_line(self.source.read_text(encoding="utf-8"), key, "threshold")
                                     if self.source is not None and self.source.is_file() else None)
        return float(value)


def _write_error(path: Path, exc: OSError) -> GenoViewInputError:
    return GenoViewInputError(f"cannot be written ({exc.strerror or exc}); the model folder must be writable "
                              "(copy a shipped or read-only model into your library first) and the disk not full",
                              path)


@contextlib.contextmanager
def _directory_lock(directory: str | os.PathLike):
    """An exclusive advisory lock on a directory (flock: released by the OS if the process dies); none where
    the platform has no flock (Windows)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError as exc:
        raise GenoViewInputError(f"cannot be opened ({exc.strerror or exc}); check that the model folder exists",
                                 directory) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _empty(key: str) -> Any:
    return {"data": {}, "metrics": {}, "training": {}, "history": [], "description": "",
            "default": False, "schema_version": SCHEMA_VERSION}.get(key)


def _plain(value: Any) -> Any:
    """Round-trip through JSON so tuples, numpy scalars and paths become what the file will hold."""
    return json.loads(json.dumps(value, default=_json_default))


def current_umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux: /proc), since setting it
    to read it back races with other threads creating files."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# what GenoView itself writes into a model folder through mkstemp (this file) or safetensors' save_file, both 0600
_PRIVATE_BY_TOOL = (".safetensors", ".json")


def readable_as_umask_allows(directory: str | os.PathLike) -> None:
    """Weights and metadata GenoView wrote into ``directory`` with mode 0600 (mkstemp, safetensors) get the mode
    any new file gets (0666 less the umask), so a colleague on the same machine, or a lab's shared model folder,
    can load the model. Other files, and files of other modes, are left as they are."""
    mode = 0o666 & ~current_umask()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        try:
            if (entry.name.endswith(_PRIVATE_BY_TOOL) and entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_mode & 0o777 == 0o600 and mode != 0o600):
                os.chmod(entry.path, mode)
        except OSError:   # a file we may not change (another owner's): left as it is
            pass


def _json_default(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):   # numpy scalars
        return value.item()
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
