"""The model library without Qt: rows to list, import with validation, zip export, rename and delete.

Shipped models (``models/`` beside GenoView) are read-only: they are listed, exported and fine-tuned, never
renamed or deleted. User models live in ``model_library_dir()`` (or elsewhere, registered in the store).
Every change is atomic on disk: an import is copied into a hidden folder and renamed into place, an export is
written to a temporary zip and renamed, a delete first renames the folder out of sight.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import struct
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from genoview import paths
from genoview.core.errors import GenoViewInputError

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,79}$")
TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "tokenizer_config.json", "vocab.json")
# architectures whose config is read with a Hugging Face tokenizer: an import must carry its files
NEEDS_TOKENIZER = {"kmer-bert"}


@dataclass
class LibraryRow:
    """One model as the library window lists it."""

    name: str
    path: str
    shipped: bool
    builtin: bool
    task: str
    architecture: str
    parameters: int | None = None      # from the safetensors header (no weights read)
    size_bytes: int = 0                # files on disk
    parent: str | None = None
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)   # split -> metrics
    created: str | None = None
    description: str = ""
    broken: str = ""
    default: bool = False
    tested_on: str = ""                # where the test metrics were measured, in words ("" when not recorded)

    @property
    def editable(self) -> bool:
        """Renamed or deleted by the user: never a shipped or built-in model."""
        return not self.shipped and not self.builtin

    def metric(self, split: str, name: str) -> float | None:
        value = (self.metrics.get(split) or {}).get(name)
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _is_shipped(path: Path) -> bool:
    try:
        path.resolve().relative_to(paths.SHIPPED_MODELS_DIR.resolve())
        return True
    except (ValueError, OSError):
        return False


def safetensors_parameters(directory: Path) -> int | None:
    """Number of parameters in ``model.safetensors`` (header only), or None without one."""
    path = Path(directory) / "model.safetensors"
    try:
        with open(path, "rb") as fh:
            size = struct.unpack("<Q", fh.read(8))[0]
            if size > 100_000_000:
                return None
            header = json.loads(fh.read(size))
    except (OSError, ValueError, struct.error):
        return None
    total = 0
    for key, entry in header.items():
        if key == "__metadata__" or not isinstance(entry, dict):
            continue
        count = 1
        for dim in entry.get("shape", []):
            count *= int(dim)
        total += count
    return total


def folder_size(directory: Path) -> int:
    total = 0
    for root, _, files in os.walk(directory):
        for name in files:
            try:
                total += (Path(root) / name).stat().st_size
            except OSError:
                pass
    return total


def tested_on(meta) -> str:
    """Where a model's test figures were measured, in words, from its recorded split: the library's Test MCC of a
    model tested on a held-out genome and of one tested on E. coli's last 30 % looked alike."""
    data = meta.data if isinstance(meta.data, dict) else {}
    genomes = [str(g) for g in data.get("test_genomes") or []]
    if data.get("split") == "genomes" and genomes:
        return f"the held-out genome{'s' if len(genomes) > 1 else ''} {', '.join(genomes)} (never trained on)"
    try:
        regions = meta.regions("test")
    except GenoViewInputError:
        return ""
    if not regions:
        return ""
    where = ", ".join(f"{seqid}:{start + 1:,}-{end:,}" for seqid, start, end in regions[:3])
    more = f" and {len(regions) - 3} more" if len(regions) > 3 else ""
    fasta = data.get("fasta")
    return f"{where}{more}{f' of {fasta}' if fasta else ''} (never trained on)"


def close_names(text: str, names: list[str], most: int = 3) -> list[str]:
    """The names nearest a mistyped search ("gencnn" -> genecnn-ecoli, ...): each name is compared whole and by its
    dash-separated parts, so a typo in one part of a long name still finds it."""
    import difflib

    text = text.strip().lower()

    def score(name: str) -> float:
        parts = [name.lower(), name.lower().replace("-", ""), *name.lower().split("-")]
        return max(difflib.SequenceMatcher(None, text, part).ratio() for part in parts)

    scored = sorted(((score(name), name) for name in names), key=lambda pair: (-pair[0], pair[1]))
    return [name for value, name in scored if value >= 0.75][:most]


# ------------------------------------------------------------------------------------------ leftovers
# An import or delete killed mid-way (the app killed, the machine off) leaves its hidden work folder in the library:
# ".unpacking-PID-…" (a zip being unpacked; older versions wrote ".unpacking-…" without the pid),
# ".NAME.importing-PID" (a copy) or ".NAME.deleting-PID". They can hold gigabytes and nothing else removes them.
LEFTOVER_PATTERN = re.compile(r"^\.(?:unpacking-(?:(?P<upid>\d+)-)?.*|.+\.(?:importing|deleting)-(?P<pid>\d+))$")
LEFTOVER_QUIET_S = 600        # a dead owner's folder is removed once nothing in it changed for this long
LEFTOVER_NO_PID_AGE_S = 3600  # an ".unpacking-…" folder without a pid (older versions): once this old


def _newest_change(folder: Path) -> float:
    newest = folder.lstat().st_mtime
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    return newest


def remove_import_leftovers(library: str | os.PathLike | None = None, now: float | None = None) -> list[Path]:
    """Remove the work folders of imports and deletes whose process is gone; returns what was removed.

    A folder whose process still runs (another GenoView importing right now, or this one on another thread) is
    never touched; a dead owner's folder only once nothing in it changed for ``LEFTOVER_QUIET_S`` (a pid seen
    from another machine sharing the folder proves nothing); a folder without a pid once an hour old."""
    import time

    from genoview.core.store import process_alive

    library = Path(library) if library is not None else paths.model_library_dir()
    now = time.time() if now is None else now
    removed = []
    try:
        entries = [entry for entry in library.iterdir() if entry.name.startswith(".")]
    except OSError:
        return removed
    for entry in entries:
        match = LEFTOVER_PATTERN.match(entry.name)
        if match is None or entry.is_symlink() or not entry.is_dir():
            continue
        pid = match.group("upid") or match.group("pid")
        try:
            if pid is not None:
                if int(pid) == os.getpid() or process_alive(int(pid)):
                    continue
                if now - _newest_change(entry) < LEFTOVER_QUIET_S:
                    continue
            elif now - _newest_change(entry) < LEFTOVER_NO_PID_AGE_S:
                continue
        except OSError:
            continue
        shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed.append(entry)
    return removed


def library_rows() -> list[LibraryRow]:
    """Every model the user can reach: shipped, library and registered folders, then built-in ones (a killed
    import's leftovers in the library folder are removed first: ``remove_import_leftovers``)."""
    from genoview.core.models import list_models
    from genoview.core.models.metadata import ModelMetadata

    remove_import_leftovers()
    rows = []
    for info in list_models():
        builtin = info.path == "(built-in)"
        row = LibraryRow(name=info.name, path=info.path, shipped=not builtin and _is_shipped(Path(info.path)),
                         builtin=builtin, task=str(info.task), architecture=info.architecture,
                         description=info.description, broken=info.broken, default=info.default)
        if not builtin:
            directory = Path(info.path)
            row.parameters = safetensors_parameters(directory)
            row.size_bytes = folder_size(directory)
            try:
                meta = ModelMetadata.load(directory)
                row.parent = meta.parent
                row.metrics = {k: v for k, v in (meta.metrics or {}).items() if isinstance(v, dict)}
                row.tested_on = tested_on(meta)
            except GenoViewInputError as exc:
                row.broken = row.broken or str(exc)
            row.created = model_created(directory)
        rows.append(row)
    return rows


def model_created(directory: str | os.PathLike) -> str | None:
    """When a model folder was made, as the library shows it (its config.json's time, UTC, to the minute); None
    when it has no config.json."""
    from datetime import datetime, timezone

    try:
        stamp = (Path(directory) / "config.json").stat().st_mtime
    except OSError:
        return None
    return datetime.fromtimestamp(stamp, timezone.utc).strftime("%Y-%m-%d %H:%M")


WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")


def model_fingerprint(directory: str | os.PathLike) -> dict[str, Any] | None:
    """A cheap identity of a model folder, for a session to tell its track's model from another one given the same
    name or folder since (renamed, then a new model made under the old name): the library's created time
    (``model_created``), a hash of config.json and the weight files' total size. Nothing read beyond config.json;
    None when the folder has no config.json."""
    directory = Path(directory)
    try:
        config = (directory / "config.json").read_bytes()
        weights = sum(entry.stat().st_size for entry in directory.iterdir()
                      if entry.is_file() and entry.suffix in WEIGHT_SUFFIXES)
    except OSError:
        return None
    return {"created": model_created(directory), "config_sha1": hashlib.sha1(config).hexdigest()[:16],
            "weights_bytes": weights}


def shipped_copy_of(directory: str | os.PathLike) -> str | None:
    """The shipped model a folder outside ``models/`` is a copy of (the same config.json and weight files' size, the
    ``model_fingerprint`` less its time), else None: a copy of lm-human-genes (registered in place, or copied into
    the library folder by hand) says ``"default": true`` without the user ever choosing it
    (``lm_models.language_model_default``)."""
    directory = Path(directory)
    if _is_shipped(directory):
        return None
    mine = model_fingerprint(directory)
    if mine is None:
        return None
    try:
        shipped = sorted(entry for entry in paths.SHIPPED_MODELS_DIR.iterdir() if entry.is_dir())
    except OSError:
        return None
    for entry in shipped:
        theirs = model_fingerprint(entry)
        if theirs is not None and all(mine[key] == theirs[key] for key in ("config_sha1", "weights_bytes")):
            return entry.name
    return None


def same_model(saved: dict[str, Any] | None, now: dict[str, Any] | None) -> bool:
    """Whether a saved ``model_fingerprint`` is the model's now (True when none was saved: an older session)."""
    if not saved:
        return True
    return now is not None and all(saved.get(key) == now.get(key) for key in ("created", "config_sha1",
                                                                                  "weights_bytes"))


# ------------------------------------------------------------------------------------------ import
# A zip is unpacked only when what it declares fits: its members' sizes are what zipfile writes at most (it stops at
# each member's declared size and checks its CRC), so a small zip that unpacks to terabytes (a "zip bomb") is refused
# before a byte is written. GenoView's models are kilobytes to a few gigabytes in a handful of files.
MAX_ZIP_UNPACKED_BYTES = 32 * 1024 ** 3
MAX_ZIP_MEMBERS = 10_000
ZIP_SPARE_BYTES = 256 * 1024 ** 2   # left free on the library's disk after unpacking and copying


def _check_zip_fits(archive: zipfile.ZipFile, source: Path, into: Path) -> None:
    """Refuse a zip whose unpacked size, member count or need for disk space (unpacked, then copied into the
    library: twice its size) is more than a model's."""
    members = archive.infolist()
    total = sum(max(0, member.file_size) for member in members)
    if len(members) > MAX_ZIP_MEMBERS:
        raise GenoViewInputError(f"holds {len(members):,} files (a model folder has a few); it was not written by "
                                 "Export zip…", source)
    if total > MAX_ZIP_UNPACKED_BYTES:
        raise GenoViewInputError(f"would unpack to {human_bytes(total)}, more than any model "
                                 f"({human_bytes(MAX_ZIP_UNPACKED_BYTES)} at most); it was not written by "
                                 "Export zip…", source)
    try:
        free = shutil.disk_usage(into).free
    except OSError:
        return
    if 2 * total + ZIP_SPARE_BYTES > free:
        raise GenoViewInputError(f"would unpack to {human_bytes(total)}: the library's disk ({into}) has "
                                 f"{human_bytes(free)} free, and importing needs twice that much; free some space",
                                 source)


def human_bytes(count: int) -> str:
    value = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:,.0f} {unit}" if unit == "bytes" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} TB"


@contextlib.contextmanager
def model_folder_of(source: str | os.PathLike, into: str | os.PathLike | None = None) -> Iterator[Path]:
    """The model folder ``source`` names: the folder itself, or a zip's (as Export zip… writes it: the files under
    one folder, or at its top level) unpacked into a temporary folder inside ``into`` that is removed afterwards. A
    colleague's exported zip had to be unpacked by hand before Import folder… took it."""
    source = Path(source).expanduser()
    if not (source.is_file() and zipfile.is_zipfile(source)):
        yield source
        return
    # the pid in its name tells remove_import_leftovers whether its unpacker still runs
    with tempfile.TemporaryDirectory(prefix=f".unpacking-{os.getpid()}-", dir=into) as work:
        try:
            with zipfile.ZipFile(source) as archive:
                _check_zip_fits(archive, source, Path(work))
                for member in archive.infolist():   # nothing may land outside the folder it is unpacked into
                    parts = Path(member.filename).parts
                    if member.filename.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
                        raise GenoViewInputError(f"holds a file outside its folder ({member.filename}); it was not "
                                                 "written by Export zip…: unpack it yourself and import the folder",
                                                 source)
                archive.extractall(work)
        except (OSError, zipfile.BadZipFile) as exc:
            raise GenoViewInputError(f"cannot be unpacked ({exc}); export the model again", source) from exc
        top = Path(work)
        found = [top] if (top / "config.json").is_file() else \
            [d for d in top.iterdir() if d.is_dir() and (d / "config.json").is_file()]
        if len(found) != 1:
            raise GenoViewInputError("holds no model folder (config.json at its top or in one folder)" if not found
                                     else "holds several model folders; unpack it and import each folder", source)
        yield found[0]


def validate_model_folder(folder: str | os.PathLike) -> dict[str, Any]:
    """Check a Hugging Face model folder (or a zip of one: ``model_folder_of``) before it joins the library;
    returns what was found.

    The registry's checks (config.json readable with a known ``model_type`` and values of the right types,
    safetensors weights complete) plus: weights in safetensors (a pickle-only ``pytorch_model.bin`` is refused:
    unpickling can run code), and tokenizer files where the architecture reads text with one.
    Raises GenoViewInputError naming the file and the fix.
    """
    from genoview.core.models import inspect_model_dir
    from genoview.core.models.checks import PICKLE_WEIGHTS

    if Path(folder).expanduser().is_file() and zipfile.is_zipfile(Path(folder).expanduser()):
        with model_folder_of(folder, paths.model_library_dir()) as unpacked:
            found = validate_model_folder(unpacked)
        # a zip of the files alone: its own name (the temporary folder's ".unpacking-…" was offered)
        return {**found, "name": found.get("name") or (Path(folder).stem if unpacked.name.startswith(".unpacking-")
                                                       else unpacked.name)}
    directory = Path(folder).expanduser()
    if not directory.is_dir():
        raise GenoViewInputError("is not a folder or a model's zip; choose the folder that holds config.json",
                                 directory)
    has_safetensors = (directory / "model.safetensors").is_file() or (directory / "model.safetensors.index.json").is_file()
    if not has_safetensors and (directory / PICKLE_WEIGHTS).is_file():
        raise GenoViewInputError(
            f"holds only pickled weights ({PICKLE_WEIGHTS}); the library imports safetensors weights only, because "
            "loading a pickle can run any code it contains. Convert it where it was made: "
            "model.save_pretrained(folder, safe_serialization=True)", directory / PICKLE_WEIGHTS)
    model_type, row, meta, task = inspect_model_dir(directory)
    tokenizer = [name for name in TOKENIZER_FILES if (directory / name).is_file()]
    if row.architecture in NEEDS_TOKENIZER and not tokenizer:
        raise GenoViewInputError(f"has no tokenizer files ({', '.join(TOKENIZER_FILES[:2])}); a {row.architecture} "
                                 "model reads its input through one: copy them from where the model was made",
                                 directory)
    for name in tokenizer:
        if name.endswith(".json"):
            try:
                json.loads((directory / name).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise GenoViewInputError(f"the tokenizer file cannot be read ({exc}); copy it again",
                                         directory / name) from exc
    return {"model_type": model_type, "architecture": row.architecture, "task": task.value if task else None,
            "tokenizer": tokenizer, "parameters": safetensors_parameters(directory), "name": meta.name}


def check_new_name(name: str) -> str:
    """A name that can be a library folder and is not taken by any model (shipped, library, built-in)."""
    from genoview.core.models import BUILTIN_MODELS
    from genoview.core.models import _named_dirs

    name = (name or "").strip()
    if not NAME_PATTERN.match(name):
        raise GenoViewInputError(f"the name {name!r} cannot be used: use letters, digits, '.', '_', '-' or '+' "
                                 "(at most 80, starting with a letter or digit)")
    if name in BUILTIN_MODELS or name in _named_dirs() or (paths.model_library_dir() / name).exists():
        raise GenoViewInputError(f"a model named {name!r} already exists; choose another name")
    return name


def import_model(folder: str | os.PathLike, name: str | None = None) -> Path:
    """Copy a validated Hugging Face folder into the library under ``name``; returns the new folder."""
    from genoview.core.models.metadata import ModelMetadata
    from genoview.core.store import open_store

    source = Path(folder).expanduser().resolve()
    library = paths.model_library_dir()
    remove_import_leftovers(library)
    if source.is_file() and zipfile.is_zipfile(source):   # Export zip…'s file, from a colleague or a backup
        with model_folder_of(source, library) as unpacked:
            if name is None and unpacked.name.startswith(".unpacking-"):   # its files at the top: the zip's name
                name = validate_model_folder(unpacked).get("name") or source.stem
            return import_model(unpacked, name)
    found = validate_model_folder(source)
    name = check_new_name(name or found.get("name") or source.name)
    target = library / name
    work = library / f".{name}.importing-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("checkpoint-*", ".*"))
        meta = ModelMetadata.load(work)
        meta.name = name
        meta.architecture = meta.architecture or found["architecture"]
        # a default is this library's choice, not the file's: a copy of the shipped lm-human-genes (Export zip… then
        # Import zip…) or a colleague's default would otherwise become the default language model, for bacteria too
        meta.default = False
        meta.save(work)
        os.replace(work, target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise GenoViewInputError(f"could not be copied into the library ({exc.strerror or exc})", source) from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    open_store().record_model(name, target, ModelMetadata.load(target).to_dict())
    return target


# ------------------------------------------------------------------------------------------ export
def export_zip(name_or_dir: str | os.PathLike, zip_path: str | os.PathLike) -> Path:
    """Write a model folder as a zip (files under a folder of the model's name), atomically."""
    from genoview.core.models import resolve_model_dir

    directory = resolve_model_dir(name_or_dir)
    if directory is None:
        raise GenoViewInputError(f"{name_or_dir} is built in: it has no folder to export")
    zip_path = Path(zip_path)
    if Path(os.path.realpath(zip_path)).is_relative_to(os.path.realpath(directory)):
        raise GenoViewInputError(f"is inside the model's own folder ({directory}): the zip would replace or join its "
                                 "files; save it somewhere else", zip_path)
    tmp = zip_path.with_name(f".{zip_path.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(directory.rglob("*")):
                relative = path.relative_to(directory)
                if path.is_file() and not any(part.startswith(("checkpoint-", ".")) for part in relative.parts):
                    archive.write(path, Path(directory.name) / relative)
        os.replace(tmp, zip_path)
    except BaseException as exc:   # interrupted too: the earlier zip stays and no temporary file is left
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise GenoViewInputError(f"cannot be written ({exc.strerror or exc})", zip_path) from exc
        raise
    return zip_path


# ------------------------------------------------------------------------------------------ rename, delete
def _editable_dir(name: str) -> tuple[Path, bool]:
    """(folder, in the library folder) of a user model; shipped and built-in models are refused."""
    from genoview.core.models import resolve_model_dir

    directory = resolve_model_dir(name)
    if directory is None:
        raise GenoViewInputError(f"{name} is built into GenoView and cannot be changed")
    if _is_shipped(directory):
        raise GenoViewInputError(f"{name} is shipped with GenoView and cannot be renamed or deleted; "
                                 "fine-tune it to make your own copy")
    in_library = directory.resolve().parent == paths.model_library_dir().resolve()
    return directory, in_library


def rename_model(name: str, new_name: str) -> Path:
    """Rename a user model (its library folder, genoview.json's name and its store row)."""
    from genoview.core.models.metadata import ModelMetadata
    from genoview.core.store import open_store

    directory, in_library = _editable_dir(name)
    new_name = check_new_name(new_name)
    target = paths.model_library_dir() / new_name if in_library else directory
    if in_library:
        os.replace(directory, target)
    ModelMetadata.update_file(target, name=new_name)
    store = open_store()
    store.rename_model_row(name, new_name, target)
    if not any(row["name"] == new_name for row in store.library_models()) and not in_library:
        store.record_model(new_name, target, ModelMetadata.load(target).to_dict())
    return target


def delete_model(name: str) -> bool:
    """Delete a user model: a library folder is removed (renamed out of sight first, so a crash leaves no
    half-deleted model); a folder registered from elsewhere is only taken off the library (its files stay).
    Returns True when files were deleted."""
    from genoview.core.store import open_store

    directory, in_library = _editable_dir(name)
    open_store().remove_model(name)
    if not in_library:
        return False
    trash = directory.parent / f".{directory.name}.deleting-{os.getpid()}"
    os.replace(directory, trash)
    shutil.rmtree(trash, ignore_errors=True)
    return True


# ------------------------------------------------------------------------------------------ details
def builtin_card(name: str) -> str:
    """A built-in model's card: its module's ``CARD`` (the one place its words live), else a title line."""
    import importlib

    from genoview.core.models.registry import BUILTIN_MODELS

    row = BUILTIN_MODELS.get(name)
    card = getattr(importlib.import_module(row.module), "CARD", None) if row is not None else None
    return card or f"# {name}\n\nBuilt into GenoView."


def model_details(name_or_dir: str | os.PathLike) -> dict[str, Any]:
    """What the details pane shows: card (README.md), spec, metrics per split, history, parent."""
    from genoview.core.models import resolve_model_dir
    from genoview.core.models.metadata import ModelMetadata

    directory = resolve_model_dir(name_or_dir)
    if directory is None:
        return {"card": builtin_card(str(name_or_dir)), "spec": None, "metrics": {}, "history": [],
                "parent": None, "path": None}
    meta = ModelMetadata.load(directory)
    card_path = directory / "README.md"
    card = card_path.read_text(encoding="utf-8", errors="replace") if card_path.is_file() else \
        f"# {meta.name or directory.name}\n\n{meta.description}"
    history = list(meta.history or [])
    if not history and (directory / "history.json").is_file():
        try:
            history = json.loads((directory / "history.json").read_text())
        except ValueError:
            history = []
    spec = (meta.training or {}).get("spec")
    return {"card": card, "spec": spec, "metrics": meta.metrics or {}, "history": history, "parent": meta.parent,
            "path": str(directory), "command": meta.command, "architecture": meta.architecture}


def history_curves(history: list[dict[str, Any]]) -> dict[str, tuple[list[int], list[float]]]:
    """Series for plots: 'loss' (training), 'validation loss', 'validation mcc', 'validation roc_auc'."""
    curves: dict[str, tuple[list[int], list[float]]] = {}
    for record in history:
        step = record.get("step")
        if step is None:
            continue
        for key, value in record.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool) or key in ("step", "epoch",
                                                                                        "learning_rate"):
                continue
            label = f"validation {key[5:]}" if key.startswith("eval_") else key
            xs, ys = curves.setdefault(label, ([], []))
            xs.append(int(step))
            ys.append(float(value))
    return curves
