"""Where GenoView finds resources/ and models/ (checkout, installed, or frozen) and keeps user data."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def _root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


ROOT = _root()
RESOURCES_DIR = ROOT / "resources"
SHIPPED_MODELS_DIR = Path(os.environ.get("GENOVIEW_SHIPPED_MODELS", ROOT / "models"))


def _made(path: Path, overridden: bool, inside_home: bool = False) -> Path:
    """``path`` made if missing; a folder that cannot be made is one message naming it and GENOVIEW_HOME.
    ``inside_home``: a sub-folder of a data folder that cannot be written (a read-only GENOVIEW_HOME never set up)
    is returned unmade, so reading goes on (no settings, no library models), and a write there fails naming it."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if inside_home and path.parent.is_dir() and not path.exists():
            return path
        from genoview.core.errors import GenoViewInputError

        what = ("is a file, not a folder" if path.is_file()
                else f"cannot be made ({exc.strerror or exc})")
        where = "set by GENOVIEW_HOME" if overridden else "set GENOVIEW_HOME to choose another"
        # the whole path in the text: the error's prefix is only the folder's name when the path is long (a cluster's
        # /scratch/... home read 'sub: GenoView's data folder cannot be made')
        raise GenoViewInputError(f"GenoView's data folder {path} {what} ({where}); set GENOVIEW_HOME to a writable "
                                 "folder (it keeps the database, the prediction cache and your models)", path) from exc
    return path


def _home() -> Path | None:
    """$GENOVIEW_HOME with a leading ~ expanded (a job script that quotes it keeps the ~ unexpanded)."""
    override = os.environ.get("GENOVIEW_HOME")
    return Path(override).expanduser() if override else None


def user_data_dir() -> Path:
    """Per-user data: the model library, the SQLite store, cached predictions. $GENOVIEW_HOME overrides."""
    home = _home()
    if home is not None:
        return _made(home, True)
    import platformdirs

    return _made(Path(platformdirs.user_data_dir("GenoView", "GenoView")), False)


def user_config_dir() -> Path:
    home = _home()
    if home is not None:
        return _made(home / "config", True, inside_home=True)
    import platformdirs

    return _made(Path(platformdirs.user_config_dir("GenoView", "GenoView")), False, inside_home=True)


def model_library_dir() -> Path:
    """The folder of the user's own models, made if missing (unmade in a data folder that cannot be written: the
    shipped models are listed and run, and whatever writes a model there fails at its own write, naming it)."""
    return _made(user_data_dir() / "models", _home() is not None, inside_home=True)


def shared_data_dir() -> Path | None:
    """../shared/data beside the checkout (tests, benchmarks, training shipped models), if present."""
    override = os.environ.get("GENOVIEW_SHARED_DATA")
    candidate = Path(override) if override else ROOT.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def library_unwritable() -> str | None:
    """Why a model made here (trained, adapted) could not be saved: its library folder, or the training specs folder
    beside it, cannot be written (a read-only GENOVIEW_HOME), naming the folder; None when both can. One empty file
    made and removed in each (milliseconds), asked again at each attempt: a home made writable meanwhile is seen."""
    for folder in (model_library_dir(), user_data_dir() / "specs"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            return f"{folder} cannot be written ({exc.strerror or exc})"
    return None
